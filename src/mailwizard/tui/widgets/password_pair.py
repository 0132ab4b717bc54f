"""A password typed twice, with its strength: step 5, the new-password dialogs, the
activation and the first run ask for one the same way.

Where a password is chosen, "Suggest a passphrase" (a key, and a button where there is
room) fills both fields with a fresh passphrase, shown in clear so that it can be
written down or read aloud."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Input

from mailwizard.domain.passwords import PasswordAssessment, check_confirmation
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.passphrases import Passphrase
from mailwizard.tui.support import ServiceScreen
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.strength_meter import StrengthMeter

AssessmentOf = Callable[[str], Callable[[], PasswordAssessment] | None]
"""Given the password, the blocking call that judges it as the commit will, or None
while the rest of the form does not allow judging it yet."""

SUGGEST_BINDING: Final = Binding("ctrl+g", "suggest_passphrase", N_("Suggest a passphrase"))


def suggest_button() -> Button:
    """Short, to fit a dialog's row at 60 columns; the footer names the key in full."""
    return Button(_("Passphrase"), id="suggest-passphrase", compact=True)


class PasswordPair(Vertical):
    """Both fields and the meter. The password is judged in a worker once typing pauses
    for ``ASSESS_DELAY_SECONDS``; the reason for a refusal shows under its field."""

    ASSESS_DELAY_SECONDS: ClassVar[float] = 0.2
    DEFAULT_CSS = """
    PasswordPair {
        height: auto;
    }
    """

    class Changed(Message):
        """A field changed, or an assessment came back."""

        def __init__(self, pair: PasswordPair) -> None:
            super().__init__()
            self.pair = pair

    _pending: Timer | None = None

    def __init__(
        self,
        assessment_of: AssessmentOf,
        *,
        caption: str,
        password: str = "",
        confirmation: str = "",
    ) -> None:
        super().__init__()
        self._assessment_of = assessment_of
        self._assessment: PasswordAssessment | None = None
        self._password = Field(caption, name="password", password=True, value=password)
        self._confirmation = Field(
            _("Password again"), name="confirmation", password=True, value=confirmation
        )

    def compose(self) -> ComposeResult:
        yield self._password
        yield self._confirmation
        yield StrengthMeter()

    def on_mount(self) -> None:
        if self.password:
            self.assess_now()

    @property
    def password(self) -> str:
        return self._password.value

    @property
    def confirmation(self) -> str:
        return self._confirmation.value

    @property
    def assessed(self) -> bool:
        """False while the password typed last has not been judged yet."""
        return self._assessment is not None

    @property
    def passwords_shown(self) -> bool:
        return not self._password.input.password

    def show_passwords(self, shown: bool) -> None:
        for field in (self._password, self._confirmation):
            field.input.password = not shown

    def suggest(self, call: Callable[[], Passphrase]) -> None:
        """Both fields get the passphrase ``call`` draws, in clear; it is judged as a
        typed one is."""
        self._service_screen.call_service(call, self._fill, self._refused, group="passphrase")

    def _fill(self, passphrase: Passphrase) -> None:
        self.show_passwords(True)
        self._password.input.value = passphrase.text
        self._confirmation.input.value = passphrase.text

    def problem(self) -> tuple[Field, str] | None:
        """What stops the pair from being used and the field it is about; None when
        both fields are right."""
        if not self.password:
            return self._password, _("Type a password.")
        if self._assessment is None:
            return self._password, _("Checking the password…")
        if self._assessment.refusals:
            return self._password, self._assessment.refusals[0].message
        if not self.confirmation:
            return self._confirmation, _("Type the same password again.")
        if refusal := check_confirmation(self.password, self.confirmation):
            return self._confirmation, refusal.message
        return None

    def assess_now(self) -> None:
        if self._pending is not None:
            self._pending.stop()
        call = self._assessment_of(self.password) if self.password else None
        if call is None:
            self._assessment = None
            self.query_one(StrengthMeter).strength = None
            return
        password = self.password
        self._service_screen.call_service(
            call,
            lambda assessment: self._assessed(password, assessment),
            self._refused,
            group="assess",
        )

    @property
    def _service_screen(self) -> ServiceScreen[Any]:
        screen = self.screen
        assert isinstance(screen, ServiceScreen)
        return screen

    def assess_later(self) -> None:
        """The password, or what it must not contain, changed: judged again once typing pauses."""
        self._assessment = None
        if self._pending is not None:
            self._pending.stop()
        if self.ASSESS_DELAY_SECONDS > 0:
            self._pending = self.set_timer(self.ASSESS_DELAY_SECONDS, self.assess_now)
        else:
            self.assess_now()

    @on(Input.Changed, "#password")
    def _password_typed(self) -> None:
        self.assess_later()
        self._show_mismatch()
        self.post_message(self.Changed(self))

    @on(Input.Changed, "#confirmation")
    def _confirmation_typed(self) -> None:
        self._show_mismatch()
        self.post_message(self.Changed(self))

    def _show_mismatch(self) -> None:
        refusal = (
            check_confirmation(self.password, self.confirmation) if self.confirmation else None
        )
        self._confirmation.show_error(refusal.message if refusal else None)

    def _assessed(self, password: str, assessment: PasswordAssessment) -> None:
        if password != self.password:
            return  # typed on since: its own assessment is on the way
        self._assessment = assessment
        self.query_one(StrengthMeter).strength = assessment.strength
        self._password.show_error(assessment.refusals[0].message if assessment.refusals else None)
        self.post_message(self.Changed(self))

    def _refused(self, error: MailwizardError) -> None:
        self._password.show_error(error.message)
