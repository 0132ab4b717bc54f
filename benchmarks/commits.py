"""Commits per second: eight client processes creating boxes at once, hashes made beforehand.

Every commit is ``Mailboxes.create_secondary``, the transaction that the wizard's
Valider runs after hashing: quota check under the household's lock, the address
registry insert, the box, its consent, two confirmation e-mails and the audit line.
The clients compete on purpose: each household gets twelve attempts for nine places,
spread over different clients, and pairs of households race for the same two
addresses. Afterwards the directory must hold exactly nine boxes per household, each
contested address once, and exactly the boxes the clients were told were created.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from mailwizard.backends import schema
from mailwizard.backends.engine import open_engine
from mailwizard.backends.sql_households import SqlHouseholds
from mailwizard.backends.sql_mailboxes import SqlMailboxes
from mailwizard.domain.models import Identity
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, NewMailbox
from mailwizard.services.provisioning import notice
from mailwizard.services.terms import TERMS_VERSION

CLIENTS = 8
HOUSEHOLDS = 300
PLACES = 9
ATTEMPTS_PER_HOUSEHOLD = 12
CONTESTED_PER_HOUSEHOLD = 2
DOMAIN = "commits.example"
PERSON = Identity(civility="x", first_name="Camille", last_name="Petit")


@dataclass(frozen=True)
class Attempt:
    household_id: int
    address: str


@dataclass
class ClientReport:
    created: list[Attempt] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    finished_at: float = 0.0


@dataclass(frozen=True)
class CommitFigures:
    commits_per_second: float
    attempts_per_second: float
    created: int
    refusals: dict[str, int]
    violations: list[str]


def _holder(number: int, password_hash: str) -> NewMailbox:
    return NewMailbox(f"holder{number}@{DOMAIN}", password_hash, PERSON, "fr")


def _plan(household_ids: list[int]) -> list[Attempt]:
    """Twelve attempts per household; households 2k and 2k+1 want the same two addresses."""
    attempts = []
    for index, household_id in enumerate(household_ids):
        own = ATTEMPTS_PER_HOUSEHOLD - CONTESTED_PER_HOUSEHOLD
        attempts += [Attempt(household_id, f"h{household_id}-{n}@{DOMAIN}") for n in range(own)]
        attempts += [
            Attempt(household_id, f"contested{index // 2}-{n}@{DOMAIN}")
            for n in range(CONTESTED_PER_HOUSEHOLD)
        ]
    return attempts


def _client(
    url: str,
    password_hash: str,
    attempts: list[Attempt],
    start: multiprocessing.synchronize.Barrier,
    reports: multiprocessing.Queue[ClientReport],
) -> None:
    engine = open_engine(url, create=False)
    mailboxes = SqlMailboxes(engine)
    report = ClientReport()
    start.wait()
    for attempt in attempts:
        mailbox = NewMailbox(attempt.address, password_hash, PERSON, "fr")
        context = {"address": attempt.address}
        messages = [
            notice("holder_confirmation", f"holder@{DOMAIN}", "fr", context),
            notice("welcome", attempt.address, "fr", context),
        ]
        try:
            mailboxes.create_secondary(
                attempt.household_id,
                mailbox,
                TERMS_VERSION,
                messages,
                Audit(actor=f"holder@{DOMAIN}", origin="benchmark"),
            )
        except Refused as refused:
            report.refusals[refused.code] += 1
        else:
            report.created.append(attempt)
    report.finished_at = time.perf_counter()
    engine.dispose()
    reports.put(report)


def run_commits(url: str, password_hash: str) -> CommitFigures:
    """Creates the competing households in the directory at ``url``, then races."""
    engine = open_engine(url, create=False)
    households = SqlHouseholds(engine)
    household_ids = [
        households.create_household(
            DOMAIN, _holder(number, password_hash), PLACES, Audit("benchmark", "benchmark")
        )
        for number in range(HOUSEHOLDS)
    ]
    attempts = _plan(household_ids)
    # Neighbouring attempts (same household, same contested address) go to different clients.
    shares = [attempts[client::CLIENTS] for client in range(CLIENTS)]
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(CLIENTS + 1)
    reports: multiprocessing.Queue[ClientReport] = spawn.Queue()
    clients = [
        spawn.Process(target=_client, args=(url, password_hash, share, start, reports))
        for share in shares
    ]
    for client in clients:
        client.start()
    start.wait()
    started = time.perf_counter()
    collected = [reports.get(timeout=600) for _ in clients]
    for client in clients:
        client.join()
    elapsed = max(report.finished_at for report in collected) - started
    created = [attempt for report in collected for attempt in report.created]
    refusals: Counter[str] = Counter()
    for report in collected:
        refusals.update(report.refusals)
    violations = _violations(engine, household_ids, created)
    engine.dispose()
    return CommitFigures(
        commits_per_second=len(created) / elapsed,
        attempts_per_second=len(attempts) / elapsed,
        created=len(created),
        refusals=dict(refusals),
        violations=violations,
    )


def _violations(engine: object, household_ids: list[int], created: list[Attempt]) -> list[str]:
    """What the directory holds that the quota or the address registry should have refused."""
    mailbox = schema.mailbox
    problems = []
    with engine.connect() as connection:
        rows = connection.execute(
            select(mailbox.c.household_id, mailbox.c.username).where(
                mailbox.c.household_id.in_(household_ids), mailbox.c.role == "secondary"
            )
        ).all()
        outbox_rows = connection.execute(
            select(func.count())
            .select_from(schema.outbox)
            .where(schema.outbox.c.recipient.like(f"%@{DOMAIN}"))
        ).scalar_one()
    per_household = Counter(household_id for household_id, _ in rows)
    problems += [
        f"household {household_id} holds {count} secondary boxes"
        for household_id, count in per_household.items()
        if count != PLACES
    ]
    held = Counter(address for _, address in rows)
    problems += [f"{address} is held {count} times" for address, count in held.items() if count > 1]
    if {(a.household_id, a.address) for a in created} != set(rows):
        problems.append("the boxes in the directory differ from those the clients created")
    if outbox_rows != 2 * len(created):
        problems.append(f"{outbox_rows} confirmation e-mails for {len(created)} boxes")
    return problems
