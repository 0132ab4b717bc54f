"""Step 4: pick a proposed address or type one; availability is checked while typing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Forward, Step
from mailwizard.tui.widgets.field import Field


class ProposalList(OptionList):
    """Enter takes the highlighted proposal; with none highlighted, Enter is the step's."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select" and self.highlighted is None:
            return False
        return super().check_action(action, parameters)


class AddressScreen(StepScreen):
    STEP = Step.ADDRESS
    TITLE_TEXT = N_("Choose the address")
    CSS_PATH = "address.tcss"
    CHECK_DELAY_SECONDS: ClassVar[float] = 0.3
    """Typing pauses shorter than this do not start a check."""
    _pending: Timer | None = None
    _continue_when_available = False
    """Enter was pressed before the check of the address came back."""

    def compose_form(self) -> ComposeResult:
        yield Label(_("Proposed addresses"), classes="field-label")
        yield ProposalList(id="proposals", markup=False)
        yield Label(_("Or type the address you want"), classes="field-label")
        yield Field(_("Address"), name="address", value=self.state.address.typed)
        yield Label("", id="availability", classes="field-ok", markup=False)

    def on_mount(self) -> None:
        self.query_one("#availability").display = False
        identity = self.state.identity
        provisioning, holder = self.context.provisioning, self.context.holder
        self.call_service(
            lambda: provisioning.suggest(holder, identity.first_name, identity.last_name),
            self._show_proposals,
            self.show_refusal,
            group="suggest",
        )
        if self.state.address.typed and self._error is None:
            self._check_now()

    def focus_on_arrival(self) -> None:
        """The address typed before, else the proposals once they come."""
        if self.state.address.typed:
            self.query_one("#address", Input).focus()

    def _show_proposals(self, proposals: list[str]) -> None:
        options = self.query_one("#proposals", OptionList)
        options.clear_options()
        options.add_options(Option(Content(address), id=address) for address in proposals)
        if not proposals:
            options.display = False
        if not self.state.address.typed and self._error is None:
            (options if proposals else self.query_one("#address", Input)).focus()

    @on(OptionList.OptionHighlighted, "#proposals")
    def _proposal_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.query_one("#address", Input).value = event.option.id

    @on(OptionList.OptionSelected, "#proposals")
    def _proposal_chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter on a proposal takes it and continues."""
        if event.option.id is None:
            return
        self.query_one("#address", Input).value = event.option.id
        self.state.address.typed = event.option.id
        self.proceed()

    @on(Input.Changed, "#address")
    def _typed(self, event: Input.Changed) -> None:
        if event.value == self.state.address.typed and self.state.address.confirmed:
            return
        self.state.address.typed = event.value
        self.state.address.confirmed = None
        self.query_one("#availability").display = False
        self.update_continue()
        if self._pending is not None:
            self._pending.stop()
        if self._continue_when_available or self.CHECK_DELAY_SECONDS <= 0:
            self._check_now()
        else:
            self._pending = self.set_timer(self.CHECK_DELAY_SECONDS, self._check_now)

    def _check_now(self) -> None:
        if self._pending is not None:
            self._pending.stop()
        typed = self.state.address.typed
        if not typed.strip():
            return
        provisioning, holder = self.context.provisioning, self.context.holder
        self.call_service(
            lambda: provisioning.check_address(holder, typed),
            lambda address: self._available(typed, address),
            lambda error: self._unavailable(typed, error),
            group="address-check",
        )

    def _available(self, typed: str, address: str) -> None:
        if typed != self.state.address.typed:
            return
        self.state.address.confirmed = address
        self.query_one("#address-field", Field).show_error(None)
        availability = self.query_one("#availability", Label)
        availability.update(_("✓ {address} is available.").format(address=address))
        availability.display = True
        self.update_continue()
        if self._continue_when_available:
            self.dismiss(Forward())

    def _unavailable(self, typed: str, error: MailwizardError) -> None:
        if typed != self.state.address.typed:
            return
        self.state.address.confirmed = None
        field = self.query_one("#address-field", Field)
        field.show_error(error.message)
        if self._continue_when_available:
            self._continue_when_available = False
            field.input.focus()
        self.update_continue()

    def why_not_continue(self) -> str | None:
        if self.state.address.confirmed is not None:
            return None
        if self.state.address.typed.strip():
            return _("Continue once the address is found available.")
        return _("Choose a proposed address, or type one.")

    def proceed(self) -> None:
        if self.state.address.confirmed is not None:
            self.dismiss(Forward())
            return
        field = self.query_one("#address-field", Field)
        if not self.state.address.typed.strip():
            field.show_error(_("Choose a proposed address, or type one."))
            field.input.focus()
            return
        # Still being checked, or about to be: on as soon as it is found available.
        self._continue_when_available = True
        self._check_now()
