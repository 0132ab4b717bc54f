"""The garbage collector's full passes, moved to moments when nobody is typing.

A full pass walks every container object the program keeps alive, and frees the
screens that were left; CPython starts one whenever enough objects have outlived two
young collections, which during the wizard meant 50–100 ms without an answer to a
key, mostly on the password step. While the app runs, automatic full passes are off
(the young generations are still collected as usual) and the app runs one itself
after ``IDLE_SECONDS`` without a key or a click, or, should nobody ever stop typing,
after ``YOUNG_COLLECTIONS_LIMIT`` young collections.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Final

IDLE_SECONDS: Final = 2.0
YOUNG_COLLECTIONS_LIMIT: Final = 200
"""Generation-1 passes since the last full one after which the full one runs anyway."""
NEVER: Final = 2**31 - 1

Clock = Callable[[], float]


class IdleCollector:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._last_activity = clock()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        young, middle, _full = self._thresholds = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        """Gives the collector back its own schedule."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def note_activity(self) -> None:
        self._last_activity = self._clock()

    def tick(self) -> None:
        """Runs the full pass if it is due and nobody is using the program."""
        young_collections = gc.get_count()[2]
        if young_collections == 0:
            return
        idle = self._clock() - self._last_activity >= IDLE_SECONDS
        if idle or young_collections >= YOUNG_COLLECTIONS_LIMIT:
            gc.collect()
