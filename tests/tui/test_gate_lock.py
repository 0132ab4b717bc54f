"""Step 2 away from home: wrong codes are counted, and the fifth locks the codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest

from mailwizard.bootstrap import Services
from mailwizard.clock import utc_now
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.tui.app import MailwizardApp
from martin_household import HOLDER, HOLDER_PASSWORD
from tui.wizard_driver import field_reason, press_continue, screen_name, start_creation, type_into

AppFactory = Callable[..., MailwizardApp]


async def test_the_gate_locks_the_codes_after_five_wrong_ones_and_says_until_when(
    app_household: str,
    app_services: Services,
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    enrolment = app_services.access.start_enrolment(holder, Origin(OriginKind.CONSOLE))
    phone = pyotp.TOTP(enrolment.secret)
    earlier = utc_now() - timedelta(seconds=30)
    app_services.access.confirm_enrolment(holder, enrolment, phone.at(earlier), "test")
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.5 51000 10.0.0.2 22")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        assert screen_name(app) == "GateScreen"
        reasons = []
        for _ in range(5):
            await type_into(pilot, "#totp_code", "000000")
            await press_continue(pilot)
            reasons.append(field_reason(app, "totp_code"))
        assert all("not right" in reason for reason in reasons[:4])
        assert reasons[4].startswith("Too many wrong codes")
        await type_into(pilot, "#totp_code", phone.now())
        await press_continue(pilot)
        assert screen_name(app) == "GateScreen"
        assert field_reason(app, "totp_code") == reasons[4]
        assert "Try again then." in reasons[4]
    log = app_services.management.audit_log(holder.household_id)
    failed = [e.origin for e in log if e.action == "totp.failed"]
    assert failed == ["terminal, ssh 203.0.113.5"] * 5
