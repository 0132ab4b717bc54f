"""The wizard's answers while they are being given: one draft per step.

Drafts hold whatever was typed, valid or not, so that going back and forth loses
nothing; the rules judge them when the user continues and again at the commit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from mailwizard.domain.models import Civility, Identity, MailboxRequest, validated
from mailwizard.errors import Refused


class IdentityDraft(BaseModel):
    """Step 3."""

    model_config = ConfigDict(validate_assignment=True)

    civility: Civility | None = None
    last_name: str = ""
    first_name: str = ""

    def identity(self) -> Identity:
        """The checked identity, or ``Refused`` naming the field at fault."""
        return validated(
            Identity,
            civility=self.civility,
            first_name=self.first_name,
            last_name=self.last_name,
        )

    def identity_from_names(self) -> Identity | None:
        """The identity the names make, whatever the civility (no civility chosen yet
        counts as neutral); None while a name is not valid. Enough for what depends on
        the names alone: the advice to make an alias, what a password must not hold."""
        named = self.model_copy(update={"civility": self.civility or Civility.NEUTRAL})
        try:
            return named.identity()
        except Refused:
            return None


class AddressDraft(BaseModel):
    """Step 4: the typed text, and the address once found valid and available."""

    model_config = ConfigDict(validate_assignment=True)

    typed: str = ""
    confirmed: str | None = None


class PasswordDraft(BaseModel):
    """Step 5."""

    model_config = ConfigDict(validate_assignment=True)

    password: SecretStr = SecretStr("")
    confirmation: SecretStr = SecretStr("")
    accepted_terms_version: str | None = None
    activation: bool = False
    """The new user will choose the password, with an activation code."""


class WizardState(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    identity: IdentityDraft = Field(default_factory=IdentityDraft)
    address: AddressDraft = Field(default_factory=AddressDraft)
    password: PasswordDraft = Field(default_factory=PasswordDraft)

    def request(self, language: str) -> MailboxRequest:
        """What the commit gets; it checks every part of it again."""
        return MailboxRequest(
            identity=self.identity.identity(),
            address=self.address.confirmed or self.address.typed,
            password=None if self.password.activation else self.password.password,
            accepted_terms_version=self.password.accepted_terms_version,
            language=language,
        )

    def has_answers(self) -> bool:
        """True once anything was typed or chosen: leaving then loses something."""
        identity, password = self.identity, self.password
        return bool(
            identity.civility
            or identity.last_name
            or identity.first_name
            or self.address.typed
            or password.password.get_secret_value()
            or password.confirmation.get_secret_value()
            or password.accepted_terms_version
        )

    def forget(self) -> None:
        """Forgets every answer, passwords included: the next person starts afresh."""
        self.identity = IdentityDraft()
        self.address = AddressDraft()
        self.password = PasswordDraft()

    def wipe_secrets(self) -> None:
        """Forgets the passwords, keeping the other answers."""
        self.password = PasswordDraft(
            accepted_terms_version=self.password.accepted_terms_version,
            activation=self.password.activation,
        )
