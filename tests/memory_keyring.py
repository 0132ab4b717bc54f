"""A secure keyring that lives in the test's memory, never the developer's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import null
from keyring.errors import PasswordSetError

BackendT = TypeVar("BackendT", bound=KeyringBackend)


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring is not annotated
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class RefusingKeyring(MemoryKeyring):
    """A secure keyring that will not keep anything: a locked one, say."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"{service} is locked")


@contextmanager
def keyring_installed(backend: BackendT) -> Iterator[BackendT]:
    """``backend`` as the process's keyring, then keyring's null backend again: the
    isolated environment's default, which has no secure storage at all."""
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]
