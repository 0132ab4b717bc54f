"""“Suggest a passphrase”, offered wherever a new password is typed twice: a key and a
button that fill both fields with a fresh passphrase, shown in clear so that it can be
written down or read aloud."""

from __future__ import annotations

from typing import Any, Final

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button

from mailwizard.i18n import N_, _
from mailwizard.services.passphrases import Passphrase
from mailwizard.tui.widgets.field import Field

SUGGEST_KEY: Final = "ctrl+g"
SUGGEST_BINDING: Final = Binding(SUGGEST_KEY, "suggest_passphrase", N_("Suggest a passphrase"))


def suggest_button() -> Button:
    """Short, to fit a dialog's row at 60 columns; the footer names the key in full."""
    return Button(_("Passphrase"), id="suggest-passphrase", compact=True)


def fill_with_passphrase(screen: Screen[Any], passphrase: Passphrase) -> None:
    """Both fields hold ``passphrase``, in clear; their own events judge it as typed."""
    for name in ("password", "confirmation"):
        field = screen.query_one(f"#{name}-field", Field)
        field.input.password = False
        field.input.value = passphrase.text
