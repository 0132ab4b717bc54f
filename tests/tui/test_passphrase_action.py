"""“Suggest a passphrase” (Ctrl+G, or its button) on step 5 and on the activation screen
(the new-password dialog's is in test_management_screens): both fields filled in clear
with words of the interface language's list, a new one at each press, which the meter
calls strong and the box then signs in with."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input

from mailwizard.bootstrap import Services
from martin_household import LEA, awaiting_activation
from tui.wizard_driver import (
    AppFactory,
    click,
    continue_enabled,
    press,
    press_continue,
    reach_password_step,
    screen_name,
    settle,
    suggested_passphrase,
    type_keys,
)


async def test_step_5_suggests_a_new_strong_passphrase_at_each_press(
    make_app: AppFactory, app_household: str, app_services: Services
) -> None:
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, LEA)
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        first = suggested_passphrase(app, "fr")
        assert app.screen.query_one("#show", Checkbox).value
        await pilot.click("#suggest-passphrase")
        await settle(pilot, 0.5)
        chosen = suggested_passphrase(app, "fr")
        assert chosen != first
        app.screen.query_one("#accept").focus()
        await pilot.press("space")
        await settle(pilot, 0.3)
        assert continue_enabled(app)
        await press_continue(pilot)
        await press_continue(pilot)
        assert screen_name(app) == "ManagementScreen"
    assert app_services.signin.sign_in(LEA, chosen, "test").address == LEA


async def test_the_activation_screen_suggests_one_that_opens_the_box(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    code = awaiting_activation(app_services)
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await click(pilot, "#have-code")
        await press(pilot, "ctrl+g")
        assert app.screen.query_one("#password", Input).value == "", "no code accepted yet"
        await type_keys(pilot, "#address", LEA)
        await pilot.press("enter")
        await type_keys(pilot, "#code", code)
        await press(pilot, "enter")
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        chosen = suggested_passphrase(app, "fr")
        assert not app.screen.query_one("#activate", Button).disabled
        await click(pilot, "#activate")
        assert screen_name(app) == "OwnBoxScreen"
    assert app_services.signin.sign_in(LEA, chosen, "test").address == LEA
