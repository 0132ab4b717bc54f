"""Learning that the directory changed, for a page that shows it while other terminals and
the command line change it.

Each subscription listens on a connection of its own, in a thread of its own: the page
that subscribes never waits on the database, and hears nothing while nothing changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Final, Protocol

from mailwizard.errors import MailwizardError
from mailwizard.logs import log_unexpected_error

RETRY_SECONDS: Final = 2.0
"""How long a subscription waits before opening its feed again after losing the directory."""


class ChangeFeed(Protocol):
    """A connection kept to hear of what other connections commit to the directory."""

    def wait_for_change(self) -> bool:
        """Blocks until a change is committed (True; the first since the feed opened or
        the previous call) or until ``interrupt`` (False)."""
        ...

    def interrupt(self) -> None:
        """From another thread: ends the current wait, and every later one, at once."""
        ...

    def close(self) -> None: ...


class Subscription:
    """Calls ``on_change`` after each change, from its own thread, until cancelled."""

    def __init__(self, open_feed: Callable[[], ChangeFeed], on_change: Callable[[], None]):
        self._open_feed = open_feed
        self._on_change = on_change
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._feed: ChangeFeed | None = None
        self._thread = threading.Thread(target=self._listen, name="directory-watch", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Returns at once; the thread closes its connection right after."""
        with self._lock:
            self._cancelled.set()
            if self._feed is not None:
                self._feed.interrupt()

    def join(self) -> None:
        self._thread.join()

    @property
    def active(self) -> bool:
        return self._thread.is_alive()

    def _opened(self) -> ChangeFeed | None:
        """The feed, opened if need be; None once cancelled."""
        if self._feed is None:
            feed = self._open_feed()  # outside the lock: cancelling never waits on it
            with self._lock:
                self._feed = feed
                if self._cancelled.is_set():
                    feed.interrupt()
        return None if self._cancelled.is_set() else self._feed

    def _forget_feed(self) -> None:
        with self._lock:
            feed, self._feed = self._feed, None
        if feed is not None:
            feed.close()

    def _listen(self) -> None:
        try:
            while not self._cancelled.is_set():
                try:
                    feed = self._opened()
                    changed = feed is not None and feed.wait_for_change()
                    if changed and not self._cancelled.is_set():
                        self._on_change()
                except MailwizardError:
                    # The directory is away: the page says so when it next loads;
                    # listening starts again once the directory answers.
                    self._forget_feed()
                    self._cancelled.wait(RETRY_SECONDS)
        except Exception as error:
            log_unexpected_error("watching the directory for changes", error)
        finally:
            self._forget_feed()


class DirectoryWatch:
    def __init__(self, open_feed: Callable[[], ChangeFeed]) -> None:
        self._open_feed = open_feed
        self._subscriptions: list[Subscription] = []

    def subscribe(self, on_change: Callable[[], None]) -> Subscription:
        """``on_change`` is called from another thread: hand the news to the UI's loop."""
        self._subscriptions = [s for s in self._subscriptions if s.active]
        subscription = Subscription(self._open_feed, on_change)
        self._subscriptions.append(subscription)
        return subscription

    def close(self) -> None:
        """Ends every subscription and waits for their connections to close."""
        for subscription in self._subscriptions:
            subscription.cancel()
        for subscription in self._subscriptions:
            subscription.join()
        self._subscriptions.clear()
