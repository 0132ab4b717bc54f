"""The management page's operations on a household's boxes, once the first is created:
what the page shows, aliases, suspension, deletion and purge, passwords, and the audit log.

Every change is written with its audit entry, and with its e-mails, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import household_address, parse_address
from mailwizard.domain.management import check_deletion_confirmation
from mailwizard.domain.models import AuditEntry, HouseholdOverview, Role
from mailwizard.domain.passwords import PasswordPolicy, check_confirmation
from mailwizard.errors import MailStoreUnavailable, Refusal, Refused
from mailwizard.services.ports import (
    Accounts,
    AfterCommit,
    Aliases,
    Audit,
    AuditLog,
    BoxMessages,
    Credentials,
    HouseholdMail,
    Households,
    Mailboxes,
    MailStore,
    OutboxMessage,
    PasswordHasher,
)
from mailwizard.services.provisioning import (
    mail_context,
    notice,
    require_acceptable_password,
    require_holder,
)
from mailwizard.services.signin import SignedIn, SignInService

PURGE_ACTOR = "purge"


@dataclass(frozen=True)
class ManagementPolicy:
    max_aliases: int
    keep_deleted: timedelta


@dataclass(frozen=True)
class Deletion:
    address: str
    purge_after: datetime
    mail: AfterCommit
    """The notices to the holder and the box's user."""
    archive: AfterCommit
    """The box's mail, packed away now or by the purge."""


@dataclass(frozen=True)
class PasswordReplaced:
    address: str
    mail: AfterCommit
    """The notice to the box's user."""


@dataclass(frozen=True)
class HouseholdPage:
    """What the management page shows; equal to an earlier load when nothing shown changed."""

    overview: HouseholdOverview
    undelivered: tuple[str, ...]
    """Who, in the household, a confirmation e-mail could not reach."""
    recent: tuple[AuditEntry, ...]
    """The audit log's newest entries, newest first."""


@dataclass(frozen=True)
class PurgeReport:
    archived: tuple[str, ...]
    purged: tuple[str, ...]


