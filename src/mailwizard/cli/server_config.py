"""``mailwizard dovecot-config`` and ``mailwizard postfix-config``: let the mail servers
read the directory — Dovecot to sign the boxes in, Postfix to accept their mail."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_, _

OUT = click.option(
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files into.",
)


def _write_private_files(folder: Path, files: Mapping[str, str]) -> None:
    """0640: they may hold the directory's password."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = folder / name
            descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o640)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
            click.echo(path)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot write the configuration into {folder}: {reason}"),
            folder=str(folder),
            reason=error.strerror,
        ) from None


@click.command(name="dovecot-config")
@OUT
@pass_state
def dovecot_config(state: CliState, folder: Path) -> None:
    """Write Dovecot's SQL configuration for this directory, and a snippet to include."""
    from mailwizard.backends.dovecot_config import SNIPPET_NAME, SQL_CONFIG_NAME, dovecot_files

    settings = state.settings
    files = dovecot_files(
        settings.directory_url,
        settings.mail_folder,
        folder,
        settings.mail_uid,
        settings.mail_gid,
    )
    _write_private_files(folder, {SQL_CONFIG_NAME: files.sql_config, SNIPPET_NAME: files.snippet})
    click.echo(
        _("Include {snippet} from dovecot.conf.").format(snippet=folder / SNIPPET_NAME), err=True
    )


@click.command(name="postfix-config")
@OUT
@pass_state
def postfix_config(state: CliState, folder: Path) -> None:
    """Write Postfix's lookup tables for the directory's domains, boxes and aliases."""
    from mailwizard.backends.postfix_config import main_cf_lines, postfix_files

    url = state.settings.directory_url
    _write_private_files(folder, postfix_files(url))
    click.echo(_("Add these lines to Postfix's main.cf:"), err=True)
    click.echo(main_cf_lines(str(folder.resolve()), url), err=True)


COMMANDS = (dovecot_config, postfix_config)
