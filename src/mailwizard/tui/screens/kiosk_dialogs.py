"""The kiosk's two dialogs: the countdown before everything is forgotten, and the
administrator's PIN."""

from __future__ import annotations

import hmac

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from mailwizard.i18n import _
from mailwizard.tui.support import MailwizardModal


class CountdownScreen(MailwizardModal[None]):
    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"

    def __init__(self, seconds: int, after_creation: bool) -> None:
        super().__init__()
        self._seconds = seconds
        self._after_creation = after_creation

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Are you still there?"), classes="screen-title")
            yield Label("", id="countdown", classes="hint")

    def on_mount(self) -> None:
        self.show_seconds(self._seconds)

    def show_seconds(self, seconds: int) -> None:
        if self._after_creation:
            text = _("Done. This screen goes back to the start in {seconds} s, and forgets "
                     "everything that was typed.")  # fmt: skip
        else:
            text = _("In {seconds} s this screen goes back to the start and forgets everything "
                     "that was typed. Press any key to stay.")  # fmt: skip
        self.query_one("#countdown", Label).update(text.format(seconds=seconds))


class AdminPinScreen(MailwizardModal[bool]):
    """Dismisses with True when the PIN is right."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"

    def __init__(self, pin: str) -> None:
        super().__init__()
        self._pin = pin

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Administrator"), classes="screen-title")
            yield Input(password=True, placeholder=_("PIN"), id="pin", compact=True)

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def check(self, event: Input.Submitted) -> None:
        self.dismiss(hmac.compare_digest(event.value.encode(), self._pin.encode()))
