"""``mailwizard secrets set NAME``: keep a password the program needs in the system keyring."""

from __future__ import annotations

import click

from mailwizard.cli.secrets import read_password
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_, _
from mailwizard.keyring_secrets import (
    KNOWN_SECRETS,
    environment_variable,
    secure_keyring_available,
    store_secret,
)


@click.group(name="secrets")
def secrets_group() -> None:
    """Passwords the program needs, kept in the system keyring."""


@secrets_group.command(name="set")
@click.argument("name", type=click.Choice(KNOWN_SECRETS))
def set_secret(name: str) -> None:
    """Store NAME (typed twice at a hidden prompt) in the system keyring."""
    if not secure_keyring_available():
        raise DirectoryUnavailable(
            N_(
                "There is no secure keyring on this machine, and secrets are never kept in a "
                "plain file: set {variable} in the environment instead."
            ),
            variable=environment_variable(name),
        )
    value = read_password(environment_variable(name), _("Value:"), confirm=True)
    store_secret(name, value)
    click.echo(_("{name} is stored in the keyring.").format(name=name))


COMMANDS = (secrets_group,)
