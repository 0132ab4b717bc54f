"""Screen 1a: the holder signs in with the primary address and its password."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator

from mailwizard.bootstrap import Services
from mailwizard.domain.models import Role
from mailwizard.errors import MailwizardError
from mailwizard.i18n import _
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.field import Field


class SignInScreen(MailwizardScreen[None]):
    CSS_PATH = "sign_in.tcss"

    def __init__(self, services: Services, address: str = "") -> None:
        super().__init__()
        self._services = services
        self._address = address

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="sign-in-box"):
            yield Label(_("Manage your family's e-mail addresses"), classes="screen-title")
            yield Label(_("Sign in with your primary address."), classes="step-number")
            yield Field(_("E-mail address"), name="address", value=self._address)
            yield Field(_("Password"), name="password", password=True)
            yield Label("", id="sign-in-error", classes="field-error", markup=False)
            with Horizontal(classes="sign-in-buttons"):
                yield LoadingIndicator()
                yield Button(_("Sign in"), id="sign-in", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#sign-in-error").display = False
        target = "#password" if self._address else "#address"
        self.query_one(target, Input).focus()

    @on(Input.Submitted, "#address")
    def _next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        address = self.query_one("#address", Input).value
        password = self.query_one("#password", Input).value
        self._busy(True)
        self.call_service(
            lambda: self._services.signin.sign_in(address, password),
            self._signed_in,
            self._refused,
            group="sign-in",
        )

    def service_failed(self) -> None:
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.query_one(LoadingIndicator).display = busy
        self.query_one("#sign-in", Button).disabled = busy

    def _signed_in(self, account: SignedIn) -> None:
        if account.role is not Role.PRIMARY:
            self._refused_with(
                _("Only the holder's primary address can manage the household's boxes here.")
            )
            return
        self.mailwizard.show_management(account)

    def _refused(self, error: MailwizardError) -> None:
        self._refused_with(error.message)

    def _refused_with(self, message: str) -> None:
        self._busy(False)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        error = self.query_one("#sign-in-error", Label)
        error.update(message)
        error.display = True
