"""A box created for its user to choose the password: the one-time code opens it once,
before it runs out, with a password under the policy; anything else changes nothing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, at_the_same_instant, household_listing, query
from hand_clock import HandClock
from mailwizard.bootstrap import Services
from mailwizard.domain.activation import CODE_ALPHABET, CODE_BITS, new_code, typed_code
from mailwizard.domain.models import MailboxSummary
from mailwizard.errors import Refusal, Refused, SignInFailed
from mailwizard.services.signin import SignedIn
from martin_household import (
    HOLDER,
    LEA,
    NEW_PASSWORD,
    OWNER_ENV,
    activation_env,
    awaiting_activation,
)

CODE_SHAPE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def awaiting(services: Services, holder: SignedIn) -> dict[str, datetime]:
    """The boxes the household's overview shows awaiting activation, with their code's end."""
    overview = services.households.overview_of(holder.household_id)
    return {
        box.address: box.awaiting_activation_until
        for box in overview.secondary
        if box.awaiting_activation_until is not None
    }


def lea_box(services: Services, holder: SignedIn) -> MailboxSummary:
    box = services.households.overview_of(holder.household_id).box(LEA)
    assert isinstance(box, MailboxSummary)
    return box


def listed_box(cli: Cli) -> dict[str, Any]:
    """Léa's box in ``accounts list --json``."""
    return next(box for box in household_listing(cli)["mailboxes"] if box["address"] == LEA)


def listed_line(cli: Cli) -> str:
    """Léa's box in ``accounts list``."""
    listing = cli("accounts", "list", "--owner", HOLDER).stdout
    return next(line for line in listing.splitlines() if line.startswith(LEA))


def refusal(services: Services, code: str, password: str = NEW_PASSWORD, **kwargs: str) -> str:
    with pytest.raises(Refused) as refused:
        services.activation.activate(
            kwargs.get("address", LEA), code, password, kwargs.get("again", password), "test"
        )
    return refused.value.message


def box_state(directory_url: str) -> tuple[object, ...]:
    """What an activation would change: the box's password hash and when it was opened."""
    ((state),) = query(
        directory_url, f"SELECT password, activated_at FROM mailbox WHERE username = '{LEA}'"
    )
    return state


def audit_actions(directory_url: str) -> list[object]:
    rows = query(directory_url, "SELECT action FROM audit_log ORDER BY id")
    return [action for (action,) in rows]


def test_codes_are_sixty_bits_in_three_groups_without_look_alikes() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE_SHAPE.fullmatch(code) for code in codes)
    assert CODE_BITS == 60
    assert not set("01IO") & set(CODE_ALPHABET)
    assert typed_code(" k7qm 4xpd\tra9t ") == "K7QM-4XPD-RA9T", "any case, any spacing"


@given(st.text())
def test_any_typed_text_is_a_canonical_code_or_a_refusal(text: str) -> None:
    typed = typed_code(text)
    assert isinstance(typed, Refusal) or CODE_SHAPE.fullmatch(typed)


def test_the_right_code_and_a_password_of_her_own_open_the_box_once(
    services: Services, holder: SignedIn, directory_url: str
) -> None:
    code = awaiting_activation(services)
    assert awaiting(services, holder).keys() == {LEA}
    with pytest.raises(SignInFailed):
        services.signin.sign_in(LEA, NEW_PASSWORD, "test")

    activated = services.activation.activate(LEA, code.lower(), NEW_PASSWORD, NEW_PASSWORD, "test")
    assert activated.account.address == LEA
    assert services.signin.sign_in(LEA, NEW_PASSWORD, "test").address == LEA
    assert awaiting(services, holder) == {}
    assert audit_actions(directory_url)[-1] == "mailbox.activated"
    notices = query(
        directory_url, "SELECT recipient, template FROM outbox WHERE template = 'holder_activated'"
    )
    assert notices == [(HOLDER, "holder_activated")]

    before = box_state(directory_url)
    again = refusal(services, code, "Une-autre-phrase-bien-longue")
    assert again == "This activation code was already used: sign in with the password chosen then."
    assert box_state(directory_url) == before


