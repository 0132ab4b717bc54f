"""Every screen and error state, reached the way a user reaches it.

Shared by the snapshot tests and by ``screenshots/generate.py``, so that the pictures in
the README are the screens the tests check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

import keyring
import pyotp
from keyring.backends import null
from sqlalchemy import update
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from hand_clock import MovableClock
from mailwizard.backends.schema import mailbox, remembered_device
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.models import Identity
from mailwizard.hashing import Argon2idHasher
from mailwizard.services.access import Enrolment
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.tui.app import MailwizardApp, build_app
from mailwizard.tui.screens.activation_code import ActivationCodeScreen
from mailwizard.tui.screens.enrolment import EnrolmentScreen
from mailwizard.tui.screens.error import ErrorScreen
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD, awaiting_request, box_request
from memory_keyring import MemoryKeyring
from tui.wizard_driver import (
    choose_address,
    fill_identity,
    fill_password,
    paste_into,
    press_continue,
    settle,
    sign_in,
    start_creation,
    type_into,
)

KIOSK_CLOCK = MovableClock()
FIXED_TIME = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
SIZE = (80, 24)
LEA = "lea.martin@famille-martin.fr"
HUGO = "hugo.martin@famille-martin.fr"
CHILDREN = ["Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Zoé", "Arthur", "Manon"]
CONSOLE = Origin(OriginKind.CONSOLE)
FAR_FROM_HOME = Origin(OriginKind.SSH, "203.0.113.5")
# A fixed authenticator key and device name, so that pictures do not change between runs.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEVICE_LABEL = "salon-pc"
UNREACHABLE_DIRECTORY = "postgresql://mail@127.0.0.1:9/mail"
# A fixed activation code, so that pictures do not change between runs.
ACTIVATION_CODE = "K7QM-4XPD-RA9T"


class Directory(Enum):
    EMPTY = "empty"
    HOUSEHOLD = "household"
    SUSPENDED = "suspended"
    FULL = "full"
    REMEMBERED = "remembered"
    """The household, and this console remembering its holder."""
    ENROLLED = "enrolled"
    """The household, its holder's authenticator enrolled."""
    MANAGED = "managed"
    """The household after some management: an alias for Léa, Hugo's box deleted."""
    UNREACHABLE = "unreachable"
    """A PostgreSQL directory whose server does not answer."""
    AWAITING = "awaiting"
    """The household, and Léa's box awaiting its activation with ``ACTIVATION_CODE``."""


