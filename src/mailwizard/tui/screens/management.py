"""Screen 1b, the management page: the household's boxes and how many are left."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Label

from mailwizard.domain.access import OriginKind
from mailwizard.domain.audit import shown_line
from mailwizard.domain.models import AuditEntry, HouseholdOverview
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _, ngettext
from mailwizard.services.access import AccessService, Enrolment
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.services.client_setup import ClientSetupService
from mailwizard.services.devices import DeviceService
from mailwizard.services.directory_watch import DirectoryWatch, Subscription
from mailwizard.services.management import HouseholdPage
from mailwizard.services.signin import SignedIn
from mailwizard.tui.messages import CreationAsked, SignedOut
from mailwizard.tui.screens.activation_code import ActivationCodeScreen
from mailwizard.tui.screens.activity import ActivityScreen
from mailwizard.tui.screens.box import BoxScreen, BoxServices
from mailwizard.tui.screens.disable_totp import DisableTotpScreen
from mailwizard.tui.screens.enrolment import EnrolmentScreen
from mailwizard.tui.screens.remembered_devices import RememberedDevicesScreen
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.box_table import BoxRow, BoxTable

RECENT_ENTRIES = 3


def box_rows(overview: HouseholdOverview) -> list[BoxRow]:
    """The household's boxes, primary first, then those deleted awaiting their purge."""
    return [
        BoxRow(
            box.address,
            box.full_name,
            _(box.state),
            "" if box.state_until is None else box.state_until.astimezone().strftime("%Y-%m-%d"),
            str(len(box.aliases)) if box.aliases else "",
        )
        for box in overview.listed
    ]


def activity_line(entry: AuditEntry) -> str:
    moment = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
    what, _actor, origin = shown_line(entry)
    return f"{moment}  {what}  ({origin})"


@dataclass(frozen=True)
class ManagementServices(BoxServices):
    """What the management page calls, and hands to a box's page."""

    access: AccessService
    devices: DeviceService
    client_setup: ClientSetupService
    watch: DirectoryWatch


