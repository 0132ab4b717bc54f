"""Password hashes that Dovecot verifies: ``{ARGON2ID}`` + argon2-cffi's encoded hash.

Hashing takes tens of milliseconds on purpose; callers with an event loop run it in
a worker thread. argon2 is imported on first use so it never delays start-up.
"""

from __future__ import annotations

import base64
import secrets
from functools import cached_property
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import argon2

SCHEME_PREFIX: Final = "{ARGON2ID}"


class Argon2idHasher:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._time_cost = time_cost
        self._memory_kib = memory_kib
        self._parallelism = parallelism

    @cached_property
    def _hasher(self) -> argon2.PasswordHasher:
        import argon2

        return argon2.PasswordHasher(
            time_cost=self._time_cost,
            memory_cost=self._memory_kib,
            parallelism=self._parallelism,
            type=argon2.Type.ID,
        )

    @cached_property
    def _decoy_hash(self) -> str:
        """A hash of nothing at the configured cost, made without paying that cost."""

        def encoded(size: int) -> str:
            return base64.b64encode(secrets.token_bytes(size)).decode().rstrip("=")

        parameters = f"m={self._memory_kib},t={self._time_cost},p={self._parallelism}"
        return f"{SCHEME_PREFIX}$argon2id$v=19${parameters}${encoded(16)}${encoded(32)}"

    def hash(self, password: str) -> str:
        return SCHEME_PREFIX + self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        import argon2

        if not stored_hash.startswith(SCHEME_PREFIX):
            return False
        try:
            return self._hasher.verify(stored_hash.removeprefix(SCHEME_PREFIX), password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash.removeprefix(SCHEME_PREFIX))

    def spend_verification_time(self, password: str) -> None:
        self.verify(self._decoy_hash, password)
