"""Secrets the program needs (the SMTP relay's password): from the environment, else
from the system keyring. Never from a file of ours, never from the command line.
The token of a remembered device lives only in the keyring.

keyring is imported on first use; on a machine without a secure keyring (a headless
server, a kiosk) the secret is simply not there, and the feature that needs it says so.
"""

from __future__ import annotations

import contextlib
import json
import os

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_
from mailwizard.services.device_ports import DeviceToken
from mailwizard.startup import APP_NAME

DIRECTORY_PASSWORD = "directory-password"  # noqa: S105 - the name a secret is stored under
SMTP_PASSWORD = "smtp-password"  # noqa: S105 - the name a secret is stored under
REMEMBERED_DEVICE = "remembered-device"


def environment_variable(name: str) -> str:
    return "MAILWIZARD_" + name.upper().replace("-", "_")


KNOWN_SECRETS = (SMTP_PASSWORD, DIRECTORY_PASSWORD)
SECURE_PRIORITY = 1
"""keyring's own scale: the null and fail backends and plain-text files rank below it."""


def secure_keyring_available() -> bool:
    import keyring

    return bool(keyring.get_keyring().priority >= SECURE_PRIORITY)


def store_secret(name: str, value: str) -> None:
    """Only into a secure keyring: never a plain-text fallback. Check first."""
    import keyring

    keyring.set_password(APP_NAME, name, value)


def read_secret(name: str) -> str | None:
    value = os.environ.get(environment_variable(name))
    if value is not None:
        return value
    return _read_from_keyring(name)


def _read_from_keyring(name: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(APP_NAME, name)
    except KeyringError:
        return None


class KeyringDevice:
    """The DeviceKeyring port: one remembered account, kept as JSON under one name.

    Never read from the environment: a token must come from this device's keyring."""

    def secure(self) -> bool:
        return secure_keyring_available()

    def read(self) -> DeviceToken | None:
        stored = _read_from_keyring(REMEMBERED_DEVICE)
        try:
            fields = json.loads(stored) if stored else None
            return DeviceToken(str(fields["address"]), str(fields["token"])) if fields else None
        except (ValueError, TypeError, KeyError):
            return None

    def store(self, token: DeviceToken) -> None:
        from keyring.errors import KeyringError

        try:
            store_secret(REMEMBERED_DEVICE, json.dumps(vars(token)))
        except KeyringError:
            raise MailwizardError(
                N_("The keyring refused to keep this device: it is not remembered.")
            ) from None

    def erase(self) -> None:
        import keyring
        from keyring.errors import KeyringError

        # Nothing there, or a keyring that will not answer: either way the directory
        # has forgotten the token's hash, so the token opens nothing.
        with contextlib.suppress(KeyringError):
            keyring.delete_password(APP_NAME, REMEMBERED_DEVICE)
