"""Keys dealt with one after the other, in the order they came.

Textual hands each key to the widget focused when the key arrives, but a key the widget
leaves to a binding (Tab, Backspace, Space on a radio button) is acted on only once it
has bubbled back up to the app. Keys that came right behind it in one burst — a paste,
the web kiosk sending "Dupont<Tab>Jean" — had gone to the old widget by then: both names
ended up in the last-name field. Here a key goes to a widget only once the key before
it has been dealt with: a message sent behind it to the same widget has come back up to
the app, twice for a key left to a binding, whose action may post a message of its own
(Enter submits a field, whose screen then moves the focus).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Final

from textual import events
from textual.app import App
from textual.message import Message
from textual.widget import Widget

SILENT_KEY_SECONDS: Final = 1.0
"""A key sent to a widget that went away (a dialog closing on it) never comes back:
the keys behind it wait no longer than this."""


class KeyDealtWith(Message):
    """Follows a key through the widgets it visits, ``rounds`` times."""

    def __init__(self, target: Widget, rounds: int) -> None:
        super().__init__()
        self.target = target
        self.rounds = rounds


class KeysInOrderApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self._keys_waiting: deque[events.Key] = deque()
        self._key_sent_at: float | None = None
        """When the key under way was given to its widget; None once it is dealt with."""

    @property
    def keys_under_way(self) -> bool:
        """True while keys that came are not all dealt with."""
        key_under_way = self._key_sent_at is not None and not self._key_went_silent()
        return key_under_way or bool(self._keys_waiting)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
        elif self._key_sent_at is None or self._key_went_silent():
            await self._send(event)
        else:
            if not self._keys_waiting:
                self.set_timer(SILENT_KEY_SECONDS, self._send_waiting_keys)
            self._keys_waiting.append(event)

    def _key_went_silent(self) -> bool:
        return (
            self._key_sent_at is not None
            and time.monotonic() - self._key_sent_at >= SILENT_KEY_SECONDS
        )

    async def _send(self, key: events.Key) -> None:
        await super().on_event(key)
        # Not forwarded: a priority binding took the key at once.
        if not key.is_forwarded:
            return
        target = self.focused or self.screen
        if target.post_message(KeyDealtWith(target, 1 if key.is_printable else 2)):
            self._key_sent_at = time.monotonic()

    async def on_key_dealt_with(self, message: KeyDealtWith) -> None:
        rounds = message.rounds - 1
        if rounds and message.target.post_message(KeyDealtWith(message.target, rounds)):
            return
        self._key_sent_at = None
        await self._send_waiting_keys()

    async def _send_waiting_keys(self) -> None:
        if self._key_went_silent():
            self._key_sent_at = None
        while self._keys_waiting and self._key_sent_at is None:
            await self._send(self._keys_waiting.popleft())
