"""What the services need from the outside world, as Protocols with real adapters."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from mailwizard.domain.models import AuditEntry, DeletedMailbox, HouseholdOverview, Identity, Role
from mailwizard.domain.suggestions import NumberRange


@dataclass(frozen=True)
class PendingActivation:
    """The hash of a box's one-time activation code, and when the code runs out."""

    code_hash: str
    expires_at: datetime


@dataclass(frozen=True)
class NewMailbox:
    address: str
    password_hash: str
    identity: Identity
    language: str
    activation: PendingActivation | None = None
    """For a box whose user chooses the password: until then, ``password_hash`` is the
    hash of a secret nobody keeps."""


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


@dataclass(frozen=True)
class Waiting:
    """The outbox's messages still to deliver: how many, and when the next is tried."""

    count: int = 0
    next_attempt_at: datetime | None = None


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
class SignInLookup:
    """What a sign-in reads before verifying a password."""

    credentials: Credentials | None
    cost_of: str | None
    """The stored hash whose parameters the verification pays: the box's own; for an
    unknown address, the hash of the box that follows it in the directory's order (the
    first box after the last), so that an unknown address costs what a real one costs,
    the same each time, whatever cost the settings asked for when each hash was made.
    None in a directory without a box."""


@dataclass(frozen=True)
class Audit:
    """Who did it and from where, for the audit log."""

    actor: str
    origin: str


class Households(Protocol):
    """Households: the first run that makes one, its domains, its contract, its boxes."""

    def create_household(
        self, domain: str, holder: NewMailbox, max_secondary: int, audit: Audit
    ) -> int: ...

    def has_households(self) -> bool: ...

    def household_of_primary(self, address: str) -> int | None: ...

    def domains(self, household_id: int) -> tuple[str, ...]: ...

    def all_domains(self) -> tuple[str, ...]:
        """Every household's domains, in order."""
        ...

    def overview(self, household_id: int) -> HouseholdOverview: ...

    def set_contract_active(self, household_id: int, active: bool, audit: Audit) -> None: ...


class AddressRegistry(Protocol):
    """Every address a box or an alias holds, whatever the household, deleted boxes too."""

    def taken(self, addresses: Collection[str]) -> set[str]: ...

    def free_numbers(
        self, domain: str, ranges: Sequence[NumberRange], wanted: int
    ) -> list[list[int]]:
        """For each range, its first ``wanted`` numbers that no address at ``domain``
        holds, box or alias, deleted or not, in increasing order."""
        ...


class Accounts(Protocol):
    """The boxes as a sign-in sees them: an address, a password hash, whose it is."""

    def credentials(self, address: str) -> Credentials | None: ...

    def sign_in_lookup(self, address: str) -> SignInLookup:
        """The box of ``address``, or for an unknown address the hash its decoy
        verification is to cost as much as: in one query either way."""
        ...

    def set_password_hash(self, mailbox_id: int, password_hash: str) -> None: ...

    def primary_of(self, household_id: int) -> Credentials: ...


@dataclass(frozen=True)
class CardReader:
    """Whom a box's welcome card speaks to, in their language."""

    address: str
    first_name: str
    language: str


class CardReaders(Protocol):
    """The one box a welcome card is for, and nothing else of its household."""

    def card_reader(self, address: str) -> CardReader | None:
        """The user of the box at ``address``; None when no box, or only a deleted one,
        holds it."""
        ...


BoxMessages = Callable[[Credentials], Sequence[OutboxMessage]]
"""The e-mails of a change to one box, made from the box as the change's transaction
found it once the directory's own checks passed. The service checks there what the
use case asks of that box: a ``Refused`` it raises leaves the directory as it was."""


class Mailboxes(Protocol):
    """A household's boxes, from their creation to their purge. Each change checks, in
    its own transaction, that the box is one of the household's that the change may
    touch: a deleted box says until when its mail is kept, the primary box cannot be
    suspended, deleted or reset by the holder. A new password also forgets every
    device remembered for the box."""

    def create_secondary(
        self,
        household_id: int,
        mailbox: NewMailbox,
        terms_version: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> datetime: ...

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
        messages: BoxMessages,
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
        messages: BoxMessages,
        audit: Audit,
        *,
        by_holder: bool,
    ) -> None:
        """A box's own user gives it a new password, or the holder (``by_holder``) gives
        one to a secondary box."""
        ...

    def deleted_mailboxes(self) -> list[DeletedMailbox]:
        """Every household's deleted boxes awaiting their purge, oldest first."""
        ...

    def purge_mailbox(self, address: str, audit: Audit) -> None:
        """Removes what is left of a deleted box; its address may be used again."""
        ...


