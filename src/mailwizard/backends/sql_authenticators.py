"""The Authenticators port on SQLAlchemy Core, in the household's row."""

from __future__ import annotations

from sqlalchemy import Engine, or_, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sealed_secrets import SecretSeal, is_sealed
from mailwizard.backends.sql_audit import write_audit
from mailwizard.clock import Clock, utc_now
from mailwizard.services.ports import Audit

household = schema.household


class SqlAuthenticators:
    """Secrets are stored sealed (see ``sealed_secrets``); one stored in clear by an
    older version is sealed the first time it is read."""

    def __init__(self, engine: Engine, seal: SecretSeal, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._seal = seal
        self._clock = clock

    def totp_secret(self, household_id: int) -> str | None:
        with read_transaction(self._engine) as connection:
            stored = connection.execute(
                select(household.c.totp_secret).where(household.c.id == household_id)
            ).scalar()
        if stored is None:
            return None
        if is_sealed(str(stored)):
            return self._seal.open(household_id, str(stored))
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(household)
                .where(household.c.id == household_id, household.c.totp_secret == stored)
                .values(totp_secret=self._seal.seal(household_id, str(stored)))
            )
        return str(stored)

    def set_totp_secret(
        self, household_id: int, secret: str | None, step: int | None, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(household)
                .where(household.c.id == household_id)
                .values(
                    totp_secret=None if secret is None else self._seal.seal(household_id, secret),
                    totp_last_step=step,
                )
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

    def record_failed_code(self, household_id: int, audit: Audit, *, locked: bool) -> None:
        with write_transaction(self._engine) as connection:
            now = self._clock()
            write_audit(connection, household_id, audit, "totp.failed", None, now)
            if locked:
                write_audit(connection, household_id, audit, "totp.locked", None, now)
