"""The SignInThrottle port on SQLAlchemy Core: one row per address that failed lately."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction

throttle = schema.signin_throttle


class SqlSignInThrottle:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def locked_until(self, address: str, now: datetime) -> datetime | None:
        with read_transaction(self._engine) as connection:
            until = connection.execute(
                select(throttle.c.locked_until).where(throttle.c.address == address)
            ).scalar()
        return until if until is not None and until > now else None

    def record_failure(
        self, address: str, now: datetime, max_failures: int, lock: timedelta
    ) -> datetime | None:
        with write_transaction(self._engine) as connection:
            dialect_insert = (
                postgresql_insert if connection.dialect.name == "postgresql" else (sqlite_insert)
            )
            fresh = dialect_insert(throttle).values(address=address, failures=1)
            # One statement, so that two terminals failing at once both count. Failures
            # before a lock that has run out do not count any more.
            failures = connection.execute(
                fresh.on_conflict_do_update(
                    index_elements=[throttle.c.address],
                    set_={
                        "failures": case(
                            (throttle.c.locked_until <= now, 1), else_=throttle.c.failures + 1
                        ),
                        "locked_until": None,
                    },
                ).returning(throttle.c.failures)
            ).scalar_one()
            if failures < max_failures:
                return None
            until = now + lock
            connection.execute(
                update(throttle).where(throttle.c.address == address).values(locked_until=until)
            )
            return until

    def clear(self, address: str) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(delete(throttle).where(throttle.c.address == address))
