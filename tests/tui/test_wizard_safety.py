"""What the UI does with hostile text, unexpected failures and another language."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import text
from textual.widgets import DataTable, Input

from mailwizard.bootstrap import Services
from mailwizard.clock import utc_now
from martin_household import HOLDER, HOLDER_PASSWORD, box_request, enrolled_authenticator
from tui.wizard_driver import (
    AppFactory,
    click,
    field_reason,
    fill_password,
    label_text,
    notifications,
    press,
    press_continue,
    reach_password_step,
    screen_name,
    settle,
    sign_in,
    start_creation,
    type_into,
)

HOSTILE_NAME = "[@click=app.quit]Eve[/]"


async def test_names_from_the_directory_are_shown_literally_and_do_nothing(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    # Another tool wrote this name; the rules of this program would have refused it.
    with app_services.engine.begin() as connection:
        connection.execute(
            text("UPDATE mailbox SET first_name = :name WHERE username = :address"),
            {"name": HOSTILE_NAME, "address": HOLDER},
        )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        table = app.screen.query_one(DataTable)
        name_cell = table.get_row_at(0)[1]
        assert str(name_cell) == f"{HOSTILE_NAME} Martin"
        region = table.region
        await pilot.click(DataTable, offset=(region.width // 2, 1))
        await settle(pilot)
        assert app.is_running
        # Clicking the highlighted row may open the box, which is what a click means there.
        assert screen_name(app) in ("ManagementScreen", "BoxScreen")


async def test_an_unexpected_failure_shows_the_error_screen_and_keeps_the_answers(
    app_household: str,
    app_services: Services,
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_commit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app_services.provisioning, "commit", broken_commit)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot)
        await fill_password(pilot)
        await press_continue(pilot)
        await press_continue(pilot)

        assert screen_name(app) == "ErrorScreen"
        assert "Your answers are kept" in label_text(app, "#error-explanation")
        await press(pilot, "escape")
        assert screen_name(app) == "ReviewScreen"
        await press(pilot, "escape")
        assert app.screen.query_one("#password", Input).value != ""


async def test_every_screen_speaks_french_when_asked(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert "Gérer les adresses e-mail de vos proches" in label_text(app, ".screen-title")
        assert "9 adresses secondaires restantes sur 9" in label_text(app, "#remaining")
        await click(pilot, "#create")
        assert label_text(app, ".step-number") == "Étape 1 sur 4"
        await press(pilot, "escape")
        assert screen_name(app) == "ManagementScreen"


async def test_undelivered_confirmations_are_shown_on_the_management_page(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.provisioning.commit(
        holder,
        box_request("lea.martin@famille-martin.fr", "Léa", "Martin", "fr"),
        "test",
    )
    with app_services.engine.begin() as connection:
        connection.execute(
            text("UPDATE outbox SET status = 'failed', last_error = '550 no such user' "
                 "WHERE recipient = 'lea.martin@famille-martin.fr'")
        )  # fmt: skip
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert label_text(app, "#undelivered") == (
            "Confirmation e-mails could not be delivered to: lea.martin@famille-martin.fr."
        )


@pytest.fixture
def away_from_home(
    app_household: str, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> pyotp.TOTP:
    """The wizard runs over SSH from afar; the holder's authenticator app is enrolled."""
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.5 51000 10.0.0.2 22")
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    return enrolled_authenticator(app_services, holder, utc_now())


async def test_away_from_home_the_gate_asks_for_the_authenticator_code(
    away_from_home: pyotp.TOTP, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        assert screen_name(app) == "GateScreen"
        assert label_text(app, ".step-number") == "Step 1 of 5", "the code is a step of its own"
        assert "authenticator" in field_reason(app, "totp_code")
        await type_into(pilot, "#totp_code", "000000")
        await press_continue(pilot)
        assert "not right" in field_reason(app, "totp_code")
        await type_into(pilot, "#totp_code", away_from_home.now())
        await press_continue(pilot)
        assert screen_name(app) == "IdentityScreen"
        assert label_text(app, ".step-number") == "Step 2 of 5"


async def test_the_gate_locks_the_codes_after_five_wrong_ones_and_says_until_when(
    away_from_home: pyotp.TOTP, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        reasons = []
        for _ in range(5):
            await type_into(pilot, "#totp_code", "000000")
            await press_continue(pilot)
            reasons.append(field_reason(app, "totp_code"))
        assert all("not right" in reason for reason in reasons[:4])
        assert reasons[4].startswith("Too many wrong codes")
        await type_into(pilot, "#totp_code", away_from_home.now())
        await press_continue(pilot)
        assert screen_name(app) == "GateScreen"
        assert field_reason(app, "totp_code") == reasons[4]
        assert "Try again then." in reasons[4]
    household_id = app_services.households.household_id(HOLDER)
    failed = [e.origin for e in app_services.management.audit_log(household_id)
              if e.action == "totp.failed"]  # fmt: skip
    assert failed == ["terminal, ssh 203.0.113.5"] * 5


async def test_strong_identification_is_enrolled_from_the_management_page(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await press(pilot, "t")
        assert screen_name(app) == "EnrolmentScreen"
        secret = label_text(app, "#secret")
        assert label_text(app, "#uri").startswith("otpauth://totp/")
        await type_into(pilot, "#totp_code", "000000")
        await press(pilot, "enter")
        assert "not right" in field_reason(app, "totp_code")
        await type_into(pilot, "#totp_code", pyotp.TOTP(secret).now())
        await press(pilot, "enter")
        assert screen_name(app) == "ManagementScreen"
        assert f"Strong identification is on for {HOLDER}." in notifications(app)
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    assert app_services.access.enrolled(holder)
