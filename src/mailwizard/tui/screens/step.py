"""What the steps of the creation share: the step number and title, Back and Continue, Escape."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator

from mailwizard.domain.wizard import WizardState
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.steps import (
    Backward,
    Step,
    StepOutcome,
    WizardContext,
)
from mailwizard.tui.support import MailwizardScreen, show_beside_field


class StepScreen(MailwizardScreen[StepOutcome]):
    STEP: Step
    TITLE_TEXT: str
    CONTINUE_TEXT = N_("Continue")
    BINDINGS = [Binding("escape", "back", N_("Back"))]

    def __init__(
        self, state: WizardState, context: WizardContext, error: MailwizardError | None = None
    ) -> None:
        super().__init__()
        self.state = state
        self.context = context
        self._error = error

    def compose(self) -> ComposeResult:
        with Horizontal(classes="step-heading"):
            yield Label(_(self.TITLE_TEXT), classes="screen-title")
            numbered = self.context.numbered
            if self.STEP in numbered:
                number, total = numbered.index(self.STEP) + 1, len(numbered)
                yield Label(
                    _("Step {number} of {total}").format(number=number, total=total),
                    classes="step-number",
                )
        with VerticalScroll(classes="form"):
            yield from self.compose_form()
            yield Label("", id="step-error", classes="field-error", markup=False)
        with Horizontal(classes="button-bar"):
            yield LoadingIndicator()
            yield Button(_("Back"), id="back", compact=True)
            yield Button(_(self.CONTINUE_TEXT), id="continue", variant="primary", compact=True)
        yield Footer()

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#step-error").display = False
        if self._error is not None:
            self.show_error(self._error)

    def show_error(self, error: MailwizardError) -> None:
        """Beside its field when it names one shown here, else above the buttons."""
        if not show_beside_field(self, error):
            general = self.query_one("#step-error", Label)
            general.update(error.message)
            general.display = True

    def service_failed(self) -> None:
        self.busy(False)

    def busy(self, busy: bool) -> None:
        self.query_one(LoadingIndicator).display = busy
        self.query_one("#continue", Button).disabled = busy
        self.query_one("#back", Button).disabled = busy

    def action_back(self) -> None:
        if not self.query_one("#back", Button).disabled:
            self.keep_answers()
            self.dismiss(Backward())

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted)
    def _continue_pressed(self) -> None:
        """Enter in any field continues, as the Continue button does."""
        if not self.query_one("#continue", Button).disabled:
            self.proceed()

    def keep_answers(self) -> None:
        """Copies what is on screen into the state, valid or not."""

    def proceed(self) -> None:
        raise NotImplementedError
