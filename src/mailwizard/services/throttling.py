"""Waiting for the tries already being verified, before verifying one more."""

from __future__ import annotations

import time
from typing import TypeVar

from mailwizard.clock import Clock
from mailwizard.services.throttle_ports import Attempt, Lock, Throttle, Wait

Key = TypeVar("Key", str, int)

PATIENCE_SECONDS = 10.0
"""Many verifications' time: tries waiting longer than that give up."""
POLL_SECONDS = 0.02


def reserve_patiently(
    throttle: Throttle[Key], key: Key, clock: Clock, max_failures: int
) -> Attempt | Wait | Lock:
    """A try let through, the key's lock, or ``Wait`` when tries kept being verified for
    longer than ``PATIENCE_SECONDS``: right ones made at the same moment take turns."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        outcome = throttle.reserve(key, clock(), max_failures)
        if not isinstance(outcome, Wait) or time.monotonic() > deadline:
            return outcome
        time.sleep(POLL_SECONDS)
