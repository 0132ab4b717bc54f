"""The errors a user can meet, each with a message in the user's language.

The command line maps them to exit codes; the terminal UI shows them next to the
field they concern. Anything else that escapes is a bug, reported without a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from mailwizard.i18n import _


@dataclass(frozen=True)
class Refusal:
    """Why a rule refused a value: a stable code for scripts, a message for people."""

    code: str
    message_id: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _(self.message_id).format(**self.params)

    def __str__(self) -> str:
        return self.message


class Notice(Refusal):
    """Advice that informs without refusing anything."""


class MailwizardError(Exception):
    """Base of every error meant for the user."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message_id: str, /, **params: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params

    @property
    def message(self) -> str:
        return _(self.message_id).format(**self.params)

    def __str__(self) -> str:
        return self.message


class Refused(MailwizardError):
    """A rule refused the request; nothing was written."""

    def __init__(self, refusal: Refusal, *, field: str | None = None) -> None:
        super().__init__(refusal.message_id, **refusal.params)
        self.refusal = refusal
        self.field = field

    @property
    def code(self) -> str:
        return self.refusal.code


class SignInFailed(MailwizardError):
    """Wrong address or password; deliberately does not say which."""


class DeviceForgotten(SignInFailed):
    """The token this device kept opens nothing any more: the password is needed."""


class UsageProblem(MailwizardError):
    """The command was called wrongly (a missing secret, a malformed answers file)."""

    exit_code = 2


class DirectoryUnavailable(MailwizardError):
    """The mail-account directory cannot be reached or is not set up."""

    exit_code = 3


class MailStoreUnavailable(MailwizardError):
    """The boxes' mail folder cannot be read or written (a deleted box's archive)."""

    exit_code = 3
