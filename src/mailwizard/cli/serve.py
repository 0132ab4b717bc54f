"""``mailwizard serve``: the kiosk in a web browser, one fresh wizard per browser session.

The web page has no authentication of its own, so it listens on the loopback interface
unless told otherwise, and says so loudly when it is not. Each session runs
``mailwizard --kiosk`` in a process of its own, whose environment carries none of the
secrets given to this one: a session gets the directory's password the way a kiosk does,
from ~/.pgpass or the keyring.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from urllib.parse import urlsplit

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _

SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "PIN", "KEY")


def without_secrets(environment: dict[str, str]) -> dict[str, str]:
    """The environment minus anything that names a secret."""
    return {
        name: value
        for name, value in environment.items()
        if not any(word in name.upper() for word in SECRET_WORDS)
    }


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@pass_state
def serve(state: CliState, host: str, port: int) -> None:
    """Serve the kiosk as a web page (no authentication: keep it on loopback, behind a
    proxy that authenticates)."""
    from textual_serve.server import Server

    if not is_loopback(host):
        warning = _(
            "WARNING: the kiosk is served on {host}, beyond this machine, and the page has "
            "no authentication of its own: anyone who reaches it can use it. Put it behind "
            "a proxy that authenticates, or serve it on 127.0.0.1."
        )
        click.secho(warning.format(host=host), fg="red", bold=True, err=True)
    settings = state.settings
    if urlsplit(settings.directory_url).password is not None:
        raise UsageProblem(
            N_(
                "The directory's address holds its password, which every session would "
                "inherit: put the password in ~/.pgpass or the keyring instead."
            )
        )
    command = [sys.executable, "-m", "mailwizard", "--kiosk"]
    if settings.language:
        command += ["--lang", settings.language]
    # The sessions are started from this environment: take the secrets out first.
    kept = without_secrets(dict(os.environ))
    kept["MAILWIZARD_DIRECTORY"] = settings.directory_url
    os.environ.clear()
    os.environ.update(kept)
    Server(shlex.join(command), host=host, port=port, title="mailwizard").serve()


COMMANDS = (serve,)
