"""Activation codes through the real app and real key presses: the holder lets Léa choose
her own password, sees the code once, issues a new one from her box's page; Léa opens
her box from the sign-in screen with the code and a password of her own."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr
from textual.widgets import Button

from cli_harness import query
from mailwizard.bootstrap import Services
from mailwizard.config import Settings
from mailwizard.errors import Refused
from mailwizard.tui.app import MailwizardApp, build_app
from martin_household import LEA, NEW_PASSWORD, awaiting_activation
from tui.wizard_driver import (
    AppFactory,
    box_states,
    click,
    continue_enabled,
    label_text,
    open_box,
    press,
    press_continue,
    reach_password_step,
    screen_name,
    settle,
    sign_in,
    type_burst,
    type_keys,
)

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def code_shown(app: MailwizardApp) -> str:
    assert screen_name(app) == "ActivationCodeScreen"
    code = label_text(app, "#activation-code")
    assert CODE.fullmatch(code), code
    assert label_text(app, "#activation-expiry").startswith("Valid until ")
    return code


# The wizard's whole creation on both engines; the screens alone need only one.
@pytest.mark.parametrize("directory_engine", ["sqlite", "postgresql"])
async def test_the_holder_lets_lea_choose_her_password_and_sees_the_code_once(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    services = app_services
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, LEA)
        assert screen_name(app) == "PasswordScreen"
        assert not continue_enabled(app)
        app.screen.query_one("#activation").focus()
        await pilot.press("space")
        assert not app.screen.query_one("#password-field").display
        app.screen.query_one("#accept").focus()
        await press(pilot, "space")
        assert continue_enabled(app), "no password to type: the terms are enough"
        await press_continue(pilot)
        assert screen_name(app) == "ReviewScreen"
        values = [str(label.render()) for label in app.screen.query(".review-value")]
        assert "chosen by Léa with a code shown after “Confirm”" in values
        await press_continue(pilot)
        code = code_shown(app)
        await press(pilot, "enter")
        assert screen_name(app) == "ManagementScreen"

        assert box_states(app)[LEA] == "to activate"
        await open_box(pilot, LEA)
        assert label_text(app, "#awaiting-activation").startswith("Awaiting activation until ")
        await click(pilot, "#new-code")
        new = code_shown(app)
        assert new != code
    with pytest.raises(Refused, match="incorrect"):
        services.activation.activate(LEA, code, NEW_PASSWORD, NEW_PASSWORD, "test")
    services.activation.activate(LEA, new, NEW_PASSWORD, NEW_PASSWORD, "test")


@pytest.mark.parametrize("kiosk", [False, True], ids=["console", "kiosk"])
async def test_lea_opens_her_box_from_the_sign_in_screen(
    app_household: str,
    app_services: Services,
    settings: Settings,
    make_app: AppFactory,
    kiosk: bool,
) -> None:
    """On a console as on a kiosk (and so the web kiosk, which serves the same app)."""
    services = app_services
    code = awaiting_activation(services)
    kiosk_settings = settings.model_copy(
        update={"kiosk": True, "kiosk_admin_pin": SecretStr("2468")}
    )
    app = build_app(kiosk_settings, services) if kiosk else make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await click(pilot, "#have-code")
        assert screen_name(app) == "ActivateScreen"
        assert not app.screen.query_one("#password-field").is_on_screen
        await type_keys(pilot, "#address", LEA)
        await pilot.press("enter")
        await type_burst(pilot, *"K7QM-4XPD-RA9T", "\r")
        await settle(pilot)
        assert label_text(app, "#activate-error") == (
            "The address or the activation code is incorrect."
        )
        assert not app.screen.query_one("#password-field").is_on_screen

        await type_keys(pilot, "#code", code.lower().replace("-", " "))
        await press(pilot, "enter")
        assert app.screen.query_one("#password-field").is_on_screen
        await type_burst(pilot, *"lea martin", "\t")
        await settle(pilot, 0.4)
        assert label_text(app, "#password-field .field-reason"), "the policy, as she types"
        await type_keys(pilot, "#password", NEW_PASSWORD)
        await type_burst(pilot, "\r", *NEW_PASSWORD)
        await settle(pilot, 0.4)
        assert not app.screen.query_one("#activate", Button).disabled
        await press(pilot, "enter")
        assert screen_name(app) == "OwnBoxScreen"
        assert label_text(app, ".step-number") == LEA
    assert services.signin.sign_in(LEA, NEW_PASSWORD, "test").address == LEA


async def test_a_code_that_ran_out_says_so_and_a_new_one_opens_the_box_again(
    app_household: str, app_services: Services, settings: Settings, make_app: AppFactory
) -> None:
    old_code = awaiting_activation(app_services)
    # Three days cannot pass in a test: the code's end is moved back in the directory
    # (as SQLite holds a time: UTC, without its zone).
    query(
        settings.directory_url,
        "UPDATE mailbox SET activation_expires_at = :gone WHERE username = :lea",
        gone="2026-11-02 09:30:00.000000",
        lea=LEA,
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await settle(pilot)
        assert box_states(app)[LEA] == "code expired"
        await open_box(pilot, LEA)
        assert label_text(app, "#awaiting-activation") == (
            "The activation code ran out on 2026-11-02 09:30."
        )
        await click(pilot, "#new-code")
        new_code = code_shown(app)
        await press(pilot, "enter")
        assert label_text(app, "#awaiting-activation").startswith("Awaiting activation until ")
        await press(pilot, "escape")
        await settle(pilot)
        assert box_states(app)[LEA] == "to activate"
    assert new_code != old_code
    app_services.activation.activate(LEA, new_code, NEW_PASSWORD, NEW_PASSWORD, "test")
