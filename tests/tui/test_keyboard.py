"""The README's keyboard contract, key by key: where the focus lands, what Tab, Space and
Enter do, what a refusal says, what leaving asks, and keys that come in a burst."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, RadioSet

from mailwizard.tui.app import MailwizardApp
from mailwizard.tui.widgets.strength_meter import StrengthMeter
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD
from tui.wizard_driver import (
    AppFactory,
    continue_enabled,
    field_reason,
    label_text,
    press,
    screen_name,
    settle,
    start_creation,
    type_burst,
)


def focused_id(app: MailwizardApp) -> str | None:
    return app.focused.id if app.focused is not None else None


def value_of(app: MailwizardApp, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def test_steps_are_answered_with_the_keyboard_alone_and_the_focus_follows(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        assert focused_id(app) == "civility", "the first answer still empty"
        await press(pilot, "space", "tab")
        assert focused_id(app) == "last_name"
        await type_burst(pilot, *"Martin", "tab", *"Léa")
        await press(pilot, "enter")
        assert screen_name(app) == "AddressScreen", "Enter in a field continues"
        assert focused_id(app) == "proposals"
        await press(pilot, "down", "enter")
        assert screen_name(app) == "PasswordScreen", "Enter takes the proposal and continues"
        assert focused_id(app) == "password"

        await press(pilot, "escape")
        assert screen_name(app) == "AddressScreen"
        assert focused_id(app) == "address", "the address typed, not the proposals"
        assert value_of(app, "#address") == "lea.martin@famille-martin.fr"
        await press(pilot, "escape")
        assert screen_name(app) == "IdentityScreen"
        assert focused_id(app) == "continue", "everything is answered: not the civility"
        await press(pilot, "enter")
        await press(pilot, "enter")
        assert screen_name(app) == "PasswordScreen"

        await type_burst(pilot, *NEW_PASSWORD, "tab", *NEW_PASSWORD)
        await settle(pilot)
        order = []
        for _ in range(6):
            await press(pilot, "tab")
            order.append(focused_id(app))
        assert order == ["show", "suggest-passphrase", "terms", "accept", "back", "activation"], (
            "reading order; Continue is disabled until the terms are accepted"
        )
        assert label_text(app, "#continue-why") == "Accept the terms of use first."
        app.screen.query_one("#accept").focus()
        await press(pilot, "enter")
        assert screen_name(app) == "PasswordScreen"
        assert label_text(app, "#terms-error") == "Accept the terms of use first."
        assert not app.screen.query_one("#accept", Checkbox).value
        await press(pilot, "space")
        assert app.screen.query_one("#accept", Checkbox).value, "Space ticks"
        assert continue_enabled(app)
        await press(pilot, "enter")
        assert screen_name(app) == "ReviewScreen", "Enter on the ticked box continues"
        assert focused_id(app) == "continue"
        await press(pilot, "escape")
        assert app.screen.query_one("#accept", Checkbox).value, "and never unticks it"
        assert focused_id(app) == "continue"
        await press(pilot, "enter")
        await press(pilot, "enter")
        assert screen_name(app) == "ManagementScreen"


async def test_enter_on_a_step_not_answered_says_why_beside_the_field(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        await press(pilot, "enter")
        assert screen_name(app) == "IdentityScreen"
        assert field_reason(app, "last_name") == "Enter a name."
        assert focused_id(app) == "last_name"
        await type_burst(pilot, *"Martin", "tab", *"Léa")
        await press(pilot, "enter")
        assert field_reason(app, "civility") != ""
        assert focused_id(app) == "civility"
        await press(pilot, "space", "enter")
        assert screen_name(app) == "AddressScreen"
        app.screen.query_one("#address", Input).focus()
        await press(pilot, "enter")
        assert field_reason(app, "address") == "Choose a proposed address, or type one."
        assert label_text(app, "#continue-why") == "Choose a proposed address, or type one."
        await type_burst(pilot, *"postmaster")
        await press(pilot, "enter")
        assert "reserved" in field_reason(app, "address")
        assert screen_name(app) == "AddressScreen"
        await press(pilot, "home", "ctrl+k")
        await type_burst(pilot, *"lea", "enter")
        await settle(pilot)
        assert screen_name(app) == "PasswordScreen", "Enter before the check: on once it passes"
        await type_burst(pilot, *"password1234")
        await press(pilot, "enter")
        assert "too easy to guess" in field_reason(app, "password")
        assert screen_name(app) == "PasswordScreen"


async def test_enter_on_the_sign_in_form_moves_to_the_empty_field_or_says_why(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert focused_id(app) == "address"
        await press(pilot, "enter")
        assert field_reason(app, "address") == "Enter your e-mail address."
        assert focused_id(app) == "address"
        await type_burst(pilot, *HOLDER)
        await press(pilot, "enter")
        assert field_reason(app, "address") == "", "typing forgives the reason"
        assert focused_id(app) == "password", "the address given: on to the password"
        assert field_reason(app, "password") == ""
        await press(pilot, "enter")
        assert field_reason(app, "password") == "Enter your password."
        assert screen_name(app) == "SignInScreen"
        await type_burst(pilot, *HOLDER_PASSWORD, "enter")
        await settle(pilot)
        assert screen_name(app) == "ManagementScreen"


async def test_keys_sent_in_one_burst_are_dealt_with_in_order_and_the_alias_advice_waits(
    app_household: str, make_app: AppFactory
) -> None:
    """Keys come in a burst as a paste or the web kiosk sends them: "Dupont<Tab>Jean" once
    put both names in the last-name field, because Tab moved the focus after "Jean" had
    gone there. The holder's own name then brings the advice, which Enter does not pass."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        assert focused_id(app) == "civility"
        await type_burst(pilot, "right", "space", "tab", *"Martinn", "backspace", "tab", *"Jean")
        await settle(pilot)
        assert value_of(app, "#last_name") == "Martin"
        assert value_of(app, "#first_name") == "Jean"
        assert app.screen.query_one(RadioSet).pressed_index == 1
        await press(pilot, "enter")
        assert screen_name(app) == "IdentityScreen", "Enter does not pass the advice by"
        assert label_text(app, "#continue-why") == "Answer the advice above first."
        assert label_text(app, "#same-person-why") != ""
        assert focused_id(app) == "make-alias"
        assert str(app.screen.query_one("#make-alias", Button).label) == "Make an alias instead"
        await press(pilot, "tab")
        assert focused_id(app) == "separate-box"
        await press(pilot, "enter")
        assert screen_name(app) == "AddressScreen"