class ManagementScreen(MailwizardScreen[None]):
    CSS_PATH = "management.tcss"
    # The footer names the keys no button of the page names: with them, it did not fit
    # in 80 columns in French.
    BINDINGS = [
        Binding("c", "create", N_("Create an address"), show=False),
        Binding("t", "strong_identification", N_("Strong identification")),
        Binding("r", "remembered_devices", N_("Remembered devices"), show=False),
        Binding("l", "activity", N_("Activity")),
        Binding("w", "welcome_card", N_("Welcome card")),
        Binding("ctrl+o", "sign_out", N_("Sign out"), show=False),
    ]

    class DirectoryChanged(Message):
        """Another terminal, or the command line, changed the directory."""

    def __init__(self, holder: SignedIn, services: ManagementServices) -> None:
        super().__init__()
        self._holder = holder
        self._services = services
        self._created: str | None = None
        self._highlight_created = False
        self._activation: IssuedCode | None = None
        self._overview: HouseholdOverview | None = None
        self._watch: Subscription | None = None
        self._shown: HouseholdPage | None = None

    def compose(self) -> ComposeResult:
        yield Label(_("Manage your family's e-mail addresses"), classes="screen-title")
        yield Label(self._holder.address, classes="step-number", markup=False)
        yield BoxTable(id="boxes")
        yield Label(
            _("Enter on a box: its aliases, a new password, suspend or delete it."),
            id="boxes-hint",
            classes="hint",
        )
        yield Label("", id="created-note", classes="field-ok", markup=False)
        yield Label("", id="undelivered", classes="field-error", markup=False)
        yield Label("", id="remaining", markup=False)
        yield Label("", id="recent-activity", classes="hint", markup=False)
        with Horizontal(classes="button-bar"):
            yield Button(_("Sign out"), id="sign-out", compact=True)
            yield Button(_("Remembered devices"), id="remembered-devices", compact=True)
            yield Button(
                _("Create an e-mail address"), id="create", variant="primary", compact=True
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#created-note").display = False
        self.query_one("#undelivered").display = False
        self.query_one("#create", Button).disabled = True
        self.refresh_boxes()
        self._watch = self._services.watch.subscribe(self._heard_of_change)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        if not self.app.has_class("-narrow"):
            return shown
        # A narrow footer holds three keys: the welcome card's is named beside the new box.
        return {
            key: bound for key, bound in shown.items() if bound.binding.action != "welcome_card"
        }

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh_bindings()

    def _heard_of_change(self) -> None:
        """From the watch's thread: the page reloads on its own loop."""
        self.post_message(self.DirectoryChanged())

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.cancel()

    def on_management_screen_directory_changed(self, _changed: DirectoryChanged) -> None:
        self.refresh_boxes()

    def refresh_boxes(self) -> None:
        management, household_id = self._services.management, self._holder.household_id
        self.call_service(
            lambda: management.household_page(household_id, RECENT_ENTRIES),
            self._show,
            self._failed,
            group="list",
        )

    def _show(self, page: HouseholdPage) -> None:
        if page == self._shown and not self._highlight_created:
            return  # a change elsewhere in the directory: nothing to redraw here
        self._shown = page
        overview = page.overview
        self._show_undelivered(page.undelivered)
        self.query_one("#recent-activity", Label).update(
            "\n".join(activity_line(entry) for entry in page.recent)
        )
        first_show = self._overview is None
        self._overview = overview
        table = self.query_one("#boxes", BoxTable)
        table.show(box_rows(overview))
        left = overview.remaining_secondary
        remaining = ngettext(
            "{left} of {maximum} secondary addresses left",
            "{left} of {maximum} secondary addresses left",
            left,
        ).format(left=left, maximum=overview.max_secondary)
        refusal = overview.creation_refusal
        self.query_one("#remaining", Label).update(
            remaining if refusal is None else f"{remaining}. {refusal.message}"
        )
        create = self.query_one("#create", Button)
        create.disabled = refusal is not None
        if self._created is not None and self._highlight_created and self._created in table.rows:
            # Once: a later reload leaves the cursor where the holder has moved it since.
            # (A reload begun before the creation does not hold it yet: the next one will.)
            self._highlight_created = False
            table.move_cursor(row=table.get_row_index(self._created))
            note = self.query_one("#created-note", Label)
            ready = _(
                "{address} is ready. The holder and its user will both receive "
                "a confirmation e-mail."
            ).format(address=self._created)
            if self.check_action("welcome_card", ()):
                ready += " " + _("w: its welcome card, to print.")
            note.update(ready)
            note.display = True
            self.refresh_bindings()
            # The table is at the top of the page: scrolling the page to it, against a
            # layout the new lines below have not reached yet, hid the title some times.
            table.focus(scroll_visible=False)
        elif first_show:
            table.focus(scroll_visible=False)

    def _show_undelivered(self, recipients: tuple[str, ...]) -> None:
        label = self.query_one("#undelivered", Label)
        label.display = bool(recipients)
        if recipients:
            label.update(
                _("Confirmation e-mails could not be delivered to: {recipients}.").format(
                    recipients=", ".join(recipients)
                )
            )

    def _failed(self, error: MailwizardError) -> None:
        self._shown = None  # the next answer replaces the message, even if nothing changed
        self.query_one("#remaining", Label).update(error.message)

    @on(DataTable.RowSelected, "#boxes")
    def open_box(self, event: DataTable.RowSelected) -> None:
        box = None if self._overview is None else self._overview.box(str(event.row_key.value))
        if box is not None:
            screen = BoxScreen(self._holder, box, self._services)
            self.app.push_screen(screen, lambda _result: self.refresh_boxes())

    def action_activity(self) -> None:
        self.app.push_screen(ActivityScreen(self._services.management, self._holder.household_id))

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        if self._overview is None or self.query_one("#create", Button).disabled:
            return
        self.post_message(CreationAsked(self._holder))

    def box_created(
        self, address: str, first_name: str, activation: IssuedCode | None = None
    ) -> None:
        """The creation wizard ended with ``address`` created: shown highlighted, its
        welcome card offered (with its ``activation`` code, for a box awaiting it, shown
        here once)."""
        self._created = address
        self._highlight_created = True
        self._activation = activation
        self.refresh_boxes()
        if activation is not None:
            self.app.push_screen(ActivationCodeScreen(address, first_name, activation))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "welcome_card":
            # A kiosk's files are out of its user's reach, and its paths are never shown.
            shared = self.session.origin.kind in (OriginKind.KIOSK, OriginKind.WEB)
            return self._created is not None and not shared
        return True

    def action_welcome_card(self) -> None:
        if self._created is None:
            return
        setup, address, activation = self._services.client_setup, self._created, self._activation
        self.call_service(
            lambda: setup.save_welcome_card(address, activation),
            self._card_saved,
            self._failed,
            group="card",
        )

    def _card_saved(self, path: Path) -> None:
        self.query_one("#created-note", Label).update(
            _(
                "The welcome card of {address} is in {path}: open it in a browser to print it."
            ).format(address=self._created, path=path)
        )

    def action_strong_identification(self) -> None:
        """Enrols an authenticator, or, when one is enrolled, offers to turn it off."""
        access, holder, origin = self._services.access, self._holder, self.session.origin
        self.call_service(
            lambda: access.begin_enrolment(holder, origin), self._enrol, self._failed, group="enrol"
        )

    def _enrol(self, enrolment: Enrolment | None) -> None:
        access, holder = self._services.access, self._holder
        if enrolment is None:
            self.app.push_screen(DisableTotpScreen(access, holder))
        else:
            self.app.push_screen(EnrolmentScreen(access, holder, enrolment))

    @on(Button.Pressed, "#remembered-devices")
    def action_remembered_devices(self) -> None:
        self.app.push_screen(RememberedDevicesScreen(self._services.devices, self._holder))

    @on(Button.Pressed, "#sign-out")
    def action_sign_out(self) -> None:
        self.post_message(SignedOut())
