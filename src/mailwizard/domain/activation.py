"""Activation codes: what the holder reads aloud to a relative, who types it with the
password of their choice to open a box created for them.

A code is twelve symbols from an alphabet without look-alikes (neither 0 nor O, neither
1 nor I), shown in three groups of four: 32 symbols give 5 bits each, 60 bits in all,
drawn with ``secrets``. It is
typed back in any case, with or without the dashes and spaces between groups.
"""

from __future__ import annotations

import secrets
from typing import Final

from mailwizard.errors import Refusal
from mailwizard.i18n import N_

CODE_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS: Final = 3
GROUP_LENGTH: Final = 4
CODE_LENGTH: Final = CODE_GROUPS * GROUP_LENGTH
CODE_BITS: Final = CODE_LENGTH * (len(CODE_ALPHABET).bit_length() - 1)
_SEPARATORS: Final = frozenset(" -\t\u00a0\u2010\u2011\u2012\u2013\u2014")
_TYPED_MAX: Final = 64
"""Longer input is refused before it is even cleaned: no code is anywhere near it."""


def new_code() -> str:
    """A fresh code, grouped as it is shown: ``K7QM-4XPD-RA9T``."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return grouped(symbols)


def grouped(symbols: str) -> str:
    return "-".join(
        symbols[start : start + GROUP_LENGTH] for start in range(0, len(symbols), GROUP_LENGTH)
    )


def typed_code(text: str) -> str | Refusal:
    """The code as it was typed, in its canonical grouped form, or why it cannot be one."""
    if len(text) > _TYPED_MAX:
        return malformed_code()
    symbols = "".join(c for c in text.upper() if c not in _SEPARATORS)
    if not symbols:
        return Refusal("activation.code_empty", N_("Enter the activation code."))
    if len(symbols) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in symbols):
        return malformed_code()
    return grouped(symbols)


def malformed_code() -> Refusal:
    return Refusal(
        "activation.code_malformed",
        N_(
            "An activation code has 12 letters and digits, such as K7QM-4XPD-RA9T: "
            "check what you typed."
        ),
    )
