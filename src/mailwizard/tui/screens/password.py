"""Step 5: the password twice, its strength, and the terms of use to accept."""

from __future__ import annotations

from pydantic import SecretStr
from rich.markdown import Markdown as RichMarkdown
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Static

from mailwizard.domain.passwords import PasswordAssessment, check_confirmation
from mailwizard.i18n import N_, _
from mailwizard.services.passphrases import Passphrase
from mailwizard.services.terms import TERMS_VERSION, terms_text
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Forward, Step
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.passphrase import (
    SUGGEST_BINDING,
    fill_with_passphrase,
    suggest_button,
)
from mailwizard.tui.widgets.strength_meter import StrengthMeter

ASSESS_DELAY_SECONDS = 0.2


class PasswordScreen(StepScreen):
    STEP = Step.PASSWORD
    TITLE_TEXT = N_("Create the password")
    CSS_PATH = "password.tcss"
    BINDINGS = [*StepScreen.BINDINGS, SUGGEST_BINDING]
    _pending: Timer | None = None
    _assessment: PasswordAssessment | None = None

    def compose_form(self) -> ComposeResult:
        drafts = self.state.password
        yield Checkbox(
            _("{first_name} will choose their own password").format(
                first_name=self.state.identity.first_name
            ),
            value=drafts.activation,
            id="activation",
            compact=True,
        )
        yield Field(_("Password"), name="password", password=True,
                    value=drafts.password.get_secret_value())  # fmt: skip
        yield Field(_("Password again"), name="confirmation", password=True,
                    value=drafts.confirmation.get_secret_value())  # fmt: skip
        yield StrengthMeter()
        with Horizontal(id="password-tools"):
            yield Checkbox(_("Show the passwords"), id="show", compact=True)
            yield suggest_button()
        yield Label(_("Terms of use (version {version})").format(version=TERMS_VERSION),
                    classes="field-label")  # fmt: skip
        with VerticalScroll(id="terms", can_focus=True):
            # One rich renderable, not Textual's Markdown widget: that one mounts a widget
            # per block and list item, which held the event loop for over 100 ms.
            yield Static(RichMarkdown(terms_text(self.context.language)))
        yield Checkbox(
            _("I have read and accept the terms of use"),
            value=drafts.accepted_terms_version == TERMS_VERSION,
            id="accept",
            compact=True,
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_password_fields()
        self._update_continue()
        if self.state.password.password.get_secret_value():
            self._assess_now()
        if self._error is None:
            self.query_one("#password", Input).focus()

    @on(Checkbox.Changed, "#activation")
    def _activation_chosen(self, event: Checkbox.Changed) -> None:
        self.state.password.activation = event.value
        self._show_password_fields()
        self._update_continue()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suggest_passphrase":
            return not self.state.password.activation
        return super().check_action(action, parameters)

    def _show_password_fields(self) -> None:
        """Without a password to type, the box gets an activation code after "Confirm"."""
        typed = not self.state.password.activation
        for selector in (
            "#password-field",
            "#confirmation-field",
            "StrengthMeter",
            "#password-tools",
        ):
            self.query_one(selector).display = typed
        self.refresh_bindings()

    @on(Button.Pressed, "#suggest-passphrase")
    def action_suggest_passphrase(self) -> None:
        """A new passphrase at each press, shown in clear (the box ticked to say so)."""
        provisioning, context = self.context.provisioning, self.context
        identity = self.state.identity.identity()
        address = self.state.address.confirmed or self.state.address.typed
        self.call_service(
            lambda: provisioning.suggest_passphrase(
                context.language, identity, address, context.holder
            ),
            self._suggested,
            self.show_error,
            group="passphrase",
        )

    def _suggested(self, passphrase: Passphrase) -> None:
        fill_with_passphrase(self, passphrase)
        self.query_one("#show", Checkbox).value = True

    @on(Checkbox.Changed, "#show")
    def _show_passwords(self, event: Checkbox.Changed) -> None:
        for field in self.query(Field):
            field.input.password = not event.value

    @on(Checkbox.Changed, "#accept")
    def _accepted(self, event: Checkbox.Changed) -> None:
        self.state.password.accepted_terms_version = TERMS_VERSION if event.value else None
        self._update_continue()

    @on(Input.Changed, "#password")
    def _password_typed(self, event: Input.Changed) -> None:
        self.state.password.password = SecretStr(event.value)
        self._assessment = None
        self._update_continue()
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(ASSESS_DELAY_SECONDS, self._assess_now)

    @on(Input.Changed, "#confirmation")
    def _confirmation_typed(self, event: Input.Changed) -> None:
        self.state.password.confirmation = SecretStr(event.value)
        self._update_continue()

    def _assess_now(self) -> None:
        password = self.state.password.password.get_secret_value()
        identity = self.state.identity
        address = self.state.address.confirmed or self.state.address.typed
        provisioning, holder = self.context.provisioning, self.context.holder

        def assess() -> PasswordAssessment:
            return provisioning.assess_password(password, identity.identity(), address, holder)

        self.call_service(assess, self._assessed, self.show_error, group="assess")

    def _assessed(self, assessment: PasswordAssessment) -> None:
        self._assessment = assessment
        self.query_one(StrengthMeter).strength = assessment.strength
        field = self.query_one("#password-field", Field)
        field.show_error(assessment.refusals[0].message if assessment.refusals else None)
        self._update_continue()

    def _confirmation_refusal(self) -> str | None:
        drafts = self.state.password
        confirmation = drafts.confirmation.get_secret_value()
        if not confirmation:
            return None
        refusal = check_confirmation(drafts.password.get_secret_value(), confirmation)
        return refusal.message if refusal else None

    def _update_continue(self) -> None:
        mismatch = self._confirmation_refusal()
        self.query_one("#confirmation-field", Field).show_error(mismatch)
        drafts = self.state.password
        if drafts.activation:
            ready = drafts.accepted_terms_version == TERMS_VERSION
            self.query_one("#continue", Button).disabled = not ready
            return
        ready = (
            self._assessment is not None
            and self._assessment.acceptable
            and bool(drafts.confirmation.get_secret_value())
            and mismatch is None
            and drafts.accepted_terms_version == TERMS_VERSION
        )
        self.query_one("#continue", Button).disabled = not ready

    def proceed(self) -> None:
        if not self.query_one("#continue", Button).disabled:
            self.dismiss(Forward())
