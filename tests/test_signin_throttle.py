"""Five failed sign-ins in a row lock an address for fifteen minutes, whoever asks."""

from __future__ import annotations

import statistics
import time
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, at_the_same_instant, query
from hand_clock import HandClock
from mailwizard.backends.sql_accounts import SqlAccounts
from mailwizard.backends.sql_audit import SqlAuditLog
from mailwizard.backends.sql_throttle import SqlSignInThrottle
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.clock import utc_now
from mailwizard.config import Settings
from mailwizard.errors import SignInFailed
from mailwizard.hashing import Argon2idHasher
from mailwizard.services.signin import SignInService, ThrottlePolicy
from mailwizard.services.throttle_ports import Attempt, Lock, Wait
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD, box_request

WRONG = "not the password at all"
LEA = "lea@famille-martin.fr"
INCORRECT = "The address or the password is incorrect."


def failure(services: Services, address: str, password: str = WRONG) -> str:
    with pytest.raises(SignInFailed) as failed:
        services.signin.sign_in(address, password, "test")
    return failed.value.message


def test_the_fifth_failure_locks_even_the_right_password_out_and_each_is_in_the_audit_log(
    services: Services, clock: HandClock
) -> None:
    assert [failure(services, HOLDER) for _ in range(4)] == [INCORRECT] * 4
    lock = failure(services, HOLDER)
    assert lock.startswith("Too many failed attempts")
    assert (clock.now + timedelta(minutes=15)).strftime("%H:%M") in lock
    assert failure(services, HOLDER, HOLDER_PASSWORD) == lock
    failure(services, "personne@famille-martin.fr")
    entries = services.management.audit_log(services.households.household_id(HOLDER))
    assert [(e.action, e.target, e.origin) for e in entries[:6]] == [
        ("signin.locked", HOLDER, "test"),
        *[("signin.failed", HOLDER, "test")] * 5,
    ], "an unknown address is logged, but in no household"

    clock.now += timedelta(minutes=14)
    assert failure(services, HOLDER, HOLDER_PASSWORD) == lock
    clock.now += timedelta(minutes=2)
    assert services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test").address == HOLDER


def test_the_lock_survives_a_restart(services: Services, clock: HandClock) -> None:
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


def test_the_limits_are_settings(household: str, clock: HandClock) -> None:
    strict = bootstrap(Settings(signin_max_failures=2, signin_lock_minutes=60), clock=clock)
    try:
        assert failure(strict, HOLDER) == INCORRECT
        assert failure(strict, HOLDER).startswith("Too many failed attempts")
        clock.now += timedelta(minutes=59)
        assert failure(strict, HOLDER, HOLDER_PASSWORD).startswith("Too many failed attempts")
    finally:
        strict.close()


