"""The address registry on SQLAlchemy Core: one row per address a box or an alias holds,
with its stem and number, under a unique key that makes addresses unique on every
engine whoever races for them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Insert,
    Table,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction
from mailwizard.domain.suggestions import NumberRange, split_number


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


def register_address(connection: Connection, address: str, created_at: datetime) -> bool:
    """Adds ``address`` to the registry; False if a box or alias holds it already.

    A taken address is skipped rather than raised, so the transaction needs no
    savepoint around it: two statements fewer on PostgreSQL."""
    registered = connection.execute(
        insert_if_absent(connection, schema.address)
        .values(registry_row(address, created_at))
        .returning(schema.address.c.address)
    ).first()
    return registered is not None


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


class SqlAddressRegistry:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

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
