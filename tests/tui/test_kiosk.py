"""Kiosk mode through the real app: no key leads out, an idle session is counted down and
forgotten, a finished one ends by itself, and the administrator leaves with the PIN.
Time travels on a clock the test moves; nothing sleeps."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Input

from hand_clock import MovableClock
from mailwizard.bootstrap import Services
from mailwizard.config import Settings
from mailwizard.services.access import Enrolment
from mailwizard.tui.app import MailwizardApp, build_app
from mailwizard.tui.kiosk import ADMIN_KEY, ESCAPE_KEYS
from mailwizard.tui.themes import HIGH_CONTRAST
from martin_household import HOLDER, HOLDER_PASSWORD
from tui.wizard_driver import (
    choose_address,
    click,
    fill_identity,
    fill_password,
    label_text,
    press,
    press_continue,
    screen_name,
    settle,
    sign_in,
    type_into,
)

PIN = "864213"
SECRET = pyotp.random_base32()


@pytest.fixture
def enrolled(app_household: str, app_services: Services) -> pyotp.TOTP:
    """Kiosks always ask for a code: the holder's authenticator is enrolled."""
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    totp = pyotp.TOTP(SECRET)
    app_services.access.confirm_enrolment(
        holder, Enrolment(SECRET, "otpauth://"), totp.now(), "test"
    )
    return totp


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def kiosk(
    settings: Settings, app_services: Services, clock: MovableClock
) -> Iterator[MailwizardApp]:
    kiosk_settings = settings.model_copy(update={"kiosk": True, "kiosk_admin_pin": SecretStr(PIN)})
    yield build_app(kiosk_settings, app_services, kiosk_clock=clock)


async def travel(pilot: Pilot[None], clock: MovableClock, seconds: float) -> None:
    """Moves the kiosk's clock on, and lets the app see the time it is."""
    clock.now += seconds
    assert isinstance(pilot.app, MailwizardApp) and pilot.app.kiosk is not None
    pilot.app.kiosk.tick()
    await settle(pilot)


async def reach_password_step(pilot: Pilot[None], totp: pyotp.TOTP) -> None:
    await sign_in(pilot)
    await click(pilot, "#create")
    assert screen_name(pilot.app) == "GateScreen", "a kiosk always asks for the code"
    # The enrolment used the current step; the next one is still accepted.
    await type_into(pilot, "#totp_code", totp.at(time.time() + 30))
    await press_continue(pilot)
    await fill_identity(pilot)
    await choose_address(pilot)
    await press_continue(pilot)
    await fill_password(pilot)


async def test_no_key_leads_out_of_the_kiosk_and_nothing_points_to_its_files(
    app_household: str, kiosk: MailwizardApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not kiosk.screen.query_one("#remember").display, "it never remembers a device"
        await press(pilot, *ESCAPE_KEYS, ADMIN_KEY)
        assert screen_name(kiosk) == "SignInScreen"
        assert kiosk.is_running
        assert not kiosk.query("CommandPalette")
        kiosk.show_unexpected_error(Path("/var/log/mailwizard/errors.log"))
        await settle(pilot)
        texts = " ".join(str(label.render()) for label in kiosk.screen.query("Label"))
        assert "Something went wrong" in texts and "/var/log" not in texts
    assert list(workdir.iterdir()) == [], "no screenshot or other file was written"


async def test_an_idle_kiosk_counts_down_then_forgets_everything(
    enrolled: pyotp.TOTP, kiosk: MailwizardApp, clock: MovableClock
) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, enrolled)
        flow = kiosk.active_flow
        assert flow is not None and flow.state.password.password.get_secret_value()

        await travel(pilot, clock, 104)
        assert screen_name(kiosk) == "PasswordScreen", "no countdown before the last 15 s"
        await travel(pilot, clock, 2)
        assert screen_name(kiosk) == "CountdownScreen"
        assert "In 14 s this screen goes back to the start" in label_text(kiosk, "#countdown")
        await travel(pilot, clock, 14)

        assert screen_name(kiosk) == "SignInScreen"
        assert len(kiosk.screen_stack) == 2
        assert kiosk.active_flow is None
        assert flow.state.password.password.get_secret_value() == ""
        assert flow.state.password.confirmation.get_secret_value() == ""
        assert flow.state.identity.first_name == "" and flow.state.address.typed == ""
        assert kiosk.screen.query_one("#address", Input).value == ""


