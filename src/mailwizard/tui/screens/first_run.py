"""Screen 0, on an empty directory: the household's domain and the holder's primary box."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator

from mailwizard.domain.addresses import check_domain_name
from mailwizard.domain.models import HouseholdOverview
from mailwizard.domain.passwords import check_confirmation
from mailwizard.domain.wizard import IdentityDraft
from mailwizard.errors import MailwizardError
from mailwizard.i18n import _
from mailwizard.services.households import HouseholdService
from mailwizard.tui.messages import HouseholdFounded
from mailwizard.tui.support import MailwizardScreen, show_beside_field
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.identity_fields import IdentityFields


class FirstRunScreen(MailwizardScreen[None]):
    CSS_PATH = "first_run.tcss"

    def __init__(self, households: HouseholdService) -> None:
        super().__init__()
        self._households = households
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
            yield Field(_("Password"), name="password", password=True)
            yield Field(_("Password again"), name="confirmation", password=True)
            yield Label("", id="general-error", classes="field-error", markup=False)
        with Horizontal(classes="button-bar"):
            yield LoadingIndicator()
            yield Button(_("Create"), id="create", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#general-error").display = False
        self.query_one("#domain", Input).focus()

    @on(Button.Pressed, "#create")
    def create(self) -> None:
        identity_fields = self.query_one(IdentityFields)
        identity_fields.fill(self._draft)
        fields = {f.input.id: f for f in self.query(Field)}
        checked = [fields[name].check() for name in ("domain", "last_name", "first_name")]
        if not all(checked):
            return
        password = fields["password"].value
        if refusal := check_confirmation(password, fields["confirmation"].value):
            fields["confirmation"].show_error(refusal.message)
            return
        try:
            identity = self._draft.identity()
        except MailwizardError as error:
            show_beside_field(self, error)
            return
        domain, address = fields["domain"].value, fields["address"].value
        language = self.session.language
        origin = self.session.audit_origin
        self._busy(True)
        self.call_service(
            lambda: self._households.initialise(
                domain, identity, address, password, language, origin
            ),
            self._created,
            self._refused,
            group="first-run",
        )

    def service_failed(self) -> None:
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.query_one(LoadingIndicator).display = busy
        self.query_one("#create", Button).disabled = busy

    def _created(self, overview: HouseholdOverview) -> None:
        self.app.notify(_("The household is ready. Sign in with the primary address."))
        self.post_message(HouseholdFounded(overview.primary.address))

    def _refused(self, error: MailwizardError) -> None:
        self._busy(False)
        if not show_beside_field(self, error):
            general = self.query_one("#general-error", Label)
            general.update(error.message)
            general.display = True
