"""What the audit log's actions mean, in the reader's language, and what of its fields
is kept and shown: never a character a terminal would act on, never more than its column.
"""

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
    "mailbox.activated": N_("activated {target} with a password of their own"),
    "activation.reissued": N_("gave {target} a new activation code"),
    "activation.failed": N_("wrong activation code for {target}"),
    "activation.locked": N_("activation of {target} locked after too many wrong codes"),
    "password.changed": N_("changed the password of {target}"),
    "alias.added": N_("added the alias {target}"),
    "alias.removed": N_("removed the alias {target}"),
    "signin.failed": N_("failed attempt to sign in to {target}"),
    "signin.locked": N_("sign-in to {target} locked after failed attempts"),
    "totp.enrolled": N_("set up strong identification"),
    "totp.disabled": N_("turned strong identification off"),
    "totp.failed": N_("wrong code from the authenticator app"),
    "totp.locked": N_("codes from the authenticator app locked after too many wrong ones"),
    "device.remembered": N_("remembered the device {target}"),
    "device.forgotten": N_("forgot the device {target}"),
    "device.all_forgotten": N_("forgot every remembered device"),
    "contract.suspended": N_("contract suspended"),
    "contract.resumed": N_("contract resumed"),
}


ACTOR_MAX: Final = 254
ORIGIN_MAX: Final = 128
ACTION_MAX: Final = 64
TARGET_MAX: Final = 254
"""The audit log's columns (``backends.schema.audit_log``), in characters."""

_CUT: Final = "…"


def _escaped(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _pieces(text: str) -> list[str]:
    return [c if c.isprintable() else _escaped(c) for c in text]


def visible(text: str) -> str:
    """``text`` with each character a terminal could act on or hide — controls (escape
    sequences), format characters, lone surrogates, line separators, spaces other than
    the plain one — written out as an escape: ESC shows as ``\\x1b``."""
    if text.isprintable():
        return text
    return "".join(_pieces(text))


def stored(text: str, limit: int) -> str:
    """What the audit log keeps of ``text``: ``visible``, and at most ``limit``
    characters, a longer one cut (between escapes, never inside one) and marked ``…``."""
    pieces = _pieces(text)
    if sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept, length = [], len(_CUT)
    for piece in pieces:
        if length + len(piece) > limit:
            break
        kept.append(piece)
        length += len(piece)
    return "".join(kept) + _CUT


def describe(entry: AuditEntry) -> str:
    """A short sentence; an action this version does not know is shown as recorded."""
    label = ACTIONS.get(entry.action)
    if label is None:
        return visible(f"{entry.action} {entry.target or ''}".strip())
    return _(label).format(target=visible(entry.target or ""))


ORIGIN_WORDS: Final = {
    "terminal": N_("terminal"),
    "command line": N_("command line"),
    "console": N_("console"),
    "kiosk": N_("kiosk"),
}
"""The words of a stored origin ("command line, console"): stored in English, shown in
the reader's language (``ssh`` and ``web``, and the addresses after them, as they are)."""


def shown_origin(origin: str) -> str:
    """A stored origin in the reader's language; what it does not know stays as stored."""
    shown = []
    for part in visible(origin).split(", "):
        word, space, rest = part.partition(" ")
        if part in ORIGIN_WORDS:
            shown.append(_(ORIGIN_WORDS[part]))
        elif word in ORIGIN_WORDS:
            shown.append(_(ORIGIN_WORDS[word]) + space + rest)
        else:
            shown.append(part)
    return ", ".join(shown)


ATTEMPTS: Final = frozenset({"signin.failed", "signin.locked"})
"""Actions of someone not signed in: the recorded actor is only the address they typed,
so it is not shown as the one who acted; the address is the target."""


def shown_actor(entry: AuditEntry) -> str:
    if entry.action in ATTEMPTS:
        return _("someone not signed in")
    return visible(entry.actor)


def shown_line(entry: AuditEntry) -> tuple[str, str, str]:
    """What a terminal shows of ``entry``: what was done, by whom, from where, each
    ``visible`` (whatever the rows hold, written by this version or not)."""
    return describe(entry), shown_actor(entry), shown_origin(entry.origin)
