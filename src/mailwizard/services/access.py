"""May the holder create a box from where they are: at home, or with a TOTP code.

The code (RFC 6238: 30-second steps, one step of drift either way) stands for the
provider's strong identification; a code is never accepted twice, even by two
terminals at once. Wrong codes are counted per household like failed sign-ins, each
try before its code is checked, and lock the household's codes for a while; each is in
the audit log. pyotp is imported on first use.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.access import Origin, at_home, away_from_home
from mailwizard.errors import Refusal, Refused, SignInFailed
from mailwizard.i18n import N_
from mailwizard.services.ports import Audit, Authenticators
from mailwizard.services.signin import SignedIn, SignInService, ThrottlePolicy
from mailwizard.services.throttle_ports import CodeThrottle, Lock, Wait
from mailwizard.services.throttling import reserve_patiently

STEP_SECONDS: Final = 30
ISSUER: Final = "mailwizard"


@dataclass(frozen=True)
class Enrolment:
    """A new secret, shown once as a QR code and a URI; stored when a first code matches."""

    secret: str
    uri: str


def _wrong_code() -> Refused:
    return Refused(
        Refusal("totp.wrong_code", N_("This code is not right: check the time on your phone.")),
        field="totp_code",
    )


def _codes_locked(until: datetime) -> Refused:
    return Refused(
        Refusal(
            "totp.locked",
            N_(
                "Too many wrong codes: codes from your authenticator app are refused "
                "until {time} UTC. Try again then."
            ),
            {"time": until.strftime("%H:%M")},
        ),
        field="totp_code",
    )


class AccessService:
    def __init__(
        self,
        authenticators: Authenticators,
        signin: SignInService,
        code_throttle: CodeThrottle,
        code_policy: ThrottlePolicy,
        trusted_networks: Sequence[str],
        clock: Clock = utc_now,
        *,
        web_counts_as_home: bool = False,
    ) -> None:
        self._authenticators = authenticators
        self._signin = signin
        self._code_throttle = code_throttle
        self._code_policy = code_policy
        self._trusted_networks = trusted_networks
        self._clock = clock
        self._web_counts_as_home = web_counts_as_home

    def at_home(self, origin: Origin) -> bool:
        return at_home(origin, self._trusted_networks, web_counts_as_home=self._web_counts_as_home)

    def enrolled(self, holder: SignedIn) -> bool:
        return self._authenticators.totp_secret(holder.household_id) is not None

    def begin_enrolment(self, holder: SignedIn, origin: Origin) -> Enrolment | None:
        """The management page's strong identification: a new enrolment, or None when an
        authenticator is already enrolled (the holder is then offered to turn it off)."""
        return None if self.enrolled(holder) else self.start_enrolment(holder, origin)

    def start_enrolment(self, holder: SignedIn, origin: Origin) -> Enrolment:
        """Only from home: away from it, whoever learnt the password could otherwise set
        up an authenticator of their own and pass the gate with it."""
        import pyotp

        if not self.at_home(origin):
            raise Refused(
                Refusal(
                    "totp.enrol_at_home",
                    N_(
                        "Strong identification can only be set up from your home network, "
                        "so that a stolen password is not enough to set it up."
                    ),
                )
            )

        secret = pyotp.random_base32()
        uri = pyotp.TOTP(secret).provisioning_uri(name=holder.address, issuer_name=ISSUER)
        return Enrolment(secret, uri)

    def _matching_step(self, secret: str, code: str) -> int | None:
        import pyotp

        totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
        current = int(self._clock().timestamp()) // STEP_SECONDS
        for step in (current - 1, current, current + 1):
            if hmac.compare_digest(totp.generate_otp(step), code.strip()):
                return step
        return None

    def confirm_enrolment(
        self, holder: SignedIn, enrolment: Enrolment, code: str, audit_origin: str
    ) -> None:
        step = self._matching_step(enrolment.secret, code)
        if step is None:
            raise _wrong_code()
        self._authenticators.set_totp_secret(
            holder.household_id,
            enrolment.secret,
            step,
            Audit(actor=holder.address, origin=audit_origin),
        )

    def verify(self, holder: SignedIn, code: str, audit_origin: str) -> None:
        """Counts the try first, in the transaction that reads the household's count, so
        that codes sent at the same moment check at most ``max_failures`` of them; a
        wrong or reused code is in the audit log, and the one that reaches the limit
        locks the household's codes (a right one included) for a while."""
        household_id = holder.household_id
        policy = self._code_policy
        attempt = reserve_patiently(
            self._code_throttle, household_id, self._clock, policy.max_failures
        )
        if isinstance(attempt, Lock):
            raise _codes_locked(attempt.until)
        if isinstance(attempt, Wait):
            raise Refused(
                Refusal("totp.busy", N_("Too many codes at once: try again in a moment.")),
                field="totp_code",
            )
        secret = self._authenticators.totp_secret(household_id)
        step = None if secret is None else self._matching_step(secret, code)
        if step is not None and self._authenticators.consume_totp_step(household_id, step):
            self._code_throttle.succeeded(household_id, self._clock())
            return
        # A code already used counts too: replaying a code seen over someone's shoulder
        # must not start the count again.
        audit = Audit(actor=holder.address, origin=audit_origin)
        locks_until = self._code_throttle.failed(
            household_id, self._clock(), policy.max_failures, policy.lock
        )
        self._authenticators.record_failed_code(household_id, audit, locked=locks_until is not None)
        if locks_until is not None:
            raise _codes_locked(locks_until)
        if step is None:
            raise _wrong_code()
        raise Refused(
            Refusal(
                "totp.reused",
                N_("This code was already used: wait for the next one."),
            ),
            field="totp_code",
        )

    def disable(self, holder: SignedIn, password: str, code: str, audit_origin: str) -> None:
        """Needs the password again and a valid code; a wrong password counts as a failed
        sign-in."""
        try:
            self._signin.sign_in(holder.address, password, audit_origin)
        except SignInFailed as failed:
            raise Refused(
                Refusal("totp.wrong_password", failed.message_id, failed.params), field="password"
            ) from None
        self.verify(holder, code, audit_origin)
        self._authenticators.set_totp_secret(
            holder.household_id, None, None, Audit(actor=holder.address, origin=audit_origin)
        )

    def check_creation_access(
        self, holder: SignedIn, origin: Origin, code: str | None, audit_origin: str
    ) -> None:
        """Step 2's first question: at home, or a valid code from the authenticator.

        ``audit_origin`` is what the audit log records as "from where" for a wrong code."""
        if self.at_home(origin):
            return
        enrolled = self.enrolled(holder)
        if not enrolled or not code:
            raise Refused(away_from_home(enrolled), field="totp_code" if enrolled else None)
        self.verify(holder, code, audit_origin)
