"""Does a wrong password cost the same for a box and for an unknown address, before and
after the operator raises the argon2 cost?

    uv run python benchmarks/signin_timing.py [--rounds N] [--time-cost T]

A directory holding a household of ten boxes is made at the default cost (t=2). Wrong
passwords are then tried through ``SignInService.sign_in``, as the wizard and the command
line call it, alternately for a box and for an address no box has: first with the
settings the hashes were made with, then with ``argon2_time_cost`` raised to T (8 by
default, ``MAILWIZARD_ARGON2_TIME_COST=8``), as after an operator's change: the boxes keep
their hashes until their next sign-in. The lock is set out of reach so that every try is
verified. Prints, per engine, the median of each kind and their ratio, which must stay
within 0.9–1.1 (a ratio far from 1 tells which addresses exist); with ``--json``, the
figures as JSON. PostgreSQL runs as a throwaway cluster, as in the tests, when Debian's
``postgresql`` (15) is installed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from environment import BENCHMARKS, HOLDER, HOLDER_PASSWORD, NEW_PASSWORD, WORK_FOLDER
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.models import Identity, MailboxRequest
from mailwizard.errors import SignInFailed
from mailwizard.services.terms import TERMS_VERSION

sys.path.insert(0, str(BENCHMARKS.parent / "tests"))
from postgres_server import SERVER_TOOLS, running_postgres

DOMAIN = "famille-martin.fr"
RELATIVES = ("lea", "hugo", "emma", "louis", "chloe", "nathan", "ines", "paul", "zoe")
UNKNOWN = ("jean.a", "karim", "marie", "sacha", "yann", "aaron", "nina", "victor", "zz.top")
WRONG = "not the password at all"
RATIO_BOUNDS = (0.9, 1.1)


@dataclass(frozen=True)
class Timing:
    """Medians of interleaved wrong passwords, in milliseconds."""

    time_cost: int
    existing_ms: float
    unknown_ms: float
    rounds: int

    @property
    def ratio(self) -> float:
        return self.existing_ms / self.unknown_ms


def settings(url: str, work: Path, time_cost: int) -> Settings:
    return Settings(
        directory=url,
        data_dir=work,
        language="en",
        argon2_time_cost=time_cost,
        signin_max_failures=10**9,
    )


def fill(url: str, work: Path) -> list[str]:
    """The holder and nine relatives, hashed at the default cost; their addresses."""
    services = bootstrap(settings(url, work, Settings().argon2_time_cost), create_directory=True)
    try:
        services.households.initialise(
            DOMAIN,
            Identity(civility="m", first_name="Jean", last_name="Martin"),
            HOLDER,
            HOLDER_PASSWORD,
            "en",
            "benchmark",
        )
        holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "benchmark")
        for name in RELATIVES:
            request = MailboxRequest(
                identity=Identity(civility="x", first_name=name.title(), last_name="Petit"),
                address=f"{name}@{DOMAIN}",
                password=NEW_PASSWORD,
                accepted_terms_version=TERMS_VERSION,
                language="en",
            )
            services.provisioning.commit(holder, request, "benchmark")
    finally:
        services.close()
    return [HOLDER, *(f"{name}@{DOMAIN}" for name in RELATIVES)]


def wrong_password_ms(services: Services, address: str) -> float:
    started = time.perf_counter()
    with suppress(SignInFailed):
        services.signin.sign_in(address, WRONG, "benchmark")
    return (time.perf_counter() - started) * 1000


def measure(url: str, work: Path, boxes: list[str], time_cost: int, rounds: int) -> Timing:
    """Interleaved, so that the machine's load falls on both kinds alike."""
    services = bootstrap(settings(url, work, time_cost))
    spent: dict[str, list[float]] = {"existing": [], "unknown": []}
    try:
        for address in (boxes[0], f"{UNKNOWN[0]}@{DOMAIN}"):  # warm the caches
            wrong_password_ms(services, address)
        for index in range(rounds):
            box = boxes[index % len(boxes)]
            unknown = f"{UNKNOWN[index % len(UNKNOWN)]}@{DOMAIN}"
            pair = (("existing", box), ("unknown", unknown))
            for kind, address in pair if index % 2 else reversed(pair):
                spent[kind].append(wrong_password_ms(services, address))
    finally:
        services.close()
    return Timing(
        time_cost,
        statistics.median(spent["existing"]),
        statistics.median(spent["unknown"]),
        rounds,
    )


def before_and_after(url: str, work: Path, time_cost: int, rounds: int) -> list[Timing]:
    boxes = fill(url, work)
    return [
        measure(url, work, boxes, Settings().argon2_time_cost, rounds),
        measure(url, work, boxes, time_cost, rounds),
    ]


@contextmanager
def sqlite_directory() -> Iterator[str]:
    work = WORK_FOLDER / "signin-timing"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        yield f"sqlite:///{work / 'directory.sqlite3'}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def postgresql_directory() -> Iterator[str]:
    with running_postgres(durable=True) as server:
        yield server.url(server.create_database(), with_password=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="wrong passwords of each kind")
    parser.add_argument("--time-cost", type=int, default=8, help="the raised argon2 passes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()

    directories = {"SQLite": sqlite_directory}
    if (SERVER_TOOLS / "initdb").exists():
        directories["PostgreSQL"] = postgresql_directory
    figures: dict[str, list[Timing]] = {}
    for engine, directory in directories.items():
        with directory() as url:
            work = WORK_FOLDER / "signin-timing-data"
            figures[engine] = before_and_after(url, work, arguments.time_cost, arguments.rounds)
            shutil.rmtree(work, ignore_errors=True)

    if arguments.json:
        print(json.dumps({e: [asdict(t) | {"ratio": t.ratio} for t in f]
                          for e, f in figures.items()}, indent=2))  # fmt: skip
        return
    low, high = RATIO_BOUNDS
    print("| engine | settings | box, wrong password | unknown address | ratio |")
    print("|---|---|---|---|---|")
    for engine, timings in figures.items():
        for timing, when in zip(timings, ("hashes' own cost", "cost raised"), strict=True):
            verdict = "✅" if low <= timing.ratio <= high else "❌"
            print(
                f"| {engine} | t={timing.time_cost} ({when}) | {timing.existing_ms:.1f} ms "
                f"| {timing.unknown_ms:.1f} ms | {timing.ratio:.2f} {verdict} |"
            )


if __name__ == "__main__":
    main()