class Aliases(Protocol):
    """Further addresses of a household's boxes."""

    def add_alias(
        self, household_id: int, mailbox_address: str, alias: str, max_aliases: int, audit: Audit
    ) -> None:
        """Registers ``alias`` for one of the household's boxes, under the same uniqueness
        as boxes; refuses past ``max_aliases`` for that box."""
        ...

    def remove_alias(self, household_id: int, alias: str, audit: Audit) -> None: ...


class AuditLog(Protocol):
    """Who did what, from where: the changes write their own line in their transaction,
    this records what changes nothing in the directory (a failed sign-in, a device)."""

    def record_audit(
        self, household_id: int | None, audit: Audit, action: str, target: str | None
    ) -> None: ...

    def audit_entries(self, household_id: int, limit: int | None) -> list[AuditEntry]:
        """Newest first."""
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

    def record_failed_code(self, household_id: int, audit: Audit, *, locked: bool) -> None:
        """The audit log's ``totp.failed`` line, and ``totp.locked`` when it locked."""
        ...


@dataclass(frozen=True)
class AfterCommit:
    """What became of what follows an action already committed (its e-mails, a deleted
    box's archive): the action succeeded either way; ``waiting`` says why something is
    left for later (the next flush, the purge)."""

    waiting: str | None = None


class CommittedMail(Protocol):
    """Delivers, at best, the e-mails an action has just committed to the outbox."""

    def deliver_committed(self) -> AfterCommit: ...


class HouseholdMail(CommittedMail, Protocol):
    """The management page's delivery: the e-mails it commits, and those that failed."""

    def undelivered_recipients(self, overview: HouseholdOverview) -> list[str]: ...


class Outbox(Protocol):
    """The confirmation e-mails written with the boxes, until they are delivered."""

    def claim_due_messages(
        self, now: datetime, lease: timedelta, limit: int, *, waiting_too: bool = False
    ) -> list[QueuedMessage]:
        """Marks due messages as being sent until ``now + lease`` and returns them; a
        message claimed by one process is not returned to another meanwhile.
        ``waiting_too`` also claims the pending ones whose next attempt is later."""
        ...

    def waiting(self) -> Waiting:
        """The messages neither sent nor failed yet, and the earliest next attempt."""
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

    def spend_verification_time(self, password: str, like: str | None) -> None:
        """Costs what verifying ``password`` against the stored hash ``like`` costs (its
        parameters, never its secret), or against a hash made now without one; so that
        an unknown address is neither faster nor slower than a known one."""
        ...


@dataclass(frozen=True)
class ActivationLookup:
    """A box created with an activation code, its holder, and what became of the code."""

    mailbox_id: int
    household_id: int
    address: str
    identity: Identity
    language: str
    code_hash: str
    expires_at: datetime
    activated_at: datetime | None
    holder_address: str
    holder_identity: Identity
    holder_language: str


class Activations(Protocol):
    """The boxes created for their users to choose the password, from the code the
    holder gives them until they use it."""

    def lookup(self, address: str) -> ActivationLookup | None:
        """The box of ``address`` if it was created with an activation code and is not
        deleted."""
        ...

    def activate(
        self,
        mailbox_id: int,
        password_hash: str,
        now: datetime,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> bool:
        """Gives the box its user's password and uses its code up, with its e-mails and
        audit line; False, changing nothing, when the box no longer awaits activation at
        ``now`` (used meanwhile, run out, deleted)."""
        ...

    def reissue(
        self, household_id: int, address: str, activation: PendingActivation, audit: Audit
    ) -> bool:
        """Replaces the code of one of the household's boxes that still awaits its
        activation (or whose code ran out); False, changing nothing, for any other box."""
        ...
