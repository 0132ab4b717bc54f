"""``mailwizard accounts list``, ``mailwizard suggest`` and ``mailwizard contract``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from mailwizard.cli.state import CliState, cli_origin, pass_state
from mailwizard.domain.models import DeletedMailbox, HouseholdOverview, MailboxSummary
from mailwizard.domain.names import check_name
from mailwizard.domain.quota import check_contract
from mailwizard.errors import Refused
from mailwizard.i18n import _, ngettext

JSON_FORMAT_VERSION = 1


def utc_timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _mailbox_json(box: MailboxSummary) -> dict[str, Any]:
    return {
        "address": box.address,
        "role": box.role.value,
        "civility": box.civility.value,
        "first_name": box.first_name,
        "last_name": box.last_name,
        "active": box.active,
        "created_at": utc_timestamp(box.created_at),
        "aliases": list(box.aliases),
        "awaiting_activation_until": (
            None
            if box.awaiting_activation_until is None
            else utc_timestamp(box.awaiting_activation_until)
        ),
    }


def _deleted_json(box: DeletedMailbox) -> dict[str, Any]:
    return {
        "address": box.address,
        "first_name": box.first_name,
        "last_name": box.last_name,
        "deleted_at": utc_timestamp(box.deleted_at),
        "purge_after": utc_timestamp(box.purge_after),
    }


def household_json(overview: HouseholdOverview) -> dict[str, Any]:
    """The documented, stable shape of ``accounts list --json`` (README)."""
    return {
        "format": JSON_FORMAT_VERSION,
        "household": overview.household_id,
        "domains": list(overview.domains),
        "contract_active": overview.contract_active,
        "max_secondary": overview.max_secondary,
        "remaining_secondary": overview.remaining_secondary,
        "mailboxes": [_mailbox_json(box) for box in (overview.primary, *overview.secondary)],
        "deleted_mailboxes": [_deleted_json(box) for box in overview.deleted],
    }


def _box_line(box: MailboxSummary | DeletedMailbox) -> str:
    """The box's state in the management page's words, and its end if it has one."""
    created = (
        f"{box.created_at.strftime('%Y-%m-%d %H:%M')} UTC  "
        if isinstance(box, MailboxSummary)
        else ""
    )
    line = f"{box.address:<40} {_(box.state):<12} {created}{box.full_name}"
    if box.state_until is not None:
        until = _("until {time} UTC").format(time=box.state_until.strftime("%Y-%m-%d %H:%M"))
        line += f"  ({until})"
    return "\n".join([line, *(f"  {_('alias')} {alias}" for alias in box.aliases)])


@click.group()
def accounts() -> None:
    """The boxes of a household."""


@accounts.command(name="list")
@click.option("--owner", required=True, help="The holder's primary address.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (see README).")
@pass_state
def list_accounts(state: CliState, owner: str, as_json: bool) -> None:
    """Show the primary and secondary boxes and how many are left."""
    overview = state.services().households.overview(owner)
    if as_json:
        click.echo(json.dumps(household_json(overview), ensure_ascii=False, indent=2))
        return
    for box in overview.listed:
        click.echo(_box_line(box))
    left = overview.remaining_secondary
    click.echo(
        ngettext(
            "Secondary boxes left: {left} of {maximum}.",
            "Secondary boxes left: {left} of {maximum}.",
            left,
        ).format(left=left, maximum=overview.max_secondary)
    )
    if refusal := check_contract(overview.contract_active):
        click.echo(refusal.message)


@click.command()
@click.option("--owner", required=True, help="The holder's primary address.")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@pass_state
def suggest(state: CliState, owner: str, first_name: str, last_name: str) -> None:
    """Print the available addresses proposed for a person, best first."""
    for field, name in (("first_name", first_name), ("last_name", last_name)):
        if refusal := check_name(name):
            raise Refused(refusal, field=field)
    for address in state.services().provisioning.suggest_for_owner(owner, first_name, last_name):
        click.echo(address)


@click.group()
def contract() -> None:
    """Suspend or resume a household's contract (as its provider's billing would)."""


@contract.command()
@click.option("--owner", required=True, help="The holder's primary address.")
@pass_state
def suspend(state: CliState, owner: str) -> None:
    """No box can be created while the contract is suspended."""
    state.services().households.set_contract_active(owner, False, cli_origin())


@contract.command()
@click.option("--owner", required=True, help="The holder's primary address.")
@pass_state
def resume(state: CliState, owner: str) -> None:
    """Let the household create boxes again."""
    state.services().households.set_contract_active(owner, True, cli_origin())


COMMANDS = (suggest, contract)
