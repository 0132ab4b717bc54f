"""``mailwizard activate``: a relative opens the box the holder created for them, with
the one-time code and a password of their own; ``mailwizard activation-code``: the
holder gives such a box a new code."""

from __future__ import annotations

import os
import sys

import click

from mailwizard.cli.management import OWNER, sign_in_holder
from mailwizard.cli.secrets import read_password
from mailwizard.cli.state import CliState, cli_origin, pass_state, warn_if_waiting
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.services.activation_codes import IssuedCode

CODE_VARIABLE = "MAILWIZARD_ACTIVATION_CODE"


def show_code(issued: IssuedCode) -> None:
    """The code on standard output, for a script to read after the address; how long it
    lasts for the person, on standard error."""
    click.echo(f"activation code: {issued.code}")
    click.echo(
        _("The code is valid until {time} UTC, once; nobody can read it again.").format(
            time=issued.expires_at.strftime("%Y-%m-%d %H:%M")
        ),
        err=True,
    )


def _read_code() -> str:
    value = os.environ.get(CODE_VARIABLE)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageProblem(
            N_("Set {variable}, or run the command in a terminal to type the code."),
            variable=CODE_VARIABLE,
        )
    code: str = click.prompt(_("Activation code:"), prompt_suffix=" ")
    return code


@click.command()
@click.argument("address")
@pass_state
def activate(state: CliState, address: str) -> None:
    """Open the box ADDRESS with the activation code its holder gave you, choosing its
    password.

    The code comes from MAILWIZARD_ACTIVATION_CODE (or a prompt), the password from
    MAILWIZARD_NEW_PASSWORD (or typed twice)."""
    code = _read_code()
    password = read_password("MAILWIZARD_NEW_PASSWORD", _("Your new password:"), confirm=True)
    activated = state.services().activation.activate(
        address, code, password, password, cli_origin()
    )
    click.echo(
        _("{address} is open: sign in with the password you chose.").format(
            address=activated.account.address
        )
    )
    warn_if_waiting(activated.mail)


@click.command(name="activation-code")
@OWNER
@click.argument("address")
@pass_state
def activation_code(state: CliState, owner: str, address: str) -> None:
    """Give ADDRESS, a box awaiting its activation, a new code; the old one stops working."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    show_code(services.activation.reissue(holder, address, cli_origin()))


COMMANDS = (activate, activation_code)
