"""Step 5: the password twice, its strength, and the terms of use to accept."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr
from rich.markdown import Markdown as RichMarkdown
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Static

from mailwizard.domain.passwords import PasswordAssessment
from mailwizard.i18n import N_, _
from mailwizard.services.terms import TERMS_VERSION, terms_text
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Forward, Step
from mailwizard.tui.widgets.choices import TickBox
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.password_pair import SUGGEST_BINDING, PasswordPair, suggest_button

TERMS_NOT_ACCEPTED = N_("Accept the terms of use first.")


class PasswordScreen(StepScreen):
    STEP = Step.PASSWORD
    TITLE_TEXT = N_("Create the password")
    CSS_PATH = "password.tcss"
    BINDINGS = [*StepScreen.BINDINGS, SUGGEST_BINDING]
    ANSWERS = ("#password", "#confirmation", "#accept")
    _continue_when_assessed = False
    """Enter was pressed before the password was judged."""

    def compose_form(self) -> ComposeResult:
        drafts = self.state.password
        yield TickBox(
            _("{first_name} will choose their own password").format(
                first_name=self.state.identity.first_name
            ),
            value=drafts.activation,
            id="activation",
            compact=True,
        )
        yield PasswordPair(
            self._assessment_of,
            caption=_("Password"),
            password=drafts.password.get_secret_value(),
            confirmation=drafts.confirmation.get_secret_value(),
        )
        with Horizontal(id="password-tools"):
            yield TickBox(_("Show the passwords"), id="show", compact=True)
            yield suggest_button()
        yield Label(_("Terms of use (version {version})").format(version=TERMS_VERSION),
                    classes="field-label")  # fmt: skip
        with VerticalScroll(id="terms", can_focus=True):
            # One rich renderable, not Textual's Markdown widget: that one mounts a widget
            # per block and list item, which held the event loop for over 100 ms.
            yield Static(RichMarkdown(terms_text(self.context.language)))
        yield TickBox(
            _("I have read and accept the terms of use"),
            value=drafts.accepted_terms_version == TERMS_VERSION,
            id="accept",
            compact=True,
        )
        yield ErrorLine(id="terms-error", classes="field-error")

    def on_mount(self) -> None:
        self._show_password_fields()

    def answers(self) -> tuple[str, ...]:
        return ("#accept",) if self.state.password.activation else self.ANSWERS

    @on(Checkbox.Changed, "#activation")
    def _activation_chosen(self, event: Checkbox.Changed) -> None:
        self.state.password.activation = event.value
        self._show_password_fields()
        self.update_continue()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suggest_passphrase":
            return not self.state.password.activation
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#suggest-passphrase")
    def action_suggest_passphrase(self) -> None:
        """A new passphrase at each press."""
        provisioning, context = self.context.provisioning, self.context
        identity = self.state.identity.identity()
        address = self.state.address.confirmed or self.state.address.typed
        self.query_one(PasswordPair).suggest(
            lambda: provisioning.suggest_passphrase(
                context.language, identity, address, context.holder
            )
        )

    def _assessment_of(self, password: str) -> Callable[[], PasswordAssessment]:
        identity = self.state.identity
        address = self.state.address.confirmed or self.state.address.typed
        provisioning, holder = self.context.provisioning, self.context.holder
        return lambda: provisioning.assess_password(password, identity.identity(), address, holder)

    @on(Checkbox.Changed, "#show")
    def _show_passwords(self, event: Checkbox.Changed) -> None:
        self.query_one(PasswordPair).show_passwords(event.value)

    @on(Checkbox.Changed, "#accept")
    def _accepted(self, event: Checkbox.Changed) -> None:
        self.state.password.accepted_terms_version = TERMS_VERSION if event.value else None
        if event.value:
            self.query_one("#terms-error", ErrorLine).show(None)
        self.update_continue()

    @on(PasswordPair.Changed)
    def _pair_changed(self, event: PasswordPair.Changed) -> None:
        pair = event.pair
        self.query_one("#show", Checkbox).value = pair.passwords_shown
        self.state.password.password = SecretStr(pair.password)
        self.state.password.confirmation = SecretStr(pair.confirmation)
        self.update_continue()
        if self._continue_when_assessed and pair.assessed:
            self._continue_when_assessed = False
            self.proceed()

    def why_not_continue(self) -> str | None:
        if not self.state.password.activation and (
            problem := self.query_one(PasswordPair).problem()
        ):
            return problem[1]
        if self.state.password.accepted_terms_version != TERMS_VERSION:
            return _(TERMS_NOT_ACCEPTED)
        return None

    def proceed(self) -> None:
        if not self.state.password.activation and not self._password_ready():
            return
        if self.state.password.accepted_terms_version != TERMS_VERSION:
            self.query_one("#terms-error", ErrorLine).show(_(TERMS_NOT_ACCEPTED))
            self.query_one("#accept").focus()
            return
        self.dismiss(Forward())

    def _password_ready(self) -> bool:
        """Says why beside the field when not; judged first when not judged yet."""
        pair = self.query_one(PasswordPair)
        if not pair.assessed and pair.password:
            self._continue_when_assessed = True
            pair.assess_now()
            return False
        if problem := pair.problem():
            field, why = problem
            field.show_error(why)
            field.input.focus()
            return False
        return True
