"""The Directory's statements that change boxes already made — aliases, suspension,
deletion and purge, passwords — and the audit log, with the helpers every write shares.

``SqlDirectory`` builds on this class for households and new boxes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    RowMapping,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import taken_refusal
from mailwizard.domain.audit import ACTION_MAX, ACTOR_MAX, ORIGIN_MAX, TARGET_MAX, stored
from mailwizard.domain.management import (
    check_alias_count,
    primary_untouchable,
    unknown_alias,
    unknown_mailbox,
)
from mailwizard.domain.models import AuditEntry, DeletedMailbox, Role
from mailwizard.domain.suggestions import split_number
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, OutboxMessage


def deleted_box(row: RowMapping) -> DeletedMailbox:
    return DeletedMailbox(
        address=row["username"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        deleted_at=row["deleted_at"],
        purge_after=row["purge_after"],
    )


LIVE_BOX = schema.mailbox.c.deleted_at.is_(None)
"""Boxes not deleted: the ones that count, sign in and can change."""


def insert_if_absent(connection: Connection, table: Table) -> Insert:
    """An INSERT that skips a row whose key is taken instead of failing, on either engine."""
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    return dialect_insert(table).on_conflict_do_nothing()


def registry_row(address: str, created_at: datetime) -> dict[str, object]:
    """The address registry's row for ``address``, with its stem and number."""
    local_part, _, domain = address.partition("@")
    stem, number = split_number(local_part)
    return {
        "address": address,
        "domain": domain,
        "stem": stem,
        "number": number,
        "created_at": created_at,
    }


