"""Five failed sign-ins in a row lock an address for fifteen minutes, whoever asks."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path

import pytest

from cli_harness import Cli, write_answers
from mailwizard.backends.sql_directory import SqlDirectory
from mailwizard.backends.sql_throttle import SqlSignInThrottle
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.clock import utc_now
from mailwizard.config import Settings
from mailwizard.errors import SignInFailed
from mailwizard.hashing import Argon2idHasher
from mailwizard.services.signin import SignInService, ThrottlePolicy
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD
from time_machine import TimeMachine

WRONG = "not the password at all"
INCORRECT = "The address or the password is incorrect."


@pytest.fixture(params=["sqlite", "postgresql"])
def directory_engine(request: pytest.FixtureRequest) -> str:
    """Every test of this module runs on both engines."""
    return str(request.param)


def failure(services: Services, address: str, password: str = WRONG) -> str:
    with pytest.raises(SignInFailed) as failed:
        services.signin.sign_in(address, password, "test")
    return failed.value.message


def test_the_fifth_failure_locks_even_the_right_password_out(
    services: Services, clock: TimeMachine
) -> None:
    assert [failure(services, HOLDER) for _ in range(4)] == [INCORRECT] * 4
    lock = failure(services, HOLDER)
    assert lock.startswith("Too many failed attempts")
    assert (clock.now + timedelta(minutes=15)).strftime("%H:%M") in lock
    assert failure(services, HOLDER, HOLDER_PASSWORD) == lock

    clock.now += timedelta(minutes=14)
    assert failure(services, HOLDER, HOLDER_PASSWORD) == lock
    clock.now += timedelta(minutes=2)
    assert services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test").address == HOLDER


def test_the_lock_survives_a_restart(services: Services, clock: TimeMachine) -> None:
    for _ in range(5):
        failure(services, HOLDER)
    restarted = bootstrap(Settings(), clock=clock)
    try:
        assert failure(restarted, HOLDER, HOLDER_PASSWORD).startswith("Too many failed attempts")
    finally:
        restarted.close()


def test_an_unknown_address_is_refused_and_locked_the_same_way(services: Services) -> None:
    stranger = "personne@famille-martin.fr"
    answers = [failure(services, stranger) for _ in range(5)]
    known = [failure(services, HOLDER) for _ in range(5)]
    assert answers[:4] == known[:4] == [INCORRECT] * 4
    assert answers[4] == known[4]


def test_a_success_starts_the_count_again(services: Services) -> None:
    for _ in range(4):
        failure(services, HOLDER)
    services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    assert [failure(services, HOLDER) for _ in range(4)] == [INCORRECT] * 4
    assert services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test").address == HOLDER


def test_the_limits_are_settings(household: str, clock: TimeMachine) -> None:
    strict = bootstrap(Settings(signin_max_failures=2, signin_lock_minutes=60), clock=clock)
    try:
        assert failure(strict, HOLDER) == INCORRECT
        assert failure(strict, HOLDER).startswith("Too many failed attempts")
        clock.now += timedelta(minutes=59)
        assert failure(strict, HOLDER, HOLDER_PASSWORD).startswith("Too many failed attempts")
    finally:
        strict.close()


def test_the_command_line_is_locked_out_too(household: str, cli: Cli, answers_dir: Path) -> None:
    path = write_answers(answers_dir / "lea.toml", first_name="Léa", last_name="Martin",
                         address="suggest")  # fmt: skip
    wrong = {**CREATE_ENV, "MAILWIZARD_OWNER_PASSWORD": WRONG}
    outcomes = [cli("create", "--answers", str(path), env=wrong) for _ in range(5)]
    assert [o.exit_code for o in outcomes] == [1] * 5
    assert "Too many failed attempts" in outcomes[-1].stderr
    locked = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert locked.exit_code == 1
    assert "Too many failed attempts" in locked.stderr


def test_an_unknown_address_and_a_wrong_password_take_comparable_time(household: str) -> None:
    # The real hasher at the configured cost (the settings refuse anything cheaper), and
    # no lock to end the run early. Interleaved, so that the machine's load falls on both.
    measured = bootstrap(Settings(signin_max_failures=1000))
    timings: dict[str, list[float]] = {"unknown": [], "wrong": []}
    try:
        for _ in range(7):
            for kind, address in (("unknown", "personne@famille-martin.fr"), ("wrong", HOLDER)):
                start = time.perf_counter()
                failure(measured, address)
                timings[kind].append(time.perf_counter() - start)
    finally:
        measured.close()
    ratio = statistics.median(timings["unknown"]) / statistics.median(timings["wrong"])
    assert 0.5 < ratio < 2.0, timings


class RecordingHasher(Argon2idHasher):
    """The real hasher, noting the cost of each hash it verifies."""

    def __init__(self) -> None:
        settings = Settings()
        super().__init__(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        self.costs: list[str] = []

    def verify(self, stored_hash: str, password: str) -> bool:
        self.costs.append(stored_hash.split("$")[3])
        return super().verify(stored_hash, password)


def test_an_unknown_address_costs_one_verification_at_the_stored_hashes_cost(
    services: Services,
) -> None:
    hasher = RecordingHasher()
    signin = SignInService(
        SqlDirectory(services.engine, utc_now),
        hasher,
        SqlSignInThrottle(services.engine),
        ThrottlePolicy(1000, timedelta(minutes=15)),
    )
    for address in ("personne@famille-martin.fr", HOLDER):
        with pytest.raises(SignInFailed):
            signin.sign_in(address, WRONG, "test")
    decoy, holders_hash = hasher.costs
    assert decoy == holders_hash == "m=19456,t=2,p=1"


def test_failures_and_the_lock_are_in_the_households_audit_log(services: Services) -> None:
    for _ in range(5):
        failure(services, HOLDER)
    failure(services, "personne@famille-martin.fr")
    household_id = services.households.household_id(HOLDER)
    entries = services.management.audit_log(household_id)
    recorded = [(e.action, e.target, e.origin) for e in entries[:6]]
    assert recorded == [
        ("signin.locked", HOLDER, "test"),
        *[("signin.failed", HOLDER, "test")] * 5,
    ], "an unknown address is logged, but in no household"