def test_the_command_line_is_locked_out_too(household: str, cli: Cli, answers_dir: Path) -> None:
    wrong = {**CREATE_ENV, "MAILWIZARD_OWNER_PASSWORD": WRONG}
    outcomes = [cli.create(answers_dir, env=wrong) for _ in range(5)]
    assert [o.exit_code for o in outcomes] == [1] * 5
    assert "Too many failed attempts" in outcomes[-1].stderr
    locked = cli.create(answers_dir)
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

    def __init__(self, settings: Settings | None = None) -> None:
        settings = settings or Settings()
        super().__init__(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        self.costs: list[str] = []

    def verify(self, stored_hash: str, password: str) -> bool:
        self.costs.append(stored_hash.split("$")[3])
        return super().verify(stored_hash, password)


def signing_in_with(hasher: Argon2idHasher, services: Services) -> SignInService:
    """The sign-in service on the test's directory, verifying with ``hasher``, never locking."""
    return SignInService(
        SqlAccounts(services.engine),
        SqlAuditLog(services.engine, utc_now),
        hasher,
        SqlSignInThrottle(services.engine),
        ThrottlePolicy(1000, timedelta(minutes=15)),
    )


def test_an_unknown_address_costs_one_verification_at_the_stored_hashes_cost(
    services: Services,
) -> None:
    hasher = RecordingHasher()
    signin = signing_in_with(hasher, services)
    for address in ("personne@famille-martin.fr", HOLDER):
        with pytest.raises(SignInFailed):
            signin.sign_in(address, WRONG, "test")
    decoy, holders_hash = hasher.costs
    assert decoy == holders_hash == "m=19456,t=2,p=1"


def test_after_a_cost_change_an_unknown_address_costs_what_the_stored_hashes_cost(
    services: Services, directory_url: str
) -> None:
    """Hashes made at t=2, settings now at t=3: a wrong password for a box costs a
    verification at t=2, so an unknown address must not cost one at t=3. Each unknown
    address pays the cost of the box that follows it, the same at every try; a sign-in
    that succeeds brings its box's hash to the new cost."""
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    services.provisioning.commit(holder, box_request(LEA), "test")
    raised = Settings(argon2_time_cost=3)
    hasher = RecordingHasher(raised)
    signin = signing_in_with(hasher, services)
    old, new = "m=19456,t=2,p=1", "m=19456,t=3,p=1"

    def costs(address: str, password: str = WRONG) -> list[str]:
        hasher.costs.clear()
        with suppress(SignInFailed):
            signin.sign_in(address, password, "test")
        return hasher.costs

    before_jean = "jean.a@famille-martin.fr"  # the box after it is the holder's
    before_lea = "kevin@famille-martin.fr"
    after_all = "zoe@famille-martin.fr"  # the first box stands in for it
    for address in (HOLDER, LEA, before_jean, before_lea, after_all, "x@elsewhere.example"):
        assert costs(address) == [old], address

    assert costs(HOLDER, HOLDER_PASSWORD) == [old]
    ((stored,),) = query(directory_url, f"SELECT password FROM mailbox WHERE username = '{HOLDER}'")
    assert str(stored).startswith(f"{{ARGON2ID}}$argon2id$v=19${new}$"), "re-hashed at the new cost"
    assert costs(HOLDER) == [new]
    assert costs(before_jean) == costs(before_jean) == costs(after_all) == [new]
    assert costs(before_lea) == costs(LEA) == [old]


def test_tries_being_verified_and_failures_never_exceed_the_limit(services: Services) -> None:
    """Five tries being verified fill the limit: a sixth waits. A failure locks once the
    failures reach the limit; a success starts the count again, unless a lock was set
    meanwhile."""
    throttle = SqlSignInThrottle(services.engine)
    now, lock = utc_now(), timedelta(minutes=15)
    assert [throttle.reserve(HOLDER, now, 5) for _ in range(5)] == [Attempt()] * 5
    assert throttle.reserve(HOLDER, now, 5) == Wait()
    throttle.succeeded(HOLDER, now)
    assert throttle.reserve(HOLDER, now, 5) == Attempt(), "a success frees its place"
    assert [throttle.failed(HOLDER, now, 5, lock) for _ in range(4)] == [None] * 4
    assert throttle.reserve(HOLDER, now, 5) == Wait(), "4 failures and one try pending"
    throttle.succeeded(HOLDER, now)
    assert throttle.reserve(HOLDER, now, 5) == Attempt(), "the count started again"
    for _ in range(4):
        assert throttle.reserve(HOLDER, now, 5) == Attempt()
    locks = [throttle.failed(HOLDER, now, 5, lock) for _ in range(5)]
    assert locks == [None, None, None, None, now + lock]
    assert throttle.reserve(HOLDER, now, 5) == Lock(now + lock)
    assert throttle.reserve(HOLDER, now + lock, 5) == Attempt(), "the lock has run out"


def test_a_try_left_pending_by_a_dead_process_is_forgotten(services: Services) -> None:
    throttle = SqlSignInThrottle(services.engine)
    now = utc_now()
    for _ in range(5):
        throttle.reserve(HOLDER, now, 5)
    assert throttle.reserve(HOLDER, now + timedelta(seconds=30), 5) == Wait()
    assert throttle.reserve(HOLDER, now + timedelta(minutes=3), 5) == Attempt()


GUESSERS = 40


def test_forty_processes_guessing_at_once_verify_at_most_five_passwords(
    household: str, cli: Cli, directory_url: str
) -> None:
    """Forty processes send a wrong holder's password at the same instant: the tries are
    counted before the passwords are verified, so five are verified (each logged as a
    failed sign-in) and the others find the address locked; the right one then too."""
    outcomes = at_the_same_instant(
        GUESSERS, "accounts", "suspend", "--owner", HOLDER, LEA,
        env={"MAILWIZARD_OWNER_PASSWORD": WRONG},
    )  # fmt: skip
    assert [o.exit_code for o in outcomes] == [1] * GUESSERS, outcomes
    ((verified,),) = query(
        directory_url, "SELECT count(*) FROM audit_log WHERE action = 'signin.failed'"
    )
    assert verified == 5
    locked = [o for o in outcomes if "Too many failed attempts" in o.stderr]
    assert len(locked) == GUESSERS - 4, "the fifth failure and every try after it: locked"

    right = cli("accounts", "suspend", "--owner", HOLDER, LEA,
                env={"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD})  # fmt: skip
    assert right.exit_code == 1
    assert "Too many failed attempts" in right.stderr
