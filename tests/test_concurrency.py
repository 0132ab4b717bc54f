"""Several real processes writing to one directory at the same moment, on both engines."""

from __future__ import annotations

import json
import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli
from mailwizard.bootstrap import bootstrap
from mailwizard.config import Settings
from mailwizard.domain.models import Identity
from mailwizard.errors import Refused
from martin_household import HOLDER, HOLDER_PASSWORD, box_request

CONTESTED = "camille@famille-martin.fr"


ALIAS = "alias:"
"""Marks an address a job adds as an alias of the holder's box instead of creating it."""


def create_addresses(
    directory_url: str, owner: str, addresses: list[str], start: Barrier, results: Queue[list[str]]
) -> None:
    """In a child process: sign in, wait for every sibling, then create the boxes (or
    aliases). Puts "created" or the refusal code of each address on ``results``."""
    services = bootstrap(Settings(directory=directory_url))
    holder = services.signin.sign_in(owner, HOLDER_PASSWORD, "test")
    start.wait()
    outcomes = []
    for address in addresses:
        try:
            if address.startswith(ALIAS):
                services.management.add_alias(holder, owner, address.removeprefix(ALIAS), "test")
            else:
                services.provisioning.commit(holder, box_request(address), "test")
            outcomes.append("created")
        except Refused as refusal:
            outcomes.append(refusal.code)
    services.close()
    results.put(outcomes)


def run_in_processes(directory_url: str, jobs: list[tuple[str, list[str]]]) -> list[str]:
    # Forked from a process that has imported the program already: sixteen fresh
    # interpreters would take longer to start on two cores than the race itself.
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(jobs))
    results: Queue[list[str]] = context.Queue()
    processes = [
        context.Process(
            target=create_addresses, args=(directory_url, owner, addresses, start, results)
        )
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


def test_sixteen_processes_racing_in_one_household_stop_at_nine(
    household: str, cli: Cli, directory_url: str
) -> None:
    jobs = [(HOLDER, [f"enfant{process}@famille-martin.fr"]) for process in range(16)]

    outcomes = run_in_processes(directory_url, jobs)

    assert outcomes.count("created") == 9
    assert outcomes.count("quota.reached") == 7
    assert count_boxes(cli, HOLDER) == 9


def sixteen_households(directory_url: str) -> list[str]:
    """The Martins and fifteen Durand households on the same domain; their holders."""
    services = bootstrap(Settings(directory=directory_url))
    holders = [HOLDER]
    for number in range(15):
        identity = Identity(civility="m", first_name="Paul", last_name="Durand")
        address = f"paul.durand{number}@famille-martin.fr"
        services.households.initialise(
            "famille-martin.fr", identity, address, HOLDER_PASSWORD, "en", "test"
        )
        holders.append(address)
    services.close()
    return holders


def test_sixteen_households_racing_for_one_address_make_one_box(
    household: str, cli: Cli, directory_url: str
) -> None:
    holders = sixteen_households(directory_url)

    outcomes = run_in_processes(directory_url, [(holder, [CONTESTED]) for holder in holders])

    assert outcomes.count("created") == 1
    assert outcomes.count("address.taken") == 15
    assert sum(count_boxes(cli, holder) for holder in holders) == 1


def test_boxes_and_aliases_racing_for_one_address_make_one_of_them(
    household: str, cli: Cli, directory_url: str
) -> None:
    holders = sixteen_households(directory_url)
    jobs = [
        (holder, [CONTESTED if number % 2 else ALIAS + CONTESTED])
        for number, holder in enumerate(holders)
    ]

    outcomes = run_in_processes(directory_url, jobs)

    assert outcomes.count("created") == 1
    assert outcomes.count("address.taken") == 15
    services = bootstrap(Settings(directory=directory_url))
    try:
        overviews = [services.households.overview(holder) for holder in holders]
    finally:
        services.close()
    boxes = [box.address for o in overviews for box in o.secondary]
    aliases = [alias for o in overviews for alias in o.primary.aliases]
    assert sorted(boxes + aliases) == [CONTESTED]
