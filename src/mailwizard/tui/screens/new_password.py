"""A new password for a box: the holder resetting a secondary box's, or any user changing
their own (the current password first). Same policy and strength meter as at creation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Input, Label

from mailwizard.domain.models import Identity, Role
from mailwizard.domain.passwords import PasswordAssessment, check_confirmation
from mailwizard.errors import MailwizardError, SignInFailed
from mailwizard.i18n import _
from mailwizard.services.management import ManagementService, PasswordReplaced
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.screens.box_dialog import BoxDialog
from mailwizard.tui.screens.password import ASSESS_DELAY_SECONDS
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.passphrase import (
    SUGGEST_BINDING,
    fill_with_passphrase,
    suggest_button,
)
from mailwizard.tui.widgets.strength_meter import StrengthMeter, show_assessment


class NewPasswordScreen(BoxDialog[bool]):
    """Dismisses with True once the password is changed.

    ``account`` changes its own password when ``box`` is its own address; otherwise the
    holder ``account`` resets the password of the secondary ``box``."""

    BINDINGS = [*BoxDialog.BINDINGS, SUGGEST_BINDING]
    _pending: Timer | None = None

    def __init__(
        self,
        management: ManagementService,
        provisioning: ProvisioningService,
        account: SignedIn,
        box: str,
        identity: Identity,
    ) -> None:
        super().__init__(management, account, box)
        self._provisioning = provisioning
        self._identity = identity
        self._own = box == account.address
        self._acceptable = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            if self._own:
                yield Label(_("Change your password"), classes="screen-title")
                yield Label(
                    _("Your current password first, then the new one twice."), classes="hint"
                )
                yield Field(_("Current password"), name="current", password=True)
            else:
                yield Label(_("New password for {box}").format(box=self.box),
                            classes="screen-title", markup=False)  # fmt: skip
                yield Label(
                    _("Its user will be told by e-mail, without the password: give it to "
                      "them yourself, and let them change it."),
                    classes="hint",
                )  # fmt: skip
            yield Field(_("New password"), name="password", password=True)
            yield Field(_("Password again"), name="confirmation", password=True)
            yield StrengthMeter()
            yield Label("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Back"), id="cancel", compact=True)
                yield suggest_button()
                yield Button(_("Change"), id="change", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#change", Button).disabled = True
        self.query_one("#current" if self._own else "#password", Input).focus()

    @on(Input.Submitted, "#current")
    @on(Input.Submitted, "#password")
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    @on(Input.Changed, "#password")
    def _password_typed(self) -> None:
        self._acceptable = False
        self._update_change()
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(ASSESS_DELAY_SECONDS, self._assess)

    @on(Input.Changed, "#confirmation")
    @on(Input.Changed, "#current")
    def _update_change(self) -> None:
        password = self.query_one("#password", Input).value
        confirmation = self.query_one("#confirmation", Input).value
        refusal = check_confirmation(password, confirmation) if confirmation else None
        mismatch = refusal.message if refusal else None
        self.query_one("#confirmation-field", Field).show_error(mismatch)
        current = self.query_one("#current", Input).value if self._own else "-"
        ready = self._acceptable and bool(confirmation) and refusal is None and bool(current)
        self.query_one("#change", Button).disabled = not ready

    @on(Button.Pressed, "#suggest-passphrase")
    def action_suggest_passphrase(self) -> None:
        """A new passphrase at each press, shown in clear, checked as ``_assess`` does."""
        provisioning, identity, box = self._provisioning, self._identity, self.box
        holder = self.account if self.account.role is Role.PRIMARY else None
        language = self.session.language
        self.call_service(
            lambda: provisioning.suggest_passphrase(language, identity, box, holder),
            lambda passphrase: fill_with_passphrase(self, passphrase),
            self._refused,
            group="passphrase",
        )

    def _assess(self) -> None:
        password = self.query_one("#password", Input).value
        provisioning, identity, box = self._provisioning, self._identity, self.box
        # A secondary box's own user: the holder's names are checked when it is saved.
        holder = self.account if self.account.role is Role.PRIMARY else None
        self.call_service(
            lambda: provisioning.assess_password(password, identity, box, holder),
            self._assessed,
            self._refused,
            group="assess",
        )

    def _assessed(self, assessment: PasswordAssessment) -> None:
        self._acceptable = assessment.acceptable
        show_assessment(self, assessment)
        self._update_change()

    @on(Button.Pressed, "#change")
    @on(Input.Submitted, "#confirmation")
    def change(self) -> None:
        if self.query_one("#change", Button).disabled:
            return
        management, account, box = self.management, self.account, self.box
        password = self.query_one("#password", Input).value
        confirmation = self.query_one("#confirmation", Input).value
        origin = self.session.audit_origin
        if self._own:
            current = self.query_one("#current", Input).value

            def change() -> PasswordReplaced:
                return management.change_own_password(box, current, password, confirmation, origin)
        else:

            def change() -> PasswordReplaced:
                return management.reset_password(account, box, password, confirmation, origin)

        self.query_one("#change", Button).disabled = True
        self.call_service(change, self._changed, self._refused, group="change")

    def _changed(self, _replaced: PasswordReplaced) -> None:
        self.dismiss(True)

    def _refused(self, error: MailwizardError) -> None:
        if isinstance(error, SignInFailed):
            self.query_one("#current-field", Field).show_error(error.message)
        else:
            self.refused(error)
        self._update_change()
