"""A relative opens the box the holder created for them: its address, the one-time code
the holder gave them, and a password of their own choosing.

Codes are guessed the way passwords are, so they are throttled with the sign-in's
counter for the address typed: the try is counted before the code is verified, five
wrong ones in a row lock the address, and each is in the household's audit log. A
wrong code, an unknown address and a box without a code get the same answer after
the same work; only whoever has the right code learns that it ran out or was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.activation import typed_code
from mailwizard.domain.addresses import household_address, typed_address
from mailwizard.domain.models import Identity, Role
from mailwizard.domain.passwords import PasswordAssessment, PasswordPolicy, check_confirmation
from mailwizard.errors import Refusal, Refused
from mailwizard.i18n import N_
from mailwizard.services.activation_codes import IssuedCode, issue_code
from mailwizard.services.passphrases import Passphrase, PassphraseService
from mailwizard.services.ports import (
    ActivationLookup,
    Activations,
    AfterCommit,
    Audit,
    AuditLog,
    CommittedMail,
    Households,
    PasswordHasher,
)
from mailwizard.services.provisioning import (
    mail_context,
    notice,
    password_assessment,
    personal_texts,
    require_acceptable_password,
    require_holder,
)
from mailwizard.services.signin import SignedIn, ThrottlePolicy
from mailwizard.services.throttle_ports import Lock, SignInThrottle, Wait
from mailwizard.services.throttling import reserve_patiently


@dataclass(frozen=True)
class Holder:
    address: str
    identity: Identity


@dataclass(frozen=True)
class CodeAccepted:
    """A right code, still valid: whose box it opens, for the password's meter."""

    address: str
    identity: Identity
    holder: Holder
    expires_at: datetime


@dataclass(frozen=True)
class Activated:
    account: SignedIn
    """The relative, signed in to their own box."""
    mail: AfterCommit
    """The holder's notice that the box is open."""


def _refused(code: str, message: str, **params: object) -> Refused:
    return Refused(Refusal(code, message, params), field="code")


def incorrect_code() -> Refused:
    return _refused("activation.incorrect", N_("The address or the activation code is incorrect."))


def _locked(until: datetime) -> Refused:
    return _refused(
        "activation.locked",
        N_("Too many wrong codes: this address is locked until {time} UTC."),
        time=until.strftime("%H:%M"),
    )


