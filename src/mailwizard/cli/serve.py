"""``mailwizard serve``: the kiosk in a web browser, one fresh wizard per browser session.

The web page has no authentication of its own, so it listens on the loopback interface
unless told otherwise, and says so loudly when it is not. Each session runs
``mailwizard --kiosk`` in a process of its own, whose environment carries none of the
secrets given to this one: a session gets the directory's password the way a kiosk does,
from ~/.pgpass or the keyring. Each session is told the browser's address (the peer of
its connection, or what a proxy listed in ``trusted_proxies`` forwarded), which the
audit log records and the gate judges.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from urllib.parse import urlsplit

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.domain.access import SSH_VARIABLES, WEB_CLIENT_VARIABLE
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


def session_environment(environment: dict[str, str]) -> dict[str, str]:
    """What every session starts from: no secret, and nothing that says where a session
    is but what the server itself sets for it (this server may run in an SSH session)."""
    return {
        name: value
        for name, value in without_secrets(environment).items()
        if name not in SSH_VARIABLES and name.upper() != WEB_CLIENT_VARIABLE
    }


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_public_url(value: str) -> str:
    """The address browsers open (behind a proxy), without its final slash."""
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        valid = False
    if not valid or not value.isprintable():
        raise UsageProblem(
            N_(
                "--public-url must be the http:// or https:// address browsers open, "
                "such as https://kiosk.example.net."
            )
        )
    return value.rstrip("/")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--public-url",
    default=None,
    help="The address browsers open, when it is not http://HOST:PORT (behind a proxy).",
)
@pass_state
def serve(state: CliState, host: str, port: int, public_url: str | None) -> None:
    """Serve the kiosk as a web page (no authentication: keep it on loopback, behind a
    proxy that authenticates)."""
    from mailwizard.cli.web_sessions import WebSessions

    if not is_loopback(host):
        warning = _(
            "WARNING: the kiosk is served on {host}, beyond this machine, and the page has "
            "no authentication of its own: anyone who reaches it can use it. Put it behind "
            "a proxy that authenticates, or serve it on 127.0.0.1."
        )
        click.secho(warning.format(host=host), fg="red", bold=True, err=True)
    if public_url is not None:
        public_url = checked_public_url(public_url)
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
    kept = session_environment(dict(os.environ))
    kept["MAILWIZARD_DIRECTORY"] = settings.directory_url
    os.environ.clear()
    os.environ.update(kept)
    WebSessions(
        shlex.join(command),
        trusted_proxies=settings.trusted_proxies,
        host=host,
        port=port,
        title="mailwizard",
        public_url=public_url,
    ).serve()


COMMANDS = (serve,)
