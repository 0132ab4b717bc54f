"""The Directory port on SQLAlchemy Core: the same statements on every engine."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    Connection,
    RowMapping,
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
from mailwizard.backends.sql_box_changes import LIVE_BOX, SqlBoxChanges, deleted_box
from mailwizard.domain.addresses import mailbox_home, taken_refusal
from mailwizard.domain.models import (
    Civility,
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


class SqlDirectory(SqlBoxChanges):
    """Households, new boxes, and what the wizard reads."""

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
            deleted=tuple(deleted_box(row) for row in boxes if row["deleted_at"] is not None),
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
                    LIVE_BOX,
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
