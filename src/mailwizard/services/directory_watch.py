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

LISTEN_SECONDS: Final = 0.5
"""How long one wait on the feed lasts: a cancelled subscription ends within it."""


class ChangeFeed(Protocol):
    """A connection kept to hear of what other connections commit to the directory."""

    def wait_for_change(self, timeout: float) -> bool:
        """Blocks at most ``timeout`` seconds; True when a change was committed since the
        previous call (or since the feed opened)."""
        ...

    def close(self) -> None: ...


class Subscription:
    """Calls ``on_change`` after each change, from its own thread, until cancelled."""

    def __init__(self, open_feed: Callable[[], ChangeFeed], on_change: Callable[[], None]):
        self._open_feed = open_feed
        self._on_change = on_change
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="directory-watch", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Returns at once; the thread closes its connection within ``LISTEN_SECONDS``."""
        self._cancelled.set()

    def join(self) -> None:
        self._thread.join()

    @property
    def active(self) -> bool:
        return self._thread.is_alive()

    def _listen(self) -> None:
        feed: ChangeFeed | None = None
        try:
            while not self._cancelled.is_set():
                try:
                    if feed is None:
                        feed = self._open_feed()
                    changed = feed.wait_for_change(LISTEN_SECONDS)
                except MailwizardError:
                    # The directory is away: the page shows that when it next loads; the
                    # feed is opened again once the directory answers.
                    if feed is not None:
                        feed.close()
                        feed = None
                    self._cancelled.wait(LISTEN_SECONDS)
                    continue
                if changed and not self._cancelled.is_set():
                    self._on_change()
        except Exception as error:
            log_unexpected_error("watching the directory for changes", error)
        finally:
            if feed is not None:
                feed.close()


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
