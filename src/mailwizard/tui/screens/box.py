"""One box of the household, opened from the management page: its aliases, and what the
holder can do to it — a new password, suspension, deletion (never for the primary box)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, ListItem, ListView

from mailwizard.domain.models import HouseholdOverview, MailboxSummary
from mailwizard.i18n import N_, _
from mailwizard.services.activation import ActivationService
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.services.households import HouseholdService
from mailwizard.services.management import ManagementService
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.screens.activation_code import ActivationCodeScreen
from mailwizard.tui.screens.alias_form import AddAliasScreen
from mailwizard.tui.screens.delete_box import DeleteBoxScreen
from mailwizard.tui.screens.new_password import NewPasswordScreen
from mailwizard.tui.support import MailwizardModal


@dataclass(frozen=True)
class BoxServices:
    """What a box's page calls."""

    households: HouseholdService
    management: ManagementService
    provisioning: ProvisioningService
    activation: ActivationService
    keep_deleted_days: int


class BoxScreen(MailwizardModal[None]):
    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("a", "add_alias", N_("Add an alias")),
        Binding("p", "new_password", N_("New password")),
    ]

    def __init__(self, holder: SignedIn, box: MailboxSummary, services: BoxServices) -> None:
        super().__init__()
        self._holder = holder
        self._box = box
        self._services = services

    def compose(self) -> ComposeResult:
        box = self._box
        with Vertical(classes="dialog"):
            yield Label(box.address, classes="screen-title", markup=False)
            yield Label("", id="box-facts", classes="box-facts", markup=False)
            if not box.primary:
                with Vertical(id="activation-row"):
                    yield Label("", id="awaiting-activation", markup=False)
                    yield Button(_("New activation code"), id="new-code", compact=True)
            yield Label(_("Aliases"), classes="field-label")
            yield ListView(id="aliases")
            yield Label("", id="no-alias", classes="hint")
            with Horizontal(classes="alias-buttons"):
                yield Button(_("Add an alias"), id="add-alias", compact=True)
                yield Button(_("Remove the alias"), id="remove-alias", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", compact=True)
                yield Button(_("New password"), id="new-password", compact=True)
                if not box.primary:
                    yield Button("", id="suspend", compact=True)
                    yield Button(_("Delete"), id="delete", variant="error", compact=True)

    def on_mount(self) -> None:
        self._show(self._box)

    @on(Button.Pressed, "#new-code")
    def new_code(self) -> None:
        activation, holder, box = self._services.activation, self._holder, self._box
        origin = self.session.audit_origin

        def issued(code: IssuedCode) -> None:
            renewed = {"awaiting_activation_until": code.expires_at, "activation_expired": False}
            self._show(self._box.model_copy(update=renewed))
            self.app.push_screen(ActivationCodeScreen(box.address, box.first_name, code))

        self.call_service(
            lambda: activation.reissue(holder, box.address, origin), issued, group="activation"
        )

    def _show(self, box: MailboxSummary) -> None:
        self._box = box
        self.query_one("#box-facts", Label).update(
            _("{name} · {kind} · created on {date}").format(
                name=box.full_name,
                kind=_(box.state),
                date=box.created_at.astimezone().strftime("%Y-%m-%d"),
            )
        )
        until = box.awaiting_activation_until
        for row in self.query("#activation-row"):
            # Its user has not opened it yet: until when the code works, and a new code.
            row.display = until is not None
        if until is not None:
            # In the terminal's time, as the management page's table shows it.
            time = until.astimezone().strftime("%Y-%m-%d %H:%M")
            awaiting = (
                _("The activation code ran out on {time}.")
                if box.activation_expired
                else _("Awaiting activation until {time}.")
            )
            self.query_one("#awaiting-activation", Label).update(awaiting.format(time=time))
        aliases = self.query_one("#aliases", ListView)
        aliases.clear()
        aliases.extend(ListItem(Label(alias, markup=False), name=alias) for alias in box.aliases)
        aliases.display = bool(box.aliases)
        self.query_one("#no-alias", Label).update("" if box.aliases else _("No alias yet."))
        self.query_one("#remove-alias", Button).disabled = not box.aliases
        if not box.primary:
            self.query_one("#suspend", Button).label = (
                _("Suspend") if box.active else _("Reactivate")
            )

    def _reload(self) -> None:
        households, household_id = self._services.households, self._holder.household_id
        self.call_service(
            lambda: households.overview_of(household_id), self._reloaded, group="reload"
        )

    def _reloaded(self, overview: HouseholdOverview) -> None:
        box = overview.box(self._box.address)
        if box is None:
            self.dismiss(None)
        else:
            self._show(box)

    @on(Button.Pressed, "#add-alias")
    def action_add_alias(self) -> None:
        def added(alias: str | None) -> None:
            if alias is not None:
                self._reload()

        dialog = AddAliasScreen(self._services.management, self._holder, self._box.address)
        self.app.push_screen(dialog, added)

    @on(Button.Pressed, "#remove-alias")
    def remove_alias(self) -> None:
        aliases = self.query_one("#aliases", ListView)
        # Nothing is highlighted until the list has been focused: then it is the first.
        chosen = aliases.highlighted_child or next(iter(aliases.query(ListItem)), None)
        if chosen is None or chosen.name is None:
            return
        alias, management = chosen.name, self._services.management
        origin = self.session.audit_origin

        def removed(_alias: str) -> None:
            self.notify(_("{alias} is removed.").format(alias=alias), markup=False)
            self._reload()

        self.call_service(
            lambda: management.remove_alias(self._holder, alias, origin), removed, group="alias"
        )

    @on(Button.Pressed, "#new-password")
    def action_new_password(self) -> None:
        services, box = self._services, self._box
        self.app.push_screen(
            NewPasswordScreen(
                services.management, services.provisioning, self._holder, box.address, box.identity
            )
        )

    @on(Button.Pressed, "#suspend")
    def toggle_suspension(self) -> None:
        management, holder, box = self._services.management, self._holder, self._box
        origin = self.session.audit_origin
        active = not box.active

        def done(_address: str) -> None:
            message = (
                _("{box} can sign in again.")
                if active
                else _("{box} is suspended: it cannot sign in, its mail still arrives.")
            )
            self.notify(message.format(box=box.address), markup=False)
            self._reload()

        self.call_service(
            lambda: management.set_active(holder, box.address, active, origin),
            done,
            group="suspend",
        )

    @on(Button.Pressed, "#delete")
    def delete(self) -> None:
        box = self._box.address

        def deleted(purge_after: datetime | None) -> None:
            if purge_after is not None:
                self.dismiss(None)

        dialog = DeleteBoxScreen(
            self._services.management, self._holder, box, self._services.keep_deleted_days
        )
        self.app.push_screen(dialog, deleted)
