"""Remembering a console, forgetting it, and turning strong identification off, as the
holder does it in the terminal UI."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable

from mailwizard.bootstrap import Services
from mailwizard.clock import utc_now
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.tui.app import MailwizardApp
from martin_household import HOLDER, HOLDER_PASSWORD, enrolled_authenticator
from memory_keyring import MemoryKeyring, RefusingKeyring, keyring_installed
from tui.wizard_driver import (
    AppFactory,
    click,
    field_reason,
    label_text,
    notifications,
    press,
    screen_name,
    settle,
    sign_in,
    type_into,
)

CONSOLE = Origin(OriginKind.CONSOLE)
OVER_SSH = Origin(OriginKind.SSH, "192.168.1.20")


def shown(app: MailwizardApp, selector: str) -> bool:
    return bool(app.screen.query_one(selector).display)


async def sign_in_remembering(pilot: Pilot[None]) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#remember", Checkbox).focus()
    await pilot.press("space")
    await sign_in(pilot)


async def test_a_remembered_console_continues_without_the_password_even_after_signing_out(
    app_household: str, memory_keyring: MemoryKeyring, make_app: AppFactory
) -> None:
    async with make_app(origin=CONSOLE).run_test(size=(80, 24)) as pilot:
        await sign_in_remembering(pilot)
        assert screen_name(pilot.app) == "ManagementScreen"
    assert HOLDER in memory_keyring.secrets[("mailwizard", "remembered-device")]

    app = make_app(origin=CONSOLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#remembered")
        assert str(app.screen.query_one("#continue-as", Button).label) == f"Continue as {HOLDER}"
        await click(pilot, "#continue-as")
        assert screen_name(app) == "ManagementScreen"
        await press(pilot, "ctrl+o")
        assert screen_name(app) == "SignInScreen"
        assert shown(app, "#remembered")


async def test_without_a_secure_keyring_the_box_is_not_offered_and_a_line_says_why(
    app_household: str, make_app: AppFactory
) -> None:
    app = make_app(origin=CONSOLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not shown(app, "#remember")
        assert "secure keyring" in label_text(app, "#remember-unavailable")


async def test_over_ssh_nothing_is_offered_even_where_a_console_remembered_the_holder(
    app_household: str, app_services: Services, memory_keyring: MemoryKeyring, make_app: AppFactory
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.devices.remember(holder, CONSOLE)
    app = make_app(origin=OVER_SSH)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not shown(app, "#remember")
        assert not shown(app, "#remembered")
        assert "remote session" in label_text(app, "#remember-unavailable")


async def test_a_keyring_that_will_not_keep_the_device_warns_and_the_holder_is_signed_in(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app = make_app(origin=CONSOLE)
    with keyring_installed(RefusingKeyring()):
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in_remembering(pilot)
            assert screen_name(app) == "ManagementScreen"
            assert notifications(app) == [
                "The keyring refused to keep this device: it is not remembered."
            ]
    assert app_services.devices.devices_of(holder) == []


async def test_a_device_forgotten_from_the_management_page_asks_for_the_password_again(
    app_household: str, memory_keyring: MemoryKeyring, make_app: AppFactory
) -> None:
    app = make_app(origin=CONSOLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_remembering(pilot)
        await press(pilot, "r")
        assert screen_name(app) == "RememberedDevicesScreen"
        assert app.screen.query_one(DataTable).row_count == 1
        await click(pilot, "#forget")
        assert app.screen.query_one(DataTable).row_count == 0
        assert label_text(app, "#devices-status") == "No device remembers you."
        await pilot.press("escape")
        await press(pilot, "ctrl+o")
        await click(pilot, "#continue-as")
        assert screen_name(app) == "SignInScreen"
        assert not shown(app, "#remembered")
        assert "no longer remembered" in label_text(app, "#sign-in-error")
    assert memory_keyring.secrets == {}


async def test_forgetting_this_device_on_the_sign_in_screen_forgets_both_sides(
    app_household: str, app_services: Services, memory_keyring: MemoryKeyring, make_app: AppFactory
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.devices.remember(holder, CONSOLE)
    app = make_app(origin=CONSOLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await click(pilot, "#forget-device")
        assert not shown(app, "#remembered")
        assert shown(app, "#remember")
    assert memory_keyring.secrets == {}
    assert app_services.devices.devices_of(holder) == []


async def test_strong_identification_is_turned_off_with_the_password_and_a_code(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    phone = enrolled_authenticator(app_services, holder, utc_now())
    app = make_app(origin=CONSOLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await press(pilot, "t")
        assert screen_name(app) == "DisableTotpScreen"
        await type_into(pilot, "#password", "not the password at all")
        await type_into(pilot, "#totp_code", phone.now())
        await click(pilot, "#confirm")
        assert "incorrect" in field_reason(app, "password")
        assert app_services.access.enrolled(holder)

        await type_into(pilot, "#password", HOLDER_PASSWORD)
        await type_into(pilot, "#totp_code", "000000")
        await click(pilot, "#confirm")
        assert "not right" in field_reason(app, "totp_code")
        assert app_services.access.enrolled(holder)

        await type_into(pilot, "#totp_code", phone.now())
        await press(pilot, "enter")
        assert screen_name(app) == "ManagementScreen"
        assert f"Strong identification is off for {HOLDER}." in notifications(app)
    assert not app_services.access.enrolled(holder)
