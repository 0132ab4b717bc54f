"""Remembering a device: the holder signs in there without the password for a while.

The device's keyring keeps the address and a random token; the directory keeps only
the token's SHA-256, so neither alone signs anybody in, and forgetting either side is
enough. Only the machine's own console may remember itself (``remembering_refusal``),
when its holder signs in there with the password and asks for it. Remembering replaces
the password, not the rest: step 2 still asks where the holder is.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.access import NO_SECURE_KEYRING, Origin, remembering_refusal
from mailwizard.domain.models import Role
from mailwizard.errors import DeviceForgotten, MailwizardError, Refusal, Refused
from mailwizard.i18n import N_
from mailwizard.services.device_ports import (
    DeviceKeyring,
    DeviceToken,
    RememberedDevice,
    RememberedDevices,
)
from mailwizard.services.ports import Accounts, Audit, AuditLog
from mailwizard.services.signin import SignedIn, SignInService, locked_out
from mailwizard.services.throttle_ports import SignInThrottle


@dataclass(frozen=True)
class DeviceOffer:
    """What the sign-in screen may offer on this device."""

    refusal: Refusal | None
    """Why remembering is not offered here; None when it is."""
    remembered: str | None
    """The address this device remembers, if any."""


@dataclass(frozen=True)
class PasswordSignIn:
    account: SignedIn
    not_remembered: Refusal | None = None
    """Why this device is not remembered, as was asked; the sign-in stands all the same."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _forgotten() -> DeviceForgotten:
    return DeviceForgotten(N_("This device is no longer remembered: sign in with your password."))


class DeviceService:
    def __init__(
        self,
        devices: RememberedDevices,
        keyring: DeviceKeyring,
        accounts: Accounts,
        audit_log: AuditLog,
        signin: SignInService,
        throttle: SignInThrottle,
        lifetime: timedelta,
        label: str,
        clock: Clock = utc_now,
    ) -> None:
        self._devices = devices
        self._keyring = keyring
        self._accounts = accounts
        self._audit_log = audit_log
        self._signin = signin
        self._throttle = throttle
        self._lifetime = lifetime
        self._label = label
        self._clock = clock

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def offer(self, origin: Origin) -> DeviceOffer:
        """Opens the keyring, which can be slow: call it from a worker thread in a UI."""
        refusal = remembering_refusal(origin)
        if refusal is None and not self._keyring.secure():
            refusal = NO_SECURE_KEYRING
        if refusal is not None:
            return DeviceOffer(refusal, None)
        stored = self._keyring.read()
        return DeviceOffer(None, stored.address if stored else None)

    def _refuse_unless_offered(self, origin: Origin) -> None:
        refusal = self.offer(origin).refusal
        if refusal is not None:
            raise Refused(refusal)

    def remember(self, holder: SignedIn, origin: Origin) -> None:
        """Remembers ``holder`` here, in place of whoever this device remembered."""
        self._refuse_unless_offered(origin)
        if holder.role is not Role.PRIMARY:
            raise Refused(
                Refusal(
                    "device.not_holder",
                    N_("Only the holder's primary address can be remembered on a device."),
                )
            )
        self.forget_this_device()
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._devices.add(
            holder.mailbox_id, token_hash(token), self._label, now, now + self._lifetime
        )
        try:
            self._keyring.store(DeviceToken(holder.address, token))
        except Exception:
            self._devices.forget_token(token_hash(token))
            raise
        self._audit(holder, origin, "device.remembered", self._label)

    def sign_in_with_password(
        self, address: str, password: str, origin: Origin, *, remember: bool
    ) -> PasswordSignIn:
        """The sign-in form: the password checked, counted and logged as
        ``SignInService.sign_in`` does, then this device remembered if ``remember`` asks it
        and the account is a holder's (a secondary box's user, who signs in only to change
        their own password, is never remembered, and is not told). Blocks for hashing."""
        account = self._signin.sign_in(address, password, origin.in_the_terminal)
        if not remember or account.role is not Role.PRIMARY:
            return PasswordSignIn(account)
        try:
            self.remember(account, origin)
        except Refused as refused:
            return PasswordSignIn(account, refused.refusal)
        except MailwizardError as error:
            # The keyring, say, refused the token: the holder is in, without it.
            return PasswordSignIn(
                account, Refusal("device.not_remembered", error.message_id, error.params)
            )
        return PasswordSignIn(account)

    def sign_in(self, origin: Origin) -> SignedIn:
        """The holder this device remembers, if the directory still knows its token.

        A token that opens nothing (expired, forgotten from the management page, its
        box suspended) is erased from the keyring and ``DeviceForgotten`` raised."""
        self._refuse_unless_offered(origin)
        stored = self._keyring.read()
        if stored is None:
            raise _forgotten()
        hashed = token_hash(stored.token)
        now = self._clock()
        mailbox_id = self._devices.holder_of(hashed, now)
        credentials = None if mailbox_id is None else self._accounts.credentials(stored.address)
        if (
            credentials is None
            or credentials.mailbox_id != mailbox_id
            or not credentials.active
            or credentials.role is not Role.PRIMARY
        ):
            self._devices.forget_token(hashed)
            self._keyring.erase()
            raise _forgotten()
        # A locked address is locked whatever the way in, the remembered one too.
        if until := self._throttle.locked_until(credentials.address, now):
            raise locked_out(until)
        self._devices.record_use(hashed, now)
        return SignedIn.from_credentials(credentials)

    def forget_this_device(self) -> None:
        stored = self._keyring.read()
        if stored is not None:
            self._devices.forget_token(token_hash(stored.token))
            self._keyring.erase()

    def devices_of(self, holder: SignedIn) -> list[RememberedDevice]:
        return self._devices.of_mailbox(holder.mailbox_id, self._clock())

    def forget(self, holder: SignedIn, device_id: int, origin: Origin) -> None:
        label = self._devices.forget(holder.mailbox_id, device_id)
        if label is not None:
            self._audit(holder, origin, "device.forgotten", label)

    def forget_all(self, holder: SignedIn, origin: Origin) -> None:
        if self._devices.forget_all(holder.mailbox_id):
            self._audit(holder, origin, "device.all_forgotten", None)

    def _audit(self, holder: SignedIn, origin: Origin, action: str, target: str | None) -> None:
        # Devices are remembered and forgotten from the wizard only.
        audit = Audit(actor=holder.address, origin=origin.in_the_terminal)
        self._audit_log.record_audit(holder.household_id, audit, action, target)
