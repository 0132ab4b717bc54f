"""What the dialogs opened on one box share: the box, who acts on it, going back, and
a refusal shown under its field (or under the form when it names none)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType

from mailwizard.i18n import N_
from mailwizard.services.management import ManagementService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardModal

DialogResultT = TypeVar("DialogResultT")


class BoxDialog(MailwizardModal[DialogResultT]):
    """Dismisses with None when the user goes back. Subclasses compose an ErrorLine with
    the id ``dialog-error`` (their ``REFUSAL_LINE``) and a Button ``close`` that reads
    Back."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Back"))]

    def __init__(self, management: ManagementService, account: SignedIn, box: str) -> None:
        super().__init__()
        self.management = management
        self.account = account
        self.box = box