Steps = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Scene:
    name: str
    directory: Directory
    steps: Steps
    origin: Origin = CONSOLE
    secure_keyring: bool = False
    """A keyring that can remember the device; else keyring's null backend."""
    kiosk: bool = False

    async def play(self, pilot: Pilot[None]) -> None:
        """The steps, then a steady cursor: a blinking one would make pictures differ."""
        await self.steps(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()


def populate(services: Services, directory: Directory) -> None:
    if directory is Directory.EMPTY:
        return
    identity = Identity(civility="m", first_name="Jean", last_name="Martin")
    services.households.initialise(
        "famille-martin.fr", identity, HOLDER, HOLDER_PASSWORD, "en", "pictures"
    )
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    count = {Directory.FULL: 9, Directory.MANAGED: 2, Directory.AWAITING: 0}.get(directory, 1)
    for first_name in CHILDREN[:count]:
        address = services.provisioning.suggest(holder, first_name, "Martin")[0]
        services.provisioning.commit(holder, box_request(address, first_name, "Martin"), "pictures")
    if directory is Directory.AWAITING:
        services.provisioning.commit(holder, awaiting_request(LEA), "pictures")
        code_hash = Argon2idHasher(time_cost=2, memory_kib=19456, parallelism=1).hash(
            ACTIVATION_CODE
        )
        with services.engine.begin() as connection:
            connection.execute(update(mailbox).values(activation_hash=code_hash))
    if directory is Directory.SUSPENDED:
        services.households.set_contract_active(HOLDER, False, "pictures")
    if directory is Directory.MANAGED:
        services.management.add_alias(holder, LEA, "lea", "terminal, console")
        services.management.delete(holder, HUGO, HUGO, "terminal, console")
    if directory is Directory.REMEMBERED:
        services.devices.remember(holder, CONSOLE)
        with services.engine.begin() as connection:
            connection.execute(update(remembered_device).values(label=DEVICE_LABEL))
    if directory is Directory.ENROLLED:
        enrolment = Enrolment(TOTP_SECRET, enrolment_uri())
        code = pyotp.TOTP(TOTP_SECRET).at(FIXED_TIME)
        services.access.confirm_enrolment(holder, enrolment, code, "scene")


def enrolment_uri() -> str:
    address = HOLDER.replace("@", "%40")
    return f"otpauth://totp/mailwizard:{address}?secret={TOTP_SECRET}&issuer=mailwizard"


def scene_app(scene: Scene, language: str, data_dir: Path) -> MailwizardApp:
    """A fresh directory in ``data_dir`` set up for ``scene``, and the app on it.

    Installs the scene's keyring for the whole process: never the user's own."""
    keyring.set_keyring(MemoryKeyring() if scene.secure_keyring else null.Keyring())  # type: ignore[no-untyped-call]
    settings = Settings(language=language, data_dir=data_dir, kiosk=scene.kiosk)
    if scene.directory is Directory.UNREACHABLE:
        unreachable = settings.model_copy(update={"directory": UNREACHABLE_DIRECTORY})
        return build_app(unreachable, origin=scene.origin)
    services = bootstrap(settings, create_directory=True, clock=lambda: FIXED_TIME)
    populate(services, scene.directory)
    if not scene.kiosk:
        return build_app(settings, services, scene.origin)
    return build_app(settings, services, Origin(OriginKind.KIOSK), kiosk_clock=KIOSK_CLOCK)


async def opened(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def first_run_refused(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.click("#create")
    await settle(pilot)


async def sign_in_refused(pilot: Pilot[None]) -> None:
    await sign_in(pilot, password="not the password")


async def signed_in(pilot: Pilot[None]) -> None:
    await sign_in(pilot)


async def creating(pilot: Pilot[None]) -> None:
    await start_creation(pilot)


async def identity_same_person(pilot: Pilot[None]) -> None:
    await creating(pilot)
    await fill_identity_without_continuing(pilot, "Jean", "Martin")


async def fill_identity_without_continuing(pilot: Pilot[None], first: str, last: str) -> None:
    await type_into(pilot, "#last_name", last)
    await type_into(pilot, "#first_name", first)
    await settle(pilot)


async def identity_refused(pilot: Pilot[None]) -> None:
    await creating(pilot)
    await paste_into(pilot, "#last_name", "Martin\u202e")
    await press_continue(pilot)


async def at_address(pilot: Pilot[None]) -> None:
    await creating(pilot)
    await fill_identity(pilot, "Hélène", "Müller-Šťastná")


async def address_proposed(pilot: Pilot[None]) -> None:
    await at_address(pilot)
    await choose_address(pilot)


async def address_taken(pilot: Pilot[None]) -> None:
    await creating(pilot)
    await fill_identity(pilot, "Léa", "Martin")
    await choose_address(pilot, "lea.martin")


async def address_reserved(pilot: Pilot[None]) -> None:
    await at_address(pilot)
    await choose_address(pilot, "postmaster")


async def at_password(pilot: Pilot[None]) -> None:
    await address_proposed(pilot)
    await press_continue(pilot)


async def password_refused(pilot: Pilot[None]) -> None:
    await at_password(pilot)
    await fill_password(pilot, "password1234", "password123", accept=False)


async def password_ready(pilot: Pilot[None]) -> None:
    await at_password(pilot)
    await fill_password(pilot)


async def review(pilot: Pilot[None]) -> None:
    await password_ready(pilot)
    await press_continue(pilot)


async def created(pilot: Pilot[None]) -> None:
    await review(pilot)
    await press_continue(pilot)


async def unexpected_error(pilot: Pilot[None]) -> None:
    await sign_in(pilot)
    await pilot.app.push_screen(ErrorScreen(Path("~/.local/state/mailwizard/log/errors.log")))
    await settle(pilot)


async def enrolment(pilot: Pilot[None]) -> None:
    await sign_in(pilot)
    app = pilot.app
    assert isinstance(app, MailwizardApp) and app.services is not None
    holder = app.services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    enrolment = Enrolment(TOTP_SECRET, enrolment_uri())
    await app.push_screen(EnrolmentScreen(app.services.access, holder, enrolment))
    await settle(pilot)


async def remembered_devices(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.click("#continue-as")
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)


async def disabling_totp(pilot: Pilot[None]) -> None:
    await sign_in(pilot)
    await pilot.press("t")
    await settle(pilot)
    await type_into(pilot, "#password", HOLDER_PASSWORD)
    await type_into(pilot, "#totp_code", "000000")
    await pilot.click("#confirm")
    await settle(pilot)


async def open_lea(pilot: Pilot[None]) -> None:
    await sign_in(pilot)
    table = pilot.app.screen.query_one("#boxes", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(LEA))
    await pilot.press("enter")
    await settle(pilot)


async def alias_taken(pilot: Pilot[None]) -> None:
    await open_lea(pilot)
    await pilot.press("a")
    await settle(pilot)
    await type_into(pilot, "#alias", "jean.martin")
    await pilot.press("enter")
    await settle(pilot)


async def new_password_refused(pilot: Pilot[None]) -> None:
    await open_lea(pilot)
    await pilot.press("p")
    await settle(pilot)
    await type_into(pilot, "#password", "lea.martin")
    await type_into(pilot, "#confirmation", "lea.martin")
    await settle(pilot)


async def deleting(pilot: Pilot[None]) -> None:
    await open_lea(pilot)
    await pilot.click("#delete")
    await settle(pilot)
    await type_into(pilot, "#confirmation", "lea.martin@")


async def activity(pilot: Pilot[None]) -> None:
    await sign_in(pilot)
    await pilot.press("l")
    await settle(pilot)


async def own_box(pilot: Pilot[None]) -> None:
    await sign_in(pilot, LEA, NEW_PASSWORD)


async def password_activation(pilot: Pilot[None]) -> None:
    """The holder lets the new user choose their password."""
    await at_password(pilot)
    for checkbox in ("#activation", "#accept"):
        pilot.app.screen.query_one(checkbox).focus()
        await pilot.press("space")
    await settle(pilot)


async def review_activation(pilot: Pilot[None]) -> None:
    await password_activation(pilot)
    await press_continue(pilot)


async def activation_code(pilot: Pilot[None]) -> None:
    """The code as the holder sees it once (the real one is drawn at random)."""
    await sign_in(pilot)
    issued = IssuedCode(ACTIVATION_CODE, FIXED_TIME + timedelta(hours=72))
    await pilot.app.push_screen(ActivationCodeScreen(LEA, "Léa", issued))
    await settle(pilot)


async def activating(pilot: Pilot[None]) -> None:
    """Léa, at the sign-in screen, with her code: then her own password."""
    await settle(pilot)
    await pilot.click("#have-code")
    await settle(pilot)
    await type_into(pilot, "#address", LEA)
    await type_into(pilot, "#code", ACTIVATION_CODE.lower())
    await pilot.press("enter")
    await settle(pilot)
    await type_into(pilot, "#password", NEW_PASSWORD)
    await type_into(pilot, "#confirmation", NEW_PASSWORD)
    await settle(pilot, 0.4)


async def left_alone(pilot: Pilot[None]) -> None:
    """A holder walked away from a kiosk: its last seconds are counted down."""
    await sign_in(pilot)
    assert isinstance(pilot.app, MailwizardApp) and pilot.app.kiosk is not None
    KIOSK_CLOCK.now += 108
    pilot.app.kiosk.tick()
    await settle(pilot)


async def high_contrast(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)


SCENES = [
    Scene("first-run", Directory.EMPTY, opened),
    Scene("first-run-refused", Directory.EMPTY, first_run_refused),
    Scene("sign-in", Directory.HOUSEHOLD, opened, secure_keyring=True),
    Scene("sign-in-remembered", Directory.REMEMBERED, opened, secure_keyring=True),
    Scene("sign-in-refused", Directory.HOUSEHOLD, sign_in_refused),
    Scene("directory-unreachable", Directory.UNREACHABLE, opened),
    Scene("management", Directory.HOUSEHOLD, signed_in),
    Scene("management-full", Directory.FULL, signed_in),
    Scene("gate-refused", Directory.SUSPENDED, creating),
    Scene("gate-code", Directory.ENROLLED, creating, origin=FAR_FROM_HOME),
    Scene("identity", Directory.HOUSEHOLD, creating),
    Scene("identity-same-person", Directory.HOUSEHOLD, identity_same_person),
    Scene("identity-refused", Directory.HOUSEHOLD, identity_refused),
    Scene("address", Directory.HOUSEHOLD, address_proposed),
    Scene("address-taken", Directory.HOUSEHOLD, address_taken),
    Scene("address-reserved", Directory.HOUSEHOLD, address_reserved),
    Scene("password-refused", Directory.HOUSEHOLD, password_refused),
    Scene("password", Directory.HOUSEHOLD, password_ready),
    Scene("review", Directory.HOUSEHOLD, review),
    Scene("created", Directory.HOUSEHOLD, created),
    Scene("enrolment", Directory.HOUSEHOLD, enrolment),
    Scene("disable-totp", Directory.ENROLLED, disabling_totp),
    Scene("remembered-devices", Directory.REMEMBERED, remembered_devices, secure_keyring=True),
    Scene("management-managed", Directory.MANAGED, signed_in),
    Scene("box", Directory.MANAGED, open_lea),
    Scene("alias", Directory.MANAGED, alias_taken),
    Scene("new-password", Directory.MANAGED, new_password_refused),
    Scene("delete-box", Directory.MANAGED, deleting),
    Scene("activity", Directory.MANAGED, activity),
    Scene("own-box", Directory.MANAGED, own_box),
    Scene("password-activation", Directory.HOUSEHOLD, password_activation),
    Scene("review-activation", Directory.HOUSEHOLD, review_activation),
    Scene("activation-code", Directory.HOUSEHOLD, activation_code),
    Scene("box-awaiting", Directory.AWAITING, open_lea),
    Scene("activate", Directory.AWAITING, activating),
    Scene("kiosk-sign-in", Directory.HOUSEHOLD, opened, kiosk=True),
    Scene("kiosk-countdown", Directory.HOUSEHOLD, left_alone, kiosk=True),
    Scene("high-contrast", Directory.HOUSEHOLD, high_contrast),
    Scene("unexpected-error", Directory.HOUSEHOLD, unexpected_error),
]

SMALL_SIZE = (60, 20)
"""The smallest terminal every screen is made for: these scenes are pictured at it too."""
SMALL_SCENES = [
    scene
    for scene in SCENES
    if scene.name
    in {
        "first-run",
        "sign-in-refused",
        "sign-in-remembered",
        "directory-unreachable",
        "management-full",
        "review",
        "created",
        "enrolment",
        "disable-totp",
        "remembered-devices",
        "box",
        "alias",
        "new-password",
        "delete-box",
        "kiosk-countdown",
        "unexpected-error",
        "password-activation",
        "activation-code",
        "box-awaiting",
        "activate",
    }
]
