"""Five wrong authenticator codes in a row lock a household's codes for fifteen minutes,
each one in the audit log, from the command line as from the wizard."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli
from hand_clock import HandClock
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.clock import utc_now
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.audit import describe
from mailwizard.errors import Refused
from mailwizard.services.signin import SignedIn
from martin_household import CREATE_ENV, HOLDER, enrolled_authenticator

AWAY = Origin(OriginKind.SSH, "203.0.113.5")
AFAR = {**CREATE_ENV, "SSH_CONNECTION": "203.0.113.5 51000 10.0.0.2 22"}
WRONG = "000000"


@pytest.fixture
def phone(services: Services, holder: SignedIn, clock: HandClock) -> pyotp.TOTP:
    return enrolled_authenticator(services, holder, clock.now)


def wrong_code(phone: pyotp.TOTP, clock: HandClock) -> str:
    """A code of none of the steps accepted now."""
    accepted = {phone.at(clock.now + timedelta(seconds=30 * drift)) for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def outcome(services: Services, holder: SignedIn, code: str) -> str:
    try:
        services.access.check_creation_access(holder, AWAY, code, "test")
    except Refused as refused:
        return refused.code
    return "allowed"


def test_the_fifth_wrong_code_locks_even_the_right_one_out_and_each_is_in_the_audit_log(
    services: Services, holder: SignedIn, phone: pyotp.TOTP, clock: HandClock
) -> None:
    wrong = wrong_code(phone, clock)
    assert [outcome(services, holder, wrong) for _ in range(4)] == ["totp.wrong_code"] * 4
    assert outcome(services, holder, wrong) == "totp.locked"
    with pytest.raises(Refused) as locked:
        services.access.check_creation_access(holder, AWAY, phone.at(clock.now), "test")
    assert locked.value.code == "totp.locked"
    assert locked.value.field == "totp_code"
    until = (clock.now + timedelta(minutes=15)).strftime("%H:%M")
    assert locked.value.message == (
        f"Too many wrong codes: codes from your authenticator app are refused until {until} "
        "UTC. Try again then."
    )
    entries = services.management.audit_log(holder.household_id)
    recorded = [(e.action, e.actor, e.origin, e.target) for e in entries[:7]]
    assert recorded == [
        ("totp.locked", HOLDER, "test", None),
        *[("totp.failed", HOLDER, "test", None)] * 5,
        ("totp.enrolled", HOLDER, "test", None),
    ], "the sixth code was not checked: the codes were locked"
    assert [describe(e) for e in entries[:2]] == [
        "codes from the authenticator app locked after too many wrong ones",
        "wrong code from the authenticator app",
    ]

    clock.now += timedelta(minutes=14)
    assert outcome(services, holder, phone.at(clock.now)) == "totp.locked"
    clock.now += timedelta(minutes=2)
    assert outcome(services, holder, phone.at(clock.now)) == "allowed"


def test_a_right_code_starts_the_count_again_and_a_reused_one_does_not(
    services: Services, holder: SignedIn, phone: pyotp.TOTP, clock: HandClock
) -> None:
    wrong = wrong_code(phone, clock)
    assert [outcome(services, holder, wrong) for _ in range(4)] == ["totp.wrong_code"] * 4
    right = phone.at(clock.now)
    assert outcome(services, holder, right) == "allowed"
    assert [outcome(services, holder, wrong) for _ in range(3)] == ["totp.wrong_code"] * 3
    assert outcome(services, holder, right) == "totp.reused"
    assert outcome(services, holder, wrong) == "totp.locked"


def test_codes_sent_at_the_same_moment_check_at_most_five(
    services: Services, holder: SignedIn, phone: pyotp.TOTP, clock: HandClock
) -> None:
    """Twenty terminals, each with its own connection, send a wrong code at once: five are
    checked and logged, the others find the codes locked; the right one then too."""
    terminals = [bootstrap(Settings(), clock=clock) for _ in range(20)]
    start = threading.Barrier(len(terminals))
    outcomes: list[str] = []
    wrong = wrong_code(phone, clock)

    def attempt(terminal: Services) -> None:
        start.wait()
        outcomes.append(outcome(terminal, holder, wrong))

    threads = [threading.Thread(target=attempt, args=(t,)) for t in terminals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for terminal in terminals:
        terminal.close()
    assert sorted(outcomes) == ["totp.locked"] * 16 + ["totp.wrong_code"] * 4
    actions = [e.action for e in services.management.audit_log(holder.household_id)]
    assert actions.count("totp.failed") == 5
    assert outcome(services, holder, phone.at(clock.now)) == "totp.locked"


def test_the_limits_are_settings(holder: SignedIn, phone: pyotp.TOTP, clock: HandClock) -> None:
    strict = bootstrap(Settings(totp_max_failures=2, totp_lock_minutes=60), clock=clock)
    try:
        wrong = wrong_code(phone, clock)
        assert outcome(strict, holder, wrong) == "totp.wrong_code"
        assert outcome(strict, holder, wrong) == "totp.locked"
        clock.now += timedelta(minutes=59)
        assert outcome(strict, holder, phone.at(clock.now)) == "totp.locked"
        clock.now += timedelta(minutes=2)
        assert outcome(strict, holder, phone.at(clock.now)) == "allowed"
    finally:
        strict.close()


def test_the_command_line_counts_wrong_codes_too(
    services: Services,
    holder: SignedIn,
    clock: HandClock,
    cli: Cli,
    answers_dir: Path,
) -> None:
    clock.now = utc_now()  # the command line's clock
    phone = enrolled_authenticator(services, holder, clock.now)
    wrong = {**AFAR, "MAILWIZARD_TOTP_CODE": wrong_code(phone, clock)}
    outcomes = [cli.create(answers_dir, env=wrong) for _ in range(5)]
    assert [o.exit_code for o in outcomes] == [1] * 5
    assert all("not right" in o.stderr for o in outcomes[:4])
    assert "Too many wrong codes" in outcomes[4].stderr

    right = cli.create(answers_dir, env={**AFAR, "MAILWIZARD_TOTP_CODE": phone.now()})
    assert right.exit_code == 1
    assert "Too many wrong codes" in right.stderr
    disabling = cli("totp", "disable", "--owner", HOLDER,
                    env={**CREATE_ENV, "MAILWIZARD_TOTP_CODE": phone.now()})  # fmt: skip
    assert disabling.exit_code == 1
    assert "Too many wrong codes" in disabling.stderr
    assert services.access.enrolled(holder)

    log = json.loads(cli("audit", "--owner", HOLDER, "--json").stdout)
    codes = [(e["action"], e["origin"]) for e in log if e["action"].startswith("totp.")]
    assert codes == [
        ("totp.locked", "command line, ssh 203.0.113.5"),
        *[("totp.failed", "command line, ssh 203.0.113.5")] * 5,
        ("totp.enrolled", "test"),
    ]
