"""Strong identification, from the management page: scan the code, type the first code."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.access import AccessService, Enrolment
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardScreen, show_beside_field
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.qr_code import QrCode


class EnrolmentScreen(MailwizardScreen[None]):
    """Closes, saying so, once the first code matched and the secret is stored."""

    CSS_PATH = "enrolment.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Back"))]

    def __init__(self, access: AccessService, holder: SignedIn, enrolment: Enrolment) -> None:
        super().__init__()
        self._access = access
        self._holder = holder
        self._enrolment = enrolment

    def compose(self) -> ComposeResult:
        with Horizontal(id="enrolment-body"):
            with Vertical(id="enrolment-side"):
                yield Label(_("Strong identification"), classes="screen-title")
                yield Label(
                    _(
                        "Scan this code with an authenticator app, or type the key below "
                        "into it. Then enter the code the app shows."
                    ),
                    classes="hint",
                )
                yield Label(self._enrolment.secret, id="secret", markup=False)
                yield Label(self._enrolment.uri, id="uri", classes="hint", markup=False)
                yield Field(_("Code"), name="totp_code", max_length=8)
                with Horizontal(classes="enrolment-buttons"):
                    yield Button(_("Back"), id="cancel", compact=True)
                    yield Button(_("Turn on"), id="confirm", variant="primary", compact=True)
            # Beside the words when there is room (docked left), below them when not.
            yield QrCode(self._enrolment.uri)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#totp_code", Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#totp_code")
    def confirm(self) -> None:
        code = self.query_one("#totp_code", Input).value
        access, holder, enrolment = self._access, self._holder, self._enrolment
        origin = self.session.audit_origin
        self.call_service(
            lambda: access.confirm_enrolment(holder, enrolment, code, origin),
            self._enrolled,
            self._refused,
            group="enrol",
        )

    def _enrolled(self, _result: None) -> None:
        message = _("Strong identification is on for {address}.")
        self.notify(message.format(address=self._holder.address), markup=False)
        self.dismiss()

    def _refused(self, error: MailwizardError) -> None:
        show_beside_field(self, error)