def test_a_wrong_code_or_a_refused_password_changes_nothing(
    services: Services, holder: SignedIn, directory_url: str
) -> None:
    code = awaiting_activation(services)
    before = box_state(directory_url)
    other = next(c for c in iter(new_code, None) if c != code)
    incorrect = "The address or the activation code is incorrect."
    assert refusal(services, other) == incorrect
    assert refusal(services, code, address="nobody@famille-martin.fr") == incorrect
    assert refusal(services, code, address=HOLDER) == incorrect, "a box without a code"
    assert "12 letters and digits" in refusal(services, "K7QM-4XPD")
    assert refusal(services, code, "lea martin") != incorrect, "the policy refuses it"
    assert refusal(services, code, again="something else") == "The two passwords are different."
    assert box_state(directory_url) == before
    assert awaiting(services, holder).keys() == {LEA}
    failed = audit_actions(directory_url).count("activation.failed")
    assert failed == 3, "each wrong code is logged, as a failed sign-in is"


def test_five_wrong_codes_lock_the_address_even_for_the_right_one(
    services: Services, holder: SignedIn, clock: HandClock, directory_url: str
) -> None:
    code = awaiting_activation(services)
    wrong = next(c for c in iter(new_code, None) if c != code)
    messages = [refusal(services, wrong) for _ in range(5)]
    assert messages[-1].startswith("Too many wrong codes: this address is locked until")
    assert refusal(services, code).startswith("Too many wrong codes")
    assert "activation.locked" in audit_actions(directory_url)

    clock.now += timedelta(minutes=16)
    services.activation.activate(LEA, code, NEW_PASSWORD, NEW_PASSWORD, "test")


def test_a_code_runs_out_after_activation_hours_and_the_holder_issues_a_new_one(
    services: Services, holder: SignedIn, clock: HandClock, directory_url: str
) -> None:
    code = awaiting_activation(services)
    expiry = awaiting(services, holder)[LEA]
    assert expiry == clock.now + timedelta(hours=72)
    assert lea_box(services, holder).state == "to activate"
    clock.now = expiry
    box = lea_box(services, holder)
    assert (box.state, box.state_until) == ("code expired", None), "the table's words for it"
    before = box_state(directory_url)
    message = refusal(services, code)
    assert message.startswith("This activation code ran out on ")
    assert message.endswith("ask Jean Martin for a new one.")
    assert box_state(directory_url) == before

    issued = services.activation.reissue(holder, LEA, "test")
    assert issued.code != code and issued.expires_at == clock.now + timedelta(hours=72)
    assert lea_box(services, holder).state_until == issued.expires_at
    assert refusal(services, code) == "The address or the activation code is incorrect."
    services.activation.activate(LEA, issued.code, NEW_PASSWORD, NEW_PASSWORD, "test")
    with pytest.raises(Refused, match="is not a box of your household awaiting"):
        services.activation.reissue(holder, LEA, "test")
    assert "activation.reissued" in audit_actions(directory_url)


def test_codes_are_issued_only_for_boxes_awaiting_activation_and_a_deleted_one_opens_no_more(
    services: Services, holder: SignedIn
) -> None:
    code = awaiting_activation(services)
    for address in (HOLDER, "nobody@famille-martin.fr"):
        with pytest.raises(Refused, match="is not a box of your household awaiting"):
            services.activation.reissue(holder, address, "test")
    services.management.delete(holder, LEA, LEA, "test")
    with pytest.raises(Refused, match="is not a box of your household awaiting"):
        services.activation.reissue(holder, LEA, "test")
    assert refusal(services, code) == "The address or the activation code is incorrect."


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(address=st.one_of(st.just(LEA), st.text(max_size=300)), code=st.text(max_size=200))
def test_hostile_codes_and_addresses_are_refused_cleanly_and_change_nothing(
    services: Services, holder: SignedIn, directory_url: str, address: str, code: str
) -> None:
    if not awaiting(services, holder):
        awaiting_activation(services)
    before = box_state(directory_url)
    with pytest.raises(Refused) as refused:
        services.activation.activate(address, code, NEW_PASSWORD, NEW_PASSWORD, "test")
    assert refused.value.message and refused.value.field in {"code", "address"}
    assert box_state(directory_url) == before


