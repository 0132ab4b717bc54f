"""The creation wizard's steps as plain data: their order, which of them the person
counts, what each step screen is given and what it dismisses with.

The step screens and the flow that chains them both import this module, so that the
flow can import the screens at its top.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mailwizard.domain.access import Origin
from mailwizard.errors import MailwizardError
from mailwizard.services.management import ManagementService
from mailwizard.services.provisioning import CreatedMailbox, ProvisioningService
from mailwizard.services.signin import SignedIn


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
    """All a step screen is given besides the answers: the services it calls, who
    creates the box, from where, in which language, and the steps numbered for them."""

    provisioning: ProvisioningService
    management: ManagementService
    origin: Origin
    holder: SignedIn
    language: str
    numbered: tuple[Step, ...]

    @property
    def audit_origin(self) -> str:
        return self.origin.in_the_terminal
