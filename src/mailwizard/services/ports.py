"""What the services need from the outside world, as Protocols with real adapters."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from mailwizard.domain.models import AuditEntry, DeletedMailbox, HouseholdOverview, Identity, Role
from mailwizard.domain.suggestions import NumberRange


@dataclass(frozen=True)
class NewMailbox:
    address: str
    password_hash: str
    identity: Identity
    language: str


@dataclass(frozen=True)
class OutboxMessage:
    """A confirmation e-mail to write in the same transaction as the box."""

    message_id: str
    recipient: str
    language: str
    template: str
    context: dict[str, str]


@dataclass(frozen=True)
class QueuedMessage:
    """An outbox row as the delivery reads it."""

    id: int
    message_id: str
    recipient: str
    language: str
    template: str
    context: dict[str, str]
    created_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None


class DeliveryFailed(Exception):
    """A transport could not hand a message over; ``permanent`` when retrying is useless."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    def deliver(self, recipient: str, message: EmailMessage) -> None:
        """Hands ``message`` over for ``recipient``, or raises ``DeliveryFailed``."""
        ...


@dataclass(frozen=True)
class Credentials:
    mailbox_id: int
    household_id: int
    address: str
    role: Role
    active: bool
    password_hash: str
    identity: Identity
    language: str


@dataclass(frozen=True)
class Audit:
    """Who did it and from where, for the audit log."""

    actor: str
    origin: str


class Directory(Protocol):
    """The mail-account directory that Dovecot authenticates against."""

    def create_household(
        self, domain: str, holder: NewMailbox, max_secondary: int, audit: Audit
    ) -> int: ...

    def has_households(self) -> bool: ...

    def credentials(self, address: str) -> Credentials | None: ...

    def set_password_hash(self, mailbox_id: int, password_hash: str) -> None: ...

    def household_of_primary(self, address: str) -> int | None: ...

    def domains(self, household_id: int) -> tuple[str, ...]: ...

    def overview(self, household_id: int) -> HouseholdOverview: ...

    def taken(self, addresses: Collection[str]) -> set[str]: ...

    def free_numbers(
        self, domain: str, ranges: Sequence[NumberRange], wanted: int
    ) -> list[list[int]]:
        """For each range, its first ``wanted`` numbers that no address at ``domain``
        holds, box or alias, deleted or not, in increasing order."""
        ...

    def create_secondary(
        self,
        household_id: int,
        mailbox: NewMailbox,
        terms_version: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> datetime: ...

    def set_contract_active(self, household_id: int, active: bool, audit: Audit) -> None: ...

    def add_alias(
        self, household_id: int, mailbox_address: str, alias: str, max_aliases: int, audit: Audit
    ) -> None:
        """Registers ``alias`` for one of the household's boxes, under the same uniqueness
        as boxes; refuses past ``max_aliases`` for that box."""
        ...

    def remove_alias(self, household_id: int, alias: str, audit: Audit) -> None: ...

    def set_mailbox_active(
        self, household_id: int, address: str, active: bool, audit: Audit
    ) -> None:
        """Suspends or reactivates a secondary box."""
        ...

    def delete_mailbox(
        self,
        household_id: int,
        address: str,
        purge_after: datetime,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> None:
        """Deactivates a secondary box at once, frees its aliases and its quota slot; its
        address stays taken until ``purge_mailbox``."""
        ...

    def replace_password(
        self,
        household_id: int,
        address: str,
        password_hash: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> None:
        """Also forgets every device remembered for the box."""
        ...

    def record_audit(
        self, household_id: int | None, audit: Audit, action: str, target: str | None
    ) -> None: ...

    def audit_entries(self, household_id: int, limit: int | None) -> list[AuditEntry]:
        """Newest first."""
        ...

    def deleted_mailboxes(self) -> list[DeletedMailbox]:
        """Every household's deleted boxes awaiting their purge, oldest first."""
        ...

    def purge_mailbox(self, address: str, audit: Audit) -> None:
        """Removes what is left of a deleted box; its address may be used again."""
        ...


class MailStore(Protocol):
    """The boxes' mail on disk, where a deleted box's mail waits for its purge."""

    def archive(self, address: str) -> bool:
        """Packs the box's mail into its archive and removes the box's folder; False
        when there is nothing (left) to archive."""
        ...

    def remove(self, address: str) -> None:
        """Removes the archive, and the folder if mail arrived after the archiving."""
        ...


class Authenticators(Protocol):
    """Each household's TOTP secret and the last time step it accepted."""

    def totp_secret(self, household_id: int) -> str | None: ...

    def set_totp_secret(
        self, household_id: int, secret: str | None, step: int | None, audit: Audit
    ) -> None:
        """Enrols (a secret) or disables (None), with its line in the audit log."""

    def consume_totp_step(self, household_id: int, step: int) -> bool:
        """Records ``step`` as used; False when it, or a later one, already was."""
        ...


class SignInThrottle(Protocol):
    """Failed sign-ins per address, kept in the directory so a restart forgets nothing."""

    def locked_until(self, address: str, now: datetime) -> datetime | None:
        """The end of the address's lock, if it is locked at ``now``."""
        ...

    def record_failure(
        self, address: str, now: datetime, max_failures: int, lock: timedelta
    ) -> datetime | None:
        """Counts one more failure in a row; returns the lock's end when this one locks."""
        ...

    def clear(self, address: str) -> None: ...


class Outbox(Protocol):
    """The confirmation e-mails written with the boxes, until they are delivered."""

    def claim_due_messages(
        self, now: datetime, lease: timedelta, limit: int
    ) -> list[QueuedMessage]:
        """Marks due messages as being sent until ``now + lease`` and returns them; a
        message claimed by one process is not returned to another meanwhile."""
        ...

    def record_sent(self, message_id: int, at: datetime) -> None: ...

    def record_retry(self, message_id: int, retry_at: datetime, reason: str) -> None: ...

    def record_failed(self, message_id: int, reason: str) -> None: ...

    def outbox(self) -> list[QueuedMessage]: ...

    def failed_for(self, recipients: Collection[str]) -> list[QueuedMessage]: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, stored_hash: str, password: str) -> bool: ...

    def needs_rehash(self, stored_hash: str) -> bool: ...

    def spend_verification_time(self, password: str) -> None:
        """Costs what a verification costs, so an unknown address is not faster."""
        ...


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
