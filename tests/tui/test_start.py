"""The first screen: on at once, usable while the directory opens, honest when it cannot."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input

from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings, load_settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.startup import StartupSettings
from mailwizard.tui.app import MailwizardApp, build_app, wizard_app
from martin_household import HOLDER, HOLDER_PASSWORD
from tui.scenes import UNREACHABLE_DIRECTORY
from tui.wizard_driver import AppFactory, label_text, screen_name, settle, type_into


def opening_on_release(
    settings: Settings, services: Services
) -> tuple[MailwizardApp, threading.Event]:
    """The wizard, its directory opening only once the event is set."""
    release = threading.Event()

    def slow_open() -> Services:
        release.wait(30)
        return services

    return wizard_app(StartupSettings.of(settings), slow_open, Origin(OriginKind.CONSOLE)), release


@pytest.mark.usefixtures("app_household")
async def test_the_sign_in_form_is_usable_before_the_directory_opens(
    settings: Settings, app_services: Services
) -> None:
    release = threading.Event()
    asked_while_showing: list[str] = []

    def slow_open() -> Services:
        asked_while_showing.append(screen_name(app))
        release.wait(30)
        return app_services

    app = wizard_app(StartupSettings.of(settings), slow_open, Origin(OriginKind.CONSOLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "SignInScreen"
        assert app.services is None
        await type_into(pilot, "#address", HOLDER)
        await type_into(pilot, "#password", HOLDER_PASSWORD)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(".sign-in-buttons").loading, "the sign-in waits, visibly"
        release.set()
        await settle(pilot)
        assert screen_name(app) == "ManagementScreen"
        first_form = app.screen_stack[0]
        assert first_form.query_one("#password", Input).value == "", "no password kept under"
        assert not first_form.query_one(".sign-in-buttons").loading
    assert asked_while_showing == ["SignInScreen"]


async def test_an_unreachable_directory_says_why_and_offers_to_quit(settings: Settings) -> None:
    app = build_app(settings.model_copy(update={"directory": UNREACHABLE_DIRECTORY}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "UnavailableScreen"
        assert "127.0.0.1" in label_text(app, "#problem")
        assert app.focused is not None and app.focused.id == "quit"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_kiosk_that_cannot_reach_its_directory_shows_no_address_and_no_way_out(
    settings: Settings,
) -> None:
    kiosk = settings.model_copy(update={"directory": UNREACHABLE_DIRECTORY, "kiosk": True})
    app = build_app(kiosk, origin=Origin(OriginKind.KIOSK))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "UnavailableScreen"
        problem = label_text(app, "#problem")
        assert "try again later" in problem
        assert "127.0.0.1" not in problem
        assert not app.screen.query_one("#quit").display


async def test_a_wrong_setting_found_behind_the_first_screen_is_shown_there(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILWIZARD_MAX_SECONDARY", "many")
    app = wizard_app(
        StartupSettings.of(settings),
        lambda: bootstrap(load_settings(), create_directory=True),
        Origin(OriginKind.CONSOLE),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "UnavailableScreen"
        assert "max_secondary" in label_text(app, "#problem")
        assert app.services is None


@pytest.mark.usefixtures("app_household")
async def test_the_address_typed_before_the_directory_opened_is_kept(
    settings: Settings, app_services: Services
) -> None:
    app, release = opening_on_release(settings, app_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#address", HOLDER)
        release.set()
        await settle(pilot)
        assert screen_name(app) == "SignInScreen"
        assert app.screen.query_one("#address", Input).value == HOLDER
        assert "30 days" in str(app.screen.query_one("#remember").render())


@pytest.mark.usefixtures("app_household")
async def test_an_activation_code_asked_before_the_directory_opened_is_taken_once_it_has(
    settings: Settings, app_services: Services
) -> None:
    app, release = opening_on_release(settings, app_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#address", "lea.martin@famille-martin.fr")
        await pilot.click("#have-code")
        await pilot.pause()
        assert app.screen.query_one(".sign-in-buttons").loading, "the button waits, visibly"
        release.set()
        await settle(pilot)
        assert screen_name(app) == "ActivateScreen"
        assert app.screen.query_one("#address", Input).value == "lea.martin@famille-martin.fr"


@pytest.mark.usefixtures("app_household")
async def test_ctrl_c_says_how_to_quit_in_the_reader_s_language(
    make_app: AppFactory,
) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [(str(n.title), str(n.message)) for n in app._notifications]
        assert ("Voulez-vous quitter ?", "Appuyez sur Ctrl+Q pour quitter.") in said
