"""The steps of the creation, over one ``WizardState`` that survives going back.

Each step is a screen that dismisses with an outcome; this module decides what comes
next. The order of the steps is plain data, in ``steps.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from mailwizard.domain.wizard import WizardState
from mailwizard.errors import MailwizardError, Refused
from mailwizard.services.provisioning import CreatedMailbox
from mailwizard.tui.screens.address import AddressScreen
from mailwizard.tui.screens.gate import GateScreen
from mailwizard.tui.screens.identity import IdentityScreen
from mailwizard.tui.screens.password import PasswordScreen
from mailwizard.tui.screens.review import ReviewScreen
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import (
    FIELD_STEPS,
    STEP_ORDER,
    Backward,
    Committed,
    EditStep,
    Forward,
    SentBack,
    Step,
    StepOutcome,
    WizardContext,
)

STEP_SCREENS: dict[Step, type[StepScreen]] = {
    Step.GATE: GateScreen,
    Step.IDENTITY: IdentityScreen,
    Step.ADDRESS: AddressScreen,
    Step.PASSWORD: PasswordScreen,
    Step.REVIEW: ReviewScreen,
}


class CreationFlow:
    """Pushes the steps over ``app`` one after the other, then tells ``finished`` the box
    created, or None when the holder went back out of the wizard."""

    def __init__(
        self,
        app: App[Any],
        context: WizardContext,
        finished: Callable[[CreatedMailbox | None], None],
    ) -> None:
        self._app = app
        self._context = context
        self._finished = finished
        self.state = WizardState()

    def start(self) -> None:
        self._show(Step.GATE)

    def _show(self, step: Step, error: MailwizardError | None = None) -> None:
        screen = STEP_SCREENS[step](self.state, self._context, error)
        self._app.push_screen(screen, lambda outcome: self._after(step, outcome))

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
        self._finished(created)