class ManagementService:
    def __init__(
        self,
        households: Households,
        accounts: Accounts,
        mailboxes: Mailboxes,
        aliases: Aliases,
        audit_log: AuditLog,
        hasher: PasswordHasher,
        signin: SignInService,
        store: MailStore,
        password_policy: PasswordPolicy,
        policy: ManagementPolicy,
        mail: HouseholdMail,
        clock: Clock = utc_now,
    ) -> None:
        self._mail = mail
        self._households = households
        self._accounts = accounts
        self._mailboxes = mailboxes
        self._aliases = aliases
        self._audit_log = audit_log
        self._hasher = hasher
        self._signin = signin
        self._store = store
        self._password_policy = password_policy
        self._policy = policy
        self._clock = clock

    def _address_of_household(self, holder: SignedIn, text: str, field: str) -> str:
        """What the holder typed for an address of the household, a bare local part
        included, as the whole address."""
        address = household_address(text, self._households.domains(holder.household_id))
        if isinstance(address, Refusal):
            raise Refused(address, field=field)
        return address

    def add_alias(
        self, holder: SignedIn, box_address: str, alias_text: str, audit_origin: str
    ) -> str:
        """An alias at one of the household's domains for one of its boxes, primary
        included; returns the alias as written."""
        require_holder(holder)
        parsed = parse_address(alias_text, self._households.domains(holder.household_id))
        if isinstance(parsed, Refusal):
            raise Refused(parsed, field="alias")
        alias = str(parsed)
        self._aliases.add_alias(
            holder.household_id,
            self._address_of_household(holder, box_address, "box"),
            alias,
            self._policy.max_aliases,
            Audit(actor=holder.address, origin=audit_origin),
        )
        return alias

    def remove_alias(self, holder: SignedIn, alias_text: str, audit_origin: str) -> str:
        """Returns the alias removed, as written."""
        require_holder(holder)
        alias = self._address_of_household(holder, alias_text, "alias")
        self._aliases.remove_alias(
            holder.household_id, alias, Audit(actor=holder.address, origin=audit_origin)
        )
        return alias

    def set_active(self, holder: SignedIn, address: str, active: bool, audit_origin: str) -> str:
        """Suspends a secondary box (no sign-in, mail still received) or reactivates it;
        returns its address."""
        require_holder(holder)
        box_address = self._address_of_household(holder, address, "address")
        self._mailboxes.set_mailbox_active(
            holder.household_id,
            box_address,
            active,
            Audit(actor=holder.address, origin=audit_origin),
        )
        return box_address

    def delete(
        self, holder: SignedIn, address: str, typed_confirmation: str, audit_origin: str
    ) -> Deletion:
        """Deactivates the box at once and tells both readers, then delivers those notices
        (the user's goes into the box) and packs the box's mail away, at best: once the
        deletion is committed, what cannot be done now is left to the outbox and the purge.
        Blocks on the disk and the network: run it in a worker."""
        require_holder(holder)
        box_address = self._address_of_household(holder, address, "address")
        typed = household_address(typed_confirmation, self._households.domains(holder.household_id))
        purge_after = self._clock() + self._policy.keep_deleted

        def notices(box: Credentials) -> list[OutboxMessage]:
            if isinstance(typed, Refusal):
                raise Refused(typed, field="confirmation")
            if refusal := check_deletion_confirmation(typed, box.address):
                raise Refused(refusal, field="confirmation")
            context = mail_context(holder, box.address, box.identity) | {
                "purge_date": purge_after.strftime("%Y-%m-%d")
            }
            return [
                notice("holder_deletion", holder.address, holder.language, context),
                notice("deletion", box.address, box.language, context),
            ]

        self._mailboxes.delete_mailbox(
            holder.household_id,
            box_address,
            purge_after,
            notices,
            Audit(actor=holder.address, origin=audit_origin),
        )
        mail = self._mail.deliver_committed()
        try:
            self._store.archive(box_address)
        except MailStoreUnavailable as error:
            return Deletion(box_address, purge_after, mail, AfterCommit(error.message))
        return Deletion(box_address, purge_after, mail, AfterCommit())

    def reset_password(
        self, holder: SignedIn, address: str, password: str, confirmation: str, audit_origin: str
    ) -> PasswordReplaced:
        """The holder gives a secondary box a new password, under the same policy as at
        its creation; its user is told by e-mail. Blocks for hashing."""
        require_holder(holder)
        box_address = self._address_of_household(holder, address, "address")
        self._mailboxes.replace_password(
            holder.household_id,
            box_address,
            self._hasher.hash(password),
            self._password_notice(holder, password, confirmation, "password_reset"),
            Audit(actor=holder.address, origin=audit_origin),
            by_holder=True,
        )
        return PasswordReplaced(box_address, self._mail.deliver_committed())

    def change_own_password(
        self, address: str, current: str, password: str, confirmation: str, audit_origin: str
    ) -> PasswordReplaced:
        """Any box's own user, who must give the current password (a failure counts
        towards the sign-in lock). Blocks for hashing."""
        account = self._signin.sign_in(address, current, audit_origin)
        holder = account
        if account.role is not Role.PRIMARY:
            holder = SignedIn.from_credentials(self._accounts.primary_of(account.household_id))
        self._mailboxes.replace_password(
            account.household_id,
            account.address,
            self._hasher.hash(password),
            self._password_notice(holder, password, confirmation, "password_changed"),
            Audit(actor=account.address, origin=audit_origin),
            by_holder=False,
        )
        return PasswordReplaced(account.address, self._mail.deliver_committed())

    def _password_notice(
        self, holder: SignedIn, password: str, confirmation: str, template: str
    ) -> BoxMessages:
        """The box's e-mail about its new password, once the password is found right for
        the box: the same policy as at its creation. The hash is made before the
        transaction, so that no writer waits on it; a refused password costs it."""

        def notices(box: Credentials) -> list[OutboxMessage]:
            require_acceptable_password(
                self._password_policy, password, box.identity, box.address, holder
            )
            if refusal := check_confirmation(password, confirmation):
                raise Refused(refusal, field="confirmation")
            context = mail_context(holder, box.address, box.identity)
            return [notice(template, box.address, box.language, context)]

        return notices

    def household_page(self, household_id: int, recent_entries: int) -> HouseholdPage:
        """The boxes, whom their confirmations could not reach, and the latest
        ``recent_entries`` of the audit log."""
        overview = self._households.overview(household_id)
        return HouseholdPage(
            overview,
            tuple(self._mail.undelivered_recipients(overview)),
            tuple(self.audit_log(household_id, recent_entries)),
        )

    def audit_log(self, household_id: int, limit: int | None = None) -> list[AuditEntry]:
        """Newest first."""
        return self._audit_log.audit_entries(household_id, limit)

    def purge(self, audit_origin: str) -> PurgeReport:
        """Archives what deleted boxes still hold and erases those whose time is up;
        safe to run again after an interruption. Meant for a daily timer."""
        archived: list[str] = []
        purged: list[str] = []
        now = self._clock()
        for box in self._mailboxes.deleted_mailboxes():
            if box.purge_after <= now:
                self._store.remove(box.address)
                self._mailboxes.purge_mailbox(box.address, Audit(PURGE_ACTOR, audit_origin))
                purged.append(box.address)
            elif self._store.archive(box.address):
                archived.append(box.address)
        return PurgeReport(tuple(archived), tuple(purged))
