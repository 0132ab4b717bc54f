"""``mailwizard init`` and ``mailwizard create``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from mailwizard import i18n
from mailwizard.cli.activation import show_code
from mailwizard.cli.answers import SUGGEST, read_answers
from mailwizard.cli.secrets import read_password
from mailwizard.cli.state import CliState, cli_origin, pass_state, warn_if_waiting
from mailwizard.domain.access import origin_of
from mailwizard.domain.models import Identity, validated
from mailwizard.errors import Refused, UsageProblem
from mailwizard.i18n import _


def given_identity(civility: str, first_name: str, last_name: str) -> Identity:
    """The identity an option or the answers file gives; an unknown civility is a mistake
    in how the command was written (exit 2), names are judged by the rules (exit 1)."""
    try:
        return validated(Identity, civility=civility, first_name=first_name, last_name=last_name)
    except Refused as refused:
        if refused.field == "civility":
            raise UsageProblem(refused.message_id, **refused.params) from None
        raise


@click.command()
@click.option("--domain", required=True, help="The household's mail domain.")
@click.option("--address", required=True, help="The holder's primary address.")
@click.option("--civility", required=True, help="madame (mme), monsieur (m) or neutral (x).")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@pass_state
def init(
    state: CliState, domain: str, address: str, civility: str, first_name: str, last_name: str
) -> None:
    """Create the directory (if needed), a household and its holder's primary box.

    The password comes from MAILWIZARD_PASSWORD, or is typed twice at a prompt.
    """
    identity = given_identity(civility, first_name, last_name)
    password = read_password("MAILWIZARD_PASSWORD", _("Password of the primary box:"), confirm=True)
    services = state.services(create_directory=True)
    overview = services.households.initialise(
        domain, identity, address, password, i18n.active_language(), cli_origin()
    )
    click.echo(overview.primary.address)


@click.command()
@click.option(
    "--answers",
    "answers_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with the new box's details.",
)
@pass_state
def create(state: CliState, answers_path: Path) -> None:
    """Create a secondary box from an answers file; print its address.

    The holder's password comes from MAILWIZARD_OWNER_PASSWORD, the new box's from
    MAILWIZARD_NEW_PASSWORD (or prompts, in a terminal); with "activation = true" its
    user chooses it instead, with the activation code printed on a second line. Away
    from the home network, the authenticator's code comes from MAILWIZARD_TOTP_CODE.
    """
    answers = read_answers(answers_path)
    identity = given_identity(answers.civility, answers.first_name, answers.last_name)
    owner_password = read_password("MAILWIZARD_OWNER_PASSWORD", _("Password of the holder:"))
    new_password = None
    if not answers.activation:
        new_password = read_password(
            "MAILWIZARD_NEW_PASSWORD", _("Password of the new box:"), confirm=True
        )
    suggested = answers.address.strip().lower() == SUGGEST
    created = state.services().provisioning.create_unattended(
        answers.owner,
        owner_password,
        origin=origin_of(os.environ, kiosk=False),
        code=os.environ.get("MAILWIZARD_TOTP_CODE"),
        audit_origin=cli_origin(),
        identity=identity,
        address=None if suggested else answers.address,
        password=new_password,
        accepts_terms=answers.accept_terms,
        language=answers.language or i18n.active_language(),
    )
    if created.advice is not None:
        click.echo(_("Note: {advice}").format(advice=created.advice.message), err=True)
    click.echo(created.address)
    if created.activation is not None:
        show_code(created.activation)
    warn_if_waiting(created.mail)


COMMANDS = (init, create)
