"""``mailwizard server-config`` (and its halves ``dovecot-config`` and ``postfix-config``):
the files with which Dovecot and Postfix serve the directory's boxes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import DirectoryUnavailable, UsageProblem
from mailwizard.i18n import N_, _

OUT = click.option(
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files into.",
)
# The groups Debian's packages run the servers' processes under, which read these files.
DOVECOT_GROUP = "dovecot"
POSTFIX_GROUP = "postfix"


def _write_private_files(folder: Path, files: Mapping[str, str], group: str) -> None:
    """Each file 0640 and of the server's group (it may hold a role's password), written
    whole or not at all: a temporary file renamed over the old one, so that a link
    planted there is replaced, never followed."""
    from mailwizard.backends.mail_servers import first_closed_folder
    from mailwizard.backends.sqlite_files import group_id

    gid = group_id(group)
    existing = next(path for path in (folder, *folder.absolute().parents) if path.exists())
    closed = first_closed_folder(existing, -1, {gid}, write=False)
    if closed is not None and closed != folder:
        raise UsageProblem(
            N_("The group {group} cannot go through {folder}: choose another --out."),
            group=group,
            folder=str(closed),
        )
    try:
        folder.mkdir(mode=0o750, parents=True, exist_ok=True)
        os.chown(folder, -1, gid)
        folder.chmod(0o750)
        for name, text in files.items():
            descriptor, draft = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
            try:
                os.fchown(descriptor, -1, gid)
                os.fchmod(descriptor, 0o640)
                with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                    stream.write(text)
                    stream.flush()
                    os.fsync(stream.fileno())
                Path(draft).replace(folder / name)
            except BaseException:
                Path(draft).unlink(missing_ok=True)
                raise
            click.echo(folder / name)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot write the configuration into {folder}: {reason}"),
            folder=str(folder),
            reason=error.strerror,
        ) from None


def _write_dovecot(state: CliState, folder: Path) -> None:
    from mailwizard.backends.mail_servers import check_mail_root, dovecot_files, needs_roles

    settings = state.settings
    check_mail_root(settings)
    credentials = None
    if needs_roles(settings):
        from mailwizard.backends.mail_server_roles import DOVECOT_VIEWS, grant_role

        credentials = grant_role(state.services().engine, settings.dovecot_role, DOVECOT_VIEWS)
    _write_private_files(folder, dovecot_files(settings, folder, credentials), DOVECOT_GROUP)


def _write_postfix(state: CliState, folder: Path) -> None:
    from mailwizard.backends.mail_servers import needs_roles, postfix_files

    settings = state.settings
    credentials = None
    if needs_roles(settings):
        from mailwizard.backends.mail_server_roles import POSTFIX_VIEWS, grant_role

        credentials = grant_role(state.services().engine, settings.postfix_role, POSTFIX_VIEWS)
    else:
        state.services()  # brings the directory and its files up to date for the group
    _write_private_files(folder, postfix_files(settings, folder, credentials), POSTFIX_GROUP)


def _dovecot_advice(folder: Path) -> str:
    from mailwizard.backends.mail_servers import DOVECOT_SNIPPET

    return _("Dovecot: add “!include {snippet}” to /etc/dovecot/local.conf.").format(
        snippet=folder.resolve() / DOVECOT_SNIPPET
    )


def _postfix_advice(folder: Path) -> str:
    from mailwizard.backends.mail_servers import MAIN_CF, MASTER_CF

    return _("Postfix: add {main} to main.cf and {master} to master.cf.").format(
        main=folder.resolve() / MAIN_CF, master=folder.resolve() / MASTER_CF
    )


@click.command(name="server-config")
@OUT
@pass_state
def server_config(state: CliState, folder: Path) -> None:
    """Write everything Dovecot and Postfix need to serve the boxes: FOLDER/dovecot and
    FOLDER/postfix."""
    _write_dovecot(state, folder / "dovecot")
    _write_postfix(state, folder / "postfix")
    click.echo(_dovecot_advice(folder / "dovecot"), err=True)
    click.echo(_postfix_advice(folder / "postfix"), err=True)


@click.command(name="dovecot-config")
@OUT
@pass_state
def dovecot_config(state: CliState, folder: Path) -> None:
    """Write Dovecot's part only: how it signs the boxes in and takes their mail."""
    _write_dovecot(state, folder)
    click.echo(_dovecot_advice(folder), err=True)


@click.command(name="postfix-config")
@OUT
@pass_state
def postfix_config(state: CliState, folder: Path) -> None:
    """Write Postfix's part only: its lookup tables and its main.cf and master.cf lines."""
    _write_postfix(state, folder)
    click.echo(_postfix_advice(folder), err=True)


COMMANDS = (server_config, dovecot_config, postfix_config)
