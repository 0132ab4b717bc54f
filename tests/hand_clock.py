"""A clock the tests move forward by hand: time travel, not sleeping."""

from __future__ import annotations

from datetime import datetime

from mailwizard.clock import utc_now


class HandClock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


class MovableClock:
    """A monotonic clock, in seconds, that the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
