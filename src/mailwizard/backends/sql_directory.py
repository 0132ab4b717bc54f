"""The Directory port on SQLAlchemy Core: the same statements on every engine."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    Connection,
    Engine,
    RowMapping,
    delete,
    func,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import mailbox_home, taken_refusal
from mailwizard.domain.management import (
    check_alias_count,
    primary_untouchable,
    unknown_alias,
    unknown_mailbox,
)
from mailwizard.domain.models import (
    AuditEntry,
    Civility,
    DeletedMailbox,
    HouseholdOverview,
    Identity,
    MailboxSummary,
    Role,
)
from mailwizard.domain.quota import check_contract, check_quota
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, Credentials, NewMailbox, OutboxMessage


def _identity(row: RowMapping) -> Identity:
    return Identity.model_construct(
        civility=Civility(row["civility"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
    )


def _summary(row: RowMapping, aliases: tuple[str, ...]) -> MailboxSummary:
    return MailboxSummary(
        address=row["username"],
        role=Role(row["role"]),
        civility=Civility(row["civility"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
        active=row["active"],
        created_at=row["created_at"],
        aliases=aliases,
    )


def _deleted(row: RowMapping) -> DeletedMailbox:
    return DeletedMailbox(
        address=row["username"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        deleted_at=row["deleted_at"],
        purge_after=row["purge_after"],
    )


_live = schema.mailbox.c.deleted_at.is_(None)


class SqlDirectory:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def _insert_mailbox(
        self, connection: Connection, household_id: int, mailbox: NewMailbox, role: Role
    ) -> int:
        now = self._clock()
        domain = mailbox.address.partition("@")[2]
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(schema.address).values(
                        address=mailbox.address, domain=domain, created_at=now
                    )
                )
        except IntegrityError:
            raise Refused(taken_refusal(mailbox.address), field="address") from None
        mailbox_id = connection.execute(
            insert(schema.mailbox)
            .returning(schema.mailbox.c.id)
            .values(
                username=mailbox.address,
                password=mailbox.password_hash,
                maildir=mailbox_home(mailbox.address),
                active=True,
                household_id=household_id,
                role=role.value,
                civility=mailbox.identity.civility.value,
                first_name=mailbox.identity.first_name,
                last_name=mailbox.identity.last_name,
                language=mailbox.language,
                created_at=now,
            )
        ).scalar_one()
        return int(mailbox_id)

    def _audit(
        self,
        connection: Connection,
        household_id: int | None,
        audit: Audit,
        action: str,
        target: str | None,
    ) -> None:
        connection.execute(
            insert(schema.audit_log).values(
                at=self._clock(),
                household_id=household_id,
                actor=audit.actor,
                origin=audit.origin,
                action=action,
                target=target,
            )
        )

    def _queue(self, connection: Connection, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        now = self._clock()
        connection.execute(
            insert(schema.outbox),
            [
                {
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
                for message in messages
            ],
        )

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
                    _live,
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

    def create_household(
        self, domain: str, holder: NewMailbox, max_secondary: int, audit: Audit
    ) -> int:
        with write_transaction(self._engine) as connection:
            # Two households may start on one new domain at the same moment.
            dialect_insert = (
                postgresql_insert if connection.dialect.name == "postgresql" else (sqlite_insert)
            )
            connection.execute(
                dialect_insert(schema.domain)
                .values(name=domain, created_at=self._clock())
                .on_conflict_do_nothing()
            )
            household_id = connection.execute(
                insert(schema.household)
                .returning(schema.household.c.id)
                .values(
                    contract_active=True,
                    max_secondary=max_secondary,
                    created_at=self._clock(),
                )
            ).scalar_one()
            connection.execute(
                insert(schema.household_domain).values(household_id=household_id, domain=domain)
            )
            self._insert_mailbox(connection, household_id, holder, Role.PRIMARY)
            self._audit(connection, household_id, audit, "household.created", holder.address)
        return int(household_id)

    def has_households(self) -> bool:
        with read_transaction(self._engine) as connection:
            return connection.execute(select(schema.household.c.id).limit(1)).first() is not None

    def credentials(self, address: str) -> Credentials | None:
        with read_transaction(self._engine) as connection:
            row = (
                connection.execute(
                    select(schema.mailbox).where(schema.mailbox.c.username == address)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return Credentials(
            mailbox_id=row["id"],
            household_id=row["household_id"],
            address=row["username"],
            role=Role(row["role"]),
            active=row["active"],
            password_hash=row["password"],
            identity=_identity(row),
            language=row["language"],
        )

    def set_password_hash(self, mailbox_id: int, password_hash: str) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == mailbox_id)
                .values(password=password_hash)
            )

    def household_of_primary(self, address: str) -> int | None:
        with read_transaction(self._engine) as connection:
            household_id = connection.execute(
                select(schema.mailbox.c.household_id).where(
                    schema.mailbox.c.username == address,
                    schema.mailbox.c.role == Role.PRIMARY.value,
                )
            ).scalar()
        return None if household_id is None else int(household_id)

    @staticmethod
    def _domains(connection: Connection, household_id: int) -> tuple[str, ...]:
        return tuple(
            connection.execute(
                select(schema.household_domain.c.domain)
                .where(schema.household_domain.c.household_id == household_id)
                .order_by(schema.household_domain.c.domain)
            ).scalars()
        )

    def domains(self, household_id: int) -> tuple[str, ...]:
        with read_transaction(self._engine) as connection:
            return self._domains(connection, household_id)

    def overview(self, household_id: int) -> HouseholdOverview:
        mailbox = schema.mailbox
        with read_transaction(self._engine) as connection:
            household = (
                connection.execute(
                    select(schema.household).where(schema.household.c.id == household_id)
                )
                .mappings()
                .one()
            )
            boxes = (
                connection.execute(
                    select(mailbox)
                    .where(mailbox.c.household_id == household_id)
                    .order_by(mailbox.c.created_at, mailbox.c.id)
                )
                .mappings()
                .all()
            )
            alias_rows = connection.execute(
                select(schema.alias.c.address, mailbox.c.username)
                .join(mailbox, mailbox.c.id == schema.alias.c.mailbox_id)
                .where(mailbox.c.household_id == household_id)
                .order_by(schema.alias.c.address)
            ).all()
            domain_names = self._domains(connection, household_id)
        aliases: dict[str, list[str]] = {}
        for alias_address, box_address in alias_rows:
            aliases.setdefault(box_address, []).append(alias_address)
        summaries = [
            _summary(row, tuple(aliases.get(row["username"], ())))
            for row in boxes
            if row["deleted_at"] is None
        ]
        return HouseholdOverview(
            household_id=household_id,
            domains=domain_names,
            contract_active=household["contract_active"],
            max_secondary=household["max_secondary"],
            primary=next(s for s in summaries if s.role is Role.PRIMARY),
            secondary=tuple(s for s in summaries if s.role is Role.SECONDARY),
            deleted=tuple(_deleted(row) for row in boxes if row["deleted_at"] is not None),
        )

    def taken(self, addresses: Collection[str]) -> set[str]:
        if not addresses:
            return set()
        with read_transaction(self._engine) as connection:
            return set(
                connection.execute(
                    select(schema.address.c.address).where(
                        schema.address.c.address.in_(list(addresses))
                    )
                ).scalars()
            )

    def taken_with_prefixes(self, prefixes: Collection[str], domain: str) -> set[str]:
        # Addresses are ASCII, so every string that starts with the prefix sorts
        # between it and the prefix followed by DEL: an index range scan per prefix.
        # Reading the address alone keeps the scans inside the index; other domains are
        # dropped here rather than by reading the domain of every row (ten times slower).
        if not prefixes:
            return set()
        address = schema.address.c.address
        ranges = union_all(
            *(select(address).where(address >= prefix, address < prefix + "\x7f")
              for prefix in prefixes)
        )  # fmt: skip
        at_domain = "@" + domain
        with read_transaction(self._engine) as connection:
            found = connection.execute(ranges).scalars().all()
            return {taken for taken in found if taken.endswith(at_domain)}

    def create_secondary(
        self,
        household_id: int,
        mailbox: NewMailbox,
        terms_version: str,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> datetime:
        with write_transaction(self._engine) as connection:
            household = self._lock_household(connection, household_id)
            if refusal := check_contract(household["contract_active"]):
                raise Refused(refusal)
            secondary_count = connection.execute(
                select(func.count())
                .select_from(schema.mailbox)
                .where(
                    schema.mailbox.c.household_id == household_id,
                    schema.mailbox.c.role == Role.SECONDARY.value,
                    _live,
                )
            ).scalar_one()
            if refusal := check_quota(secondary_count, household["max_secondary"]):
                raise Refused(refusal)
            mailbox_id = self._insert_mailbox(connection, household_id, mailbox, Role.SECONDARY)
            now = self._clock()
            connection.execute(
                insert(schema.consent).values(
                    mailbox_id=mailbox_id,
                    terms_version=terms_version,
                    accepted_at=now,
                    accepted_by=audit.actor,
                )
            )
            self._queue(connection, messages)
            self._audit(connection, household_id, audit, "mailbox.created", mailbox.address)
        return now

    def set_contract_active(self, household_id: int, active: bool, audit: Audit) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.household)
                .where(schema.household.c.id == household_id)
                .values(contract_active=active)
            )
            action = "contract.resumed" if active else "contract.suspended"
            self._audit(connection, household_id, audit, action, None)

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
            try:
                with connection.begin_nested():
                    connection.execute(
                        insert(schema.address).values(
                            address=alias, domain=alias.partition("@")[2], created_at=now
                        )
                    )
            except IntegrityError:
                raise Refused(taken_refusal(alias), field="alias") from None
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
        with write_transaction(self._engine) as connection:
            self._lock_household(connection, household_id)
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
        return [_deleted(row) for row in rows]

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
