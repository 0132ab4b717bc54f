"""Signing in with an address and its password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.addresses import typed_address
from mailwizard.domain.models import Identity, Role
from mailwizard.errors import SignInFailed
from mailwizard.i18n import N_
from mailwizard.services.ports import Accounts, Audit, AuditLog, Credentials, PasswordHasher
from mailwizard.services.throttle_ports import Lock, SignInThrottle, Wait
from mailwizard.services.throttling import reserve_patiently


@dataclass(frozen=True)
class SignedIn:
    """Who is using the program: never holds the password or its hash."""

    mailbox_id: int
    household_id: int
    address: str
    role: Role
    identity: Identity
    language: str

    @classmethod
    def from_credentials(cls, credentials: Credentials) -> SignedIn:
        return cls(
            mailbox_id=credentials.mailbox_id,
            household_id=credentials.household_id,
            address=credentials.address,
            role=credentials.role,
            identity=credentials.identity,
            language=credentials.language,
        )


def locked_out(until: datetime) -> SignInFailed:
    return SignInFailed(
        N_("Too many failed attempts: signing in with this address is locked until {time} UTC."),
        time=until.strftime("%H:%M"),
    )


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    lock: timedelta


class SignInService:
    def __init__(
        self,
        accounts: Accounts,
        audit_log: AuditLog,
        hasher: PasswordHasher,
        throttle: SignInThrottle,
        policy: ThrottlePolicy,
        clock: Clock = utc_now,
    ) -> None:
        self._accounts = accounts
        self._audit_log = audit_log
        self._hasher = hasher
        self._throttle = throttle
        self._policy = policy
        self._clock = clock

    def sign_in(self, address: str, password: str, audit_origin: str) -> SignedIn:
        """Blocks for a hash verification: call it from a worker thread in a UI.

        Unknown addresses, wrong passwords and suspended boxes get the same message
        after the same work, and are counted, locked and logged alike, so a failure
        tells nothing about which addresses exist. The try is counted before the
        password is verified: sign-ins at the same moment, from as many processes as
        one likes, verify at most ``max_failures`` passwords before the lock.
        """
        typed = typed_address(address)
        lookup = self._accounts.sign_in_lookup(typed)
        credentials = lookup.credentials
        attempt = reserve_patiently(self._throttle, typed, self._clock, self._policy.max_failures)
        if isinstance(attempt, Lock):
            self._hasher.spend_verification_time(password, lookup.cost_of)
            raise locked_out(attempt.until)
        if isinstance(attempt, Wait):
            raise SignInFailed(
                N_("Too many sign-ins at once with this address: try again in a moment.")
            )
        if credentials is None:
            self._hasher.spend_verification_time(password, lookup.cost_of)
            accepted = False
        else:
            accepted = self._hasher.verify(credentials.password_hash, password)
        if credentials is None or not accepted or not credentials.active:
            household_id = None if credentials is None else credentials.household_id
            audit = Audit(actor=typed, origin=audit_origin)
            locks_until = self._throttle.failed(
                typed, self._clock(), self._policy.max_failures, self._policy.lock
            )
            self._audit_log.record_audit(household_id, audit, "signin.failed", typed)
            if locks_until is not None:
                self._audit_log.record_audit(household_id, audit, "signin.locked", typed)
                raise locked_out(locks_until)
            raise SignInFailed(N_("The address or the password is incorrect."))
        self._throttle.succeeded(typed, self._clock())
        if self._hasher.needs_rehash(credentials.password_hash):
            self._accounts.set_password_hash(credentials.mailbox_id, self._hasher.hash(password))
        return SignedIn.from_credentials(credentials)
