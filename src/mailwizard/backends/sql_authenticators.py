"""The Authenticators port on SQLAlchemy Core, in the household's row."""

from __future__ import annotations

from sqlalchemy import Engine, or_, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sql_box_changes import write_audit
from mailwizard.clock import Clock, utc_now
from mailwizard.services.ports import Audit

household = schema.household


class SqlAuthenticators:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def totp_secret(self, household_id: int) -> str | None:
        with read_transaction(self._engine) as connection:
            secret = connection.execute(
                select(household.c.totp_secret).where(household.c.id == household_id)
            ).scalar()
        return None if secret is None else str(secret)

    def set_totp_secret(
        self, household_id: int, secret: str | None, step: int | None, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(household)
                .where(household.c.id == household_id)
                .values(totp_secret=secret, totp_last_step=step)
            )
            action = "totp.disabled" if secret is None else "totp.enrolled"
            write_audit(connection, household_id, audit, action, None, self._clock())

    def consume_totp_step(self, household_id: int, step: int) -> bool:
        # One conditional update: of two terminals using one code at once, one wins.
        with write_transaction(self._engine) as connection:
            result = connection.execute(
                update(household)
                .where(
                    household.c.id == household_id,
                    or_(household.c.totp_last_step.is_(None), household.c.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
            return result.rowcount == 1
