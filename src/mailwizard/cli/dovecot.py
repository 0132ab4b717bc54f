"""``mailwizard dovecot-config``: let Dovecot sign in the boxes of the directory."""

from __future__ import annotations

import os
from pathlib import Path

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_, _


@click.command(name="dovecot-config")
@click.option(
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write dovecot-sql.conf.ext and mailwizard.conf into.",
)
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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((SQL_CONFIG_NAME, files.sql_config), (SNIPPET_NAME, files.snippet)):
            path = folder / name
            descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o640)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
            click.echo(path)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot write the Dovecot configuration into {folder}: {reason}"),
            folder=str(folder),
            reason=error.strerror,
        ) from None
    click.echo(
        _("Include {snippet} from dovecot.conf.").format(snippet=folder / SNIPPET_NAME), err=True
    )


COMMANDS = (dovecot_config,)
