"""The Households port on SQLAlchemy Core, with the household's lock and the look-up of
its boxes that the other adapters' transactions share."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    and_,
    case,
    insert,
    select,
    update,
)

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sql_addresses import insert_if_absent
from mailwizard.backends.sql_audit import write_audit
from mailwizard.backends.sql_creation import insert_mailbox
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import taken_refusal
from mailwizard.domain.management import already_deleted, primary_untouchable, unknown_mailbox
from mailwizard.domain.models import (
    Civility,
    DeletedMailbox,
    HouseholdOverview,
    MailboxSummary,
    Role,
)
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, NewMailbox

LIVE_BOX = schema.mailbox.c.deleted_at.is_(None)
"""Boxes not deleted: the ones that count, sign in and can change."""

NOT_ACTIVATED: ColumnElement[bool] = and_(
    schema.mailbox.c.activation_hash.is_not(None),
    schema.mailbox.c.activated_at.is_(None),
    LIVE_BOX,
)
"""Boxes created with a code that nobody has used yet, and not deleted."""


def lock_household(connection: Connection, household_id: int) -> RowMapping:
    """Serialises the household's writers: quota and alias counts stay exact."""
    return (
        connection.execute(
            select(schema.household).where(schema.household.c.id == household_id).with_for_update()
        )
        .mappings()
        .one()
    )


def _box_row(
    connection: Connection, household_id: int, address: str, *where: ColumnElement[bool]
) -> RowMapping | None:
    return (
        connection.execute(
            select(schema.mailbox).where(
                schema.mailbox.c.username == address,
                schema.mailbox.c.household_id == household_id,
                *where,
            )
        )
        .mappings()
        .first()
    )


def household_box(connection: Connection, household_id: int, address: str) -> RowMapping:
    """The household's box at ``address``, not deleted; refused otherwise."""
    row = _box_row(connection, household_id, address, LIVE_BOX)
    if row is None:
        raise Refused(unknown_mailbox(address), field="address")
    return row


def secondary_box(connection: Connection, household_id: int, address: str) -> RowMapping:
    """The household's secondary box at ``address``, not deleted; refused otherwise,
    saying so of a box already deleted and of the primary box."""
    row = _box_row(connection, household_id, address)
    if row is None:
        raise Refused(unknown_mailbox(address), field="address")
    if row["deleted_at"] is not None:
        raise Refused(already_deleted(address, row["purge_after"]), field="address")
    if row["role"] != Role.SECONDARY.value:
        raise Refused(primary_untouchable(address), field="address")
    return row


def deleted_box(row: RowMapping) -> DeletedMailbox:
    return DeletedMailbox(
        address=row["username"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        deleted_at=row["deleted_at"],
        purge_after=row["purge_after"],
    )


def _summary(row: RowMapping, aliases: tuple[str, ...], now: datetime) -> MailboxSummary:
    awaiting_until = row["awaiting_activation_until"]
    return MailboxSummary(
        address=row["username"],
        role=Role(row["role"]),
        civility=Civility(row["civility"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
        active=row["active"],
        created_at=row["created_at"],
        aliases=aliases,
        awaiting_activation_until=awaiting_until,
        activation_expired=awaiting_until is not None and awaiting_until <= now,
    )


def _domains(connection: Connection, household_id: int) -> tuple[str, ...]:
    return tuple(
        connection.execute(
            select(schema.household_domain.c.domain)
            .where(schema.household_domain.c.household_id == household_id)
            .order_by(schema.household_domain.c.domain)
        ).scalars()
    )


class SqlHouseholds:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        # A household's domains are written with it and never change: every check of a
        # typed address needs them, and the directory is asked once per household.
        self._cached_domains = lru_cache(maxsize=4096)(self._read_domains)

    def create_household(
        self, domain: str, holder: NewMailbox, max_secondary: int, audit: Audit
    ) -> int:
        now = self._clock()
        with write_transaction(self._engine) as connection:
            # Two households may start on one new domain at the same moment.
            connection.execute(
                insert_if_absent(connection, schema.domain).values(name=domain, created_at=now)
            )
            household_id = connection.execute(
                insert(schema.household)
                .returning(schema.household.c.id)
                .values(
                    contract_active=True,
                    max_secondary=max_secondary,
                    secondary_count=0,
                    created_at=now,
                )
            ).scalar_one()
            connection.execute(
                insert(schema.household_domain).values(household_id=household_id, domain=domain)
            )
            if insert_mailbox(connection, household_id, holder, Role.PRIMARY, now) is None:
                raise Refused(taken_refusal(holder.address), field="address")
            write_audit(connection, household_id, audit, "household.created", holder.address, now)
        return int(household_id)

    def has_households(self) -> bool:
        with read_transaction(self._engine) as connection:
            return connection.execute(select(schema.household.c.id).limit(1)).first() is not None

    def household_of_primary(self, address: str) -> int | None:
        with read_transaction(self._engine) as connection:
            household_id = connection.execute(
                select(schema.mailbox.c.household_id).where(
                    schema.mailbox.c.username == address,
                    schema.mailbox.c.role == Role.PRIMARY.value,
                )
            ).scalar()
        return None if household_id is None else int(household_id)

    def domains(self, household_id: int) -> tuple[str, ...]:
        return self._cached_domains(household_id)

    def all_domains(self) -> tuple[str, ...]:
        with read_transaction(self._engine) as connection:
            return tuple(
                connection.execute(
                    select(schema.household_domain.c.domain).order_by(
                        schema.household_domain.c.domain
                    )
                ).scalars()
            )

    def _read_domains(self, household_id: int) -> tuple[str, ...]:
        with read_transaction(self._engine) as connection:
            return _domains(connection, household_id)

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
                    select(
                        mailbox,
                        case((NOT_ACTIVATED, mailbox.c.activation_expires_at)).label(
                            "awaiting_activation_until"
                        ),
                    )
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
            domain_names = _domains(connection, household_id)
        aliases: dict[str, list[str]] = {}
        for alias_address, box_address in alias_rows:
            aliases.setdefault(box_address, []).append(alias_address)
        now = self._clock()
        summaries = [
            _summary(row, tuple(aliases.get(row["username"], ())), now)
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

    def set_contract_active(self, household_id: int, active: bool, audit: Audit) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.household)
                .where(schema.household.c.id == household_id)
                .values(contract_active=active)
            )
            action = "contract.resumed" if active else "contract.suspended"
            write_audit(connection, household_id, audit, action, None, self._clock())
