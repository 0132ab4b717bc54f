"""The rules of the management page: which box may undergo what, aliases per box."""

from __future__ import annotations

from datetime import datetime

from mailwizard.domain.addresses import normalise
from mailwizard.errors import Refusal
from mailwizard.i18n import N_

DEFAULT_MAX_ALIASES = 10


def unknown_mailbox(address: str) -> Refusal:
    return Refusal(
        "mailbox.unknown", N_("{address} is not a box of your household."), {"address": address}
    )


def already_deleted(address: str, purge_after: datetime) -> Refusal:
    return Refusal(
        "mailbox.deleted",
        N_("{address} is already deleted; its mail is kept until {date}, then erased."),
        {"address": address, "date": purge_after.strftime("%Y-%m-%d")},
    )


def primary_untouchable(address: str) -> Refusal:
    return Refusal(
        "mailbox.primary",
        N_("{address} is the primary box: it cannot be deleted or suspended here."),
        {"address": address},
    )


def unknown_alias(address: str) -> Refusal:
    return Refusal(
        "alias.unknown", N_("{address} is not an alias of your household."), {"address": address}
    )


def check_alias_count(address: str, count: int, maximum: int) -> Refusal | None:
    if count < maximum:
        return None
    return Refusal(
        "alias.limit",
        N_("{address} already has {maximum} aliases, the most a box may have."),
        {"address": address, "maximum": maximum},
    )


def check_deletion_confirmation(typed: str, address: str) -> Refusal | None:
    """The holder types the address in full, so that no box goes by a slip of a key."""
    if normalise(typed) == address:
        return None
    return Refusal(
        "delete.confirmation",
        N_("Type {address} exactly to confirm the deletion."),
        {"address": address},
    )
