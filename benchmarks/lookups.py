"""What step 4 asks the directory, on a million boxes: is this address free, and
which five would you propose for this name?

Both go through ``ProvisioningService`` as the wizard calls it, so the figures include
the domain look-up, the rules and SQLAlchemy, not only the SQL.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from mailwizard.backends.sql_accounts import SqlAccounts
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.errors import Refused
from mailwizard.services.signin import SignedIn
from million_directory import DOMAIN

COMMON_NAMES = (("Jean", "Martin"), ("Marie", "Bernard"), ("Pierre", "Thomas"))


@dataclass(frozen=True)
class Percentiles:
    p50_ms: float
    p99_ms: float
    samples: int


def percentiles(seconds: list[float]) -> Percentiles:
    ordered = sorted(seconds)
    return Percentiles(
        p50_ms=ordered[len(ordered) // 2] * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        samples=len(ordered),
    )


def _timed(call: Callable[[], object], rounds: int) -> list[float]:
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return spent


def open_services(url: str, work: Path) -> Services:
    return bootstrap(Settings(directory=url, data_dir=work, language="en"))


def a_holder(services: Services) -> SignedIn:
    """The holder of one of the million boxes' households, as the sign-in makes them."""
    credentials = SqlAccounts(services.engine).credentials(f"jean.martin@{DOMAIN}")
    assert credentials is not None
    return SignedIn.from_credentials(credentials)


def availability(services: Services, rounds: int = 4000) -> Percentiles:
    """Half the typed addresses are taken (drawn from the directory), half are free."""
    holder = a_holder(services)
    with services.engine.connect() as connection:
        taken = list(
            connection.exec_driver_sql(
                "SELECT address FROM address ORDER BY address LIMIT 1000 OFFSET 400000"
            ).scalars()
        )
    draw = random.Random(4)
    typed = iter(
        [
            draw.choice(taken) if index % 2 else f"free.{draw.randrange(10**9)}@{DOMAIN}"
            for index in range(rounds + 100)
        ]
    )

    def check() -> None:
        with suppress(Refused):
            services.provisioning.check_address(holder, next(typed))

    _timed(check, 100)  # warm the caches and the statement cache
    return percentiles(_timed(check, rounds))


def suggestions(services: Services, rounds: int = 300) -> dict[str, Percentiles]:
    """Five proposals for common names whose numbered variants run into the hundreds."""
    holder = a_holder(services)
    figures = {}
    for first_name, last_name in COMMON_NAMES:
        proposals = services.provisioning.suggest(holder, first_name, last_name)
        assert len(proposals) == 5, proposals
        spent = _timed(
            lambda first=first_name, last=last_name: services.provisioning.suggest(
                holder, first, last
            ),
            rounds,
        )
        figures[f"{first_name} {last_name}"] = percentiles(spent)
    return figures
