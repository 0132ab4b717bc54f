"""Households: the first run that creates one, what it holds, its contract, and what
was done in it."""

from __future__ import annotations

from mailwizard.domain.addresses import check_domain_name, normalise
from mailwizard.domain.models import AuditEntry, HouseholdOverview, Identity
from mailwizard.domain.passwords import PasswordPolicy
from mailwizard.errors import Refused
from mailwizard.services.ports import Audit, AuditLog, Households, NewMailbox, PasswordHasher
from mailwizard.services.provisioning import (
    household_of,
    new_address,
    require_acceptable_password,
)


class HouseholdService:
    def __init__(
        self,
        households: Households,
        audit_log: AuditLog,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        max_secondary: int,
    ) -> None:
        self._households = households
        self._audit_log = audit_log
        self._hasher = hasher
        self._policy = policy
        self._max_secondary = max_secondary

    def initialise(
        self,
        domain: str,
        identity: Identity,
        address: str,
        password: str,
        language: str,
        audit_origin: str,
    ) -> HouseholdOverview:
        """Creates a household on ``domain`` with its holder's primary box.

        The domain may already serve other households: addresses stay unique across
        all of them. Blocks for hashing: run it in a worker from a UI."""
        if refusal := check_domain_name(domain):
            raise Refused(refusal, field="domain")
        domain = normalise(domain)
        primary = new_address(address, {domain})
        require_acceptable_password(self._policy, password, identity, primary)
        holder = NewMailbox(
            address=primary,
            password_hash=self._hasher.hash(password),
            identity=identity,
            language=language,
        )
        household_id = self._households.create_household(
            domain, holder, self._max_secondary, Audit(actor=primary, origin=audit_origin)
        )
        return self._households.overview(household_id)

    def first_run(self) -> bool:
        """True while the directory holds no household at all."""
        return not self._households.has_households()

    def household_id(self, primary_address: str) -> int:
        return household_of(self._households, primary_address)

    def overview(self, primary_address: str) -> HouseholdOverview:
        return self._households.overview(self.household_id(primary_address))

    def overview_of(self, household_id: int) -> HouseholdOverview:
        return self._households.overview(household_id)

    def set_contract_active(self, primary_address: str, active: bool, audit_origin: str) -> None:
        self._households.set_contract_active(
            self.household_id(primary_address), active, Audit(actor="operator", origin=audit_origin)
        )

    def audit_log(self, primary_address: str, limit: int | None = None) -> list[AuditEntry]:
        """What was done in the household whose primary address is ``primary_address``,
        newest first."""
        return self._audit_log.audit_entries(self.household_id(primary_address), limit)