class ActivationService:
    def __init__(
        self,
        activations: Activations,
        households: Households,
        audit_log: AuditLog,
        hasher: PasswordHasher,
        throttle: SignInThrottle,
        throttle_policy: ThrottlePolicy,
        password_policy: PasswordPolicy,
        lifetime: timedelta,
        mail: CommittedMail,
        clock: Clock = utc_now,
        *,
        passphrases: PassphraseService,
    ) -> None:
        self._passphrases = passphrases
        self._activations = activations
        self._households = households
        self._audit_log = audit_log
        self._hasher = hasher
        self._throttle = throttle
        self._throttle_policy = throttle_policy
        self._password_policy = password_policy
        self._lifetime = lifetime
        self._mail = mail
        self._clock = clock

    def _verified(self, address: str, code_text: str, audit_origin: str) -> ActivationLookup:
        """The box that the right, valid ``code_text`` opens. Blocks for a hash
        verification."""
        typed = typed_address(address)
        code = typed_code(code_text)
        if isinstance(code, Refusal):
            raise Refused(code, field="code")
        lookup = self._activations.lookup(typed)
        policy = self._throttle_policy
        attempt = reserve_patiently(self._throttle, typed, self._clock, policy.max_failures)
        if isinstance(attempt, Lock):
            self._hasher.spend_verification_time(code, None)
            raise _locked(attempt.until)
        if isinstance(attempt, Wait):
            raise _refused(
                "activation.busy",
                N_("Too many tries at once with this address: try again in a moment."),
            )
        if lookup is None:
            self._hasher.spend_verification_time(code, None)
        if lookup is None or not self._hasher.verify(lookup.code_hash, code):
            household_id = None if lookup is None else lookup.household_id
            audit = Audit(actor=typed, origin=audit_origin)
            until = self._throttle.failed(typed, self._clock(), policy.max_failures, policy.lock)
            self._audit_log.record_audit(household_id, audit, "activation.failed", typed)
            if until is not None:
                self._audit_log.record_audit(household_id, audit, "activation.locked", typed)
                raise _locked(until)
            raise incorrect_code()
        self._throttle.succeeded(typed, self._clock())
        if lookup.activated_at is not None:
            raise _refused(
                "activation.used",
                N_("This activation code was already used: sign in with the password chosen then."),
            )
        if lookup.expires_at <= self._clock():
            raise _refused(
                "activation.expired",
                N_("This activation code ran out on {date}: ask {holder} for a new one."),
                date=lookup.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
                holder=lookup.holder_identity.full_name,
            )
        return lookup

    def check_code(self, address: str, code: str, audit_origin: str) -> CodeAccepted:
        """Whether ``code`` opens the box of ``address``, before its user chooses a
        password; counted like an activation. Blocks for a hash verification."""
        lookup = self._verified(address, code, audit_origin)
        return _accepted(lookup)

    def assess_password(self, accepted: CodeAccepted, password: str) -> PasswordAssessment:
        """For the meter: what ``activate`` will say of ``password``."""
        return password_assessment(
            self._password_policy, password, accepted.identity, accepted.address, accepted.holder
        )

    def suggest_passphrase(self, accepted: CodeAccepted, language: str) -> Passphrase:
        """“Suggest a passphrase”: one that ``assess_password`` accepts and calls strong."""
        return self._passphrases.suggest(
            language, personal_texts(accepted.identity, accepted.address, accepted.holder)
        )

    def activate(
        self, address: str, code: str, password: str, confirmation: str, audit_origin: str
    ) -> Activated:
        """Gives the box the password its user chose and uses the code up, then tells
        the holder by e-mail. An expired, used or wrong code, or a password the policy
        refuses, changes nothing. Blocks for hashing and delivery: run it in a worker."""
        if refusal := check_confirmation(password, confirmation):
            raise Refused(refusal, field="confirmation")
        lookup = self._verified(address, code, audit_origin)
        accepted = _accepted(lookup)
        require_acceptable_password(
            self._password_policy, password, accepted.identity, accepted.address, accepted.holder
        )
        context = mail_context(accepted.holder, lookup.address, lookup.identity)
        message = notice("holder_activated", lookup.holder_address, lookup.holder_language, context)
        if not self._activations.activate(
            lookup.mailbox_id,
            self._hasher.hash(password),
            self._clock(),
            [message],
            Audit(actor=lookup.address, origin=audit_origin),
        ):
            # Used, run out or deleted since the code was verified, a moment ago.
            raise _refused(
                "activation.gone",
                N_("This box no longer awaits its activation: ask {holder}."),
                holder=lookup.holder_identity.full_name,
            )
        account = SignedIn(
            mailbox_id=lookup.mailbox_id,
            household_id=lookup.household_id,
            address=lookup.address,
            role=Role.SECONDARY,
            identity=lookup.identity,
            language=lookup.language,
        )
        return Activated(account, self._mail.deliver_committed())

    def reissue(self, holder: SignedIn, address: str, audit_origin: str) -> IssuedCode:
        """A new code for one of the holder's boxes that awaits its activation; the old
        code no longer opens it. Blocks for hashing."""
        require_holder(holder)
        box = household_address(address, self._households.domains(holder.household_id))
        if isinstance(box, Refusal):
            raise Refused(box, field="address")
        issued, pending = issue_code(self._hasher, self._lifetime, self._clock())
        audit = Audit(actor=holder.address, origin=audit_origin)
        if not self._activations.reissue(holder.household_id, box, pending, audit):
            raise Refused(
                Refusal(
                    "activation.not_awaiting",
                    N_("{address} is not a box of your household awaiting its activation."),
                    {"address": box},
                ),
                field="address",
            )
        return issued


def _accepted(lookup: ActivationLookup) -> CodeAccepted:
    return CodeAccepted(
        address=lookup.address,
        identity=lookup.identity,
        holder=Holder(lookup.holder_address, lookup.holder_identity),
        expires_at=lookup.expires_at,
    )
