"""Step 2, "Créer une adresse e-mail": may this holder create a box right now?

The gate asks the provisioning service (contract active, room left); the checks of
where the holder is (home network or strong identification) join it there.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Label

from mailwizard.domain.models import HouseholdOverview
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.flow import Forward, Step
from mailwizard.tui.screens.step import StepScreen


class GateScreen(StepScreen):
    STEP = Step.GATE
    TITLE_TEXT = N_("Create an e-mail address")
    CSS_PATH = "gate.tcss"

    def compose_form(self) -> ComposeResult:
        yield Label(_("Checking that a new address can be created…"), id="gate-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#continue", Button).display = False
        self.busy(True)
        provisioning, holder = self.context.provisioning, self.context.holder
        self.call_service(
            lambda: provisioning.prerequisites(holder), self._allowed, self._refused, group="gate"
        )

    def _allowed(self, overview: HouseholdOverview) -> None:
        self.dismiss(Forward())

    def _refused(self, error: MailwizardError) -> None:
        self.busy(False)
        self.query_one("#gate-status", Label).update(_("No address can be created now."))
        self.show_error(error)
        self.query_one("#back", Button).focus()

    def proceed(self) -> None:
        """The gate moves on by itself when the checks pass."""
