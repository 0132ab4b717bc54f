"""What the services need to count wrong guesses and lock them out, shared by every
process: the attempts, the waits and the locks a throttle answers with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

KeyT_contra = TypeVar("KeyT_contra", contravariant=True)


@dataclass(frozen=True)
class Attempt:
    """A try let through to the verification of its secret (``Throttle.reserve``)."""


@dataclass(frozen=True)
class Wait:
    """As many tries as failures may still be made are being verified right now: this
    one waits for their outcome rather than be verified beside them."""


@dataclass(frozen=True)
class Lock:
    """Too many failures in a row: nothing is verified until ``until``."""

    until: datetime


class Throttle(Protocol[KeyT_contra]):
    """Failures in a row per key, kept in the directory so a restart forgets nothing.

    A try is counted *before* its secret is verified, in the transaction that reads the
    count: the failures so far and the tries being verified never add up to more than
    ``max_failures``, so that tries made at the same moment by several processes cannot
    verify more secrets than that between two locks, whether they are right or wrong."""

    def locked_until(self, key: KeyT_contra, now: datetime) -> datetime | None:
        """The end of the key's lock, if it is locked at ``now``."""
        ...

    def reserve(self, key: KeyT_contra, now: datetime, max_failures: int) -> Attempt | Wait | Lock:
        """Lets one more try through to its verification, makes it wait, or refuses it
        while the key is locked."""
        ...

    def failed(
        self, key: KeyT_contra, now: datetime, max_failures: int, lock: timedelta
    ) -> datetime | None:
        """Records a reserved try's failure; the one that reaches ``max_failures`` locks
        the key: the end of that lock."""
        ...

    def succeeded(self, key: KeyT_contra, now: datetime) -> None:
        """Records a reserved try's success: the count starts again, unless the key was
        locked meanwhile."""
        ...


class SignInThrottle(Throttle[str], Protocol):
    """Failed sign-ins per address as typed (normalised), whether a box has it or not."""


class CodeThrottle(Throttle[int], Protocol):
    """Wrong authenticator codes per household."""
