"""The throttles on SQLAlchemy Core: one row per key (a typed address, a household)
that failed lately or is being tried, with its failures in a row, the end of its lock,
and the tries being verified right now.

Each step is one write transaction that locks the key's row (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: the row lock of ``INSERT … ON CONFLICT DO UPDATE``), reads it
and writes it: so of tries made at the same moment by many processes, the failures and
those being verified never add up to more than ``max_failures``. Tries whose process
died while verifying are forgotten after ``PENDING_LIFETIME``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Connection, Engine, Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.services.throttle_ports import Attempt, Lock, Wait

Key = TypeVar("Key", str, int)

PENDING_LIFETIME = timedelta(minutes=2)
"""Far longer than one verification: a try still pending then belonged to a dead process."""


class SqlThrottle(Generic[Key]):
    def __init__(self, engine: Engine, table: Table, key: Column[Key]) -> None:
        self._engine = engine
        self._table = table
        self._key: Column[Key] = key

    def locked_until(self, key: Key, now: datetime) -> datetime | None:
        with read_transaction(self._engine) as connection:
            until = connection.execute(
                select(self._table.c.locked_until).where(self._key == key)
            ).scalar()
        return until if until is not None and until > now else None

    def _locked_row(self, connection: Connection, key: Key, now: datetime) -> Any:
        """The key's row, created if need be and locked until the commit; a lock that has
        run out and tries left pending by dead processes no longer count."""
        table = self._table
        dialect_insert = (
            postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        )
        row = connection.execute(
            dialect_insert(table)
            .values({self._key.name: key, "failures": 0, "pending": 0})
            .on_conflict_do_update(index_elements=[self._key], set_={"failures": table.c.failures})
            .returning(
                table.c.failures, table.c.locked_until, table.c.pending, table.c.pending_since
            )
        ).one()
        changes: dict[str, object] = {}
        if row.locked_until is not None and row.locked_until <= now:
            changes.update(failures=0, locked_until=None)
        if row.pending_since is not None and row.pending_since < now - PENDING_LIFETIME:
            changes.update(pending=0, pending_since=None)
        if not changes:
            return row
        connection.execute(update(table).where(self._key == key).values(**changes))
        return connection.execute(
            select(
                table.c.failures, table.c.locked_until, table.c.pending, table.c.pending_since
            ).where(self._key == key)
        ).one()

    def reserve(self, key: Key, now: datetime, max_failures: int) -> Attempt | Wait | Lock:
        with write_transaction(self._engine) as connection:
            row = self._locked_row(connection, key, now)
            if row.locked_until is not None:
                return Lock(row.locked_until)
            if row.failures + row.pending >= max_failures:
                return Wait()
            connection.execute(
                update(self._table)
                .where(self._key == key)
                .values(pending=row.pending + 1, pending_since=now)
            )
        return Attempt()

    def failed(
        self, key: Key, now: datetime, max_failures: int, lock: timedelta
    ) -> datetime | None:
        with write_transaction(self._engine) as connection:
            row = self._locked_row(connection, key, now)
            failures = row.failures + 1
            until = row.locked_until
            if until is None and failures >= max_failures:
                until = now + lock
            connection.execute(
                update(self._table)
                .where(self._key == key)
                .values(failures=failures, pending=max(row.pending - 1, 0), locked_until=until)
            )
        return until if until is not None and row.locked_until is None else None

    def succeeded(self, key: Key, now: datetime) -> None:
        table = self._table
        with write_transaction(self._engine) as connection:
            row = self._locked_row(connection, key, now)
            pending = max(row.pending - 1, 0)
            if row.locked_until is None and pending == 0:
                connection.execute(delete(table).where(self._key == key))
                return
            # A lock set meanwhile by other tries stays; without one, the count starts again.
            failures = row.failures if row.locked_until is not None else 0
            connection.execute(
                update(table).where(self._key == key).values(failures=failures, pending=pending)
            )


class SqlSignInThrottle(SqlThrottle[str]):
    """Failed sign-ins per address as typed (normalised)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, schema.signin_throttle, schema.signin_throttle.c.address)


class SqlCodeThrottle(SqlThrottle[int]):
    """Wrong authenticator codes per household."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, schema.totp_throttle, schema.totp_throttle.c.household_id)
