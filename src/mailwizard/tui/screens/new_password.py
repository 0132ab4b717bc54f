"""A new password for a box: the holder resetting a secondary box's, or any user changing
their own (the current password first). Same policy and strength meter as at creation."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from mailwizard.domain.models import Identity, Role
from mailwizard.domain.passwords import PasswordAssessment
from mailwizard.errors import MailwizardError, SignInFailed
from mailwizard.i18n import _
from mailwizard.services.management import ManagementService, PasswordReplaced
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.screens.box_dialog import BoxDialog
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.password_pair import SUGGEST_BINDING, PasswordPair, suggest_button


class NewPasswordScreen(BoxDialog[bool]):
    """Says so and dismisses with True once the password is changed.

    ``account`` changes its own password when ``box`` is its own address; otherwise the
    holder ``account`` resets the password of the secondary ``box``."""

    BINDINGS = [*BoxDialog.BINDINGS, SUGGEST_BINDING]

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
        # A secondary box's own user: the holder's names are checked when it is saved.
        self._holder = account if account.role is Role.PRIMARY else None

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
            yield PasswordPair(self._assessment_of, caption=_("New password"))
            yield ErrorLine(id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Back"), id="close", compact=True)
                yield suggest_button()
                yield Button(_("Change"), id="change", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#change", Button).disabled = True
        self.query_one("#current" if self._own else "#password", Input).focus()

    @on(Input.Submitted, "#current")
    @on(Input.Submitted, "#password")
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    def _assessment_of(self, password: str) -> Callable[[], PasswordAssessment]:
        provisioning, identity, box = self._provisioning, self._identity, self.box
        holder = self._holder
        return lambda: provisioning.assess_password(password, identity, box, holder)

    @on(Button.Pressed, "#suggest-passphrase")
    def action_suggest_passphrase(self) -> None:
        """A new passphrase at each press."""
        provisioning, identity, box = self._provisioning, self._identity, self.box
        holder = self._holder
        language = self.session.language
        self.query_one(PasswordPair).suggest(
            lambda: provisioning.suggest_passphrase(language, identity, box, holder)
        )

    @on(PasswordPair.Changed)
    @on(Input.Changed, "#current")
    def _update_change(self) -> None:
        current = self.query_one("#current", Input).value if self._own else "-"
        ready = self.query_one(PasswordPair).problem() is None and bool(current)
        self.query_one("#change", Button).disabled = not ready

    @on(Button.Pressed, "#change")
    @on(Input.Submitted, "#confirmation")
    def change(self) -> None:
        pair = self.query_one(PasswordPair)
        if problem := pair.problem():
            field, why = problem
            field.show_error(why)
            return
        if self.query_one("#change", Button).disabled:
            return
        management, account, box = self.management, self.account, self.box
        password, confirmation = pair.password, pair.confirmation
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
        if self._own:
            self.notify(_("Your password is changed."), markup=False)
        else:
            message = _("The password of {box} is changed.").format(box=self.box)
            self.notify(message, markup=False)
        self.dismiss(True)

    def _refused(self, error: MailwizardError) -> None:
        if isinstance(error, SignInFailed):
            self.query_one("#current-field", Field).show_error(error.message)
        else:
            self.show_refusal(error)
        self._update_change()
