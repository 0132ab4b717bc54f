"""Password hashes that Dovecot verifies: ``{ARGON2ID}`` + argon2-cffi's encoded hash.

Hashing takes tens of milliseconds on purpose; callers with an event loop run it in
a worker thread. argon2 is imported on first use so it never delays start-up.
"""

from __future__ import annotations

import base64
import secrets
from functools import cached_property
from typing import TYPE_CHECKING, Final

from mailwizard.domain.passwords import stable_form

if TYPE_CHECKING:
    import argon2

SCHEME_PREFIX: Final = "{ARGON2ID}"


class Argon2idHasher:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._time_cost = time_cost
        self._memory_kib = memory_kib
        self._parallelism = parallelism
        self._decoys: dict[str, str] = {}

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
    def _configured_parameters(self) -> str:
        return f"argon2id$v=19$m={self._memory_kib},t={self._time_cost},p={self._parallelism}"

    def _decoy_hash(self, parameters: str, salt_bytes: int, digest_bytes: int) -> str:
        """A hash of nothing with these parameters, made without paying their cost."""

        def encoded(size: int) -> str:
            return base64.b64encode(secrets.token_bytes(size)).decode().rstrip("=")

        key = f"{parameters}/{salt_bytes}/{digest_bytes}"
        if key not in self._decoys:
            decoy = f"{SCHEME_PREFIX}${parameters}${encoded(salt_bytes)}${encoded(digest_bytes)}"
            self._decoys[key] = decoy
        return self._decoys[key]

    def _decoy_like(self, stored_hash: str | None) -> str:
        """A decoy at the parameters of ``stored_hash`` (type, memory, passes, lanes,
        lengths; the version costs nothing), or at the configured ones when it is not an
        argon2 hash."""
        import argon2

        if stored_hash is not None and stored_hash.startswith(SCHEME_PREFIX):
            try:
                found = argon2.extract_parameters(stored_hash.removeprefix(SCHEME_PREFIX))
            except argon2.exceptions.InvalidHashError:
                pass
            else:
                parameters = (
                    f"argon2{found.type.name.lower()}$v=19"
                    f"$m={found.memory_cost},t={found.time_cost},p={found.parallelism}"
                )
                return self._decoy_hash(parameters, found.salt_len, found.hash_len)
        return self._decoy_hash(self._configured_parameters, 16, 32)

    def hash(self, password: str) -> str:
        return SCHEME_PREFIX + self._hasher.hash(stable_form(password))

    def verify(self, stored_hash: str, password: str) -> bool:
        """Compares the NFC form (what keyboards send); a hash made before passwords were
        normalised, from another form, is still matched by that form as typed."""
        stable = stable_form(password)
        return self._verify(stored_hash, stable) or (
            stable != password and self._verify(stored_hash, password)
        )

    def _verify(self, stored_hash: str, password: str) -> bool:
        import argon2

        if not stored_hash.startswith(SCHEME_PREFIX):
            return False
        try:
            return self._hasher.verify(stored_hash.removeprefix(SCHEME_PREFIX), password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash.removeprefix(SCHEME_PREFIX))

    def spend_verification_time(self, password: str, like: str | None) -> None:
        self.verify(self._decoy_like(like), password)
