"""What the dialogs opened on one box share: the box, who acts on it, going back, and
a refusal shown under its field (or under the form when it names none)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Button, Label

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_
from mailwizard.services.management import ManagementService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardModal, show_beside_field

DialogResultT = TypeVar("DialogResultT")


class BoxDialog(MailwizardModal[DialogResultT | None]):
    """Dismisses with None when the user goes back. Subclasses compose a Label with the
    id ``dialog-error`` and a Button ``cancel``."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Back"))]

    def __init__(self, management: ManagementService, account: SignedIn, box: str) -> None:
        super().__init__()
        self.management = management
        self.account = account
        self.box = box

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def refused(self, error: MailwizardError) -> None:
        general = self.query_one("#dialog-error", Label)
        general.display = not show_beside_field(self, error)
        general.update(error.message)
