"""Secrets the program needs (the SMTP relay's password): from the environment, else
from the system keyring. Never from a file of ours, never from the command line.

keyring is imported on first use; on a machine without a secure keyring (a headless
server, a kiosk) the secret is simply not there, and the feature that needs it says so.
"""

from __future__ import annotations

import os

from mailwizard.config import APP_NAME

DIRECTORY_PASSWORD = "directory-password"  # noqa: S105 - the name a secret is stored under
SMTP_PASSWORD = "smtp-password"  # noqa: S105 - the name a secret is stored under


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
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(APP_NAME, name)
    except KeyringError:
        return None
