"""Step 6: every answer once more, a way back to each, and "Confirm" to create the box."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label

from mailwizard.errors import MailwizardError, Refused
from mailwizard.i18n import N_, _
from mailwizard.services.provisioning import CreatedMailbox
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Committed, EditStep, SentBack, Step
from mailwizard.tui.widgets.identity_fields import CIVILITY_CAPTIONS


class ReviewScreen(StepScreen):
    STEP = Step.REVIEW
    TITLE_TEXT = N_("Check and confirm")
    CONTINUE_TEXT = N_("Confirm")
    CSS_PATH = "review.tcss"

    def compose_form(self) -> ComposeResult:
        identity = self.state.identity
        civility = _(CIVILITY_CAPTIONS[identity.civility]) if identity.civility else ""
        rows = [
            (_("For"), f"{civility} {identity.first_name} {identity.last_name}", Step.IDENTITY),
            (_("Address"), self.state.address.confirmed or "", Step.ADDRESS),
            (_("Password"), self._password_summary(), Step.PASSWORD),
        ]
        for caption, value, step in rows:
            with Horizontal(classes="review-row"):
                yield Label(caption, classes="review-caption")
                yield Label(value, classes="review-value", markup=False)
                yield Button(
                    _("Edit"), id=f"edit-{step.value}", classes="review-edit", compact=True
                )
        yield Label(
            _("The holder and the new user will each receive a confirmation e-mail."),
            classes="hint",
        )

    def _password_summary(self) -> str:
        if self.state.password.activation:
            return _("chosen by {first_name} with a code shown after “Confirm”").format(
                first_name=self.state.identity.first_name
            )
        return "•" * 10 + "  " + _("terms of use accepted")

    @on(Button.Pressed, ".review-edit")
    def _edit(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(EditStep(Step(event.button.id.removeprefix("edit-"))))

    def proceed(self) -> None:
        try:
            request = self.state.request(self.context.language)
        except MailwizardError as error:
            self.dismiss(SentBack(error))
            return
        provisioning, holder = self.context.provisioning, self.context.holder
        origin = self.context.audit_origin
        self.busy = True
        self.call_service(
            lambda: provisioning.commit(holder, request, origin),
            self._committed,
            self._refused,
            group="commit",
        )

    def _committed(self, created: CreatedMailbox) -> None:
        self.dismiss(Committed(created))

    def _refused(self, error: MailwizardError) -> None:
        self.busy = False
        if isinstance(error, Refused) and error.field is not None:
            self.dismiss(SentBack(error))
            return
        self.show_refusal(error)
