"""Creating a box through the services as the front ends call them, on both engines:
step 2's gate in one call (the wizard's gate screen and the command line's ``create``)."""

from __future__ import annotations

import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from hand_clock import HandClock
from mailwizard.bootstrap import Services
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.errors import Refused
from mailwizard.services.signin import SignedIn
from martin_household import HOLDER, LEA, NEW_PASSWORD, box_request, enrolled_authenticator

CONSOLE = Origin(OriginKind.CONSOLE)
AWAY = Origin(OriginKind.SSH, "203.0.113.5")


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
