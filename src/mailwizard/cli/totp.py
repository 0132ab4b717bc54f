"""``mailwizard totp enrol`` and ``mailwizard totp disable``: the holder's authenticator."""

from __future__ import annotations

import os
import sys

import click

from mailwizard.cli.secrets import read_password
from mailwizard.cli.state import CliState, cli_origin, pass_state
from mailwizard.domain.access import origin_of
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.services.signin import SignedIn, SignInService


def _code(prompt: str) -> str:
    code = os.environ.get("MAILWIZARD_TOTP_CODE")
    if code is not None:
        return code
    if not sys.stdin.isatty():
        raise UsageProblem(N_("Set MAILWIZARD_TOTP_CODE, or run the command in a terminal."))
    answer: str = click.prompt(prompt, prompt_suffix=" ")
    return answer


def _signed_in(signin: SignInService, owner: str) -> tuple[SignedIn, str]:
    password = read_password("MAILWIZARD_OWNER_PASSWORD", _("Password of the holder:"))
    return signin.sign_in(owner, password, cli_origin()), password


@click.group()
def totp() -> None:
    """Strong identification: create boxes away from home with an authenticator app."""


@totp.command()
@click.option("--owner", required=True, help="The holder's primary address.")
@pass_state
def enrol(state: CliState, owner: str) -> None:
    """Show a QR code for the authenticator app, then check its first code."""
    import segno

    services = state.services()
    holder, _password = _signed_in(services.signin, owner)
    enrolment = services.access.start_enrolment(holder, origin_of(os.environ, kiosk=False))
    segno.make(enrolment.uri, error="m").terminal(compact=True)
    click.echo(_("Or type this key into the app: {secret}").format(secret=enrolment.secret))
    code = _code(_("First code from the app:"))
    services.access.confirm_enrolment(holder, enrolment, code, cli_origin())
    click.echo(_("Strong identification is on for {address}.").format(address=holder.address))


@totp.command()
@click.option("--owner", required=True, help="The holder's primary address.")
@pass_state
def disable(state: CliState, owner: str) -> None:
    """Turn strong identification off (the password and a code are needed)."""
    services = state.services()
    holder, password = _signed_in(services.signin, owner)
    services.access.disable(holder, password, _code(_("Code from the app:")), cli_origin())
    click.echo(_("Strong identification is off for {address}.").format(address=holder.address))


COMMANDS = (totp,)
