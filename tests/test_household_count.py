"""The count of live secondary boxes that every household keeps, on both engines: the
quota is checked against it, so it must follow every creation, deletion and purge."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, Table, func, select

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from hand_clock import HandClock
from mailwizard.backends import schema, sql_households, sql_mailboxes
from mailwizard.backends.sql_households import SqlHouseholds
from mailwizard.backends.sql_mailboxes import SqlMailboxes
from mailwizard.bootstrap import Services
from mailwizard.domain.addresses import mailbox_home
from mailwizard.domain.models import Identity
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, Credentials, NewMailbox, OutboxMessage
from mailwizard.services.provisioning import notice

AUDIT = Audit(actor="test", origin="test")
PERSON = Identity(civility="x", first_name="Camille", last_name="Petit")
MAX_SECONDARY = 3
ADDRESSES = 5
_domains = itertools.count()


@pytest.fixture
def households(services: Services, clock: HandClock) -> SqlHouseholds:
    return SqlHouseholds(services.engine, clock)


@pytest.fixture
def mailboxes(services: Services, clock: HandClock) -> SqlMailboxes:
    return SqlMailboxes(services.engine, clock)


def no_messages(deleted: Credentials) -> list[OutboxMessage]:
    return []


def box(address: str) -> NewMailbox:
    return NewMailbox(address, "{ARGON2ID}not-used-here", PERSON, "fr")


def new_household(households: SqlHouseholds) -> tuple[int, str]:
    domain = f"count{next(_domains)}.example"
    household_id = households.create_household(
        domain, box(f"holder@{domain}"), MAX_SECONDARY, AUDIT
    )
    return household_id, domain


def counts(engine: Engine, household_id: int) -> tuple[int, int]:
    """The household's count, and its secondary boxes not deleted."""
    mailbox = schema.mailbox
    with engine.connect() as connection:
        kept = connection.execute(
            select(schema.household.c.secondary_count).where(schema.household.c.id == household_id)
        ).scalar_one()
        live = connection.execute(
            select(func.count()).where(
                mailbox.c.household_id == household_id,
                mailbox.c.role == "secondary",
                mailbox.c.deleted_at.is_(None),
            )
        ).scalar_one()
    return kept, live


@dataclass
class Household:
    """What the household should hold after each step."""

    live: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    contract_active: bool = True

    def creation_refusal(self, number: int) -> str | None:
        if not self.contract_active:
            return "contract.suspended"
        if len(self.live) >= MAX_SECONDARY:
            return "quota.reached"
        if number in self.live | self.deleted:
            return "address.taken"
        return None


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "delete", "purge", "suspend box", "contract"]),
        st.integers(0, ADDRESSES - 1),
    ),
    max_size=25,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_count_follows_creations_deletions_and_purges(
    services: Services,
    households: SqlHouseholds,
    mailboxes: SqlMailboxes,
    clock: HandClock,
    steps: list[tuple[str, int]],
) -> None:
    household_id, domain = new_household(households)
    expected = Household()
    for step, number in steps:
        address = f"box{number}@{domain}"
        if step == "create":
            refusal = expected.creation_refusal(number)
            try:
                mailboxes.create_secondary(household_id, box(address), "1", [], AUDIT)
            except Refused as refused:
                assert refused.code == refusal
                if refusal == "quota.reached":
                    assert refused.refusal.params == {
                        "count": MAX_SECONDARY,
                        "maximum": MAX_SECONDARY,
                    }
            else:
                assert refusal is None
                expected.live.add(number)
        elif step == "delete":
            try:
                mailboxes.delete_mailbox(
                    household_id, address, clock() + timedelta(days=30), no_messages, AUDIT
                )
            except Refused:
                assert number not in expected.live
            else:
                expected.live.remove(number)
                expected.deleted.add(number)
        elif step == "purge":
            mailboxes.purge_mailbox(address, AUDIT)
            expected.deleted.discard(number)
        elif step == "suspend box":
            if number in expected.live:
                mailboxes.set_mailbox_active(household_id, address, False, AUDIT)
        else:
            expected.contract_active = not expected.contract_active
            households.set_contract_active(household_id, expected.contract_active, AUDIT)
        assert counts(services.engine, household_id) == (len(expected.live), len(expected.live))


