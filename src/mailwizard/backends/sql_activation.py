"""The activation of boxes on SQLAlchemy Core: each one's code hash, its end, and when it
was used, in the box's own row (see migration 0010).

Using a code and issuing a new one are each one conditional UPDATE: of two activations
with the same code at the same moment, only one finds the box still awaiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, and_, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.backends.sql_audit import write_audit
from mailwizard.backends.sql_households import LIVE_BOX, NOT_ACTIVATED
from mailwizard.backends.sql_outbox import queue_messages
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.models import Civility, Identity, Role
from mailwizard.services.ports import ActivationLookup, Audit, OutboxMessage, PendingActivation

_mailbox = schema.mailbox
_holder = schema.mailbox.alias("holder")


def _identity(civility: str, first_name: str, last_name: str) -> Identity:
    return Identity.model_construct(
        civility=Civility(civility), first_name=first_name, last_name=last_name
    )


class SqlActivations:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def lookup(self, address: str) -> ActivationLookup | None:
        query = (
            select(
                _mailbox,
                _holder.c.username.label("holder_address"),
                _holder.c.civility.label("holder_civility"),
                _holder.c.first_name.label("holder_first_name"),
                _holder.c.last_name.label("holder_last_name"),
                _holder.c.language.label("holder_language"),
            )
            .join(
                _holder,
                and_(
                    _holder.c.household_id == _mailbox.c.household_id,
                    _holder.c.role == Role.PRIMARY.value,
                ),
            )
            .where(
                _mailbox.c.username == address,
                _mailbox.c.activation_hash.is_not(None),
                LIVE_BOX,
            )
        )
        with read_transaction(self._engine) as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return ActivationLookup(
            mailbox_id=row["id"],
            household_id=row["household_id"],
            address=row["username"],
            identity=_identity(row["civility"], row["first_name"], row["last_name"]),
            language=row["language"],
            code_hash=row["activation_hash"],
            expires_at=row["activation_expires_at"],
            activated_at=row["activated_at"],
            holder_address=row["holder_address"],
            holder_identity=_identity(
                row["holder_civility"], row["holder_first_name"], row["holder_last_name"]
            ),
            holder_language=row["holder_language"],
        )

    def activate(
        self,
        mailbox_id: int,
        password_hash: str,
        now: datetime,
        messages: Sequence[OutboxMessage],
        audit: Audit,
    ) -> bool:
        with write_transaction(self._engine) as connection:
            activated = connection.execute(
                update(_mailbox)
                .where(
                    _mailbox.c.id == mailbox_id,
                    NOT_ACTIVATED,
                    _mailbox.c.activation_expires_at > now,
                )
                .values(password=password_hash, activated_at=now)
                .returning(_mailbox.c.household_id, _mailbox.c.username)
            ).first()
            if activated is None:
                return False
            queue_messages(connection, messages, now)
            write_audit(
                connection, activated.household_id, audit, "mailbox.activated",
                activated.username, now,
            )  # fmt: skip
        return True

    def reissue(
        self, household_id: int, address: str, activation: PendingActivation, audit: Audit
    ) -> bool:
        with write_transaction(self._engine) as connection:
            changed = connection.execute(
                update(_mailbox)
                .where(
                    _mailbox.c.username == address,
                    _mailbox.c.household_id == household_id,
                    NOT_ACTIVATED,
                )
                .values(
                    activation_hash=activation.code_hash,
                    activation_expires_at=activation.expires_at,
                )
            ).rowcount
            if changed != 1:
                return False
            write_audit(
                connection, household_id, audit, "activation.reissued", address, self._clock()
            )
        return True
