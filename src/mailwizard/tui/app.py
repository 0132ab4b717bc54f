"""The application: opens the directory in the background, then routes between screens.

First run (no household yet) -> sign-in -> management page -> the creation wizard.
In kiosk mode (``KioskApp``) no key leaves it and idle sessions are forgotten.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import ActiveBinding, Binding, BindingType

from mailwizard import i18n
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, origin_of
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_
from mailwizard.logs import log_unexpected_error
from mailwizard.services.signin import SignedIn
from mailwizard.tui.kiosk import ADMIN_KEY, ESCAPE_KEYS, KioskSupervisor
from mailwizard.tui.support import translated
from mailwizard.tui.themes import HIGH_CONTRAST, THEMES

if TYPE_CHECKING:
    from mailwizard.tui.flow import CreationFlow
    from mailwizard.tui.screens.kiosk_dialogs import CountdownScreen

OpenServices = Callable[[], Services]


@dataclass(frozen=True)
class KioskOptions:
    idle_seconds: int
    admin_pin: str | None


TUI_FOLDER = Path(__file__).parent
WARM_UP_DELAY_SECONDS = 0.5


class MailwizardApp(App[None]):
    # Every screen's rules too: Textual reparses and reapplies the whole stylesheet the
    # first time a screen brings new rules, which held the event loop up to 80 ms.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        TUI_FOLDER / "app.tcss",
        *sorted((TUI_FOLDER / "screens").glob("*.tcss")),
    ]
    TITLE = "mailwizard"
    BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        open_services: OpenServices,
        language: str,
        origin: Origin,
        theme_name: str = "default",
        kiosk: KioskOptions | None = None,
    ) -> None:
        super().__init__()
        self._open_services = open_services
        self.language = language
        self.origin = origin
        """Where this session runs: the console, over SSH from an address, a kiosk."""
        self.services: Services | None = None
        self.active_flow: CreationFlow | None = None
        """The wizard under way, whose answers a kiosk wipes when it resets."""
        self._configured_theme = THEMES[theme_name]
        self.kiosk_options = kiosk
        self.kiosk = None if kiosk is None else KioskSupervisor(self, kiosk.idle_seconds)
        self._countdown: CountdownScreen | None = None

    @property
    def audit_origin(self) -> str:
        """What the audit log records as "from where" for this session."""
        return f"terminal, {self.origin}"

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    def on_mount(self) -> None:
        from mailwizard.tui.screens.opening import OpeningScreen

        self.register_theme(HIGH_CONTRAST)
        self.theme = self._configured_theme
        if self.kiosk is not None:
            self.kiosk.ignore_signals()
            self.set_interval(1, self.kiosk.tick)
        self.push_screen(OpeningScreen(self._open_services))

    async def on_event(self, event: events.Event) -> None:
        if self.kiosk is not None and isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
        ):
            self.kiosk.note_activity()
        await super().on_event(event)

    def _warm_up(self) -> None:
        from mailwizard.tui.warm_up import warm_up

        self.run_worker(warm_up, thread=True, group="warm-up")

    def action_toggle_contrast(self) -> None:
        self.theme = THEMES["default"] if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def show_countdown(self, seconds: int, after_creation: bool) -> None:
        from mailwizard.tui.screens.kiosk_dialogs import CountdownScreen

        if self._countdown is None or not self._countdown.is_attached:
            self._countdown = CountdownScreen(seconds, after_creation)
            self.push_screen(self._countdown)
        else:
            self._countdown.show_seconds(seconds)

    def hide_countdown(self) -> None:
        if self._countdown is not None and self._countdown.is_attached:
            self._countdown.dismiss(None)
        self._countdown = None

    def session_completed(self) -> None:
        if self.kiosk is not None:
            self.kiosk.session_completed()

    def reset_session(self) -> None:
        """Forgets the answers, both passwords and who signed in; back to the welcome."""
        if self.services is None:
            return
        if self.active_flow is not None:
            self.active_flow.state.forget()
            self.active_flow = None
        self._countdown = None
        self.clear_notifications()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.theme = self._configured_theme
        self.show_sign_in()

    def opened(self, services: Services, first_run: bool) -> None:
        self.services = services
        # Once the first screen is up, not while it is being drawn.
        self.set_timer(WARM_UP_DELAY_SECONDS, self._warm_up)
        # A passer-by must not found a household on a kiosk: "mailwizard init" does.
        if first_run and self.kiosk is None:
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

        # A kiosk's user is a passer-by: no file paths for them.
        self.push_screen(ErrorScreen(None if self.kiosk else log_path))

    def _handle_exception(self, error: Exception) -> None:
        # Whatever escapes a handler is logged and shown on the error screen;
        # the screens keep their answers.
        if isinstance(error, MailwizardError):
            self.notify(error.message, severity="error", markup=False)
            return
        self.show_unexpected_error(log_unexpected_error("unexpected error in the UI", error))

    def on_unmount(self) -> None:
        if self.kiosk is not None:
            self.kiosk.restore_signals()
        if self.services is not None:
            self.services.close()


class KioskApp(MailwizardApp):
    """Every key that would quit, suspend or write a file does nothing; the
    administrator's key, pressed three times quickly, asks for the PIN."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, "nothing", show=False, priority=True) for key in ESCAPE_KEYS),
        Binding(ADMIN_KEY, "administrator", show=False, priority=True),
    ]

    def action_nothing(self) -> None:
        """Swallows the key."""

    async def action_quit(self) -> None:
        """Nothing quits a kiosk but SIGTERM or the administrator."""

    def action_administrator(self) -> None:
        from mailwizard.tui.screens.kiosk_dialogs import AdminPinScreen

        options = self.kiosk_options
        if self.kiosk is None or options is None or options.admin_pin is None:
            return
        if not self.kiosk.admin_key_pressed():
            return
        kiosk = self.kiosk

        def checked(right: bool | None) -> None:
            if right:
                self.exit()
            else:
                kiosk.wrong_pin()

        self.push_screen(AdminPinScreen(options.admin_pin), checked)


def build_app(
    settings: Settings, services: Services | None = None, origin: Origin | None = None
) -> MailwizardApp:
    """The app factory the command line, the tests and the screenshots share.

    ``origin`` defaults to what the environment says (``SSH_CONNECTION``)."""
    language = settings.language or i18n.language_from_environment()
    i18n.set_language(language)
    where = origin or origin_of(os.environ, kiosk=settings.kiosk)
    if services is None:

        def open_services() -> Services:
            return bootstrap(settings, create_directory=True)

        opener: OpenServices = open_services
    else:
        opener = lambda: services  # noqa: E731 - the services the caller already opened
    if not settings.kiosk:
        return MailwizardApp(opener, language, where, settings.theme)
    pin = settings.kiosk_admin_pin
    options = KioskOptions(
        settings.kiosk_idle_seconds, None if pin is None else pin.get_secret_value()
    )
    return KioskApp(opener, language, where, settings.theme, options)


def run_app(settings: Settings) -> None:
    build_app(settings).run()
