"""The Directory port on SQLAlchemy Core: the same statements on every engine."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    RowMapping,
    bindparam,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sql_box_changes import (
    SqlBoxChanges,
    deleted_box,
    insert_if_absent,
)
from mailwizard.backends.sql_creation import (
    TAKE_PLACE,
    Creation,
    consent_row,
    creation_statement,
    mailbox_row,
)
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import taken_refusal
from mailwizard.domain.models import (
    Civility,
    HouseholdOverview,
    Identity,
    MailboxSummary,
    Role,
)
from mailwizard.domain.quota import check_contract, check_quota
from mailwizard.domain.suggestions import NumberRange
from mailwizard.errors import Refused
from mailwizard.services.ports import (
    Audit,
    Credentials,
    NewMailbox,
    OutboxMessage,
    SignInLookup,
)


def _identity(row: RowMapping) -> Identity:
    return Identity.model_construct(
        civility=Civility(row["civility"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
    )


def _credentials(row: RowMapping) -> Credentials:
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


def _add_free(found: list[int], first: int, last: int, wanted: int) -> None:
    """Adds the numbers ``first`` to ``last`` to ``found``, up to ``wanted`` in all."""
    found.extend(range(first, min(last + 1, first + wanted - len(found))))


# The look-ups of free numbers are built once per number of ranges, with the ranges as
# parameters: building them for every call took longer than running them.


def _range_values(domain: str, ranges: Sequence[NumberRange]) -> dict[str, object]:
    values: dict[str, object] = {"domain": domain}
    for index, numbers in enumerate(ranges):
        values |= {
            f"stem_{index}": numbers.stem,
            f"first_{index}": numbers.first,
            f"last_{index}": numbers.last,
        }
    return values


def _in_range(index: int) -> tuple[ColumnElement[bool], ...]:
    address = schema.address
    return (
        address.c.domain == bindparam("domain"),
        address.c.stem == bindparam(f"stem_{index}"),
        address.c.number.between(bindparam(f"first_{index}"), bindparam(f"last_{index}")),
    )


@cache
def _usage_query(range_count: int) -> CompoundSelect[Any]:
    """Per range: its position, how many of its numbers are taken, the lowest and highest."""
    number = schema.address.c.number
    return union_all(
        *(
            select(literal(index), func.count(), func.min(number), func.max(number)).where(
                *_in_range(index)
            )
            for index in range(range_count)
        )
    )


@cache
def _holes_query(range_count: int, wanted: int) -> CompoundSelect[Any]:
    """Per range: its position and its first ``wanted`` taken numbers followed by a free
    one, each with the next taken number (or the one after the range)."""
    number = schema.address.c.number
    queries = []
    for index in range(range_count):
        after_range: ColumnElement[int] = bindparam(f"last_{index}") + 1
        following = func.lead(number, 1, after_range).over(order_by=number)
        taken = (
            select(literal(index).label("range"), number, following.label("following"))
            .where(*_in_range(index))
            .subquery()
        )
        holes = (
            select(taken)
            .where(taken.c.following > taken.c.number + 1)
            .order_by(taken.c.number)
            .limit(wanted)
            .subquery()
        )
        queries.append(select(holes))
    return union_all(*queries)


class SqlDirectory(SqlBoxChanges):
    """Households, new boxes, and what the wizard reads."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        super().__init__(engine, clock)
        # A household's domains are written with it and never change: every check of a
        # typed address needs them, and the directory is asked once per household.
        self._cached_domains = lru_cache(maxsize=4096)(self._read_domains)

    def _insert_mailbox(
        self, connection: Connection, household_id: int, mailbox: NewMailbox, role: Role
    ) -> int | None:
        """The new box's id; None if the address is taken."""
        now = self._clock()
        if not self._register(connection, mailbox.address, now):
            return None
        mailbox_id = connection.execute(
            insert(schema.mailbox)
            .returning(schema.mailbox.c.id)
            .values(mailbox_row(household_id, mailbox, role, now))
        ).scalar_one()
        return int(mailbox_id)

    def create_household(
        self, domain: str, holder: NewMailbox, max_secondary: int, audit: Audit
    ) -> int:
        with write_transaction(self._engine) as connection:
            # Two households may start on one new domain at the same moment.
            connection.execute(
                insert_if_absent(connection, schema.domain).values(
                    name=domain, created_at=self._clock()
                )
            )
            household_id = connection.execute(
                insert(schema.household)
                .returning(schema.household.c.id)
                .values(
                    contract_active=True,
                    max_secondary=max_secondary,
                    secondary_count=0,
                    created_at=self._clock(),
                )
            ).scalar_one()
            connection.execute(
                insert(schema.household_domain).values(household_id=household_id, domain=domain)
            )
            if self._insert_mailbox(connection, household_id, holder, Role.PRIMARY) is None:
                raise Refused(taken_refusal(holder.address), field="address")
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
        return None if row is None else _credentials(row)

    def sign_in_lookup(self, address: str) -> SignInLookup:
        # The box at or after the address in the index's order, then the first box (for
        # an address after the last): one query whether the address exists or not.
        mailbox = schema.mailbox
        following = (
            select(literal(0).label("place"), mailbox)
            .where(mailbox.c.username >= address)
            .order_by(mailbox.c.username)
            .limit(1)
            .subquery()
        )
        first = (
            select(literal(1).label("place"), mailbox)
            .order_by(mailbox.c.username)
            .limit(1)
            .subquery()
        )
        both = union_all(select(following), select(first)).subquery()
        with read_transaction(self._engine) as connection:
            row = (
                connection.execute(select(both).order_by(both.c.place).limit(1)).mappings().first()
            )
        if row is None:
            return SignInLookup(None, None)
        if row["username"] != address:
            return SignInLookup(None, row["password"])
        return SignInLookup(_credentials(row), row["password"])

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
        return self._cached_domains(household_id)

    def _read_domains(self, household_id: int) -> tuple[str, ...]:
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

    def free_numbers(
        self, domain: str, ranges: Sequence[NumberRange], wanted: int
    ) -> list[list[int]]:
        # A stem's numbered addresses mostly run without a hole from 2 up, as each
        # namesake takes the lowest free number: the count, lowest and highest taken
        # numbers of a range (one pass in the index) find its free numbers then. Only
        # ranges with holes inside are read again, for their first holes.
        if not ranges:
            return []
        free: list[list[int]] = [[] for _ in ranges]
        with_holes = []
        with read_transaction(self._engine) as connection:
            usage = connection.execute(_usage_query(len(ranges)), _range_values(domain, ranges))
            for index, count, lowest, highest in usage:
                numbers, found = ranges[index], free[index]
                if count == 0:
                    _add_free(found, numbers.first, numbers.last, wanted)
                    continue
                _add_free(found, numbers.first, lowest - 1, wanted)
                # Numbers are unique within a stem: no hole if there are as many as the span.
                if highest - lowest + 1 == count:
                    _add_free(found, highest + 1, numbers.last, wanted)
                elif len(found) < wanted:
                    with_holes.append(index)
            if not with_holes:
                return free
            holes = connection.execute(
                _holes_query(len(with_holes), wanted),
                _range_values(domain, [ranges[index] for index in with_holes]),
            ).all()
        for position, taken, following in sorted(holes):
            _add_free(free[with_holes[position]], taken + 1, following - 1, wanted)
        return free

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
            counted, mailbox_id = self._try_create(connection, creation)
            if not counted:
                household = self._lock_household(connection, household_id)
                if refusal := check_contract(household["contract_active"]) or check_quota(
                    household["secondary_count"], household["max_secondary"]
                ):
                    raise Refused(refusal)
                # A deletion freed a place since the first try; the household is locked now.
                _, mailbox_id = self._try_create(connection, creation)
            if mailbox_id is None:
                raise Refused(taken_refusal(mailbox.address), field="address")
        return creation.now

    def _try_create(self, connection: Connection, creation: Creation) -> tuple[bool, int | None]:
        """Whether the household had a place for the box, and the box's id if its
        address was free as well. A taken address leaves the place counted: the caller's
        refusal rolls it back."""
        if connection.dialect.name == "postgresql":
            counted, mailbox_id = connection.execute(
                creation_statement(len(creation.messages)), creation.parameters()
            ).one()
            return counted is not None, mailbox_id
        household_id = creation.household_id
        if connection.execute(TAKE_PLACE, {"household_id": household_id}).first() is None:
            return False, None
        mailbox_id = self._insert_mailbox(
            connection, household_id, creation.mailbox, Role.SECONDARY
        )
        if mailbox_id is None:
            return True, None
        connection.execute(
            insert(schema.consent).values(
                mailbox_id=mailbox_id,
                **consent_row(creation.terms_version, creation.audit, creation.now),
            )
        )
        self._queue(connection, creation.messages)
        self._audit(
            connection, household_id, creation.audit, "mailbox.created", creation.mailbox.address
        )
        return True, mailbox_id

    def set_contract_active(self, household_id: int, active: bool, audit: Audit) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.household)
                .where(schema.household.c.id == household_id)
                .values(contract_active=active)
            )
            action = "contract.resumed" if active else "contract.suspended"
            self._audit(connection, household_id, audit, action, None)
