"""The household's audit log, from the management page: who did what, when, from where."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label

from mailwizard.domain.audit import shown_line
from mailwizard.domain.models import AuditEntry
from mailwizard.i18n import N_, _
from mailwizard.services.management import ManagementService
from mailwizard.tui.support import MailwizardModal

SHOWN_ENTRIES = 200
"""The newest ones; ``mailwizard audit`` gives them all."""


class ActivityScreen(MailwizardModal[None]):
    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, management: ManagementService, household_id: int) -> None:
        super().__init__()
        self._management = management
        self._household_id = household_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Activity"), classes="screen-title")
            yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("When"), _("What"), _("Who"), _("From where"))
        management, household_id = self._management, self._household_id
        self.call_service(
            lambda: management.audit_log(household_id, SHOWN_ENTRIES),
            self._show,
            group="audit",
        )

    def _show(self, entries: list[AuditEntry]) -> None:
        table = self.query_one(DataTable)
        for entry in entries:
            what, actor, origin = shown_line(entry)
            table.add_row(
                Text(entry.at.astimezone().strftime("%Y-%m-%d %H:%M")),
                Text(what),
                Text(actor),
                Text(origin),
            )
        table.focus()
