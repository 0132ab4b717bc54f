"""The Mailboxes port on SQLAlchemy Core: a secondary box's creation under the quota,
its suspension, deletion and purge, and its password."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sql_accounts import credentials_of
from mailwizard.backends.sql_aliases import drop_aliases
from mailwizard.backends.sql_audit import write_audit
from mailwizard.backends.sql_creation import (
    TAKE_PLACE,
    Creation,
    consent_row,
    creation_statement,
    insert_mailbox,
)
from mailwizard.backends.sql_households import (
    deleted_box,
    household_box,
    lock_household,
    secondary_box,
)
from mailwizard.backends.sql_outbox import queue_messages
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import taken_refusal
from mailwizard.domain.models import DeletedMailbox, Role
from mailwizard.domain.quota import check_contract, check_quota
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, BoxMessages, NewMailbox, OutboxMessage


def _try_create(connection: Connection, creation: Creation) -> tuple[bool, int | None]:
    """Whether the household had a place for the box, and the box's id if its address
    was free as well. A taken address leaves the place counted: the caller's refusal
    rolls it back."""
    if connection.dialect.name == "postgresql":
        counted, mailbox_id = connection.execute(
            creation_statement(len(creation.messages)), creation.parameters()
        ).one()
        return counted is not None, mailbox_id
    household_id, now = creation.household_id, creation.now
    if connection.execute(TAKE_PLACE, {"household_id": household_id}).first() is None:
        return False, None
    mailbox_id = insert_mailbox(connection, household_id, creation.mailbox, Role.SECONDARY, now)
    if mailbox_id is None:
        return True, None
    connection.execute(
        insert(schema.consent).values(
            mailbox_id=mailbox_id, **consent_row(creation.terms_version, creation.audit, now)
        )
    )
    queue_messages(connection, creation.messages, now)
    write_audit(
        connection, household_id, creation.audit, "mailbox.created", creation.mailbox.address, now
    )
    return True, mailbox_id


class SqlMailboxes:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def create_secondary(
        self,
        household_id: int,
        mailbox: NewMailbox,
        terms_version: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> datetime:
        creation = Creation(household_id, mailbox, terms_version, messages, audit, self._clock())
        with write_transaction(self._engine) as connection:
            counted, mailbox_id = _try_create(connection, creation)
            if not counted:
                household = lock_household(connection, household_id)
                if refusal := check_contract(household["contract_active"]) or check_quota(
                    household["secondary_count"], household["max_secondary"]
                ):
                    raise Refused(refusal)
                # A deletion freed a place since the first try; the household is locked now.
                _, mailbox_id = _try_create(connection, creation)
            if mailbox_id is None:
                raise Refused(taken_refusal(mailbox.address), field="address")
        return creation.now

    def set_mailbox_active(
        self, household_id: int, address: str, active: bool, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            box = secondary_box(connection, household_id, address)
            connection.execute(
                update(schema.mailbox).where(schema.mailbox.c.id == box["id"]).values(active=active)
            )
            action = "mailbox.resumed" if active else "mailbox.suspended"
            write_audit(connection, household_id, audit, action, address, self._clock())

    def delete_mailbox(
        self,
        household_id: int,
        address: str,
        purge_after: datetime,
        messages: BoxMessages,
        audit: Audit,
    ) -> None:
        household = schema.household
        now = self._clock()
        with write_transaction(self._engine) as connection:
            # Locks the household before the box is looked at, as a creation does: two
            # deletions of one box cannot both count. A refusal below rolls it back.
            connection.execute(
                update(household)
                .where(household.c.id == household_id)
                .values(secondary_count=household.c.secondary_count - 1)
            )
            box = secondary_box(connection, household_id, address)
            notices = messages(credentials_of(box))
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == box["id"])
                .values(active=False, deleted_at=now, purge_after=purge_after)
            )
            aliases = connection.execute(
                select(schema.alias.c.address).where(schema.alias.c.mailbox_id == box["id"])
            ).scalars()
            drop_aliases(connection, list(aliases))
            queue_messages(connection, notices, now)
            write_audit(connection, household_id, audit, "mailbox.deleted", address, now)

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
        with write_transaction(self._engine) as connection:
            find_box = secondary_box if by_holder else household_box
            box = find_box(connection, household_id, address)
            notices = messages(credentials_of(box))
            now = self._clock()
            # A password the holder gives a box awaiting activation ends that wait: its
            # code no longer opens it, and Dovecot signs it in with that password.
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == box["id"])
                .values(password=password_hash, activation_hash=None, activation_expires_at=None)
            )
            # A new password also shuts out every device that skipped the old one.
            connection.execute(
                delete(schema.remembered_device).where(
                    schema.remembered_device.c.mailbox_id == box["id"]
                )
            )
            queue_messages(connection, notices, now)
            action = "password.reset" if by_holder else "password.changed"
            write_audit(connection, household_id, audit, action, address, now)

    def deleted_mailboxes(self) -> list[DeletedMailbox]:
        mailbox = schema.mailbox
        with read_transaction(self._engine) as connection:
            rows = (
                connection.execute(
                    select(mailbox)
                    .where(mailbox.c.purge_after.is_not(None))
                    .order_by(mailbox.c.purge_after, mailbox.c.id)
                )
                .mappings()
                .all()
            )
        return [deleted_box(row) for row in rows]

    def purge_mailbox(self, address: str, audit: Audit) -> None:
        mailbox = schema.mailbox
        with write_transaction(self._engine) as connection:
            box = (
                connection.execute(
                    select(mailbox).where(
                        mailbox.c.username == address, mailbox.c.deleted_at.is_not(None)
                    )
                )
                .mappings()
                .first()
            )
            if box is None:
                return
            connection.execute(
                delete(schema.consent).where(schema.consent.c.mailbox_id == box["id"])
            )
            connection.execute(delete(mailbox).where(mailbox.c.id == box["id"]))
            connection.execute(delete(schema.address).where(schema.address.c.address == address))
            write_audit(
                connection, box["household_id"], audit, "mailbox.purged", address, self._clock()
            )
