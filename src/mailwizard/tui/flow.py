"""The steps of the creation, over one ``WizardState`` that survives going back.

Each step is a screen that dismisses with an outcome; this module decides what comes
next. The order of the steps is plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from mailwizard.domain.access import Origin
from mailwizard.domain.wizard import WizardState
from mailwizard.errors import MailwizardError, Refused
from mailwizard.services.access import AccessService
from mailwizard.services.provisioning import CreatedMailbox, ProvisioningService
from mailwizard.services.signin import SignedIn

if TYPE_CHECKING:
    from mailwizard.bootstrap import Services
    from mailwizard.tui.app import MailwizardApp
    from mailwizard.tui.support import MailwizardScreen


class Step(StrEnum):
    GATE = "gate"
    IDENTITY = "identity"
    ADDRESS = "address"
    PASSWORD = "password"  # noqa: S105 - a step name, not a secret
    REVIEW = "review"


STEP_ORDER: Final = (Step.GATE, Step.IDENTITY, Step.ADDRESS, Step.PASSWORD, Step.REVIEW)

FIELD_STEPS: Final = {
    "civility": Step.IDENTITY,
    "first_name": Step.IDENTITY,
    "last_name": Step.IDENTITY,
    "address": Step.ADDRESS,
    "password": Step.PASSWORD,
    "confirmation": Step.PASSWORD,
    "terms": Step.PASSWORD,
}


def numbered_steps(at_home: bool) -> tuple[Step, ...]:
    """The steps the person goes through, counted from 1: at home the gate asks nothing
    (it lets the holder through, or says why not), so it is no step of theirs."""
    return STEP_ORDER[1:] if at_home else STEP_ORDER


@dataclass(frozen=True)
class Forward:
    pass


@dataclass(frozen=True)
class Backward:
    pass


@dataclass(frozen=True)
class EditStep:
    step: Step


@dataclass(frozen=True)
class Committed:
    created: CreatedMailbox


@dataclass(frozen=True)
class SentBack:
    """The commit refused an answer: show its step again, with the reason."""

    error: MailwizardError


StepOutcome = Forward | Backward | EditStep | Committed | SentBack


@dataclass(frozen=True)
class WizardContext:
    provisioning: ProvisioningService
    access: AccessService
    origin: Origin
    holder: SignedIn
    language: str
    numbered: tuple[Step, ...]


class CreationFlow:
    def __init__(
        self,
        app: MailwizardApp,
        services: Services,
        holder: SignedIn,
        finished: Callable[[CreatedMailbox | None], None],
    ) -> None:
        self._app = app
        self._context = WizardContext(
            services.provisioning,
            services.access,
            app.origin,
            holder,
            app.language,
            numbered_steps(services.access.at_home(app.origin)),
        )
        self._finished = finished
        self.state = WizardState()

    def start(self) -> None:
        self._app.active_flow = self
        self._show(Step.GATE)

    def _show(self, step: Step, error: MailwizardError | None = None) -> None:
        self._app.push_screen(self._screen(step, error), lambda outcome: self._after(step, outcome))

    def _screen(self, step: Step, error: MailwizardError | None) -> MailwizardScreen[StepOutcome]:
        from mailwizard.tui.screens.address import AddressScreen
        from mailwizard.tui.screens.gate import GateScreen
        from mailwizard.tui.screens.identity import IdentityScreen
        from mailwizard.tui.screens.password import PasswordScreen
        from mailwizard.tui.screens.review import ReviewScreen

        screens = {
            Step.GATE: GateScreen,
            Step.IDENTITY: IdentityScreen,
            Step.ADDRESS: AddressScreen,
            Step.PASSWORD: PasswordScreen,
            Step.REVIEW: ReviewScreen,
        }
        return screens[step](self.state, self._context, error)

    def _after(self, step: Step, outcome: StepOutcome | None) -> None:
        index = STEP_ORDER.index(step)
        match outcome:
            case Forward():
                self._show(STEP_ORDER[index + 1])
            case Backward() if index > 0 and STEP_ORDER[index - 1] is not Step.GATE:
                self._show(STEP_ORDER[index - 1])
            case EditStep(step=target):
                self._show(target)
            case SentBack(error=error):
                field = error.field if isinstance(error, Refused) else None
                self._show(FIELD_STEPS.get(field or "", step), error)
            case Committed(created=created):
                self._end(created)
            case _:
                self._end(None)

    def _end(self, created: CreatedMailbox | None) -> None:
        self.state.wipe_secrets()
        self._app.active_flow = None
        self._finished(created)
