"""Kiosk mode: a shared screen that no one can leave and that forgets everyone.

No key ends the program or leaves a file behind: only SIGTERM, or the administrator's
keys followed by the PIN from the settings. After ``idle_seconds`` without a key or a
click — or 30 seconds after a box was created — everything is wiped and the welcome
screen comes back; the last 15 seconds are counted down on the screen.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from mailwizard.tui.app import MailwizardApp

COUNTDOWN_SECONDS: Final = 15
AFTER_CREATION_SECONDS: Final = 30
ADMIN_KEY: Final = "ctrl+x"
ADMIN_PRESSES: Final = 3
ADMIN_WINDOW_SECONDS: Final = 2.0
ADMIN_LOCK_SECONDS: Final = 60.0
"""After a wrong PIN the administrator's keys do nothing for this long."""

ESCAPE_KEYS: Final = (
    "ctrl+c",
    "ctrl+q",
    "ctrl+z",
    "ctrl+backslash",
    "ctrl+p",
    "ctrl+s",
    *(f"f{number}" for number in range(1, 25)),
)
"""Keys that quit, suspend, open the command palette, or save a screenshot elsewhere."""

SIGNALS_IGNORED: Final = (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGHUP)

Clock = Callable[[], float]


class KioskSupervisor:
    """Watches for activity; resets the session when it stops."""

    def __init__(self, app: MailwizardApp, idle_seconds: int, clock: Clock = time.monotonic):
        self._app = app
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._last_activity = clock()
        self._reset_at_latest: float | None = None
        self._admin_presses: list[float] = []
        self._admin_locked_until = 0.0
        self._previous_handlers: dict[int, object] = {}

    def ignore_signals(self) -> None:
        """Ctrl+C and friends reach the program as keys; these are the signals someone
        could still send. SIGTERM stays: it is how a service manager stops the kiosk."""
        if threading.current_thread() is not threading.main_thread():
            return
        for number in SIGNALS_IGNORED:
            self._previous_handlers[number] = signal.signal(number, signal.SIG_IGN)

    def restore_signals(self) -> None:
        for number, handler in self._previous_handlers.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._previous_handlers.clear()

    def note_activity(self) -> None:
        if self._reset_at_latest is not None:
            return
        self._last_activity = self._clock()
        self._app.hide_countdown()

    def session_completed(self) -> None:
        """A box was created: the screen goes back to the start soon, whatever happens."""
        self._reset_at_latest = self._clock() + AFTER_CREATION_SECONDS

    def seconds_left(self) -> float:
        deadline = self._last_activity + self._idle_seconds
        if self._reset_at_latest is not None:
            deadline = min(deadline, self._reset_at_latest)
        return deadline - self._clock()

    def tick(self) -> None:
        left = self.seconds_left()
        if left <= 0:
            self._last_activity = self._clock()
            self._reset_at_latest = None
            self._app.reset_session()
        elif left <= COUNTDOWN_SECONDS:
            self._app.show_countdown(int(left + 0.999), self._reset_at_latest is not None)

    def admin_key_pressed(self) -> bool:
        """True when this press completes the administrator's sequence."""
        now = self._clock()
        if now < self._admin_locked_until:
            return False
        recent = [t for t in self._admin_presses if now - t <= ADMIN_WINDOW_SECONDS]
        self._admin_presses = [*recent, now]
        if len(self._admin_presses) < ADMIN_PRESSES:
            return False
        self._admin_presses.clear()
        return True

    def wrong_pin(self) -> None:
        self._admin_locked_until = self._clock() + ADMIN_LOCK_SECONDS