@pytest.mark.parametrize("directory_engine", ["postgresql"])
def test_a_place_freed_between_the_count_and_the_lock_is_taken(
    services: Services,
    households: SqlHouseholds,
    mailboxes: SqlMailboxes,
    clock: HandClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL a full household is not locked by the refused count: a deletion
    may commit before the creation locks it to read why, and the creation then goes on."""
    household_id, domain = new_household(households)
    for number in range(MAX_SECONDARY):
        mailboxes.create_secondary(household_id, box(f"box{number}@{domain}"), "1", [], AUDIT)
    other = SqlMailboxes(services.engine, clock)

    def delete_first(connection: Connection, locked_id: int) -> RowMapping:
        other.delete_mailbox(
            household_id, f"box0@{domain}", clock() + timedelta(days=1), no_messages, AUDIT
        )
        return sql_households.lock_household(connection, locked_id)

    monkeypatch.setattr(sql_mailboxes, "lock_household", delete_first)
    mailboxes.create_secondary(household_id, box(f"late@{domain}"), "1", [], AUDIT)

    assert counts(services.engine, household_id) == (MAX_SECONDARY, MAX_SECONDARY)


def test_a_creation_writes_the_same_rows_on_both_engines(
    services: Services, households: SqlHouseholds, mailboxes: SqlMailboxes, clock: HandClock
) -> None:
    """PostgreSQL creates a box in one statement, SQLite step by step: the same rows."""
    household_id, domain = new_household(households)
    address = f"lea.martin2@{domain}"
    messages = [
        notice("holder_confirmation", f"holder@{domain}", "fr", {"address": address}),
        notice("welcome", address, "en", {"address": address}),
    ]
    mailboxes.create_secondary(household_id, box(address), "7", messages, AUDIT)

    def rows(table: Table, *where: ColumnElement[bool]) -> list[dict[str, object]]:
        with services.engine.connect() as connection:
            return [dict(row) for row in connection.execute(select(table).where(*where)).mappings()]

    now = clock()
    (created,) = rows(schema.mailbox, schema.mailbox.c.username == address)
    assert created == {
        "id": created["id"], "username": address, "password": "{ARGON2ID}not-used-here",
        "maildir": mailbox_home(address), "active": True, "household_id": household_id,
        "role": "secondary", "civility": "neutral", "first_name": "Camille", "last_name": "Petit",
        "language": "fr", "created_at": now, "deleted_at": None, "purge_after": None,
        "activation_hash": None, "activation_expires_at": None, "activated_at": None,
    }  # fmt: skip
    assert rows(schema.address, schema.address.c.address == address) == [
        {"address": address, "domain": domain, "created_at": now, "stem": "lea.martin", "number": 2}
    ]
    (consent,) = rows(schema.consent, schema.consent.c.mailbox_id == created["id"])
    assert consent | {"id": None} == {
        "id": None, "mailbox_id": created["id"], "terms_version": "7", "accepted_at": now,
        "accepted_by": AUDIT.actor,
    }  # fmt: skip
    queued = rows(schema.outbox, schema.outbox.c.message_id.in_([m.message_id for m in messages]))
    by_recipient = sorted(queued, key=lambda row: str(row["recipient"]))
    assert [row | {"id": None} for row in by_recipient] == [
        {
            "id": None, "message_id": message.message_id, "recipient": message.recipient,
            "language": message.language, "template": message.template,
            "context": json.dumps({"address": address}), "status": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now, "sent_at": None, "last_error": None,
        }
        for message in sorted(messages, key=lambda message: message.recipient)
    ]  # fmt: skip
    (audited,) = rows(schema.audit_log, schema.audit_log.c.target == address)
    assert audited | {"id": None} == {
        "id": None, "at": now, "household_id": household_id, "actor": AUDIT.actor,
        "origin": AUDIT.origin, "action": "mailbox.created", "target": address,
    }  # fmt: skip