# --- The command line ---


def test_create_prints_the_address_then_the_code_and_activate_opens_the_box(
    household: str, cli: Cli, answers_dir: Path, directory_url: str
) -> None:
    created = cli.create(answers_dir, env=OWNER_ENV, activation=True)
    assert created.exit_code == 0, created.stderr
    address, line = created.stdout.splitlines()
    assert address == LEA
    code = line.removeprefix("activation code: ")
    assert CODE_SHAPE.fullmatch(code), line
    assert "valid until" in created.stderr
    until = listed_box(cli)["awaiting_activation_until"]
    assert until.replace("T", " ")[:16] in created.stderr, "the code's end, in both"
    assert listed_line(cli).split()[1:3] == ["to", "activate"]

    wrong = cli("activate", LEA, env=activation_env("K7QM-4XPD-RA9T"))
    assert (wrong.exit_code, wrong.stderr) == (
        1, "The address or the activation code is incorrect.\n"
    )  # fmt: skip
    reissued = cli("activation-code", "--owner", HOLDER, "lea.martin", env=OWNER_ENV)
    assert reissued.exit_code == 0, reissued.stderr
    new = reissued.stdout.strip().removeprefix("activation code: ")
    assert CODE_SHAPE.fullmatch(new) and new != code

    assert cli("activate", LEA, env=activation_env(code)).exit_code == 1, "the stale code"
    opened = cli("activate", LEA, env=activation_env(new.lower()))
    assert opened.exit_code == 0, opened.stderr
    assert LEA in opened.stdout
    assert listed_box(cli)["awaiting_activation_until"] is None
    assert listed_line(cli).split()[1] == "secondary"
    change = {
        "MAILWIZARD_PASSWORD": NEW_PASSWORD,
        "MAILWIZARD_NEW_PASSWORD": "Une-tortue-verte-au-soleil",
    }
    signed_in = cli("accounts", "passwd", LEA, env=change)
    assert signed_in.exit_code == 0, "her own password opens her box: " + signed_in.stderr


def test_activate_without_a_code_and_without_a_terminal_is_a_usage_error(
    household: str, cli: Cli
) -> None:
    outcome = cli("activate", LEA, env={"MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD})
    assert outcome.exit_code == 2
    assert "MAILWIZARD_ACTIVATION_CODE" in outcome.stderr


GUESSERS = 40


def test_forty_processes_guessing_codes_at_once_verify_at_most_five(
    household: str, cli: Cli, answers_dir: Path, directory_url: str
) -> None:
    """Forty processes type a wrong code for Léa's box at the same instant: the tries are
    counted before the codes are verified, so five are verified (each logged) and the
    others find the address locked; the right code then too."""
    _, code = cli.box_awaiting_activation(answers_dir)
    wrong = next(c for c in iter(new_code, None) if c != code)
    outcomes = at_the_same_instant(GUESSERS, "activate", LEA, env=activation_env(wrong))
    assert [o.exit_code for o in outcomes] == [1] * GUESSERS, outcomes
    assert audit_actions(directory_url).count("activation.failed") == 5
    locked = [o for o in outcomes if "Too many wrong codes" in o.stderr]
    assert len(locked) == GUESSERS - 4, "the fifth failure and every try after it: locked"

    right = cli("activate", LEA, env=activation_env(code))
    assert right.exit_code == 1 and "Too many wrong codes" in right.stderr
    assert query(directory_url, f"SELECT activated_at FROM mailbox WHERE username = '{LEA}'") == [
        (None,)
    ]


def test_a_password_the_holder_gives_ends_the_wait_and_the_code(
    services: Services, holder: SignedIn, directory_url: str
) -> None:
    code = awaiting_activation(services)
    services.management.reset_password(holder, LEA, NEW_PASSWORD, NEW_PASSWORD, "test")
    assert awaiting(services, holder) == {}
    assert services.signin.sign_in(LEA, NEW_PASSWORD, "test").address == LEA
    assert refusal(services, code, "Une-autre-phrase-bien-longue") == (
        "The address or the activation code is incorrect."
    )
