"""The RememberedDevices port on SQLAlchemy Core."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.services.device_ports import RememberedDevice

device = schema.remembered_device


class SqlRememberedDevices:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self,
        mailbox_id: int,
        token_hash: str,
        label: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        with write_transaction(self._engine) as connection:
            # Expired rows of the box go when a new one comes, so they never pile up.
            connection.execute(
                delete(device).where(
                    device.c.mailbox_id == mailbox_id, device.c.expires_at <= created_at
                )
            )
            connection.execute(
                insert(device).values(
                    mailbox_id=mailbox_id,
                    token_hash=token_hash,
                    label=label,
                    created_at=created_at,
                    expires_at=expires_at,
                )
            )

    def holder_of(self, token_hash: str, now: datetime) -> int | None:
        with read_transaction(self._engine) as connection:
            mailbox_id = connection.execute(
                select(device.c.mailbox_id).where(
                    device.c.token_hash == token_hash, device.c.expires_at > now
                )
            ).scalar()
        return None if mailbox_id is None else int(mailbox_id)

    def record_use(self, token_hash: str, at: datetime) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(device).where(device.c.token_hash == token_hash).values(last_used_at=at)
            )

    def of_mailbox(self, mailbox_id: int, now: datetime) -> list[RememberedDevice]:
        with read_transaction(self._engine) as connection:
            rows = connection.execute(
                select(
                    device.c.id,
                    device.c.label,
                    device.c.created_at,
                    device.c.expires_at,
                    device.c.last_used_at,
                )
                .where(device.c.mailbox_id == mailbox_id, device.c.expires_at > now)
                .order_by(device.c.created_at, device.c.id)
            ).all()
        return [RememberedDevice(*row) for row in rows]

    def forget(self, mailbox_id: int, device_id: int) -> str | None:
        with write_transaction(self._engine) as connection:
            label = connection.execute(
                delete(device)
                .where(device.c.id == device_id, device.c.mailbox_id == mailbox_id)
                .returning(device.c.label)
            ).scalar()
        return None if label is None else str(label)

    def forget_token(self, token_hash: str) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(delete(device).where(device.c.token_hash == token_hash))

    def forget_all(self, mailbox_id: int) -> int:
        with write_transaction(self._engine) as connection:
            result = connection.execute(delete(device).where(device.c.mailbox_id == mailbox_id))
        return result.rowcount
