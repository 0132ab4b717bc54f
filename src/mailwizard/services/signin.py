"""Signing in with an address and its password."""

from __future__ import annotations

from dataclasses import dataclass

from mailwizard.domain.addresses import normalise
from mailwizard.domain.models import Identity, Role
from mailwizard.errors import SignInFailed
from mailwizard.i18n import N_
from mailwizard.services.ports import Directory, PasswordHasher


@dataclass(frozen=True)
class SignedIn:
    """Who is using the program: never holds the password or its hash."""

    mailbox_id: int
    household_id: int
    address: str
    role: Role
    identity: Identity
    language: str


class SignInService:
    def __init__(self, directory: Directory, hasher: PasswordHasher) -> None:
        self._directory = directory
        self._hasher = hasher

    def sign_in(self, address: str, password: str) -> SignedIn:
        """Blocks for a hash verification: call it from a worker thread in a UI.

        Unknown addresses, wrong passwords and suspended boxes get the same message
        after the same work, so a failure tells nothing about which addresses exist.
        """
        credentials = self._directory.credentials(normalise(address))
        if credentials is None:
            self._hasher.spend_verification_time(password)
            raise SignInFailed(N_("The address or the password is incorrect."))
        if not self._hasher.verify(credentials.password_hash, password) or not credentials.active:
            raise SignInFailed(N_("The address or the password is incorrect."))
        if self._hasher.needs_rehash(credentials.password_hash):
            self._directory.set_password_hash(credentials.mailbox_id, self._hasher.hash(password))
        return SignedIn(
            mailbox_id=credentials.mailbox_id,
            household_id=credentials.household_id,
            address=credentials.address,
            role=credentials.role,
            identity=credentials.identity,
            language=credentials.language,
        )
