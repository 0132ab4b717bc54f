"""Each step of the creation shown alone, as the flow shows it, on an App of its own:
no sign-in, no management page, no flow. The step gets the answers so far and a
context whose services are real, on the test's own directory; the test reads what
the step shows and what it dismisses with."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from textual.app import App

from mailwizard.bootstrap import Services
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.models import Civility
from mailwizard.domain.wizard import WizardState
from mailwizard.services.terms import TERMS_VERSION
from mailwizard.tui.app import MailwizardApp
from mailwizard.tui.screens.address import AddressScreen
from mailwizard.tui.screens.gate import GateScreen
from mailwizard.tui.screens.identity import IdentityScreen
from mailwizard.tui.screens.password import PasswordScreen
from mailwizard.tui.screens.review import ReviewScreen
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import (
    Backward,
    Committed,
    EditStep,
    Forward,
    Step,
    StepOutcome,
    WizardContext,
    numbered_steps,
)
from martin_household import HOLDER, HOLDER_PASSWORD, LEA, NEW_PASSWORD
from tui.wizard_driver import (
    choose_address,
    click,
    continue_enabled,
    field_reason,
    fill_password,
    label_text,
    press,
    screen_name,
    settle,
    type_into,
)


class StepAlone(App[None]):
    """Shows one step screen, with the wizard's stylesheets, and keeps its outcomes.

    The dialogs a step opens learn where the session runs from it, as from the wizard."""

    CSS_PATH = MailwizardApp.CSS_PATH

    def __init__(self, step: StepScreen) -> None:
        super().__init__()
        self._step = step
        self.outcomes: list[StepOutcome | None] = []
        self.origin = step.context.origin
        self.language = step.context.language

    @property
    def audit_origin(self) -> str:
        return self.origin.in_the_terminal

    def on_mount(self) -> None:
        self.push_screen(self._step, self.outcomes.append)


def context_at(services: Services, origin: Origin) -> WizardContext:
    """The holder of the Martin household, from ``origin``, in English."""
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    return WizardContext(
        services.provisioning,
        services.management,
        origin,
        holder,
        "en",
        numbered_steps(services.access.at_home(origin)),
    )


@pytest.fixture
def context(app_household: str, app_services: Services) -> WizardContext:
    return context_at(app_services, Origin(OriginKind.CONSOLE))


def answers(address: str | None = None, password: str | None = None) -> WizardState:
    """Léa Martin's identity, her address and her password with the terms accepted,
    as far as given."""
    state = WizardState()
    state.identity.civility = Civility.MADAME
    state.identity.first_name = "Léa"
    state.identity.last_name = "Martin"
    if address is not None:
        state.address.typed = state.address.confirmed = address
    if password is not None:
        state.password.password = state.password.confirmation = SecretStr(password)
        state.password.accepted_terms_version = TERMS_VERSION
    return state


@pytest.mark.parametrize(
    ("origin", "contract_active", "reason"),
    [
        (Origin(OriginKind.SSH, "203.0.113.5"), True, "home network"),
        # The page the holder came from may not have seen the suspension yet: the gate
        # reads the household again.
        (Origin(OriginKind.CONSOLE), False, "suspended"),
    ],
    ids=["away-without-an-authenticator", "contract-suspended"],
)
async def test_the_gate_refuses_and_leads_back(
    app_household: str, app_services: Services, origin: Origin, contract_active: bool, reason: str
) -> None:
    if not contract_active:
        app_services.households.set_contract_active(HOLDER, False, "test")
    app = StepAlone(GateScreen(WizardState(), context_at(app_services, origin)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert reason in label_text(app, "#step-error")
        assert not app.screen.query_one("#totp_code-field").display
        await press(pilot, "escape")
        assert app.outcomes == [Backward()]


async def test_the_holder_s_own_name_leads_to_an_alias_of_the_primary_box(
    context: WizardContext, app_services: Services
) -> None:
    app = StepAlone(IdentityScreen(WizardState(), context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#last_name", "Martin")
        await type_into(pilot, "#first_name", "Jean")
        await settle(pilot)
        assert "alias" in label_text(app, "#same-person-advice")
        await click(pilot, "#make-alias")
        assert screen_name(app) == "AddAliasScreen"
        await type_into(pilot, "#alias", "papa")
        await press(pilot, "enter")
        assert app.outcomes == [Backward()], "the wizard ends there"
    primary = app_services.households.overview(HOLDER).primary
    assert primary.aliases == ("papa@famille-martin.fr",)


async def test_taken_reserved_and_foreign_addresses_are_explained_as_typed(
    context: WizardContext,
) -> None:
    state = answers()
    app = StepAlone(AddressScreen(state, context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for typed, reason in [
            (HOLDER, "already taken"),
            ("postmaster", "reserved"),
            ("lea@example.org", "must end with @famille-martin.fr"),
            ("lea..martin", "cannot follow one another"),
        ]:
            await choose_address(pilot, typed)
            assert reason in field_reason(app, "address"), typed
            assert not continue_enabled(app)
        await choose_address(pilot, "Lea.Martin")
        assert label_text(app, "#availability") == f"✓ {LEA} is available."
        assert continue_enabled(app)
        await click(pilot, "#continue")
        assert app.outcomes == [Forward()]
    assert state.address.confirmed == LEA


async def test_passwords_must_match_be_strong_and_come_with_the_terms(
    context: WizardContext,
) -> None:
    app = StepAlone(PasswordScreen(answers(LEA), context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_password(pilot, confirmation="Un-chat-bleu-dans-le-jardim", accept=False)
        assert field_reason(app, "confirmation") == "The two passwords are different."
        assert not continue_enabled(app)

        await type_into(pilot, "#confirmation", NEW_PASSWORD)
        await settle(pilot)
        assert field_reason(app, "confirmation") == ""
        assert not continue_enabled(app), "the terms are not accepted yet"

        await fill_password(pilot, password="password1234", accept=True)
        assert "too easy to guess" in field_reason(app, "password")
        assert not continue_enabled(app)

        await fill_password(pilot, password="Martin-aime-le-velo", accept=False)
        assert "must not contain a name" in field_reason(app, "password")

        await fill_password(pilot, accept=False)
        assert field_reason(app, "password") == ""
        assert continue_enabled(app)


async def test_the_review_shows_every_answer_and_leads_back_to_the_step_edited(
    context: WizardContext,
) -> None:
    app = StepAlone(ReviewScreen(answers(LEA, NEW_PASSWORD), context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [str(label.render()) for label in app.screen.query(".review-value")]
        assert shown == ["Ms Léa Martin", LEA, "••••••••••  terms of use accepted"]
        assert NEW_PASSWORD not in "".join(shown)
        await click(pilot, "#edit-address")
        assert app.outcomes == [EditStep(Step.ADDRESS)]


async def test_confirming_the_review_creates_the_box(
    context: WizardContext, app_services: Services
) -> None:
    app = StepAlone(ReviewScreen(answers(LEA, NEW_PASSWORD), context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await click(pilot, "#continue")
        [outcome] = app.outcomes
        assert isinstance(outcome, Committed)
        assert outcome.created.address == LEA
    assert app_services.signin.sign_in(LEA, NEW_PASSWORD, "test").address == LEA
