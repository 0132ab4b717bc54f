"""The wizard's answers as pydantic models, validated by the domain's rules."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final, TypeVar

from anyascii import anyascii
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    SecretStr,
    ValidationError,
)

from mailwizard.domain.names import check_name, normalise_name
from mailwizard.domain.quota import check_contract, check_quota, remaining_secondary
from mailwizard.errors import Refusal, Refused
from mailwizard.i18n import N_

ModelT = TypeVar("ModelT", bound=BaseModel)


class RuleViolation(ValueError):
    """Raised inside validators so that the refusal survives pydantic's wrapping."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class Civility(StrEnum):
    MADAME = "madame"
    MONSIEUR = "monsieur"
    NEUTRAL = "neutral"


_CIVILITY_SPELLINGS: Final = {
    **dict.fromkeys(("madame", "mme", "mrs", "ms", "f"), Civility.MADAME),
    **dict.fromkeys(("monsieur", "m", "mr"), Civility.MONSIEUR),
    **dict.fromkeys(("neutral", "neutre", "mx", "x"), Civility.NEUTRAL),
}


def _parse_civility(value: object) -> Civility:
    if isinstance(value, Civility):
        return value
    if isinstance(value, str) and value.strip().lower().rstrip(".") in _CIVILITY_SPELLINGS:
        return _CIVILITY_SPELLINGS[value.strip().lower().rstrip(".")]
    raise RuleViolation(
        Refusal(
            "civility.unknown",
            N_("Choose a title: madame (mme), monsieur (m) or neutral (x)."),
        )
    )


def _valid_name(value: str) -> str:
    if refusal := check_name(value):
        raise RuleViolation(refusal)
    return normalise_name(value)


PersonName = Annotated[str, AfterValidator(_valid_name)]


class Identity(BaseModel):
    """Step 3: who the new box is for."""

    model_config = ConfigDict(frozen=True)

    civility: Annotated[Civility, BeforeValidator(_parse_civility)]
    first_name: PersonName
    last_name: PersonName

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_same_person_as(self, other: Identity) -> bool:
        """Same names once accents and case are set aside; civility is not compared."""

        def folded(identity: Identity) -> tuple[str, str]:
            return (
                anyascii(identity.first_name).casefold(),
                anyascii(identity.last_name).casefold(),
            )

        return folded(self) == folded(other)


class MailboxRequest(BaseModel):
    """Everything the commit needs; the service validates all of it again."""

    model_config = ConfigDict(frozen=True)

    identity: Identity
    address: str
    password: SecretStr | None
    """None: the box awaits its user, who chooses the password with an activation code."""
    accepted_terms_version: str | None
    language: str


class Role(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class MailboxSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    address: str
    role: Role
    civility: Civility
    first_name: str
    last_name: str
    active: bool
    created_at: datetime
    aliases: tuple[str, ...] = ()
    awaiting_activation_until: datetime | None = None
    """Set while its user has not yet opened the box with an activation code: when the
    code runs out (a past time once it has)."""
    activation_expired: bool = False
    """Its activation code ran out unused: only a new one opens the box."""

    @property
    def primary(self) -> bool:
        return self.role is Role.PRIMARY

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identity(self) -> Identity:
        """Who the box is for, which a new password of theirs must not spell out. Read
        back from the directory, the names were checked when they were written."""
        return Identity.model_construct(
            civility=self.civility, first_name=self.first_name, last_name=self.last_name
        )

    @property
    def state(self) -> str:
        """What the box is, in words short enough for a narrow table (to translate):
        the management page, the box's page and ``accounts list`` say the same. Only a
        secondary box can be suspended or await its activation."""
        if self.primary:
            return N_("primary")
        if not self.active:
            return N_("suspended")
        if self.activation_expired:
            return N_("code expired")
        if self.awaiting_activation_until is not None:
            return N_("to activate")
        return N_("secondary")

    @property
    def state_until(self) -> datetime | None:
        """When ``state`` ends by itself: for a box to activate, when its code runs out."""
        if not self.active or self.activation_expired:
            return None
        return self.awaiting_activation_until


class DeletedMailbox(BaseModel):
    """A deleted box until its purge: no sign-in, no mail, its address still held."""

    model_config = ConfigDict(frozen=True)

    address: str
    first_name: str
    last_name: str
    deleted_at: datetime
    purge_after: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def aliases(self) -> tuple[str, ...]:
        """None: they are removed with the box, and free again at once."""
        return ()

    @property
    def state(self) -> str:
        """Said where a live box's ``state`` is."""
        return N_("deleted")

    @property
    def state_until(self) -> datetime:
        return self.purge_after


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    origin: str
    action: str
    target: str | None


class HouseholdOverview(BaseModel):
    """What the management page and ``accounts list`` show."""

    model_config = ConfigDict(frozen=True)

    household_id: int
    domains: tuple[str, ...]
    contract_active: bool
    max_secondary: int
    primary: MailboxSummary
    secondary: tuple[MailboxSummary, ...]
    deleted: tuple[DeletedMailbox, ...] = ()

    def box(self, address: str) -> MailboxSummary | None:
        return next(
            (box for box in (self.primary, *self.secondary) if box.address == address), None
        )

    @property
    def listed(self) -> tuple[MailboxSummary | DeletedMailbox, ...]:
        """Every box, in the order shown: the primary, the secondary ones, then those
        deleted awaiting their purge."""
        return (self.primary, *self.secondary, *self.deleted)

    @property
    def remaining_secondary(self) -> int:
        return remaining_secondary(len(self.secondary), self.max_secondary)

    @property
    def creation_refusal(self) -> Refusal | None:
        """Why no new secondary box can be created now (contract suspended, quota
        reached), or None when one can."""
        return check_contract(self.contract_active) or check_quota(
            len(self.secondary), self.max_secondary
        )


def validated(model: type[ModelT], **data: Any) -> ModelT:
    """Builds ``model`` or raises the first rule's refusal, naming its field."""
    try:
        return model(**data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, RuleViolation):
            raise Refused(cause.refusal, field=field) from None
        raise Refused(
            Refusal("field.invalid", N_("“{field}” is missing or invalid."), {"field": field}),
            field=field,
        ) from None
