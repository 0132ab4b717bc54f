"""Suggestions asked of a real directory, on both engines: every box and alias holds its
address, deleted or not, until it is removed or purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from hand_clock import HandClock
from mailwizard.backends import schema
from mailwizard.backends.sql_addresses import SqlAddressRegistry
from mailwizard.backends.sql_aliases import SqlAliases
from mailwizard.backends.sql_mailboxes import SqlMailboxes
from mailwizard.bootstrap import Services
from mailwizard.domain.models import Identity
from mailwizard.domain.suggestions import NumberRange, base_local_parts, split_number
from mailwizard.services.ports import Audit, Credentials, NewMailbox, OutboxMessage
from mailwizard.services.signin import SignedIn
from martin_household import DOMAIN, HOLDER
from suggestion_oracle import at, first_untaken, free_numbers_among

AUDIT = Audit(actor=HOLDER, origin="test")
RELATIVE = Identity(civility="x", first_name="Jean", last_name="Martin")
MANY_ALIASES = 10_000


@pytest.fixture
def mailboxes(services: Services, clock: HandClock) -> SqlMailboxes:
    return SqlMailboxes(services.engine, clock)


@pytest.fixture
def aliases(services: Services, clock: HandClock) -> SqlAliases:
    return SqlAliases(services.engine, clock)


def no_messages(deleted: Credentials) -> list[OutboxMessage]:
    return []


def registered(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(schema.address.c.address)).scalars())


def create_box(mailboxes: SqlMailboxes, holder: SignedIn, address: str) -> None:
    box = NewMailbox(address, "{ARGON2ID}not-used-here", RELATIVE, "fr")
    mailboxes.create_secondary(holder.household_id, box, "1", [], AUDIT)


def add_aliases(aliases: SqlAliases, holder: SignedIn, *addresses: str) -> None:
    for alias in addresses:
        aliases.add_alias(holder.household_id, HOLDER, alias, MANY_ALIASES, AUDIT)


def test_numbers_held_by_boxes_aliases_and_deleted_boxes_are_not_proposed(
    services: Services,
    mailboxes: SqlMailboxes,
    aliases: SqlAliases,
    holder: SignedIn,
    clock: HandClock,
) -> None:
    # Jean Martin's five patterns, all taken (jean.martin by the holder), then numbers
    # 2 and 3 of every pattern: boxes, aliases, a deleted box, and two that come free.
    add_aliases(aliases, holder, *at(DOMAIN, "j.martin", "martin.jean", "jean-martin"))
    add_aliases(aliases, holder, *at(DOMAIN, "jeanmartin", "j.martin2", "martin.jean2"))
    add_aliases(aliases, holder, *at(DOMAIN, "jean-martin2", "jeanmartin2", "j.martin3"))
    add_aliases(aliases, holder, *at(DOMAIN, "martin.jean3", "jean-martin3", "jeanmartin3"))
    for number in (2, 3, 4):
        create_box(mailboxes, holder, f"jean.martin{number}@{DOMAIN}")
    purge_after = clock() + timedelta(days=30)
    for deleted in (f"jean.martin3@{DOMAIN}", f"jean.martin4@{DOMAIN}"):
        mailboxes.delete_mailbox(holder.household_id, deleted, purge_after, no_messages, AUDIT)
    mailboxes.purge_mailbox(f"jean.martin4@{DOMAIN}", AUDIT)
    aliases.remove_alias(holder.household_id, f"martin.jean2@{DOMAIN}", AUDIT)

    proposals = services.provisioning.suggest(holder, "Jean", "Martin")

    assert proposals == at(
        DOMAIN, "martin.jean2", "jean.martin4", "j.martin4", "martin.jean4", "jean-martin4"
    )
    taken = registered(services.engine)
    assert f"jean.martin3@{DOMAIN}" in taken, "a deleted box keeps its address until its purge"
    assert proposals == first_untaken(base_local_parts("Jean", "Martin"), DOMAIN, taken)


def test_a_proposal_taken_meanwhile_is_no_longer_proposed(
    services: Services, mailboxes: SqlMailboxes, holder: SignedIn
) -> None:
    first = services.provisioning.suggest(holder, "Léa", "Martin")
    create_box(mailboxes, holder, first[0])
    assert first[0] not in services.provisioning.suggest(holder, "Léa", "Martin")


STEMS = ("jean.martin", "j.martin", "x0", "agent.00", "bo.")
NUMBERS = st.one_of(st.integers(0, 40), st.integers(0, 10**12))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    added=st.sets(st.tuples(st.sampled_from(STEMS), NUMBERS), max_size=12),
    asked=st.lists(
        st.tuples(st.sampled_from(STEMS), st.integers(0, 45), st.integers(0, 60)),
        min_size=1,
        max_size=6,
    ),
    wanted=st.integers(1, 6),
)
def test_the_directory_finds_the_free_numbers_the_registry_leaves(
    services: Services,
    aliases: SqlAliases,
    holder: SignedIn,
    added: set[tuple[str, int]],
    asked: list[tuple[str, int, int]],
    wanted: int,
) -> None:
    """Whatever holes the taken numbers leave, the directory's answer is the one found
    by checking number after number; and every address registered, box or alias,
    carries the stem and number it splits into."""
    taken_before = registered(services.engine)
    new = {f"{stem}{number or ''}@{DOMAIN}" for stem, number in added} - taken_before
    add_aliases(aliases, holder, *sorted(new))
    ranges = [NumberRange(stem, first, first + span) for stem, first, span in asked]

    answer = SqlAddressRegistry(services.engine).free_numbers(DOMAIN, ranges, wanted)

    assert answer == free_numbers_among(taken_before | new, DOMAIN)(ranges, wanted)
    with services.engine.connect() as connection:
        rows = connection.execute(
            select(schema.address.c.address, schema.address.c.stem, schema.address.c.number)
        ).all()
    for address, stem, number in rows:
        assert split_number(address.partition("@")[0]) == (stem, number), address
