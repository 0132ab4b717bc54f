"""What the audit log's actions mean, in the reader's language."""

from __future__ import annotations

from typing import Final

from mailwizard.domain.models import AuditEntry
from mailwizard.i18n import N_, _

ACTIONS: Final = {
    "household.created": N_("household created with {target}"),
    "mailbox.created": N_("created {target}"),
    "mailbox.deleted": N_("deleted {target}"),
    "mailbox.purged": N_("erased {target} for good"),
    "mailbox.suspended": N_("suspended {target}"),
    "mailbox.resumed": N_("reactivated {target}"),
    "password.reset": N_("gave {target} a new password"),
    "password.changed": N_("changed the password of {target}"),
    "alias.added": N_("added the alias {target}"),
    "alias.removed": N_("removed the alias {target}"),
    "signin.failed": N_("failed sign-in as {target}"),
    "signin.locked": N_("sign-in locked for {target}"),
    "totp.enrolled": N_("set up strong identification"),
    "totp.disabled": N_("turned strong identification off"),
    "device.remembered": N_("remembered the device {target}"),
    "device.forgotten": N_("forgot the device {target}"),
    "device.all_forgotten": N_("forgot every remembered device"),
    "contract.suspended": N_("contract suspended"),
    "contract.resumed": N_("contract resumed"),
}


def describe(entry: AuditEntry) -> str:
    """A short sentence; an action this version does not know is shown as recorded."""
    label = ACTIONS.get(entry.action)
    if label is None:
        return f"{entry.action} {entry.target or ''}".strip()
    return _(label).format(target=entry.target or "")
