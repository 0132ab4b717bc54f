"""The first frame: shown while the directory opens in the background."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Button, Footer, Label, LoadingIndicator

from mailwizard.bootstrap import Services
from mailwizard.errors import MailwizardError
from mailwizard.i18n import _
from mailwizard.tui.support import MailwizardScreen

Opened = tuple[Services, bool]
KIOSK_RETRY_SECONDS = 15


class OpeningScreen(MailwizardScreen[None]):
    CSS_PATH = "opening.tcss"

    def __init__(self, open_services: Callable[[], Services]) -> None:
        super().__init__()
        self._open_services = open_services

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("mailwizard", classes="screen-title")
            yield Label(_("Opening the account directory…"), id="status")
            yield LoadingIndicator()
            yield Label("", id="problem", classes="field-error", markup=False)
            yield Button(_("Quit"), id="quit", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quit").display = False
        self.call_service(self._open, self._opened, self._unavailable, group="open")

    def _opened(self, opened: Opened) -> None:
        self.mailwizard.opened(*opened)

    def _open(self) -> Opened:
        services = self._open_services()
        return services, services.households.first_run()

    def _unavailable(self, error: MailwizardError) -> None:
        if self.mailwizard.kiosk is not None:
            # A passer-by can do nothing about it, and may not see paths: try again.
            self.query_one("#problem", Label).update(
                _("This terminal cannot reach the account directory. Please try again later.")
            )
            self.set_timer(KIOSK_RETRY_SECONDS, self.on_mount)
            return
        self.query_one(LoadingIndicator).display = False
        self.query_one("#problem", Label).update(error.message)
        quit_button = self.query_one("#quit", Button)
        quit_button.display = True
        quit_button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.app.exit()
