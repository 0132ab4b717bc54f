"""``mailwizard outbox list`` and ``mailwizard outbox flush``."""

from __future__ import annotations

import json

import click

from mailwizard.cli.state import CliState, pass_state
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_, _, ngettext
from mailwizard.services.ports import QueuedMessage


def _message_json(message: QueuedMessage) -> dict[str, object]:
    return {
        "message_id": message.message_id,
        "recipient": message.recipient,
        "template": message.template,
        "language": message.language,
        "status": message.status,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at.isoformat(timespec="seconds"),
        "last_error": message.last_error,
    }


@click.group()
def outbox() -> None:
    """The confirmation e-mails waiting to be delivered, delivered, or failed."""


@outbox.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def list_messages(state: CliState, as_json: bool) -> None:
    """Show every confirmation e-mail and where its delivery stands."""
    messages = state.services().delivery.messages()
    if as_json:
        click.echo(json.dumps([_message_json(m) for m in messages], ensure_ascii=False, indent=2))
        return
    for message in messages:
        problem = f"  ({message.last_error})" if message.last_error else ""
        click.echo(f"{message.status:<8} {message.recipient:<40} {message.template}{problem}")


@outbox.command()
@click.option("--now", "at_once", is_flag=True, help="Also try at once those waiting for a retry.")
@pass_state
def flush(state: CliState, at_once: bool) -> None:
    """Deliver what is due now; temporary failures are tried again later."""
    report = state.services().delivery.flush(at_once=at_once)
    click.echo(
        _("{sent} sent, {retried} to retry, {failed} failed.").format(
            sent=report.sent, retried=report.retried, failed=report.failed
        )
    )
    waiting = report.waiting
    if waiting.next_attempt_at is not None:
        click.echo(
            ngettext(
                "{count} message waits; its next attempt is due at {time} UTC "
                "(“mailwizard outbox flush --now” tries it at once).",
                "{count} messages wait; the next attempt is due at {time} UTC "
                "(“mailwizard outbox flush --now” tries them at once).",
                waiting.count,
            ).format(count=waiting.count, time=waiting.next_attempt_at.strftime("%Y-%m-%d %H:%M"))
        )
    if report.retried and not report.sent:
        raise DirectoryUnavailable(N_("The mail transport is unavailable; nothing was lost."))


COMMANDS = (outbox,)
