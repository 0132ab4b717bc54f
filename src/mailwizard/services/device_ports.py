"""What the services need to remember a device: its record in the directory and its
token in the keyring of the machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class RememberedDevice:
    """A device remembered for a box, as the management page lists it."""

    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class DeviceToken:
    """What a remembered device's own keyring keeps: whose it is, and the token."""

    address: str
    token: str


class RememberedDevices(Protocol):
    """The directory's side of remembered devices: each token's SHA-256, never the token."""

    def add(
        self,
        mailbox_id: int,
        token_hash: str,
        label: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> None: ...

    def holder_of(self, token_hash: str, now: datetime) -> int | None:
        """The box of the device with this hash, unless there is none or it expired."""
        ...

    def record_use(self, token_hash: str, at: datetime) -> None: ...

    def of_mailbox(self, mailbox_id: int, now: datetime) -> list[RememberedDevice]:
        """The box's devices that have not expired, oldest first."""
        ...

    def forget(self, mailbox_id: int, device_id: int) -> str | None:
        """Forgets one device of the box; its label, or None if there was none."""
        ...

    def forget_token(self, token_hash: str) -> None: ...

    def forget_all(self, mailbox_id: int) -> int:
        """Every device of the box (a change of password calls this); how many there were."""
        ...


class DeviceKeyring(Protocol):
    """This machine's keyring, which remembers at most one account."""

    def secure(self) -> bool: ...

    def read(self) -> DeviceToken | None: ...

    def store(self, token: DeviceToken) -> None: ...

    def erase(self) -> None: ...
