"""``mailwizard passphrase``: a passphrase to give a box, drawn as the wizard suggests one."""

from __future__ import annotations

import click

from mailwizard import i18n
from mailwizard.cli.state import CliState, pass_state
from mailwizard.i18n import _


@click.command(name="passphrase")
@click.option(
    "--lang",
    "language",
    type=click.Choice(i18n.SUPPORTED_LANGUAGES),
    help="Language of the words; default: the interface's.",
)
@pass_state
def passphrase(state: CliState, language: str | None) -> None:
    """Print a passphrase of random words that the password policy accepts (at least 64
    bits of entropy); how many bits it has goes to stderr."""
    from mailwizard.bootstrap import passphrases

    drawn = passphrases(state.settings).suggest(language or i18n.active_language())
    click.echo(drawn.text)
    click.echo(_("{bits} bits of entropy").format(bits=int(drawn.bits)), err=True)


COMMANDS = (passphrase,)
