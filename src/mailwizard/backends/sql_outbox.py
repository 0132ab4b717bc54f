"""The Outbox port on SQLAlchemy Core.

A message is claimed by moving it to ``sending`` with a lease (``next_attempt_at``) in a
write transaction: another flush running at the same time skips it, and a flush killed
in the middle leaves it to be claimed again once the lease has run out.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, RowMapping, and_, func, insert, or_, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.services.ports import OutboxMessage, QueuedMessage, Waiting

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def outbox_row(message: OutboxMessage, now: datetime) -> dict[str, object]:
    """The outbox's row for ``message``, due at once."""
    return {
        "message_id": message.message_id,
        "recipient": message.recipient,
        "language": message.language,
        "template": message.template,
        "context": json.dumps(message.context, ensure_ascii=False),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def queue_messages(
    connection: Connection, messages: Sequence[OutboxMessage], now: datetime
) -> None:
    """Writes an action's e-mails in the transaction of the action."""
    if messages:
        # One statement with a row per message: on PostgreSQL one round trip for all.
        connection.execute(
            insert(schema.outbox).values([outbox_row(message, now) for message in messages])
        )


def _queued(row: RowMapping) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        message_id=row["message_id"],
        recipient=row["recipient"],
        language=row["language"],
        template=row["template"],
        context=json.loads(row["context"]),
        created_at=row["created_at"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
    )


class SqlOutbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim_due_messages(
        self, now: datetime, lease: timedelta, limit: int, *, waiting_too: bool = False
    ) -> list[QueuedMessage]:
        outbox = schema.outbox
        # A message being sent stays its sender's until the lease runs out, even when
        # a person asks for the waiting ones at once.
        is_due = outbox.c.next_attempt_at <= now
        due = or_(
            outbox.c.status == PENDING if waiting_too else and_(outbox.c.status == PENDING, is_due),
            and_(outbox.c.status == SENDING, is_due),
        )
        with write_transaction(self._engine) as connection:
            rows = (
                connection.execute(
                    select(outbox)
                    .where(due)
                    .order_by(outbox.c.next_attempt_at, outbox.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                .mappings()
                .all()
            )
            if rows:
                connection.execute(
                    update(outbox)
                    .where(outbox.c.id.in_([row["id"] for row in rows]))
                    .values(status=SENDING, next_attempt_at=now + lease)
                )
        return [_queued(row) for row in rows]

    def record_sent(self, message_id: int, at: datetime) -> None:
        self._update(message_id, status=SENT, sent_at=at, attempts=schema.outbox.c.attempts + 1)

    def record_retry(self, message_id: int, retry_at: datetime, reason: str) -> None:
        self._update(
            message_id,
            status=PENDING,
            next_attempt_at=retry_at,
            last_error=reason,
            attempts=schema.outbox.c.attempts + 1,
        )

    def record_failed(self, message_id: int, reason: str) -> None:
        self._update(
            message_id, status=FAILED, last_error=reason, attempts=schema.outbox.c.attempts + 1
        )

    def _update(self, message_id: int, **values: object) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.outbox).where(schema.outbox.c.id == message_id).values(**values)
            )

    def waiting(self) -> Waiting:
        outbox = schema.outbox
        with read_transaction(self._engine) as connection:
            count, earliest = connection.execute(
                select(func.count(), func.min(outbox.c.next_attempt_at)).where(
                    outbox.c.status.in_([PENDING, SENDING])
                )
            ).one()
        return Waiting(count, earliest)

    def failed_for(self, recipients: Collection[str]) -> list[QueuedMessage]:
        outbox = schema.outbox
        with read_transaction(self._engine) as connection:
            rows = connection.execute(
                select(outbox)
                .where(outbox.c.status == FAILED, outbox.c.recipient.in_(list(recipients)))
                .order_by(outbox.c.created_at, outbox.c.id)
            ).mappings()
            return [_queued(row) for row in rows]

    def outbox(self) -> list[QueuedMessage]:
        with read_transaction(self._engine) as connection:
            rows = connection.execute(
                select(schema.outbox).order_by(schema.outbox.c.created_at, schema.outbox.c.id)
            ).mappings()
            return [_queued(row) for row in rows]
