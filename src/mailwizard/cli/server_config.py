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


def _check_out_folder(folder: Path, group: str) -> None:
    """The server's group must go through every folder on the way to its files."""
    from mailwizard.backends.mail_servers import first_closed_folder
    from mailwizard.backends.sqlite_files import group_id

    existing = next(path for path in (folder, *folder.absolute().parents) if path.exists())
    closed = first_closed_folder(existing, -1, {group_id(group)}, write=False)
    if closed is not None and closed != folder.absolute():
        raise UsageProblem(
            N_("The group {group} cannot go through {folder}: choose another --out."),
            group=group,
            folder=str(closed),
        )


def _write_private_files(folder: Path, files: Mapping[str, str], group: str) -> None:
    """Each file 0640 and of the server's group (it may hold a role's password), written
    whole or not at all: a temporary file renamed over the old one, so that a link
    planted there is replaced, never followed."""
    from mailwizard.backends.sqlite_files import group_id

    gid = group_id(group)
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


def _write(state: CliState, dovecot: Path | None, postfix: Path | None) -> None:
    """Checks everything both halves need, then renews the roles, then writes: a refusal
    leaves the running servers' files and passwords as they were."""
    from mailwizard.backends import mail_servers

    settings = state.settings
    if dovecot is not None:
        mail_servers.check_plain_values(settings, dovecot)
        mail_servers.check_mail_root(settings)
        _check_out_folder(dovecot, DOVECOT_GROUP)
    if postfix is not None:
        mail_servers.check_plain_values(settings, postfix)
        if not mail_servers.needs_roles(settings):
            mail_servers.check_directory_readable(settings)
        _check_out_folder(postfix, POSTFIX_GROUP)
    # Opening the directory also brings a SQLite file's group and modes up to date.
    engine = state.services().engine
    from mailwizard.backends.mail_server_roles import DOVECOT_VIEWS, POSTFIX_VIEWS, grant_role

    halves = (
        (dovecot, DOVECOT_GROUP, settings.dovecot_role, DOVECOT_VIEWS, mail_servers.dovecot_files),
        (postfix, POSTFIX_GROUP, settings.postfix_role, POSTFIX_VIEWS, mail_servers.postfix_files),
    )
    for folder, group, role, views, files_for in halves:
        if folder is None:
            continue
        credentials = None
        if mail_servers.needs_roles(settings):
            credentials = grant_role(engine, role, views)
        _write_private_files(folder, files_for(settings, folder, credentials), group)


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
    _write(state, folder / "dovecot", folder / "postfix")
    click.echo(_dovecot_advice(folder / "dovecot"), err=True)
    click.echo(_postfix_advice(folder / "postfix"), err=True)


@click.command(name="dovecot-config")
@OUT
@pass_state
def dovecot_config(state: CliState, folder: Path) -> None:
    """Write Dovecot's part only: how it signs the boxes in and takes their mail."""
    _write(state, folder, None)
    click.echo(_dovecot_advice(folder), err=True)


@click.command(name="postfix-config")
@OUT
@pass_state
def postfix_config(state: CliState, folder: Path) -> None:
    """Write Postfix's part only: its lookup tables and its main.cf and master.cf lines."""
    _write(state, None, folder)
    click.echo(_postfix_advice(folder), err=True)


COMMANDS = (server_config, dovecot_config, postfix_config)
