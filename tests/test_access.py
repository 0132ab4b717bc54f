"""Away from home, a box is created only with a code from the holder's authenticator."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, query
from hand_clock import HandClock
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.clock import utc_now
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.audit import describe
from mailwizard.errors import MailwizardError, Refused
from mailwizard.services.signin import SignedIn
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD, enrolled_authenticator
from memory_keyring import MemoryKeyring

FAR_AWAY = "203.0.113.5"
AT_HOME = "192.168.1.20"

CONSOLE = Origin(OriginKind.CONSOLE)


def refusal_code(services: Services, holder: SignedIn, origin: Origin, code: str | None) -> str:
    try:
        services.access.check_creation_access(holder, origin, code, "test")
    except Refused as refused:
        return refused.code
    return "allowed"


def test_the_console_and_the_home_network_count_as_home(
    services: Services, holder: SignedIn
) -> None:
    assert refusal_code(services, holder, CONSOLE, None) == "allowed"
    assert refusal_code(services, holder, Origin(OriginKind.SSH, AT_HOME), None) == "allowed"
    assert refusal_code(services, holder, Origin(OriginKind.SSH, "fe80::1%eth0"), None) == "allowed"
    assert refusal_code(services, holder, Origin(OriginKind.KIOSK), None) == "access.not_at_home"


def test_away_from_home_a_fresh_code_lets_the_holder_in_once(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    away = Origin(OriginKind.SSH, FAR_AWAY)
    assert refusal_code(services, holder, away, None) == "access.not_at_home"
    app = enrolled_authenticator(services, holder, clock.now)
    assert refusal_code(services, holder, away, None) == "access.code_needed"
    assert refusal_code(services, holder, away, "000000") == "totp.wrong_code"
    code = app.at(clock.now)
    assert refusal_code(services, holder, away, code) == "allowed"
    assert refusal_code(services, holder, away, code) == "totp.reused"
    clock.now += timedelta(seconds=30)
    assert refusal_code(services, holder, away, app.at(clock.now)) == "allowed"


def test_two_terminals_using_one_code_at_once_let_one_in(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    code = enrolled_authenticator(services, holder, clock.now).at(clock.now)
    away = Origin(OriginKind.SSH, FAR_AWAY)
    other = bootstrap(Settings(), clock=clock)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def attempt(terminal: Services) -> None:
        start.wait()
        outcomes.append(refusal_code(terminal, holder, away, code))

    threads = [threading.Thread(target=attempt, args=(t,)) for t in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    other.close()
    assert sorted(outcomes) == ["allowed", "totp.reused"]


def test_enrolment_needs_a_right_first_code_and_disabling_needs_password_and_code(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    enrolment = services.access.start_enrolment(holder, CONSOLE)
    assert enrolment.uri.startswith("otpauth://totp/")
    with pytest.raises(Refused):
        services.access.confirm_enrolment(holder, enrolment, "123456", "test")
    assert not services.access.enrolled(holder)
    app = enrolled_authenticator(services, holder, clock.now)
    with pytest.raises(Refused):
        services.access.disable(holder, HOLDER_PASSWORD, "000000", "test")
    assert services.access.enrolled(holder)
    services.access.disable(holder, HOLDER_PASSWORD, app.at(clock.now), "test")
    assert not services.access.enrolled(holder)


def test_turning_strong_identification_on_and_off_is_in_the_audit_log(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    app = enrolled_authenticator(services, holder, clock.now)
    services.access.disable(holder, HOLDER_PASSWORD, app.at(clock.now), "terminal, console")

    log = services.management.audit_log(holder.household_id)
    security = [(e.action, e.actor, e.origin) for e in log if e.action.startswith("totp.")]
    assert sorted(security) == [
        ("totp.disabled", HOLDER, "terminal, console"),
        ("totp.enrolled", HOLDER, "test"),
    ]
    assert {e.action: describe(e) for e in log if e.action.startswith("totp.")} == {
        "totp.enrolled": "set up strong identification",
        "totp.disabled": "turned strong identification off",
    }


def test_the_command_line_asks_for_the_code_over_ssh_from_afar(
    services: Services, holder: SignedIn, cli: Cli, answers_dir: Path, directory_url: str
) -> None:
    afar = {**CREATE_ENV, "SSH_CONNECTION": f"{FAR_AWAY} 51000 10.0.0.2 22"}
    refused = cli.create(answers_dir, env=afar)
    assert refused.exit_code == 1
    assert "home network" in refused.stderr
    home = {**CREATE_ENV, "SSH_CONNECTION": f"{AT_HOME} 51000 192.168.1.2 22"}
    from_home = cli.create(answers_dir, env=home)
    assert from_home.exit_code == 0, from_home.stderr
    assert (f"command line, ssh {AT_HOME}",) in query(directory_url, "SELECT origin FROM audit_log")

    app = enrolled_authenticator(services, holder, utc_now())  # the command line's clock
    with_code = cli.create(
        answers_dir, env={**afar, "MAILWIZARD_TOTP_CODE": app.now()}, first_name="Hugo"
    )
    assert with_code.exit_code == 0, with_code.stderr


def test_enrolling_from_the_command_line_shows_the_key_and_refuses_a_wrong_first_code(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    outcome = cli("totp", "enrol", "--owner", HOLDER,
                  env={"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD,
                       "MAILWIZARD_TOTP_CODE": "000000"})  # fmt: skip
    assert outcome.exit_code == 1
    assert "Or type this key into the app:" in outcome.stdout
    assert "not right" in outcome.stderr
    afar = {**CREATE_ENV, "SSH_CONNECTION": f"{FAR_AWAY} 51000 10.0.0.2 22"}
    still_not_enrolled = cli.create(answers_dir, env=afar)
    assert "set up strong identification" in still_not_enrolled.stderr
    from_afar = cli("totp", "enrol", "--owner", HOLDER, env={**afar, "MAILWIZARD_TOTP_CODE": "1"})
    assert from_afar.exit_code == 1
    assert "only be set up from your home network" in from_afar.stderr
    assert "Or type this key" not in from_afar.stdout, "no key is shown away from home"


def test_no_password_totp_secret_or_device_token_reaches_a_log_or_a_message(
    services: Services,
    holder: SignedIn,
    cli: Cli,
    answers_dir: Path,
    caplog: pytest.LogCaptureFixture,
    isolated_environment: dict[str, str],
    memory_keyring: MemoryKeyring,
) -> None:
    caplog.set_level(logging.DEBUG)
    enrolment = services.access.start_enrolment(holder, CONSOLE)
    services.devices.remember(holder, CONSOLE)
    stored = memory_keyring.get_password("mailwizard", "remembered-device")
    assert stored is not None
    device_token = json.loads(stored)
    services.devices.forget_all(holder, CONSOLE)
    messages = []
    for attempt in (
        lambda: services.access.confirm_enrolment(holder, enrolment, "000000", "test"),
        lambda: services.signin.sign_in(HOLDER, "Wrong-horse-battery-77", "test"),
        lambda: services.access.verify(holder, "123456", "test"),
        lambda: services.devices.sign_in(CONSOLE),
    ):
        with pytest.raises(MailwizardError) as refused:
            attempt()
        messages.append(str(refused.value))
    outcome = cli.create(answers_dir, env={**CREATE_ENV, "MAILWIZARD_NEW_PASSWORD": "password1234"})
    logs = Path(isolated_environment["XDG_STATE_HOME"]).rglob("*.log")
    written = (
        caplog.text
        + outcome.stdout
        + outcome.stderr
        + "".join(messages)
        + "".join(log.read_text() for log in logs)
    )
    for secret in (enrolment.secret, HOLDER_PASSWORD, "Wrong-horse-battery-77", "password1234",
                   CREATE_ENV["MAILWIZARD_NEW_PASSWORD"], device_token["token"]):  # fmt: skip
        assert secret not in written


def test_strong_identification_is_set_up_only_from_home(
    services: Services, holder: SignedIn
) -> None:
    for away in (Origin(OriginKind.SSH, FAR_AWAY), Origin(OriginKind.KIOSK)):
        with pytest.raises(Refused) as refused:
            services.access.start_enrolment(holder, away)
        assert refused.value.code == "totp.enrol_at_home"
    assert services.access.start_enrolment(holder, Origin(OriginKind.SSH, "192.168.1.20"))


def test_the_management_page_begins_an_enrolment_or_offers_to_turn_the_enrolled_one_off(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    away = Origin(OriginKind.SSH, FAR_AWAY)
    enrolment = services.access.begin_enrolment(holder, CONSOLE)
    assert enrolment is not None and enrolment.uri.startswith("otpauth://totp/")
    assert not services.access.enrolled(holder), "stored only once a first code matches"
    with pytest.raises(Refused) as refused:
        services.access.begin_enrolment(holder, away)
    assert refused.value.code == "totp.enrol_at_home"

    enrolled_authenticator(services, holder, clock.now)
    assert services.access.begin_enrolment(holder, CONSOLE) is None
    assert services.access.begin_enrolment(holder, away) is None, "turning it off needs a code"
