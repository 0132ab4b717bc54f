"""The application: shows the sign-in form at once, opens the directory behind it,
then routes between screens.

First run (no household yet) -> sign-in -> management page -> the creation wizard.
In kiosk mode (``KioskApp``) no key leaves it and idle sessions are forgotten.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import ActiveBinding, Binding, BindingType
from textual.screen import Screen

from mailwizard import i18n
from mailwizard.domain.access import Origin, origin_of
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.logs import log_unexpected_error, unexpected_error_notice
from mailwizard.startup import StartupSettings
from mailwizard.tui.key_order import KeysInOrderApp
from mailwizard.tui.kiosk import ADMIN_KEY, ESCAPE_KEYS, Clock, KioskSupervisor
from mailwizard.tui.messages import (
    CreationAsked,
    DirectoryRetry,
    HouseholdFounded,
    SignedIn,
    SignedOut,
)
from mailwizard.tui.screens.sign_in import SignInScreen, SignInServices
from mailwizard.tui.support import MailwizardScreen, UnexpectedError, translated
from mailwizard.tui.themes import HIGH_CONTRAST, THEMES

# Every import inside a function of this module is there for start-up time: loading the
# later screens, the services, the composition root and the models they use takes longer
# than drawing the first screen, so each comes where it is first used, after it.
if TYPE_CHECKING:
    from mailwizard.bootstrap import Services
    from mailwizard.config import Settings
    from mailwizard.services.provisioning import CreatedMailbox
    from mailwizard.services.signin import SignedIn as Account
    from mailwizard.tui.collector import IdleCollector
    from mailwizard.tui.flow import CreationFlow
    from mailwizard.tui.screens.kiosk_dialogs import CountdownScreen
    from mailwizard.tui.screens.management import ManagementScreen

OpenServices = Callable[[], "Services"]


TUI_FOLDER = Path(__file__).parent
WARM_UP_DELAY_SECONDS = 0.5
COLLECTOR_TICK_SECONDS = 0.5
NARROW_BELOW_COLUMNS = 72
"""A terminal narrower than this gets the app's ``-narrow`` class: the stylesheets then
stack what would not fit side by side (titles, the management page's buttons)."""


class MailwizardApp(KeysInOrderApp):
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
        startup: StartupSettings,
        origin: Origin,
        kiosk_clock: Clock = time.monotonic,
    ) -> None:
        """``kiosk_clock`` is what a kiosk measures idle time with."""
        super().__init__()
        self._open_services = open_services
        self.startup = startup
        self.language = startup.language or i18n.language_from_environment()
        self.origin = origin
        """Where this session runs: the console, over SSH from an address, a kiosk."""
        self.services: Services | None = None
        """None until the directory is open, a moment after the first screen shows."""
        self.active_flow: CreationFlow | None = None
        """The wizard under way, whose answers a kiosk wipes when it resets."""
        self._household_page: ManagementScreen | None = None
        self._configured_theme = THEMES[startup.theme]
        self.kiosk = (
            KioskSupervisor(self, startup.kiosk_idle_seconds, kiosk_clock)
            if startup.kiosk
            else None
        )
        self._countdown: CountdownScreen | None = None
        self.collector: IdleCollector | None = None
        """Set once the warm-up has run: before, CPython's own schedule is kept."""

    @property
    def audit_origin(self) -> str:
        """What the audit log records as "from where" for this session."""
        return self.origin.in_the_terminal

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    def get_default_screen(self) -> Screen[None]:
        # The form itself rather than a blank screen with the form pushed over it: the
        # first frame is laid out once instead of three times.
        return SignInScreen()

    def _show(self, screen: Screen[None]) -> None:
        """Puts ``screen`` in place of the current top-level screen.

        Textual cannot switch away from the first screen of its stack, so the first
        sign-in form stays under the others (it forgets its password when left)."""
        if len(self.screen_stack) == 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW_COLUMNS, "-narrow")

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = self._configured_theme
        if self.kiosk is not None:
            self.kiosk.ignore_signals()
        # Opening the directory imports the database libraries, which would hold the
        # interpreter while the first frame is drawn: only after it.
        self.call_after_refresh(self.open_directory)

    def open_directory(self) -> None:
        self.run_worker(self._open_in_background, thread=True, group="open", exclusive=True)

    def _open_in_background(self) -> None:
        try:
            services = self._open_services()
            first_run = services.households.first_run()
        except MailwizardError as error:
            self.call_from_thread(self._unavailable, error.message)
        except Exception as error:
            log = log_unexpected_error("unexpected error opening the directory", error)
            self.call_from_thread(self._unavailable, unexpected_error_notice(log))
        else:
            self.call_from_thread(self.opened, services, first_run)

    def _unavailable(self, problem: str) -> None:
        from mailwizard.tui.screens.unavailable import UnavailableScreen

        if self.kiosk is not None:
            problem = _("This terminal cannot reach the account directory. Please try again later.")
        if isinstance(self.screen, UnavailableScreen):
            return
        self._show(UnavailableScreen(problem, kiosk=self.kiosk is not None))

    def on_directory_retry(self, _message: DirectoryRetry) -> None:
        self.open_directory()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
        ):
            if self.collector is not None:
                self.collector.note_activity()
            if self.kiosk is not None:
                self.kiosk.note_activity()
        await super().on_event(event)

    def _warm_up(self) -> None:
        from mailwizard.tui.collector import IdleCollector
        from mailwizard.tui.warm_up import warm_up

        self.run_worker(warm_up, thread=True, group="warm-up")
        self.collector = IdleCollector()
        self.collector.start()
        self.set_interval(COLLECTOR_TICK_SECONDS, self.collector.tick)

    def action_help_quit(self) -> None:
        """Ctrl+C copies in a field: Textual then says how to quit, in the reader's language
        (a kiosk binds Ctrl+C to nothing and never gets here)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                shown = "+".join(part.upper() if len(part) == 1 else part.capitalize()
                                 for part in key.split("+"))  # fmt: skip
                self.notify(
                    _("Press {key} to quit.").format(key=shown), title=_("Do you want to quit?")
                )
                return

    async def action_quit(self) -> None:
        """Answers typed in a wizard are not thrown away without asking."""
        from mailwizard.tui.screens.leave_wizard import LeaveWizardScreen

        if isinstance(self.screen, LeaveWizardScreen):
            return
        if not any(
            isinstance(screen, MailwizardScreen) and screen.holds_answers()
            for screen in self.screen_stack
        ):
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.push_screen(LeaveWizardScreen(_("Quit mailwizard?")), answered)

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
        self.set_timer(WARM_UP_DELAY_SECONDS, self._warm_up)
        if self.kiosk is not None:
            self.set_interval(1, self.kiosk.tick)
        # A passer-by must not found a household on a kiosk: "mailwizard init" does.
        if first_run and self.kiosk is None:
            from mailwizard.tui.screens.first_run import FirstRunScreen

            self._show(FirstRunScreen(services.households, services.provisioning))
        elif isinstance(self.screen, SignInScreen):
            self.screen.directory_opened(self._sign_in_services())
        else:
            self.show_sign_in()

    def _opened(self) -> Services:
        assert self.services is not None, "a screen that needs the directory came before it"
        return self.services

    def _sign_in_services(self) -> SignInServices:
        services = self._opened()
        days = services.settings.remember_device_days
        return SignInServices(services.devices, days, services.activation)

    def show_sign_in(self, address: str = "") -> None:
        self._household_page = None
        self._show(SignInScreen(address, self._sign_in_services()))

    def on_household_founded(self, message: HouseholdFounded) -> None:
        self.show_sign_in(message.primary_address)

    def on_signed_out(self, _message: SignedOut) -> None:
        self.show_sign_in()

    def on_signed_in(self, message: SignedIn) -> None:
        from mailwizard.domain.models import Role

        if message.account.role is Role.PRIMARY:
            self._show_household(message.account)
        else:
            self._show_own_box(message.account)

    def _show_household(self, holder: Account) -> None:
        from mailwizard.tui.screens.management import ManagementScreen, ManagementServices

        services = self._opened()
        self._household_page = ManagementScreen(
            holder,
            ManagementServices(
                households=services.households,
                management=services.management,
                provisioning=services.provisioning,
                activation=services.activation,
                keep_deleted_days=services.settings.keep_deleted_days,
                access=services.access,
                devices=services.devices,
                client_setup=services.client_setup,
                watch=services.watch,
            ),
        )
        self._show(self._household_page)

    def _show_own_box(self, account: Account) -> None:
        """A secondary box's user: their own box only."""
        from mailwizard.tui.screens.own_box import OwnBoxScreen

        services = self._opened()
        self._show(OwnBoxScreen(account, services.management, services.provisioning))

    def on_creation_asked(self, message: CreationAsked) -> None:
        from mailwizard.tui.flow import CreationFlow
        from mailwizard.tui.steps import WizardContext, numbered_steps

        services = self._opened()
        context = WizardContext(
            services.provisioning,
            services.management,
            self.origin,
            message.holder,
            self.language,
            numbered_steps(services.access.at_home(self.origin)),
        )
        self.active_flow = CreationFlow(self, context, self._creation_ended)
        self.active_flow.start()

    def _creation_ended(self, created: CreatedMailbox | None) -> None:
        self.active_flow = None
        if created is None:
            return
        if self.kiosk is not None:
            self.kiosk.session_completed()
        if self._household_page is not None:
            self._household_page.box_created(
                created.address, created.first_name, created.activation
            )

    def on_unexpected_error(self, message: UnexpectedError) -> None:
        self.show_unexpected_error(message.log_path)

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
        if self.collector is not None:
            self.collector.stop()
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

        pin = self.startup.kiosk_admin_pin
        if self.kiosk is None or pin is None:
            return
        if not self.kiosk.admin_key_pressed():
            return
        kiosk = self.kiosk

        def checked(right: bool | None) -> None:
            if right:
                self.exit()
            else:
                kiosk.wrong_pin()

        self.push_screen(AdminPinScreen(pin), checked)


