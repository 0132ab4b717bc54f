"""Issuing a one-time activation code: the code for the holder's eyes, its hash for the
directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mailwizard.domain.activation import new_code
from mailwizard.services.ports import PasswordHasher, PendingActivation


@dataclass(frozen=True)
class IssuedCode:
    """Shown once to the holder, never stored as it is."""

    code: str
    expires_at: datetime


def issue_code(
    hasher: PasswordHasher, lifetime: timedelta, now: datetime
) -> tuple[IssuedCode, PendingActivation]:
    """A fresh code valid for ``lifetime``, hashed like a password (argon2id)."""
    code = new_code()
    expires_at = now + lifetime
    return IssuedCode(code, expires_at), PendingActivation(hasher.hash(code), expires_at)
