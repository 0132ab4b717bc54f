"""Step 2, "Créer une adresse e-mail": may this holder create a box right now?

At home (the console, or SSH from a trusted network) the gate only checks the contract
and the room left. Away from home it asks for the code of the holder's authenticator
app, or, without one, says to start again from home.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label

from mailwizard.domain.models import HouseholdOverview
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Forward, Step
from mailwizard.tui.widgets.field import Field


class GateScreen(StepScreen):
    STEP = Step.GATE
    TITLE_TEXT = N_("Create an e-mail address")
    CSS_PATH = "gate.tcss"

    def compose_form(self) -> ComposeResult:
        yield Label(_("Checking that a new address can be created…"), id="gate-status")
        yield Field(_("Code from your app"), name="totp_code", max_length=8)

    def on_mount(self) -> None:
        self.query_one("#totp_code-field").display = False
        self.query_one("#continue", Button).display = False
        self._check(None)

    def focus_on_arrival(self) -> None:
        """Nothing to answer until the check asks for a code."""

    def _check(self, code: str | None) -> None:
        self.busy = True
        context = self.context
        self.call_service(
            lambda: context.provisioning.open_creation(
                context.holder, context.origin, code, context.audit_origin
            ),
            self._allowed,
            self._refused,
            group="gate",
        )

    def _allowed(self, overview: HouseholdOverview) -> None:
        self.dismiss(Forward())

    def _refused(self, error: MailwizardError) -> None:
        self.busy = False
        code_field = self.query_one("#totp_code-field", Field)
        asks_for_code = getattr(error, "field", None) == "totp_code"
        code_field.display = asks_for_code
        self.query_one("#continue", Button).display = asks_for_code
        if asks_for_code:
            self.query_one("#gate-status", Label).update(_("Strong identification"))
            code_field.show_error(error.message)
            code_field.input.focus()
            return
        self.query_one("#gate-status", Label).update(_("No address can be created now."))
        self.show_refusal(error)
        self.query_one("#back", Button).focus()

    def proceed(self) -> None:
        self._check(self.query_one("#totp_code", Input).value)
