"""The whole flow through the real app, and each way it can refuse."""

from __future__ import annotations

from textual.widgets import Button, Input, RadioSet

from mailwizard.bootstrap import Services
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD, box_request
from tui.wizard_driver import (
    AppFactory,
    choose_address,
    click,
    field_reason,
    fill_identity,
    fill_password,
    label_text,
    press,
    press_continue,
    reach_password_step,
    screen_name,
    sign_in,
    start_creation,
    type_into,
)


async def test_wrong_sign_in_says_nothing_about_the_address(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, password="wrong password")
        wrong_password = label_text(app, "#sign-in-error")
        await sign_in(pilot, address="nobody@famille-martin.fr")
        unknown = label_text(app, "#sign-in-error")
        assert screen_name(app) == "SignInScreen"
        assert wrong_password == unknown == "The address or the password is incorrect."
        assert app.screen.query_one("#password", Input).value == ""


def fill_household(app_services: Services, count: int) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    for number in range(count):
        app_services.provisioning.commit(
            holder, box_request(f"camille{number}@famille-martin.fr"), "test"
        )


async def test_a_full_household_cannot_start_the_wizard(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    fill_household(app_services, 9)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.screen.query_one("#create", Button).disabled
        assert "0 of 9" in label_text(app, "#remaining")
        assert "limit of secondary boxes (9 of 9)" in label_text(app, "#remaining")
        await press(pilot, "c")
        assert screen_name(app) == "ManagementScreen"


async def test_a_contract_suspended_elsewhere_closes_the_creation_on_the_open_page(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        create = app.screen.query_one("#create", Button)
        assert not create.disabled
        app_services.households.set_contract_active(HOLDER, False, "test")
        for _ in range(100):
            if create.disabled:
                break
            await pilot.pause(0.05)
        assert create.disabled, "the page never noticed the suspended contract"
        assert "suspended" in label_text(app, "#remaining")


async def test_back_and_forth_keeps_every_answer(app_household: str, make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_creation(pilot)
        await fill_identity(pilot, first_name="Hélène", last_name="Müller-Šťastná")
        await choose_address(pilot, "helene.m")
        await press_continue(pilot)
        await type_into(pilot, "#password", NEW_PASSWORD)
        await press(pilot, "escape")
        assert screen_name(app) == "AddressScreen"
        assert app.screen.query_one("#address", Input).value == "helene.m"
        await press(pilot, "escape")
        assert screen_name(app) == "IdentityScreen"
        assert app.screen.query_one("#first_name", Input).value == "Hélène"
        assert app.screen.query_one("#last_name", Input).value == "Müller-Šťastná"
        assert app.screen.query_one(RadioSet).pressed_index == 0
        await click(pilot, "#continue")
        await press_continue(pilot)
        assert screen_name(app) == "PasswordScreen"
        assert app.screen.query_one("#password", Input).value == NEW_PASSWORD


async def test_an_address_taken_before_confirming_sends_back_to_step_4(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, "lea")
        await fill_password(pilot)
        await press_continue(pilot)
        assert screen_name(app) == "ReviewScreen"

        holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
        app_services.provisioning.commit(
            holder,
            box_request("lea@famille-martin.fr", "Léa", "Autre"),
            "another terminal",
        )
        await press_continue(pilot)

        assert screen_name(app) == "AddressScreen"
        assert field_reason(app, "address") == "lea@famille-martin.fr is already taken."
        await choose_address(pilot, "lea.martin")
        await press_continue(pilot)
        assert app.screen.query_one("#password", Input).value == NEW_PASSWORD
        await press_continue(pilot)
        await press_continue(pilot)
        assert screen_name(app) == "ManagementScreen"
    created = {box.address for box in app_services.households.overview(HOLDER).secondary}
    assert created == {"lea@famille-martin.fr", "lea.martin@famille-martin.fr"}
