"""Step 4: pick a proposed address or type one; availability is checked while typing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Forward, Step
from mailwizard.tui.widgets.field import Field

CHECK_DELAY_SECONDS = 0.3
"""Typing pauses shorter than this do not start a check."""


class AddressScreen(StepScreen):
    STEP = Step.ADDRESS
    TITLE_TEXT = N_("Choose the address")
    CSS_PATH = "address.tcss"
    _pending: Timer | None = None

    def compose_form(self) -> ComposeResult:
        yield Label(_("Proposed addresses"), classes="field-label")
        yield OptionList(id="proposals", markup=False)
        yield Label(_("Or type the address you want"), classes="field-label")
        yield Field(_("Address"), name="address", value=self.state.address.typed)
        yield Label("", id="availability", classes="field-ok", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#continue", Button).disabled = True
        self.query_one("#availability").display = False
        identity = self.state.identity
        provisioning, holder = self.context.provisioning, self.context.holder
        self.call_service(
            lambda: provisioning.suggest(holder, identity.first_name, identity.last_name),
            self._show_proposals,
            self.show_error,
            group="suggest",
        )
        if self.state.address.typed and self._error is None:
            self._check_now()

    def _show_proposals(self, proposals: list[str]) -> None:
        options = self.query_one("#proposals", OptionList)
        options.clear_options()
        options.add_options(Option(Content(address), id=address) for address in proposals)
        if not proposals:
            options.display = False
        if not self.state.address.typed and self._error is None:
            options.focus()

    @on(OptionList.OptionHighlighted, "#proposals")
    @on(OptionList.OptionSelected, "#proposals")
    def _proposal_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.query_one("#address", Input).value = event.option.id

    @on(Input.Changed, "#address")
    def _typed(self, event: Input.Changed) -> None:
        self.state.address.typed = event.value
        self.state.address.confirmed = None
        self.query_one("#continue", Button).disabled = True
        self.query_one("#availability").display = False
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(CHECK_DELAY_SECONDS, self._check_now)

    def _check_now(self) -> None:
        typed = self.state.address.typed
        if not typed.strip():
            return
        provisioning, holder = self.context.provisioning, self.context.holder
        self.call_service(
            lambda: provisioning.check_address(holder, typed),
            self._available,
            self._unavailable,
            group="address-check",
        )

    def _available(self, address: str) -> None:
        self.state.address.confirmed = address
        self.query_one("#address-field", Field).show_error(None)
        availability = self.query_one("#availability", Label)
        availability.update(_("✓ {address} is available.").format(address=address))
        availability.display = True
        self.query_one("#continue", Button).disabled = False

    def _unavailable(self, error: MailwizardError) -> None:
        self.state.address.confirmed = None
        self.query_one("#address-field", Field).show_error(error.message)

    def proceed(self) -> None:
        if self.state.address.confirmed is not None:
            self.dismiss(Forward())
