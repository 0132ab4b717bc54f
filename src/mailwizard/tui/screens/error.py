"""Shown when something unexpected happens: what to do, where the details are."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Label

from mailwizard.i18n import N_, _
from mailwizard.tui.support import MailwizardModal


class ErrorScreen(MailwizardModal[None]):
    CSS_PATH = "error.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, log_path: Path | None) -> None:
        """``log_path`` is None where no file path may be shown (a kiosk)."""
        super().__init__()
        self._log_path = log_path

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Label(_("Something went wrong"), classes="screen-title")
            yield Label(
                _(
                    "mailwizard met a problem it did not expect. Your answers are kept: "
                    "close this message and try again."
                ),
                id="error-explanation",
            )
            if self._log_path is not None:
                details = _("Details for support: {path}").format(path=self._log_path)
                yield Label(details, markup=False)
            yield Button(_("Close"), id="close", variant="primary")