def build_app(
    settings: Settings,
    services: Services | None = None,
    origin: Origin | None = None,
    kiosk_clock: Clock = time.monotonic,
) -> MailwizardApp:
    """The app on settings already loaded, for the tests and the screenshots; on
    ``services`` already open, when given.

    ``origin`` defaults to what the environment says (``SSH_CONNECTION``); a kiosk
    measures idle time with ``kiosk_clock``."""
    startup = StartupSettings.of(settings)
    if services is None:
        return command_line_app(startup, lambda: settings, origin, kiosk_clock)
    return wizard_app(startup, lambda: services, origin, kiosk_clock)


def wizard_app(
    startup: StartupSettings,
    open_services: OpenServices,
    origin: Origin | None = None,
    kiosk_clock: Clock = time.monotonic,
) -> MailwizardApp:
    i18n.set_language(startup.language or i18n.language_from_environment())
    where = origin or origin_of(os.environ, kiosk=startup.kiosk)
    app_class = KioskApp if startup.kiosk else MailwizardApp
    return app_class(open_services, startup, where, kiosk_clock)


def command_line_app(
    startup: StartupSettings,
    load_settings: Callable[[], Settings],
    origin: Origin | None = None,
    kiosk_clock: Clock = time.monotonic,
) -> MailwizardApp:
    """The wizard ``mailwizard`` opens: on screen at once, the full settings loaded
    behind it."""

    def open_services() -> Services:
        from mailwizard.bootstrap import bootstrap

        return bootstrap(load_settings(), create_directory=True)

    return wizard_app(startup, open_services, origin, kiosk_clock)
