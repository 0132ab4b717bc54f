"""Screen 0, on an empty directory: the household's domain and the holder's primary box."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label

from mailwizard.domain.addresses import check_domain_name
from mailwizard.domain.models import HouseholdOverview
from mailwizard.domain.passwords import PasswordAssessment, check_confirmation
from mailwizard.domain.wizard import IdentityDraft
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.households import HouseholdService
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.tui.messages import HouseholdFounded
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field, all_accepted
from mailwizard.tui.widgets.identity_fields import IdentityFields
from mailwizard.tui.widgets.password_pair import PasswordPair


class FirstRunScreen(MailwizardScreen[None]):
    CSS_PATH = "first_run.tcss"
    REFUSAL_LINE = "#general-error"
    BINDINGS = [Binding("enter", "create", N_("Create"), show=False)]

    def __init__(self, households: HouseholdService, provisioning: ProvisioningService) -> None:
        """``provisioning`` judges the password as it is typed."""
        super().__init__()
        self._households = households
        self._provisioning = provisioning
        self._draft = IdentityDraft()

    def compose(self) -> ComposeResult:
        yield Label(_("Welcome: set up the household's mail"), classes="screen-title")
        yield Label(
            _("The directory is empty. Enter the domain and the holder's primary address."),
            classes="hint",
        )
        with VerticalScroll(classes="form"):
            yield Field(_("Domain"), name="domain", placeholder="famille-martin.fr",
                        rule=check_domain_name)  # fmt: skip
            yield Field(_("Primary address"), name="address",
                        placeholder="jean.martin@famille-martin.fr")  # fmt: skip
            yield IdentityFields(self._draft)
            yield PasswordPair(self._assessment_of, caption=_("Password"))
            yield ErrorLine(id="general-error", classes="field-error")
        with Horizontal(classes="button-bar"):
            yield Button(_("Create"), id="create", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#domain", Input).focus()

    def holds_answers(self) -> bool:
        return any(field.value for field in self.query(Input)) or (
            self.query_one(IdentityFields).civility is not None
        )

    def _assessment_of(self, password: str) -> Callable[[], PasswordAssessment] | None:
        """Judged with the names and address as typed; not before the names are valid."""
        self.query_one(IdentityFields).fill(self._draft)
        identity = self._draft.identity_from_names()
        if identity is None:
            return None
        address = self.query_one("#address", Input).value
        provisioning = self._provisioning
        return lambda: provisioning.assess_password(password, identity, address)

    @on(Input.Changed, "#address")
    @on(Input.Changed, "#last_name")
    @on(Input.Changed, "#first_name")
    def _judge_again(self) -> None:
        """What the password must not contain changed."""
        pair = self.query_one(PasswordPair)
        if pair.password:
            pair.assess_later()

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Enter in any field creates, as the button does, or says why not."""
        bar = self.query_one(".button-bar")
        if bar.loading:
            return
        self.query_one(IdentityFields).fill(self._draft)
        fields = {f.input.id: f for f in self.query(Field)}
        if not all_accepted(fields[name] for name in ("domain", "last_name", "first_name")):
            return
        password = fields["password"].value
        if refusal := check_confirmation(password, fields["confirmation"].value):
            fields["confirmation"].show_error(refusal.message)
            fields["confirmation"].input.focus()
            return
        try:
            identity = self._draft.identity()
        except MailwizardError as error:
            self.show_refusal(error)
            return
        domain, address = fields["domain"].value, fields["address"].value
        language = self.session.language
        origin = self.session.audit_origin
        bar.loading = True
        self.call_service(
            lambda: self._households.initialise(
                domain, identity, address, password, language, origin
            ),
            self._created,
            self._refused,
            group="first-run",
        )

    def service_failed(self) -> None:
        self.query_one(".button-bar").loading = False

    def _created(self, overview: HouseholdOverview) -> None:
        self.app.notify(_("The household is ready. Sign in with the primary address."))
        self.post_message(HouseholdFounded(overview.primary.address))

    def _refused(self, error: MailwizardError) -> None:
        self.service_failed()
        self.show_refusal(error)
