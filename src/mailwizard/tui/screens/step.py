"""What the steps of the creation share: the step number and title, Back and Continue,
and the keys.

On arrival the focus is on the first answer still empty; Enter continues from any field
when the step allows it, and says why next to the field when it does not; a disabled
Continue says why beside it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioSet

from mailwizard.domain.wizard import WizardState
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.steps import (
    Backward,
    Step,
    StepOutcome,
    WizardContext,
)
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.error_line import ErrorLine


def unanswered(widget: Widget) -> bool:
    if isinstance(widget, Input):
        return not widget.value
    if isinstance(widget, RadioSet):
        return widget.pressed_button is None
    if isinstance(widget, Checkbox):
        return not widget.value
    return False


class StepScreen(MailwizardScreen[StepOutcome]):
    STEP: Step
    TITLE_TEXT: str
    CONTINUE_TEXT = N_("Continue")
    REFUSAL_LINE = "#step-error"
    ANSWERS: ClassVar[tuple[str, ...]] = ()
    """The step's fields in reading order."""
    _continue_awaited: Widget | None = None
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("enter", "continue", N_("Continue"), show=False),
    ]

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
        # The fields scroll into view as they take the focus: the form itself need not.
        with VerticalScroll(classes="form", can_focus=False):
            yield from self.compose_form()
            yield ErrorLine(id="step-error", classes="field-error")
        with Horizontal(classes="button-bar"):
            yield Label("", id="continue-why", classes="hint", markup=False)
            yield Button(_("Back"), id="back", compact=True)
            yield Button(_(self.CONTINUE_TEXT), id="continue", variant="primary", compact=True)
        yield Footer()

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        """Textual runs a step's own ``on_mount`` first, then this one: steps do not call it."""
        self.update_continue()
        if self._error is not None:
            self.show_refusal(self._error)
        else:
            self.focus_on_arrival()

    def focus_on_arrival(self) -> None:
        """The first answer still empty; all given, Continue.

        The focus is set at once, not after the next refresh as ``focus()`` does: a check
        that comes back meanwhile must find it where it will be."""
        answers = [self.query_one(selector) for selector in self.answers()]
        for answer in answers:
            if unanswered(answer):
                self.set_focus(answer)
                return
        continue_button = self.query_one("#continue", Button)
        if not continue_button.disabled or not answers:
            self.set_focus(continue_button)
        else:
            # Still being checked (the password's strength): Continue once it may be used.
            self.set_focus(answers[-1])
            self._continue_awaited = answers[-1]

    def answers(self) -> tuple[str, ...]:
        """The selectors of the answers shown now."""
        return self.ANSWERS

    def why_not_continue(self) -> str | None:
        """Why Continue cannot be used yet; None when it can."""
        return None

    def update_continue(self) -> None:
        why = self.why_not_continue()
        continue_button = self.query_one("#continue", Button)
        continue_button.disabled = why is not None
        if why is None and self._continue_awaited is not None:
            if self.focused in (None, self._continue_awaited):
                continue_button.focus()
            self._continue_awaited = None
        because = self.query_one("#continue-why", Label)
        because.update(why or "")
        because.display = why is not None

    @property
    def busy(self) -> bool:
        return self.query_one(".button-bar").loading

    @busy.setter
    def busy(self, busy: bool) -> None:
        self.query_one(".button-bar").loading = busy

    def service_failed(self) -> None:
        self.busy = False

    def holds_answers(self) -> bool:
        return self.state.has_answers()

    def action_back(self) -> None:
        if not self.busy:
            self.keep_answers()
            self.dismiss(Backward())

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted)
    def action_continue(self) -> None:
        """Enter in any field, or Continue: on when the step allows it, else why not."""
        if not self.busy:
            self.proceed()

    def keep_answers(self) -> None:
        """Copies what is on screen into the state, valid or not."""

    def proceed(self) -> None:
        raise NotImplementedError
