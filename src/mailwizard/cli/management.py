"""The management page's operations on the command line: ``alias add|remove|list``,
``accounts delete|passwd|suspend|resume``, ``audit`` and ``purge``.

Changes need the holder's password (MAILWIZARD_OWNER_PASSWORD), as ``create`` does;
reading what a household holds does not, as with ``accounts list``.
"""

from __future__ import annotations

import json
import sys

import click

from mailwizard.cli.accounts import accounts, utc_timestamp
from mailwizard.cli.secrets import read_password
from mailwizard.cli.state import CliState, cli_origin, pass_state, warn_if_waiting
from mailwizard.domain.audit import shown_line
from mailwizard.domain.models import AuditEntry
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.services.signin import SignedIn, SignInService

OWNER = click.option("--owner", required=True, help="The holder's primary address.")


def sign_in_holder(signin: SignInService, owner: str) -> SignedIn:
    password = read_password("MAILWIZARD_OWNER_PASSWORD", _("Password of the holder:"))
    return signin.sign_in(owner, password, cli_origin())


def _new_password() -> str:
    return read_password("MAILWIZARD_NEW_PASSWORD", _("New password:"), confirm=True)


@click.group()
def alias() -> None:
    """Other addresses that deliver into a box of the household."""


@alias.command(name="add")
@OWNER
@click.option("--box", "box", required=True, help="The box the alias delivers into.")
@click.argument("address")
@pass_state
def add_alias(state: CliState, owner: str, box: str, address: str) -> None:
    """Give BOX one more address; print it as written."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    click.echo(services.management.add_alias(holder, box, address, cli_origin()))


@alias.command(name="remove")
@OWNER
@click.argument("address")
@pass_state
def remove_alias(state: CliState, owner: str, address: str) -> None:
    """Remove an alias; the address is free again at once."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    removed = services.management.remove_alias(holder, address, cli_origin())
    click.echo(_("{alias} is removed.").format(alias=removed))


@alias.command(name="list")
@OWNER
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def list_aliases(state: CliState, owner: str, as_json: bool) -> None:
    """Each alias of the household and the box it delivers into."""
    overview = state.services().households.overview(owner)
    pairs = [
        (alias_address, box.address)
        for box in (overview.primary, *overview.secondary)
        for alias_address in box.aliases
    ]
    if as_json:
        listing = [{"alias": alias_address, "box": box} for alias_address, box in pairs]
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    for alias_address, box in pairs:
        click.echo(f"{alias_address:<40} → {box}")


@accounts.command(name="delete")
@OWNER
@click.option(
    "--confirm",
    "confirmation",
    metavar="ADDRESS",
    help="The box's address again; asked at a prompt when left out in a terminal.",
)
@click.argument("address")
@pass_state
def delete_account(state: CliState, owner: str, confirmation: str | None, address: str) -> None:
    """Delete a secondary box: closed at once, its mail kept until the purge."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    if confirmation is None:
        if not sys.stdin.isatty():
            raise UsageProblem(N_("Give the address again with --confirm to delete the box."))
        confirmation = click.prompt(
            _("Type the address of the box to delete it:"), prompt_suffix=" "
        )
    deletion = services.management.delete(holder, address, confirmation, cli_origin())
    warn_if_waiting(deletion.mail)
    if deletion.archive.waiting is not None:
        click.echo(
            _("Warning: {reason}; “mailwizard purge” packs its mail away later.").format(
                reason=deletion.archive.waiting
            ),
            err=True,
        )
    kept = _("{address} is deleted; its mail is kept until {date}.")
    click.echo(
        kept.format(address=deletion.address, date=deletion.purge_after.strftime("%Y-%m-%d"))
    )


@accounts.command(name="passwd")
@click.option(
    "--owner",
    help="The holder's primary address, to reset a secondary box's password; "
    "without it, the box's own user changes its password.",
)
@click.argument("address")
@pass_state
def change_password(state: CliState, owner: str | None, address: str) -> None:
    """Give a box a new password (MAILWIZARD_NEW_PASSWORD, or typed twice).

    The current password comes from MAILWIZARD_PASSWORD, the holder's from
    MAILWIZARD_OWNER_PASSWORD."""
    services = state.services()
    if owner is not None:
        holder = sign_in_holder(services.signin, owner)
        password = _new_password()
        replaced = services.management.reset_password(
            holder, address, password, password, cli_origin()
        )
        done = _("{address} has a new password; its user is told by e-mail, without it.")
    else:
        current = read_password("MAILWIZARD_PASSWORD", _("Current password:"))
        password = _new_password()
        replaced = services.management.change_own_password(
            address, current, password, password, cli_origin()
        )
        done = _("The password of {address} is changed.")
    click.echo(done.format(address=replaced.address))
    warn_if_waiting(replaced.mail)


@accounts.command(name="suspend")
@OWNER
@click.argument("address")
@pass_state
def suspend_account(state: CliState, owner: str, address: str) -> None:
    """Stop a secondary box from signing in; its mail still arrives."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    suspended = services.management.set_active(holder, address, False, cli_origin())
    click.echo(
        _("{address} is suspended: its mail still arrives, but it cannot sign in.").format(
            address=suspended
        )
    )


@accounts.command(name="resume")
@OWNER
@click.argument("address")
@pass_state
def resume_account(state: CliState, owner: str, address: str) -> None:
    """Let a suspended box sign in again."""
    services = state.services()
    holder = sign_in_holder(services.signin, owner)
    resumed = services.management.set_active(holder, address, True, cli_origin())
    click.echo(_("{address} can sign in again.").format(address=resumed))


def _entry_json(entry: AuditEntry) -> dict[str, str | None]:
    return {
        "at": utc_timestamp(entry.at),
        "actor": entry.actor,
        "origin": entry.origin,
        "action": entry.action,
        "target": entry.target,
    }


def _json_visible(document: str) -> str:
    """``document`` with every character a terminal could act on written as a JSON
    escape (json.dumps leaves C1 controls, format characters and separators as they are):
    the same values for a script, nothing for the terminal to obey."""
    if document.isprintable():
        return document
    escaped = []
    for character in document:
        if character.isprintable() or character == "\n":
            escaped.append(character)
            continue
        units = character.encode("utf-16-be", "surrogatepass")
        escaped.extend(
            f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)
        )
    return "".join(escaped)


@click.command()
@OWNER
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest entries.")
@pass_state
def audit(state: CliState, owner: str, as_json: bool, limit: int | None) -> None:
    """What was done in a household, by whom and from where, newest first."""
    entries = state.services().households.audit_log(owner, limit)
    if as_json:
        document = json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2)
        click.echo(_json_visible(document))
        return
    for entry in entries:
        moment = entry.at.strftime("%Y-%m-%d %H:%M:%S")
        what, actor, origin = shown_line(entry)
        click.echo(f"{moment} UTC  {what}  {actor}  ({origin})")


@click.command()
@pass_state
def purge(state: CliState) -> None:
    """Archive the mail of deleted boxes and erase those kept long enough (run daily)."""
    report = state.services().management.purge(cli_origin())
    for address in report.archived:
        click.echo(_("archived {address}").format(address=address))
    for address in report.purged:
        click.echo(_("erased {address}; the address is free again").format(address=address))


# ``accounts`` is complete only once the subcommands above are added to it.
COMMANDS = (accounts, alias, audit, purge)
