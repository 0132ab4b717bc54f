"""Checks shared by the domain rule tests: how a refusal and its message must look.

A refusal carries a stable, non-empty code for scripts and a message for people: a
sentence in the user's language, never the bare code, with every ``{placeholder}``
filled in.
"""

from __future__ import annotations

import re

from mailwizard.domain.passwords import PasswordAssessment
from mailwizard.errors import Refusal, Refused

_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+(?::[^}]*)?\}")


def assert_plain_message(refusal: Refusal | Refused) -> None:
    """The refusal has a code and a message that reads as a filled-in sentence."""
    code = refusal.code
    assert isinstance(code, str), f"the code of {refusal!r} is not text"
    assert code.strip(), f"{refusal!r} has an empty code"
    message = refusal.message
    assert isinstance(message, str), f"the message of {code} is not text"
    assert message.strip(), f"{code} has an empty message"
    assert message.strip() != code, f"{code} shows its code as the message"
    assert " " in message.strip(), f"{message!r} does not read as a sentence"
    assert not _PLACEHOLDER.search(message), f"unfilled placeholder in {message!r}"
    assert str(refusal) == message


def assert_refused(result: object, code: str) -> Refusal:
    """``result`` is a refusal with ``code`` and a plain message; returns it."""
    assert isinstance(result, Refusal), f"expected a refusal {code!r}, got {result!r}"
    assert result.code == code, f"expected {code!r}, got {result.code!r} ({result.message})"
    assert_plain_message(result)
    return result


def refusal_codes(assessment: PasswordAssessment) -> list[str]:
    """The codes of the assessment's refusals, in order, each with a plain message."""
    for refusal in assessment.refusals:
        assert_plain_message(refusal)
    return [refusal.code for refusal in assessment.refusals]


def assert_refused_with(assessment: PasswordAssessment, code: str) -> None:
    """The password is refused, for ``code`` among other reasons."""
    found = refusal_codes(assessment)
    assert code in found, f"expected {code!r} among {found}"
    assert not assessment.acceptable
    assert 0 <= assessment.strength <= 4


def assert_accepted(assessment: PasswordAssessment) -> None:
    """The password is accepted, with a strength for the meter."""
    assert refusal_codes(assessment) == []
    assert assessment.acceptable
    assert 0 <= assessment.strength <= 4
