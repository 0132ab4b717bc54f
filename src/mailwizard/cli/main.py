"""The ``mailwizard`` command group, its global options and its error handling.

Without a command it opens the wizard, which must be on screen quickly: the
subcommands' modules, and the full settings, are only loaded when needed.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

import click

from mailwizard import i18n
from mailwizard.cli.language import language_before_parsing
from mailwizard.cli.launch import report_internal_error
from mailwizard.errors import MailwizardError, UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.startup import APP_NAME, ENVIRONMENT_PREFIX

COMMAND_MODULES = {
    "init": "creation",
    "create": "creation",
    "activate": "activation",
    "activation-code": "activation",
    "accounts": "management",
    "suggest": "accounts",
    "client-config": "client_setup",
    "card": "client_setup",
    "contract": "accounts",
    "alias": "management",
    "audit": "management",
    "purge": "management",
    "dovecot-config": "server_config",
    "postfix-config": "server_config",
    "server-config": "server_config",
    "config": "settings_command",
    "outbox": "outbox",
    "passphrase": "passphrase",
    "totp": "totp",
    "secrets": "secrets_command",
    "serve": "serve",
}
"""Which module of ``mailwizard.cli`` defines each command (in its ``COMMANDS``)."""


class CommandsLoadedWhenUsed(click.Group):
    def list_commands(self, context: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        if name not in COMMAND_MODULES:
            return None
        module = importlib.import_module(f"mailwizard.cli.{COMMAND_MODULES[name]}")
        commands: tuple[click.Command, ...] = module.COMMANDS
        return next(command for command in commands if command.name == name)


@click.group(cls=CommandsLoadedWhenUsed, invoke_without_command=True)
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
    if directory and _password_of(directory) is not None:
        raise UsageProblem(
            N_(
                "Do not put the directory's password on the command line, where every user "
                "can see it: use MAILWIZARD_DIRECTORY_PASSWORD, ~/.pgpass or the keyring."
            )
        )
    overrides = {"directory": directory, "language": lang, "kiosk": kiosk}
    if context.invoked_subcommand is None:
        from mailwizard.cli.launch import wizard_for

        wizard_for(overrides).run()
        return
    from mailwizard.cli.state import CliState
    from mailwizard.config import load_settings

    settings = load_settings(**overrides)
    i18n.set_language(settings.language or i18n.language_from_environment())
    state = CliState(settings)
    context.obj = state
    context.call_on_close(state.close)


def _password_of(url: str) -> str | None:
    """The password written in ``url``; a URL too malformed to tell is a usage problem
    (said without the URL, which may hold that password)."""
    try:
        return urlsplit(url).password
    except ValueError as error:
        raise UsageProblem(
            N_("The directory URL given with --directory is malformed: {reason}"),
            reason=str(error),
        ) from None


def _require_text(args: Sequence[str] | None) -> None:
    """Bytes that are not UTF-8 (in an argument, or a ``MAILWIZARD_*`` variable such as a
    password) reach Python as lone surrogates, which no database, hash or file takes."""
    arguments = sys.argv[1:] if args is None else args
    variables = (
        value for name, value in os.environ.items() if name.upper().startswith(ENVIRONMENT_PREFIX)
    )
    for value in (*arguments, *variables):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageProblem(
                N_(
                    "An argument or a MAILWIZARD_ variable holds bytes that are not UTF-8 "
                    "text: give it again in UTF-8."
                )
            ) from None


def run(args: Sequence[str] | None = None) -> int:
    """Runs one command; every error becomes one line on stderr and an exit code."""
    try:
        i18n.set_language(language_before_parsing(args))
        _require_text(args)
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
        return report_internal_error(error)
    return 0