async def test_leaving_the_wizard_with_answers_typed_asks_first(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        await press(pilot, "escape")
        assert screen_name(app) == "ManagementScreen", "nothing typed: nothing to ask"
        await press(pilot, "c")
        await press(pilot, "tab")
        await type_burst(pilot, *"Martin")
        await press(pilot, "escape")
        assert screen_name(app) == "LeaveWizardScreen"
        await press(pilot, "escape")
        assert screen_name(app) == "IdentityScreen"
        assert value_of(app, "#last_name") == "Martin"
        await press(pilot, "ctrl+q")
        assert screen_name(app) == "LeaveWizardScreen"
        await press(pilot, "enter")
        assert app.is_running and screen_name(app) == "IdentityScreen", "Stay is the default"
        await press(pilot, "escape")
        await press(pilot, "tab", "enter")
        assert screen_name(app) == "ManagementScreen"
        await press(pilot, "c")
        await press(pilot, "space")
        await press(pilot, "ctrl+q")
        await press(pilot, "tab", "enter")
        assert not app.is_running


async def test_the_first_run_is_filled_and_sent_with_the_keyboard(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert focused_id(app) == "domain"
        await press(pilot, "enter")
        assert field_reason(app, "domain") == "Enter the domain name."
        await type_burst(pilot, *"famille-martin.fr", "tab", *HOLDER, "tab")
        await press(pilot, "ctrl+q")
        assert screen_name(app) == "LeaveWizardScreen", "answers typed: Ctrl+Q asks first"
        await press(pilot, "escape")
        assert screen_name(app) == "FirstRunScreen"
        assert focused_id(app) == "civility"
        await press(pilot, "space", "tab")
        await type_burst(pilot, *"Martin", "tab", *"Jean", "tab", *HOLDER_PASSWORD)
        await settle(pilot)
        meter = str(app.screen.query_one(StrengthMeter).render())
        assert meter.rstrip().endswith("strong"), "the first run has the meter"
        await type_burst(pilot, "tab", *HOLDER_PASSWORD)
        await press(pilot, "enter")
        assert screen_name(app) == "SignInScreen"
        assert focused_id(app) == "password"
