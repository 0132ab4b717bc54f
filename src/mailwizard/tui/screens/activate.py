"""A relative opens the box the holder created for them: its address and the one-time
code first, then a password of their own, twice, under the policy and its meter; then
their own box's page."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label

from mailwizard.domain.passwords import PasswordAssessment
from mailwizard.errors import MailwizardError, Refused
from mailwizard.i18n import N_, _
from mailwizard.services.activation import Activated, ActivationService, CodeAccepted
from mailwizard.tui.messages import SignedIn
from mailwizard.tui.support import MailwizardScreen, show_beside_field
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.password_pair import SUGGEST_BINDING, PasswordPair


class ActivateScreen(MailwizardScreen[None]):
    CSS_PATH = "activation.tcss"
    DEFAULT_CLASSES = "centred-screen"
    BINDINGS = [Binding("escape", "back", N_("Back")), SUGGEST_BINDING]

    def __init__(self, activation: ActivationService, address: str = "") -> None:
        super().__init__()
        self._activation = activation
        self._address = address
        self._accepted: CodeAccepted | None = None

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="activate-box", classes="centred-box"):
            yield Label(_("Open your new mailbox"), classes="screen-title")
            yield Label(
                _("Your address and the activation code you were given, then a password "
                  "only you will know."),
                classes="hint",
            )  # fmt: skip
            yield Field(_("E-mail address"), name="address", value=self._address)
            yield Field(_("Activation code"), name="code", max_length=64)
            yield PasswordPair(self._assessment_of, caption=_("New password"))
            yield ErrorLine(id="activate-error", classes="field-error")
            with Horizontal(classes="centred-buttons"):
                yield Button(_("Back"), id="back", compact=True)
                yield Button(_("Continue"), id="check", variant="primary", compact=True)
                yield Button(_("Open my box"), id="activate", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._show_password_part(False)
        self.query_one("#code" if self._address else "#address", Input).focus()

    def _show_password_part(self, shown: bool) -> None:
        """Until the code is accepted, the address and the code; then the password."""
        self.query_one(PasswordPair).display = shown
        self.query_one("#activate").display = shown
        self.query_one("#check").display = not shown
        for name in ("address", "code"):
            self.query_one(f"#{name}", Input).disabled = shown
        self._update_activate()
        self.refresh_bindings()

    def _assessment_of(self, password: str) -> Callable[[], PasswordAssessment] | None:
        accepted, activation = self._accepted, self._activation
        if accepted is None:
            return None
        return lambda: activation.assess_password(accepted, password)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suggest_passphrase":
            return self._accepted is not None
        return super().check_action(action, parameters)

    def action_suggest_passphrase(self) -> None:
        """A new passphrase at each press, in both fields and in clear."""
        accepted, activation, language = self._accepted, self._activation, self.session.language
        if accepted is not None:
            pair = self.query_one(PasswordPair)
            pair.suggest(lambda: activation.suggest_passphrase(accepted, language))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self._accepted is not None:
            self._accepted = None
            self._show_password_part(False)
            self.query_one("#code", Input).focus()
            return
        self.dismiss(None)

    @on(Input.Submitted, "#address")
    def _to_code(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    @on(Button.Pressed, "#check")
    def check_code(self) -> None:
        address = self.query_one("#address", Input).value
        code = self.query_one("#code", Input).value
        activation, origin = self._activation, self.session.audit_origin
        self.query_one("#check", Button).disabled = True
        self.call_service(
            lambda: activation.check_code(address, code, origin),
            self._code_accepted,
            self._refused,
            group="code",
        )

    def _code_accepted(self, accepted: CodeAccepted) -> None:
        self._accepted = accepted
        self.query_one("#activate-error", ErrorLine).show(None)
        self.query_one("#check", Button).disabled = False
        self._show_password_part(True)
        pair = self.query_one(PasswordPair)
        if pair.password:
            pair.assess_now()  # typed for another box before Back: judged for this one
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _to_confirmation(self) -> None:
        self.query_one("#confirmation", Input).focus()

    @on(PasswordPair.Changed)
    def _update_activate(self) -> None:
        ready = self._accepted is not None and self.query_one(PasswordPair).problem() is None
        self.query_one("#activate", Button).disabled = not ready

    @on(Input.Submitted, "#confirmation")
    @on(Button.Pressed, "#activate")
    def activate(self) -> None:
        if self.query_one("#activate", Button).disabled:
            return
        address = self.query_one("#address", Input).value
        code = self.query_one("#code", Input).value
        pair = self.query_one(PasswordPair)
        password, confirmation = pair.password, pair.confirmation
        activation, origin = self._activation, self.session.audit_origin
        self.query_one("#activate", Button).disabled = True
        self.call_service(
            lambda: activation.activate(address, code, password, confirmation, origin),
            self._activated,
            self._refused,
            group="activate",
        )

    def _activated(self, activated: Activated) -> None:
        self.notify(
            _("Your box is open: from now on, sign in with your own password."), markup=False
        )
        self.post_message(SignedIn(activated.account))

    def service_failed(self) -> None:
        self.query_one("#check", Button).disabled = False
        self._update_activate()

    def _refused(self, error: MailwizardError) -> None:
        self.service_failed()
        field = error.field if isinstance(error, Refused) else None
        if self._accepted is not None and field in ("password", "confirmation"):
            show_beside_field(self, error)
            return
        if self._accepted is not None and field == "code":
            # Used, run out or locked meanwhile: back to the code.
            self._accepted = None
            self._show_password_part(False)
        self.query_one("#activate-error", ErrorLine).show(error.message)
        self.query_one("#code", Input).focus()
