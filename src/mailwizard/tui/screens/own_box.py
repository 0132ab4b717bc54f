"""What a secondary box's user sees after signing in: their own box, and a way to change
its password. The household's other boxes are the holder's business, not theirs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label

from mailwizard.i18n import N_, _
from mailwizard.services.management import ManagementService
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.messages import SignedOut
from mailwizard.tui.screens.new_password import NewPasswordScreen
from mailwizard.tui.support import MailwizardScreen


class OwnBoxScreen(MailwizardScreen[None]):
    CSS_PATH = "management.tcss"
    BINDINGS = [
        Binding("p", "new_password", N_("Change my password")),
        Binding("ctrl+o", "sign_out", N_("Sign out")),
    ]

    def __init__(
        self, account: SignedIn, management: ManagementService, provisioning: ProvisioningService
    ) -> None:
        super().__init__()
        self._account = account
        self._management = management
        self._provisioning = provisioning

    def compose(self) -> ComposeResult:
        account = self._account
        with Vertical(id="own-box"):
            yield Label(_("Your mailbox"), classes="screen-title")
            yield Label(account.address, classes="step-number", markup=False)
            yield Label(account.identity.full_name, id="own-name", markup=False)
            yield Label(
                _("The holder of your household's account manages its boxes and aliases. "
                  "Here you can change your own password."),
                classes="hint",
            )  # fmt: skip
            with Horizontal(classes="button-bar"):
                yield Button(_("Sign out"), id="sign-out", compact=True)
                yield Button(_("Change my password"), id="new-password", variant="primary",
                             compact=True)  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-password", Button).focus()

    @on(Button.Pressed, "#new-password")
    def action_new_password(self) -> None:
        account = self._account
        self.app.push_screen(
            NewPasswordScreen(
                self._management, self._provisioning, account, account.address, account.identity
            )
        )

    @on(Button.Pressed, "#sign-out")
    def action_sign_out(self) -> None:
        self.post_message(SignedOut())