async def test_a_key_during_the_countdown_keeps_the_session(
    enrolled: pyotp.TOTP, kiosk: MailwizardApp, clock: MovableClock
) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await travel(pilot, clock, 110)
        assert screen_name(kiosk) == "CountdownScreen"
        await press(pilot, "shift")
        assert screen_name(kiosk) == "ManagementScreen"
        await travel(pilot, clock, 100)
        assert screen_name(kiosk) == "ManagementScreen", "the key started the wait again"


async def test_after_a_creation_the_kiosk_saves_no_card_and_goes_back_to_the_start(
    enrolled: pyotp.TOTP, kiosk: MailwizardApp, clock: MovableClock, settings: Settings
) -> None:
    """A kiosk's files are out of its user's reach: it offers no welcome card and shows no
    path; and a finished session ends by itself."""
    saved_before = set(settings.card_folder.glob("*")) if settings.card_folder.exists() else set()
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, enrolled)
        await press_continue(pilot)
        await press_continue(pilot)
        assert screen_name(kiosk) == "ManagementScreen"
        note = label_text(kiosk, "#created-note")
        assert "is ready" in note and "welcome card" not in note
        await press(pilot, "w")
        assert label_text(kiosk, "#created-note") == note
        await travel(pilot, clock, 16)
        assert screen_name(kiosk) == "CountdownScreen"
        assert "Done. This screen goes back to the start in 14 s" in label_text(kiosk, "#countdown")
        await pilot.press("shift")
        await travel(pilot, clock, 14)
        assert screen_name(kiosk) == "SignInScreen", "keys do not hold a finished session"
    saved_after = set(settings.card_folder.glob("*")) if settings.card_folder.exists() else set()
    assert saved_after == saved_before


async def test_the_administrator_leaves_with_the_pin_and_only_with_it(
    app_household: str, kiosk: MailwizardApp, clock: MovableClock
) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, ADMIN_KEY, ADMIN_KEY, ADMIN_KEY)
        assert screen_name(kiosk) == "AdminPinScreen"
        await type_into(pilot, "#pin", "000000")
        await press(pilot, "enter")
        assert screen_name(kiosk) == "SignInScreen"
        await press(pilot, ADMIN_KEY, ADMIN_KEY, ADMIN_KEY)
        assert screen_name(kiosk) == "SignInScreen", "a wrong PIN locks the keys a while"

        clock.now += 61
        await press(pilot, ADMIN_KEY, ADMIN_KEY, ADMIN_KEY)
        await type_into(pilot, "#pin", PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert not kiosk.is_running


async def test_high_contrast_is_one_key_away_and_forgotten_with_the_session(
    app_household: str, kiosk: MailwizardApp, clock: MovableClock
) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert kiosk.theme == HIGH_CONTRAST.name
        await travel(pilot, clock, 121)
        assert kiosk.theme != HIGH_CONTRAST.name


async def test_a_kiosk_on_an_empty_directory_offers_no_first_run(kiosk: MailwizardApp) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(kiosk) == "SignInScreen"


async def test_a_kiosk_leaves_the_wizard_without_asking(
    enrolled: pyotp.TOTP, kiosk: MailwizardApp
) -> None:
    """The answers typed are forgotten at once: the next passer-by must not find them."""
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await click(pilot, "#create")
        await type_into(pilot, "#totp_code", enrolled.at(time.time() + 30))
        await press_continue(pilot)
        assert screen_name(kiosk) == "IdentityScreen"
        await type_into(pilot, "#last_name", "Martin")
        await press(pilot, "escape")
        assert screen_name(kiosk) == "ManagementScreen"
        assert kiosk.active_flow is None
