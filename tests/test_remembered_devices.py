"""A console that remembers its holder: a token in the keyring, its hash in the directory."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import directory_connection
from hand_clock import HandClock
from mailwizard.backends.schema import remembered_device
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.models import Role
from mailwizard.errors import DeviceForgotten, Refused, SignInFailed
from mailwizard.services.devices import PasswordSignIn
from mailwizard.services.signin import SignedIn
from martin_household import HOLDER, HOLDER_PASSWORD, LEA, NEW_PASSWORD, box_request
from memory_keyring import MemoryKeyring, RefusingKeyring, keyring_installed

CONSOLE = Origin(OriginKind.CONSOLE)
OVER_SSH = Origin(OriginKind.SSH, "192.168.1.20")
KIOSK = Origin(OriginKind.KIOSK)
KEYRING_ENTRY = ("mailwizard", "remembered-device")


def rows(directory_url: str) -> list[dict[str, object]]:
    with directory_connection(directory_url) as connection:
        found = connection.execute(select(remembered_device).order_by(remembered_device.c.id))
        return [dict(row._mapping) for row in found]


def kept_token(keyring: MemoryKeyring) -> str:
    stored = json.loads(keyring.secrets[KEYRING_ENTRY])
    assert stored["address"] == HOLDER
    return str(stored["token"])


def test_a_remembered_console_signs_in_without_the_password_and_the_directory_has_only_a_hash(
    services: Services,
    holder: SignedIn,
    memory_keyring: MemoryKeyring,
    clock: HandClock,
    directory_url: str,
) -> None:
    assert services.devices.offer(CONSOLE).refusal is None
    services.devices.remember(holder, CONSOLE)
    assert services.devices.offer(CONSOLE).remembered == HOLDER
    token = kept_token(memory_keyring)
    assert len(token) >= 43
    (row,) = rows(directory_url)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(row, default=str)
    assert row["created_at"] == clock.now
    assert row["expires_at"] == clock.now + timedelta(days=30)
    assert row["last_used_at"] is None

    clock.now += timedelta(days=29)
    assert services.devices.sign_in(CONSOLE) == holder
    assert rows(directory_url)[0]["last_used_at"] is not None


def test_only_the_console_is_offered_it_and_never_over_ssh_or_on_a_kiosk(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring
) -> None:
    services.devices.remember(holder, CONSOLE)
    for origin, code in ((OVER_SSH, "device.remote"), (KIOSK, "device.kiosk")):
        offer = services.devices.offer(origin)
        assert offer.refusal is not None and offer.refusal.code == code
        assert offer.remembered is None
        with pytest.raises(Refused):
            services.devices.sign_in(origin)
        with pytest.raises(Refused):
            services.devices.remember(holder, origin)
    assert services.devices.sign_in(CONSOLE) == holder


def test_without_a_secure_keyring_it_is_not_offered_and_nothing_is_written(
    services: Services, holder: SignedIn, directory_url: str
) -> None:
    offer = services.devices.offer(CONSOLE)
    assert offer.refusal is not None and offer.refusal.code == "device.no_keyring"
    with pytest.raises(Refused):
        services.devices.remember(holder, CONSOLE)
    assert rows(directory_url) == []


def test_an_expired_token_is_erased_and_the_password_is_needed_again(
    services: Services,
    holder: SignedIn,
    memory_keyring: MemoryKeyring,
    clock: HandClock,
    directory_url: str,
) -> None:
    services.devices.remember(holder, CONSOLE)
    clock.now += timedelta(days=30, seconds=1)
    with pytest.raises(DeviceForgotten) as forgotten:
        services.devices.sign_in(CONSOLE)
    assert "no longer remembered" in forgotten.value.message
    assert memory_keyring.secrets == {}
    assert rows(directory_url) == []
    assert services.devices.offer(CONSOLE).remembered is None


def test_the_lifetime_is_a_setting(
    household: str, memory_keyring: MemoryKeyring, clock: HandClock
) -> None:
    brief = bootstrap(Settings(remember_device_days=2), clock=clock)
    try:
        holder = brief.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
        brief.devices.remember(holder, CONSOLE)
        clock.now += timedelta(days=2)
        with pytest.raises(DeviceForgotten):
            brief.devices.sign_in(CONSOLE)
    finally:
        brief.close()


def test_a_device_forgotten_from_the_management_page_opens_nothing(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring
) -> None:
    services.devices.remember(holder, CONSOLE)
    (device,) = services.devices.devices_of(holder)
    services.devices.forget(holder, device.id, CONSOLE)
    with pytest.raises(DeviceForgotten):
        services.devices.sign_in(CONSOLE)
    assert memory_keyring.secrets == {}


def test_forgetting_this_device_removes_both_sides(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    services.devices.remember(holder, CONSOLE)
    services.devices.forget_this_device()
    assert memory_keyring.secrets == {}
    assert rows(directory_url) == []


def test_a_device_remembers_one_account_and_remembering_again_replaces_it(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    services.devices.remember(holder, CONSOLE)
    first = kept_token(memory_keyring)
    services.devices.remember(holder, CONSOLE)
    assert kept_token(memory_keyring) != first
    (row,) = rows(directory_url)
    assert row["token_hash"] == hashlib.sha256(kept_token(memory_keyring).encode()).hexdigest()


def test_the_holder_lists_each_device_and_forgets_one_or_all(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring
) -> None:
    services.devices.remember(holder, CONSOLE)
    with keyring_installed(MemoryKeyring()):
        services.devices.remember(holder, CONSOLE)
    first, second = services.devices.devices_of(holder)
    assert first.label == second.label != ""
    services.devices.forget(holder, second.id, CONSOLE)
    assert services.devices.devices_of(holder) == [first]
    with keyring_installed(MemoryKeyring()):
        services.devices.remember(holder, CONSOLE)
    services.devices.forget_all(holder, CONSOLE)
    assert services.devices.devices_of(holder) == []
    services.devices.forget_all(holder, CONSOLE)  # nothing left: nothing to record

    log = services.management.audit_log(holder.household_id)
    device_lines = [
        (entry.action, entry.target, entry.actor, entry.origin)
        for entry in reversed(log)
        if entry.action.startswith("device.")
    ]
    assert device_lines == [
        ("device.remembered", first.label, HOLDER, "terminal, console"),
        ("device.remembered", first.label, HOLDER, "terminal, console"),
        ("device.forgotten", first.label, HOLDER, "terminal, console"),
        ("device.remembered", first.label, HOLDER, "terminal, console"),
        ("device.all_forgotten", None, HOLDER, "terminal, console"),
    ]


def test_a_locked_address_is_locked_for_a_remembered_device_too(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring
) -> None:
    services.devices.remember(holder, CONSOLE)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            services.signin.sign_in(HOLDER, "not the password at all", "test")
    with pytest.raises(SignInFailed) as locked:
        services.devices.sign_in(CONSOLE)
    assert locked.value.message.startswith("Too many failed attempts")
    assert services.devices.offer(CONSOLE).remembered == HOLDER


def test_signing_in_with_the_password_remembers_the_console_only_when_asked(
    services: Services, household: str, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    devices = services.devices
    plain = devices.sign_in_with_password(HOLDER, HOLDER_PASSWORD, CONSOLE, remember=False)
    assert plain == PasswordSignIn(plain.account) and plain.account.address == HOLDER
    assert memory_keyring.secrets == {} and rows(directory_url) == []

    remembering = devices.sign_in_with_password(HOLDER, HOLDER_PASSWORD, CONSOLE, remember=True)
    assert remembering == plain
    (row,) = rows(directory_url)
    assert row["token_hash"] == hashlib.sha256(kept_token(memory_keyring).encode()).hexdigest()
    assert devices.sign_in(CONSOLE) == plain.account


def test_a_device_that_cannot_be_remembered_says_why_and_the_sign_in_stands(
    services: Services, household: str, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    with keyring_installed(RefusingKeyring()):
        refused = services.devices.sign_in_with_password(
            HOLDER, HOLDER_PASSWORD, CONSOLE, remember=True
        )
    assert refused.account.address == HOLDER
    assert refused.not_remembered is not None
    assert refused.not_remembered.message == (
        "The keyring refused to keep this device: it is not remembered."
    )
    assert rows(directory_url) == [], "no hash left behind for a token nobody kept"

    remote = services.devices.sign_in_with_password(
        HOLDER, HOLDER_PASSWORD, OVER_SSH, remember=True
    )
    assert remote.account.address == HOLDER
    assert remote.not_remembered is not None and remote.not_remembered.code == "device.remote"
    assert memory_keyring.secrets == {} and rows(directory_url) == []


def test_a_secondary_box_signs_in_with_its_password_but_is_never_remembered(
    services: Services, holder: SignedIn, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    services.provisioning.commit(holder, box_request(LEA, "Léa", "Martin"), "test")
    lea = services.devices.sign_in_with_password(LEA, NEW_PASSWORD, CONSOLE, remember=True)
    assert lea.account.role is Role.SECONDARY
    assert lea.not_remembered is None, "the form offers it to everyone: a user is not told"
    assert memory_keyring.secrets == {} and rows(directory_url) == []


def test_a_wrong_password_on_the_form_is_counted_and_logged_as_every_sign_in(
    services: Services, household: str, memory_keyring: MemoryKeyring, directory_url: str
) -> None:
    wrong = "not the password at all"
    for _ in range(4):
        with pytest.raises(SignInFailed):
            services.signin.sign_in(HOLDER, wrong, "test")
    with pytest.raises(SignInFailed) as locked:
        services.devices.sign_in_with_password(HOLDER, wrong, CONSOLE, remember=True)
    assert locked.value.message.startswith("Too many failed attempts")
    assert memory_keyring.secrets == {} and rows(directory_url) == []

    log = services.management.audit_log(services.households.household_id(HOLDER), 2)
    assert [(entry.action, entry.actor, entry.origin) for entry in log] == [
        ("signin.locked", HOLDER, "terminal, console"),
        ("signin.failed", HOLDER, "terminal, console"),
    ]
