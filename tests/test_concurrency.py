"""Several real processes writing to one SQLite directory at the same moment."""

from __future__ import annotations

import json
import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from cli_harness import Cli
from mailwizard.bootstrap import bootstrap
from mailwizard.config import Settings
from mailwizard.domain.models import Identity, MailboxRequest
from mailwizard.errors import Refused
from mailwizard.services.terms import TERMS_VERSION
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD

SECOND_HOLDER = "paul.durand@famille-martin.fr"
CONTESTED = "camille@famille-martin.fr"


def create_boxes(
    directory_url: str, owner: str, addresses: list[str], start: Barrier, results: Queue[list[str]]
) -> None:
    """In a child process: sign in, wait for every sibling, then create the boxes.

    Puts "created" or the refusal code of each address on ``results``."""
    services = bootstrap(Settings(directory=directory_url))
    holder = services.signin.sign_in(owner, HOLDER_PASSWORD)
    identity = Identity(civility="x", first_name="Camille", last_name="Petit")
    requests = [
        MailboxRequest(
            identity=identity,
            address=address,
            password=NEW_PASSWORD,
            accepted_terms_version=TERMS_VERSION,
            language="en",
        )
        for address in addresses
    ]
    start.wait()
    outcomes = []
    for request in requests:
        try:
            services.provisioning.commit(holder, request, "test")
            outcomes.append("created")
        except Refused as refusal:
            outcomes.append(refusal.code)
    services.close()
    results.put(outcomes)


def run_in_processes(directory_url: str, jobs: list[tuple[str, list[str]]]) -> list[str]:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(jobs))
    results: Queue[list[str]] = context.Queue()
    processes = [
        context.Process(target=create_boxes, args=(directory_url, owner, addresses, start, results))
        for owner, addresses in jobs
    ]
    for process in processes:
        process.start()
    collected = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return [outcome for outcomes in collected for outcome in outcomes]


def count_boxes(cli: Cli, owner: str) -> int:
    outcome = cli("accounts", "list", "--owner", owner, "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return len(json.loads(outcome.stdout)["mailboxes"]) - 1


def test_eight_processes_racing_in_one_household_stop_at_nine(
    household: str, cli: Cli, directory_path: Path
) -> None:
    jobs = [
        (HOLDER, [f"enfant{process}.{box}@famille-martin.fr" for box in range(2)])
        for process in range(8)
    ]

    outcomes = run_in_processes(f"sqlite:///{directory_path}", jobs)

    assert outcomes.count("created") == 9
    assert outcomes.count("quota.reached") == 7
    assert count_boxes(cli, HOLDER) == 9


def test_two_households_racing_for_one_address_make_one_box(
    household: str, cli: Cli, directory_path: Path
) -> None:
    second = cli(
        "init", "--domain", "famille-martin.fr", "--address", SECOND_HOLDER,
        "--civility", "m", "--first-name", "Paul", "--last-name", "Durand",
        env={"MAILWIZARD_PASSWORD": HOLDER_PASSWORD},
    )  # fmt: skip
    assert second.exit_code == 0, second.stderr
    jobs = [(HOLDER, [CONTESTED]), (SECOND_HOLDER, [CONTESTED])] * 4

    outcomes = run_in_processes(f"sqlite:///{directory_path}", jobs)

    assert outcomes.count("created") == 1
    assert outcomes.count("address.taken") == 7
    assert count_boxes(cli, HOLDER) + count_boxes(cli, SECOND_HOLDER) == 1
