"""“Suggest a passphrase” (Ctrl+G, or its button) on step 5 and in the new-password
dialog: both fields filled in clear with words of the interface language's list, a new
one at each press, which the meter calls strong and the box then signs in with."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button, Checkbox, Input

from mailwizard.bootstrap import Services
from mailwizard.tui.app import MailwizardApp
from mailwizard.tui.widgets.strength_meter import StrengthMeter
from mailwizard.word_lists import PackagedWordLists
from tui.test_activation_screens import LEA, awaiting_lea, type_keys
from tui.test_management_screens import lea, open_box  # noqa: F401 - the fixture too
from tui.wizard_driver import (
    continue_enabled,
    press_continue,
    reach_password_step,
    screen_name,
    settle,
    sign_in,
)

AppFactory = Callable[..., MailwizardApp]
ADDRESS = "lea.martin@famille-martin.fr"


def fields(app: MailwizardApp) -> tuple[Input, Input]:
    return app.screen.query_one("#password", Input), app.screen.query_one("#confirmation", Input)


def suggested(app: MailwizardApp, language: str) -> str:
    """The passphrase both fields hold, checked: in clear, of the language's words."""
    password, confirmation = fields(app)
    assert password.value == confirmation.value != ""
    assert not password.password and not confirmation.password
    assert set(password.value.split(" ")) <= set(PackagedWordLists.words(language))
    assert len(password.value.split(" ")) >= 5
    return password.value


async def test_step_5_suggests_a_new_strong_passphrase_at_each_press(
    make_app: AppFactory, app_household: str, app_services: Services
) -> None:
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, ADDRESS)
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        first = suggested(app, "fr")
        assert app.screen.query_one(StrengthMeter).strength == 4
        assert app.screen.query_one("#show", Checkbox).value
        await pilot.click("#suggest-passphrase")
        await settle(pilot, 0.5)
        chosen = suggested(app, "fr")
        assert chosen != first
        assert app.screen.query_one(StrengthMeter).strength == 4
        app.screen.query_one("#accept").focus()
        await pilot.press("space")
        await settle(pilot, 0.3)
        assert continue_enabled(app)
        await press_continue(pilot)
        await press_continue(pilot)
        assert screen_name(app) == "ManagementScreen"
    assert app_services.signin.sign_in(ADDRESS, chosen, "test").address == ADDRESS


async def test_the_new_password_dialog_suggests_one_and_the_box_takes_it(
    lea: str,  # noqa: F811 - the fixture of the management screens' tests
    app_services: Services,
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_box(pilot, lea)
        await pilot.press("p")
        await settle(pilot)
        assert screen_name(app) == "NewPasswordScreen"
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        chosen = suggested(app, "en")
        assert app.screen.query_one(StrengthMeter).strength == 4
        assert not app.screen.query_one("#change", Button).disabled
        await pilot.click("#change")
        await settle(pilot)
        assert screen_name(app) == "BoxScreen"
    assert app_services.signin.sign_in(lea, chosen, "test").address == lea


async def test_the_activation_screen_suggests_one_that_opens_the_box(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    code = awaiting_lea(app_services)
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#have-code")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert fields(app)[0].value == "", "nothing to suggest before the code is accepted"
        await type_keys(pilot, "#address", LEA)
        await pilot.press("enter")
        await type_keys(pilot, "#code", code)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        chosen = suggested(app, "fr")
        assert app.screen.query_one(StrengthMeter).strength == 4
        assert not app.screen.query_one("#activate", Button).disabled
        await pilot.click("#activate")
        await settle(pilot)
        assert screen_name(app) == "OwnBoxScreen"
    assert app_services.signin.sign_in(LEA, chosen, "test").address == LEA
