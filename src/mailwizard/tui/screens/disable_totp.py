"""From the management page, when strong identification is on: turning it off takes the
password again and a current code, so that an unattended session cannot do it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from mailwizard.i18n import N_, _
from mailwizard.services.access import AccessService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardModal
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field


class DisableTotpScreen(MailwizardModal[None]):
    """Closes, saying so, once strong identification is off."""

    CSS_PATH = "disable_totp.tcss"
    BINDINGS = [Binding("escape", "close", N_("Back"))]

    def __init__(self, access: AccessService, holder: SignedIn) -> None:
        super().__init__()
        self._access = access
        self._holder = holder

    def compose(self) -> ComposeResult:
        with Vertical(id="disable-box"):
            yield Label(_("Turn strong identification off"), classes="screen-title")
            yield Label(
                _("Your password and a code from your authenticator app are needed."),
                classes="hint",
            )
            yield Field(_("Password"), name="password", password=True)
            yield Field(_("Code from your app"), name="totp_code", max_length=8)
            yield ErrorLine(id="dialog-error", classes="field-error")
            with Horizontal(classes="disable-buttons"):
                yield Button(_("Back"), id="close", compact=True)
                yield Button(_("Turn off"), id="confirm", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _next_field(self) -> None:
        self.query_one("#totp_code", Input).focus()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#totp_code")
    def confirm(self) -> None:
        password = self.query_one("#password", Input).value
        code = self.query_one("#totp_code", Input).value
        access, holder, origin = self._access, self._holder, self.session.audit_origin
        self.call_service(
            lambda: access.disable(holder, password, code, origin),
            self._disabled,
            self.show_refusal,
            group="disable",
        )

    def _disabled(self, _result: None) -> None:
        message = _("Strong identification is off for {address}.")
        self.notify(message.format(address=self._holder.address), markup=False)
        self.dismiss()
