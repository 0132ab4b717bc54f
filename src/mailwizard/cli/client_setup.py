"""``mailwizard client-config`` and ``mailwizard card``: what sets a relative's phone and
computer up — the files a web server hands to mail apps, and a printable welcome card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mailwizard import i18n
from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import DirectoryUnavailable, Refusal, Refused
from mailwizard.i18n import N_, _
from mailwizard.whole_files import replace_whole

F = TypeVar("F", bound=Callable[..., Any])


def write_public_file(path: Path, data: bytes) -> None:
    """``data`` into ``path``, 0644 in 0755 folders: a web server serves it."""
    try:
        replace_whole(path, data, mode=0o644, folder_mode=0o755)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot write {path}: {reason}"), path=str(path), reason=error.strerror
        ) from None


def _out(name: str, *, folder: bool, help_text: str) -> Callable[[F], F]:
    kind = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
    return click.option("--out", name, required=True, type=kind, help=help_text)


@click.command(name="client-config")
@_out("folder", folder=True, help_text="Folder to write into: one web root per domain.")
@pass_state
def client_config(state: CliState, folder: Path) -> None:
    """Write, for each domain of the directory, the files with which mail apps set a box
    up by themselves: DOMAIN/mail/config-v1.1.xml (Thunderbird, K-9 Mail, FairEmail,
    Evolution) and DOMAIN/mail.mobileconfig (iPhone, iPad, Mac)."""
    files = state.services().client_setup.client_files(i18n.active_language())
    if not files:
        raise Refused(
            Refusal("client_config.no_domain", N_("The directory has no domain yet: run init."))
        )
    for domain, by_path in files.items():
        for relative, data in by_path.items():
            write_public_file(folder / domain / relative, data)
            click.echo(folder / domain / relative)
        click.echo(
            _("Serve {root} as the web root of autoconfig.{domain} (see the README).").format(
                root=(folder / domain).resolve(), domain=domain
            ),
            err=True,
        )


@click.command(name="card")
@click.argument("address")
@_out("path", folder=False, help_text="The HTML file to write.")
@pass_state
def card(state: CliState, address: str, path: Path) -> None:
    """Write the welcome card of the box ADDRESS: a page to print, in its user's language,
    with the servers and the steps for a phone and for Thunderbird (never a password)."""
    page = state.services().client_setup.welcome_card(address)
    write_public_file(path, page.encode("utf-8"))
    click.echo(path)


COMMANDS = (client_config, card)
