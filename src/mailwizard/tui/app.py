"""The application: opens the directory in the background, then routes between screens.

First run (no household yet) -> sign-in -> management page -> the creation wizard.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.binding import ActiveBinding, Binding

from mailwizard import i18n
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, origin_of
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_
from mailwizard.logs import log_unexpected_error
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import translated

OpenServices = Callable[[], Services]


class MailwizardApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "mailwizard"
    BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, open_services: OpenServices, language: str, origin: Origin) -> None:
        super().__init__()
        self._open_services = open_services
        self.language = language
        self.origin = origin
        """Where this session runs: the console, over SSH from an address, a kiosk."""
        self.services: Services | None = None

    @property
    def audit_origin(self) -> str:
        """What the audit log records as "from where" for this session."""
        return f"terminal, {self.origin}"

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    def on_mount(self) -> None:
        from mailwizard.tui.screens.opening import OpeningScreen

        self.push_screen(OpeningScreen(self._open_services))

    def opened(self, services: Services, first_run: bool) -> None:
        self.services = services
        if first_run:
            from mailwizard.tui.screens.first_run import FirstRunScreen

            self.switch_screen(FirstRunScreen(self.services))
            return
        self.show_sign_in()

    def show_sign_in(self, address: str = "") -> None:
        from mailwizard.tui.screens.sign_in import SignInScreen

        assert self.services is not None
        self.switch_screen(SignInScreen(self.services, address))

    def show_management(self, holder: SignedIn, created: str | None = None) -> None:
        from mailwizard.tui.screens.management import ManagementScreen

        assert self.services is not None
        self.switch_screen(ManagementScreen(self.services, holder, created))

    def show_own_box(self, account: SignedIn) -> None:
        """A secondary box's user: their own box only."""
        from mailwizard.tui.screens.own_box import OwnBoxScreen

        assert self.services is not None
        self.switch_screen(OwnBoxScreen(self.services, account))

    def show_unexpected_error(self, log_path: Path) -> None:
        from mailwizard.tui.screens.error import ErrorScreen

        self.push_screen(ErrorScreen(log_path))

    def _handle_exception(self, error: Exception) -> None:
        # Whatever escapes a handler is logged and shown on the error screen;
        # the screens keep their answers.
        if isinstance(error, MailwizardError):
            self.notify(error.message, severity="error", markup=False)
            return
        self.show_unexpected_error(log_unexpected_error("unexpected error in the UI", error))

    def on_unmount(self) -> None:
        if self.services is not None:
            self.services.close()


def build_app(
    settings: Settings, services: Services | None = None, origin: Origin | None = None
) -> MailwizardApp:
    """The app factory the command line, the tests and the screenshots share.

    ``origin`` defaults to what the environment says (``SSH_CONNECTION``)."""
    language = settings.language or i18n.language_from_environment()
    i18n.set_language(language)
    where = origin or origin_of(os.environ, kiosk=False)
    if services is None:

        def open_services() -> Services:
            return bootstrap(settings, create_directory=True)

        return MailwizardApp(open_services, language, where)
    return MailwizardApp(lambda: services, language, where)


def run_app(settings: Settings) -> None:
    build_app(settings).run()
