"""Creating a box through the services as the front ends call them, on both engines:
step 2's gate in one call (the wizard's gate screen), the whole creation in one call
(the command line's ``create``), and what the operator asks by the owner's address."""

from __future__ import annotations

from typing import Any

import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from hand_clock import HandClock
from mailwizard.bootstrap import Services
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.models import Identity
from mailwizard.errors import Refused, SignInFailed
from mailwizard.services.provisioning import SAME_PERSON_ADVICE, CreatedMailbox
from mailwizard.services.signin import SignedIn
from martin_household import (
    DOMAIN,
    HOLDER,
    HOLDER_PASSWORD,
    LEA,
    NEW_PASSWORD,
    box_request,
    enrolled_authenticator,
)

CONSOLE = Origin(OriginKind.CONSOLE)
AWAY = Origin(OriginKind.SSH, "203.0.113.5")
CAMILLE = Identity(civility="x", first_name="Camille", last_name="Petit")
JEAN = Identity(civility="m", first_name="Jean", last_name="Martin")


def create(
    services: Services, owner_password: str = HOLDER_PASSWORD, **changes: Any
) -> CreatedMailbox:
    """Camille's box, as ``mailwizard create`` asks for it from the console, with
    ``changes`` to its answers."""
    answers: dict[str, Any] = {
        "origin": CONSOLE,
        "code": None,
        "audit_origin": "command line, console",
        "identity": CAMILLE,
        "address": f"camille.petit@{DOMAIN}",
        "password": NEW_PASSWORD,
        "accepts_terms": True,
        "language": "fr",
    }
    return services.provisioning.create_unattended(HOLDER, owner_password, **{**answers, **changes})


def refusal_of_create(services: Services, **changes: Any) -> str:
    with pytest.raises(Refused) as refused:
        create(services, **changes)
    return refused.value.code


def secondary_addresses(services: Services) -> list[str]:
    return [box.address for box in services.households.overview(HOLDER).secondary]


def test_the_gate_asks_where_from_first_then_who_then_the_contract(
    services: Services, holder: SignedIn
) -> None:
    overview = services.provisioning.open_creation(holder, CONSOLE, None, "test")
    assert overview.primary.address == HOLDER and overview.remaining_secondary > 0
    services.provisioning.commit(holder, box_request(LEA), "test")
    lea = services.signin.sign_in(LEA, NEW_PASSWORD, "test")
    services.households.set_contract_active(HOLDER, False, "test")
    for who, origin, refusal in (
        (holder, AWAY, "access.not_at_home"),
        (lea, CONSOLE, "access.not_holder"),
        (holder, CONSOLE, "contract.suspended"),
    ):
        with pytest.raises(Refused) as refused:
            services.provisioning.open_creation(who, origin, None, "test")
        assert refused.value.code == refusal


def test_away_from_home_the_gate_opens_with_a_fresh_code_once(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    code = enrolled_authenticator(services, holder, clock.now).at(clock.now)
    assert services.provisioning.open_creation(holder, AWAY, code, "test").primary.address == HOLDER
    with pytest.raises(Refused) as reused:
        services.provisioning.open_creation(holder, AWAY, code, "test")
    assert reused.value.code == "totp.reused" and reused.value.field == "totp_code"


def test_one_call_signs_the_holder_in_passes_the_gate_and_creates_the_box(
    services: Services,
) -> None:
    created = create(services)
    assert created.address == f"camille.petit@{DOMAIN}"
    assert created.advice is None and created.activation is None
    assert created.mail.waiting is None
    assert secondary_addresses(services) == [created.address]
    entries = services.households.audit_log(HOLDER, 1)
    assert [(e.action, e.actor, e.origin) for e in entries] == [
        ("mailbox.created", HOLDER, "command line, console")
    ]


def test_a_wrong_holder_password_is_a_failed_sign_in_counted_and_logged(
    services: Services,
) -> None:
    with pytest.raises(SignInFailed):
        create(services, owner_password="not-the-holders-password")
    assert secondary_addresses(services) == []
    failed = services.households.audit_log(HOLDER, 1)[0]
    assert (failed.action, failed.target, failed.origin) == (
        "signin.failed",
        HOLDER,
        "command line, console",
    )


def test_the_unattended_creation_refuses_as_the_wizard_does_and_writes_nothing(
    services: Services, holder: SignedIn, clock: HandClock
) -> None:
    assert refusal_of_create(services, origin=AWAY) == "access.not_at_home"
    app = enrolled_authenticator(services, holder, clock.now)
    assert refusal_of_create(services, origin=AWAY) == "access.code_needed"
    assert refusal_of_create(services, origin=AWAY, code="0") == "totp.wrong_code"
    assert services.households.audit_log(HOLDER, 1)[0].action == "totp.failed"
    assert refusal_of_create(services, accepts_terms=False) == "terms.not_accepted"
    foreign = f"camille@{DOMAIN}.example"
    assert refusal_of_create(services, address=foreign) == "address.foreign_domain"
    services.households.set_contract_active(HOLDER, False, "test")
    assert refusal_of_create(services, origin=AWAY, code=app.at(clock.now)) == (
        "contract.suspended"
    )
    assert secondary_addresses(services) == []


def test_without_an_address_the_first_proposal_is_taken_and_the_advice_comes_back(
    services: Services, holder: SignedIn
) -> None:
    proposals = services.provisioning.suggest(holder, "Jean", "Martin")
    created = create(services, identity=JEAN, address=None, password=None)
    assert created.address == proposals[0]
    assert created.advice == SAME_PERSON_ADVICE
    assert created.activation is not None and created.first_name == "Jean"


def test_the_operator_asks_for_proposals_and_the_audit_log_by_the_owners_address(
    services: Services, holder: SignedIn
) -> None:
    expected = services.provisioning.suggest(holder, "Léa", "Martin")
    assert services.provisioning.suggest_for_owner(f" {HOLDER.upper()} ", "Léa", "Martin") == (
        expected
    )
    services.provisioning.commit(holder, box_request(LEA), "test")
    assert services.households.audit_log(HOLDER, 2) == services.management.audit_log(
        holder.household_id, 2
    )
    for asked in (
        lambda: services.provisioning.suggest_for_owner(LEA, "Léa", "Martin"),
        lambda: services.households.audit_log(f"nobody@{DOMAIN}"),
    ):
        with pytest.raises(Refused) as unknown:
            asked()
        assert unknown.value.code == "household.unknown" and unknown.value.field == "owner"
