"""Asked before answers typed would be lost: going back out of the wizard, or quitting."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from mailwizard.i18n import N_, _
from mailwizard.tui.support import MailwizardModal


class LeaveWizardScreen(MailwizardModal[bool]):
    """Dismisses with True to leave; staying is the default, and Escape's answer."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", N_("Stay"))]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._question, classes="screen-title")
            yield Label(_("The answers typed so far will be forgotten."), classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Stay"), id="stay", variant="primary", compact=True)
                yield Button(_("Leave"), id="leave", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#leave")
    def _leave(self) -> None:
        self.dismiss(True)
