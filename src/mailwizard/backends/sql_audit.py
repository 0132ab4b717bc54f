"""The audit log on SQLAlchemy Core: the line every change writes in its own
transaction, and the AuditLog port for what changes nothing else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.audit import ACTION_MAX, ACTOR_MAX, ORIGIN_MAX, TARGET_MAX, stored
from mailwizard.domain.models import AuditEntry
from mailwizard.services.ports import Audit


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


class SqlAuditLog:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def record_audit(
        self, household_id: int | None, audit: Audit, action: str, target: str | None
    ) -> None:
        with write_transaction(self._engine) as connection:
            write_audit(connection, household_id, audit, action, target, self._clock())

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