def outbox_row(message: OutboxMessage, now: datetime) -> dict[str, object]:
    """The outbox's row for ``message``, due at once."""
    return {
        "message_id": message.message_id,
        "recipient": message.recipient,
        "language": message.language,
        "template": message.template,
        "context": json.dumps(message.context, ensure_ascii=False),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def audit_row(
    household_id: int | None, audit: Audit, action: str, target: str | None, at: datetime
) -> dict[str, object]:
    """The audit log's row: each text made visible and cut to its column, so that no
    value (an SSH client's address, a typed address) can make the line fail or forge one."""
    return {
        "at": at,
        "household_id": household_id,
        "actor": stored(audit.actor, ACTOR_MAX),
        "origin": stored(audit.origin, ORIGIN_MAX),
        "action": stored(action, ACTION_MAX),
        "target": None if target is None else stored(target, TARGET_MAX),
    }


def write_audit(
    connection: Connection,
    household_id: int | None,
    audit: Audit,
    action: str,
    target: str | None,
    at: datetime,
) -> None:
    """The audit log's line, in the transaction of the change it records."""
    connection.execute(
        insert(schema.audit_log).values(audit_row(household_id, audit, action, target, at))
    )


class SqlBoxChanges:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def _audit(
        self,
        connection: Connection,
        household_id: int | None,
        audit: Audit,
        action: str,
        target: str | None,
    ) -> None:
        write_audit(connection, household_id, audit, action, target, self._clock())

    def _queue(self, connection: Connection, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        now = self._clock()
        # One statement with a row per message: on PostgreSQL one round trip for all.
        connection.execute(
            insert(schema.outbox).values([outbox_row(message, now) for message in messages])
        )

    @staticmethod
    def _register(connection: Connection, address: str, created_at: datetime) -> bool:
        """Adds ``address`` to the registry; False if a box or alias holds it already.

        A taken address is skipped rather than raised, so the transaction needs no
        savepoint around it: two statements fewer on PostgreSQL."""
        registered = connection.execute(
            insert_if_absent(connection, schema.address)
            .values(registry_row(address, created_at))
            .returning(schema.address.c.address)
        ).first()
        return registered is not None

    @staticmethod
    def _lock_household(connection: Connection, household_id: int) -> RowMapping:
        """Serialises the household's writers: quota and alias counts stay exact."""
        return (
            connection.execute(
                select(schema.household)
                .where(schema.household.c.id == household_id)
                .with_for_update()
            )
            .mappings()
            .one()
        )

    @staticmethod
    def _household_box(connection: Connection, household_id: int, address: str) -> RowMapping:
        row = (
            connection.execute(
                select(schema.mailbox).where(
                    schema.mailbox.c.username == address,
                    schema.mailbox.c.household_id == household_id,
                    LIVE_BOX,
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise Refused(unknown_mailbox(address), field="address")
        return row

    def _secondary_box(self, connection: Connection, household_id: int, address: str) -> RowMapping:
        row = self._household_box(connection, household_id, address)
        if row["role"] != Role.SECONDARY.value:
            raise Refused(primary_untouchable(address), field="address")
        return row

    def add_alias(
        self, household_id: int, mailbox_address: str, alias: str, max_aliases: int, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            self._lock_household(connection, household_id)
            box = self._household_box(connection, household_id, mailbox_address)
            count = connection.execute(
                select(func.count())
                .select_from(schema.alias)
                .where(schema.alias.c.mailbox_id == box["id"])
            ).scalar_one()
            if refusal := check_alias_count(mailbox_address, count, max_aliases):
                raise Refused(refusal, field="alias")
            now = self._clock()
            if not self._register(connection, alias, now):
                raise Refused(taken_refusal(alias), field="alias")
            connection.execute(
                insert(schema.alias).values(address=alias, mailbox_id=box["id"], created_at=now)
            )
            self._audit(connection, household_id, audit, "alias.added", alias)

    def remove_alias(self, household_id: int, alias: str, audit: Audit) -> None:
        with write_transaction(self._engine) as connection:
            found = connection.execute(
                select(schema.alias.c.address)
                .join(schema.mailbox, schema.mailbox.c.id == schema.alias.c.mailbox_id)
                .where(
                    schema.alias.c.address == alias, schema.mailbox.c.household_id == household_id
                )
            ).first()
            if found is None:
                raise Refused(unknown_alias(alias), field="alias")
            self._drop_aliases(connection, [alias])
            self._audit(connection, household_id, audit, "alias.removed", alias)

    @staticmethod
    def _drop_aliases(connection: Connection, aliases: Sequence[str]) -> None:
        if aliases:
            connection.execute(delete(schema.alias).where(schema.alias.c.address.in_(aliases)))
            connection.execute(delete(schema.address).where(schema.address.c.address.in_(aliases)))

    def set_mailbox_active(
        self, household_id: int, address: str, active: bool, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            box = self._secondary_box(connection, household_id, address)
            connection.execute(
                update(schema.mailbox).where(schema.mailbox.c.id == box["id"]).values(active=active)
            )
            action = "mailbox.resumed" if active else "mailbox.suspended"
            self._audit(connection, household_id, audit, action, address)

    def delete_mailbox(
        self,
        household_id: int,
        address: str,
        purge_after: datetime,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> None:
        household = schema.household
        with write_transaction(self._engine) as connection:
            # Locks the household before the box is looked at, as a creation does: two
            # deletions of one box cannot both count. A refusal below rolls it back.
            connection.execute(
                update(household)
                .where(household.c.id == household_id)
                .values(secondary_count=household.c.secondary_count - 1)
            )
            box = self._secondary_box(connection, household_id, address)
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == box["id"])
                .values(active=False, deleted_at=self._clock(), purge_after=purge_after)
            )
            aliases = connection.execute(
                select(schema.alias.c.address).where(schema.alias.c.mailbox_id == box["id"])
            ).scalars()
            self._drop_aliases(connection, list(aliases))
            self._queue(connection, messages)
            self._audit(connection, household_id, audit, "mailbox.deleted", address)

    def replace_password(
        self,
        household_id: int,
        address: str,
        password_hash: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> None:
        with write_transaction(self._engine) as connection:
            box = self._household_box(connection, household_id, address)
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == box["id"])
                .values(password=password_hash)
            )
            # A new password also shuts out every device that skipped the old one.
            connection.execute(
                delete(schema.remembered_device).where(
                    schema.remembered_device.c.mailbox_id == box["id"]
                )
            )
            self._queue(connection, messages)
            # The user changing their own password, or the holder resetting it for them.
            action = "password.changed" if audit.actor == address else "password.reset"
            self._audit(connection, household_id, audit, action, address)

    def record_audit(
        self, household_id: int | None, audit: Audit, action: str, target: str | None
    ) -> None:
        with write_transaction(self._engine) as connection:
            self._audit(connection, household_id, audit, action, target)

    def audit_entries(self, household_id: int, limit: int | None) -> list[AuditEntry]:
        log = schema.audit_log
        with read_transaction(self._engine) as connection:
            rows = (
                connection.execute(
                    select(log)
                    .where(log.c.household_id == household_id)
                    .order_by(log.c.at.desc(), log.c.id.desc())
                    .limit(limit)
                )
                .mappings()
                .all()
            )
        return [
            AuditEntry(
                at=row["at"],
                actor=row["actor"],
                origin=row["origin"],
                action=row["action"],
                target=row["target"],
            )
            for row in rows
        ]

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
            self._audit(connection, box["household_id"], audit, "mailbox.purged", address)
