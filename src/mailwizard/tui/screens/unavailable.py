"""Shown instead of the sign-in form when the account directory cannot be opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label

from mailwizard.i18n import _
from mailwizard.tui.messages import DirectoryRetry
from mailwizard.tui.support import MailwizardScreen

KIOSK_RETRY_SECONDS = 15


class UnavailableScreen(MailwizardScreen[None]):
    CSS_PATH = "unavailable.tcss"
    DEFAULT_CLASSES = "centred-screen"

    def __init__(self, problem: str, *, kiosk: bool) -> None:
        super().__init__()
        self._problem = problem
        self._kiosk = kiosk

    def compose(self) -> ComposeResult:
        with Vertical(id="unavailable-box", classes="centred-box"):
            yield Label(_("The account directory cannot be opened"), classes="screen-title")
            yield Label(self._problem, id="problem", classes="field-error", markup=False)
            with Horizontal(classes="centred-buttons"):
                yield Button(_("Quit"), id="quit", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        if self._kiosk:
            # A passer-by can do nothing about it, and may not see paths: try again.
            self.query_one("#quit").display = False
            self.set_interval(KIOSK_RETRY_SECONDS, lambda: self.post_message(DirectoryRetry()))
        else:
            self.query_one("#quit").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.app.exit()
