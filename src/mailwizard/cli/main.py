"""The ``mailwizard`` command group, its global options and its error handling."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

import click

from mailwizard import i18n
from mailwizard.cli import (
    accounts,
    creation,
    management,
    outbox,
    secrets_command,
    serve,
    server_config,
    totp,
)
from mailwizard.cli.state import CliState, load_settings
from mailwizard.config import APP_NAME
from mailwizard.errors import MailwizardError, UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.logs import log_unexpected_error

EXIT_INTERNAL_ERROR = 70


@click.group(invoke_without_command=True)
@click.option(
    "--directory",
    metavar="URL",
    help="The mail-account directory (sqlite:///PATH); default: the user data folder.",
)
@click.option("--lang", type=click.Choice(i18n.SUPPORTED_LANGUAGES), help="Interface language.")
@click.option(
    "--kiosk",
    is_flag=True,
    default=None,
    help="The wizard on a shared screen: no way out, every session forgotten.",
)
@click.version_option(package_name=APP_NAME)
@click.pass_context
def mailwizard(
    context: click.Context, directory: str | None, lang: str | None, kiosk: bool | None
) -> None:
    """Create and manage the secondary mailboxes of a household.

    Without a command, opens the wizard in the terminal."""
    if directory and urlsplit(directory).password is not None:
        raise UsageProblem(
            N_(
                "Do not put the directory's password on the command line, where every user "
                "can see it: use MAILWIZARD_DIRECTORY_PASSWORD, ~/.pgpass or the keyring."
            )
        )
    settings = load_settings(directory=directory, language=lang, kiosk=kiosk)
    i18n.set_language(settings.language or i18n.language_from_environment())
    state = CliState(settings)
    context.obj = state
    context.call_on_close(state.close)
    if context.invoked_subcommand is None:
        from mailwizard.tui.app import run_app  # Textual is only for the wizard itself

        run_app(settings)


for command in (
    *creation.COMMANDS,
    *accounts.COMMANDS,
    *management.COMMANDS,
    *server_config.COMMANDS,
    *outbox.COMMANDS,
    *totp.COMMANDS,
    *secrets_command.COMMANDS,
    *serve.COMMANDS,
):
    mailwizard.add_command(command)


def run(args: Sequence[str] | None = None) -> int:
    """Runs one command; every error becomes one line on stderr and an exit code."""
    try:
        mailwizard.main(args, prog_name="mailwizard", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.Abort:
        click.echo(_("Cancelled."), err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except MailwizardError as error:
        click.echo(error.message, err=True)
        return error.exit_code
    except Exception as error:
        return _report_internal_error(error)
    return 0


def _report_internal_error(error: Exception) -> int:
    log = log_unexpected_error("unexpected error in the command line", error)
    message = _("Something went wrong inside mailwizard; the details are in {log}.")
    click.echo(message.format(log=log), err=True)
    return EXIT_INTERNAL_ERROR


def main() -> None:
    sys.exit(run())
