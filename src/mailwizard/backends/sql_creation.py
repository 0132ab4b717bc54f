"""A new box as rows; a new secondary box, on PostgreSQL, as one statement.

On PostgreSQL a box's creation is one statement of data-modifying CTEs: the household
takes the place (a conditional UPDATE, which also locks it), the address is
registered, and only if both happened do the box, its consent, its e-mails and the
audit line go in. One round trip instead of seven; SQLite, in process, runs the same
steps one statement at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    FromClause,
    Select,
    Table,
    bindparam,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert

from mailwizard.backends import schema
from mailwizard.backends.sql_addresses import register_address, registry_row
from mailwizard.backends.sql_audit import audit_row
from mailwizard.backends.sql_outbox import outbox_row
from mailwizard.domain.addresses import mailbox_home
from mailwizard.domain.models import Role
from mailwizard.services.ports import Audit, NewMailbox, OutboxMessage

_household = schema.household

TAKE_PLACE = (
    update(_household)
    .where(
        _household.c.id == bindparam("household_id"),
        _household.c.contract_active,
        _household.c.secondary_count < _household.c.max_secondary,
    )
    .values(secondary_count=_household.c.secondary_count + 1)
    .returning(_household.c.id)
)
"""Counts one more box if the contract runs and the quota allows it, and keeps the
household locked until the transaction ends; no row (and no lock) otherwise."""


def mailbox_row(
    household_id: int, mailbox: NewMailbox, role: Role, now: datetime
) -> dict[str, object]:
    return {
        "username": mailbox.address,
        "password": mailbox.password_hash,
        "maildir": mailbox_home(mailbox.address),
        "active": True,
        "household_id": household_id,
        "role": role.value,
        "civility": mailbox.identity.civility.value,
        "first_name": mailbox.identity.first_name,
        "last_name": mailbox.identity.last_name,
        "language": mailbox.language,
        "created_at": now,
        "activation_hash": None if mailbox.activation is None else mailbox.activation.code_hash,
        "activation_expires_at": None
        if mailbox.activation is None
        else mailbox.activation.expires_at,
    }


def insert_mailbox(
    connection: Connection, household_id: int, mailbox: NewMailbox, role: Role, now: datetime
) -> int | None:
    """The new box's id; None if the address is taken."""
    if not register_address(connection, mailbox.address, now):
        return None
    mailbox_id = connection.execute(
        insert(schema.mailbox)
        .returning(schema.mailbox.c.id)
        .values(mailbox_row(household_id, mailbox, role, now))
    ).scalar_one()
    return int(mailbox_id)


def consent_row(terms_version: str, audit: Audit, now: datetime) -> dict[str, object]:
    """The consent's row, but for the box's id, which the database gives."""
    return {"terms_version": terms_version, "accepted_at": now, "accepted_by": audit.actor}


def _parameters(prefix: str, row: dict[str, object]) -> dict[str, object]:
    return {f"{prefix}_{name}": value for name, value in row.items()}


def _row_of_parameters(
    prefix: str, table: Table, names: Sequence[str], *, after: FromClause
) -> Select[Any]:
    """A row of the parameters ``prefix_name``, one per row of ``after``: none if the
    step before inserted nothing."""
    return select(
        *(bindparam(f"{prefix}_{name}", type_=table.c[name].type) for name in names)
    ).select_from(after)


_ADDRESS_COLUMNS = ("address", "domain", "stem", "number", "created_at")
_MAILBOX_COLUMNS = (
    "username", "password", "maildir", "active", "household_id", "role", "civility",
    "first_name", "last_name", "language", "created_at", "activation_hash",
    "activation_expires_at",
)  # fmt: skip
_CONSENT_COLUMNS = ("terms_version", "accepted_at", "accepted_by")
_OUTBOX_COLUMNS = (
    "message_id", "recipient", "language", "template", "context", "status", "attempts",
    "next_attempt_at", "created_at",
)  # fmt: skip
_AUDIT_COLUMNS = ("at", "household_id", "actor", "origin", "action", "target")


@cache
def creation_statement(message_count: int) -> Select[int | None, int | None]:
    """The whole creation on PostgreSQL: whether the household took the place, and the
    new box's id (none if the quota, the contract or a taken address refused it)."""
    counted = TAKE_PLACE.cte("counted")
    address = schema.address
    registered = (
        postgresql_insert(address)
        .from_select(
            _ADDRESS_COLUMNS,
            _row_of_parameters("address", address, _ADDRESS_COLUMNS, after=counted),
        )
        .on_conflict_do_nothing()
        .returning(address.c.address)
        .cte("registered")
    )
    box = (
        insert(schema.mailbox)
        .from_select(
            _MAILBOX_COLUMNS,
            _row_of_parameters("mailbox", schema.mailbox, _MAILBOX_COLUMNS, after=registered),
        )
        .returning(schema.mailbox.c.id)
        .cte("box")
    )
    consent = schema.consent
    consented = insert(consent).from_select(
        ["mailbox_id", *_CONSENT_COLUMNS],
        select(
            box.c.id,
            *(
                bindparam(f"consent_{name}", type_=consent.c[name].type)
                for name in _CONSENT_COLUMNS
            ),
        ),
    )
    audited = insert(schema.audit_log).from_select(
        _AUDIT_COLUMNS, _row_of_parameters("audit", schema.audit_log, _AUDIT_COLUMNS, after=box)
    )
    ctes = [consented.cte("consented"), audited.cte("audited")]
    if message_count:
        messages = [
            _row_of_parameters(f"outbox{index}", schema.outbox, _OUTBOX_COLUMNS, after=box)
            for index in range(message_count)
        ]
        queued = insert(schema.outbox).from_select(_OUTBOX_COLUMNS, union_all(*messages))
        ctes.append(queued.cte("queued"))
    return select(
        select(counted.c.id).scalar_subquery(), select(box.c.id).scalar_subquery()
    ).add_cte(*ctes)


@dataclass(frozen=True)
class Creation:
    """A secondary box to create, with what goes in with it."""

    household_id: int
    mailbox: NewMailbox
    terms_version: str
    messages: Sequence[OutboxMessage]
    audit: Audit
    now: datetime

    def parameters(self) -> dict[str, object]:
        """The parameters of ``creation_statement``."""
        address = self.mailbox.address
        parameters: dict[str, object] = {"household_id": self.household_id}
        parameters |= _parameters("address", registry_row(address, self.now))
        parameters |= _parameters(
            "mailbox", mailbox_row(self.household_id, self.mailbox, Role.SECONDARY, self.now)
        )
        parameters |= _parameters("consent", consent_row(self.terms_version, self.audit, self.now))
        for index, message in enumerate(self.messages):
            parameters |= _parameters(f"outbox{index}", outbox_row(message, self.now))
        parameters |= _parameters(
            "audit", audit_row(self.household_id, self.audit, "mailbox.created", address, self.now)
        )
        return parameters
