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
