"""The Aliases port on SQLAlchemy Core: an alias is registered like a box's address."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, delete, func, insert, select

from mailwizard.backends import schema
from mailwizard.backends.engine import write_transaction
from mailwizard.backends.sql_addresses import register_address
from mailwizard.backends.sql_audit import write_audit
from mailwizard.backends.sql_households import household_box, lock_household
from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import taken_refusal
from mailwizard.domain.management import check_alias_count, unknown_alias
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit


def drop_aliases(connection: Connection, aliases: Sequence[str]) -> None:
    """Removes the aliases and frees their addresses."""
    if aliases:
        connection.execute(delete(schema.alias).where(schema.alias.c.address.in_(aliases)))
        connection.execute(delete(schema.address).where(schema.address.c.address.in_(aliases)))


class SqlAliases:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def add_alias(
        self, household_id: int, mailbox_address: str, alias: str, max_aliases: int, audit: Audit
    ) -> None:
        with write_transaction(self._engine) as connection:
            lock_household(connection, household_id)
            box = household_box(connection, household_id, mailbox_address)
            count = connection.execute(
                select(func.count())
                .select_from(schema.alias)
                .where(schema.alias.c.mailbox_id == box["id"])
            ).scalar_one()
            if refusal := check_alias_count(mailbox_address, count, max_aliases):
                raise Refused(refusal, field="alias")
            now = self._clock()
            if not register_address(connection, alias, now):
                raise Refused(taken_refusal(alias), field="alias")
            connection.execute(
                insert(schema.alias).values(address=alias, mailbox_id=box["id"], created_at=now)
            )
            write_audit(connection, household_id, audit, "alias.added", alias, now)

    def remove_alias(self, household_id: int, alias: str, audit: Audit) -> None:
        with write_transaction(self._engine) as connection:
            found = connection.execute(
                select(schema.alias.c.address)
                .join(schema.mailbox, schema.mailbox.c.id == schema.alias.c.mailbox_id)
                .where(
                    schema.alias.c.address == alias, schema.mailbox.c.household_id == household_id
                )
            ).first()
            if found is None:
                raise Refused(unknown_alias(alias), field="alias")
            drop_aliases(connection, [alias])
            write_audit(connection, household_id, audit, "alias.removed", alias, self._clock())
