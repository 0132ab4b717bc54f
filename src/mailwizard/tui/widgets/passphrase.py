"""“Suggest a passphrase”, offered wherever a new password is typed twice: a key and a
button that fill both fields with a fresh passphrase (``PasswordPair.suggest``), shown in
clear so that it can be written down or read aloud."""

from __future__ import annotations

from typing import Final

from textual.binding import Binding
from textual.widgets import Button

from mailwizard.i18n import N_, _

SUGGEST_BINDING: Final = Binding("ctrl+g", "suggest_passphrase", N_("Suggest a passphrase"))


def suggest_button() -> Button:
    """Short, to fit a dialog's row at 60 columns; the footer names the key in full."""
    return Button(_("Passphrase"), id="suggest-passphrase", compact=True)
