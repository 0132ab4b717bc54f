"""Password policies (DESIGN §4) and the strength shown by the meter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from anyascii import anyascii

from mailwizard.errors import Refusal
from mailwizard.i18n import N_


class PasswordPolicy(StrEnum):
    MODERN = "modern"
    """NIST SP 800-63B: length over composition, common passwords refused."""
    ORANGE = "orange"
    """The seed provider's rule: 8 or more, upper and lower case and a digit."""


MODERN_MIN: Final = 12
ORANGE_MIN: Final = 8
PASSWORD_MAX: Final = 128
ORANGE_SPECIALS: Final = "-,.;+:!?_"
STRENGTH_MAX: Final = 4
# zxcvbn's score 3 is "safely unguessable" against throttled online attacks; anything
# lower is what breached-password lists are made of.
MODERN_MIN_STRENGTH: Final = 3
# zxcvbn refuses longer input; beyond this length the prefix decides.
_ESTIMATE_MAX_LENGTH: Final = 72
_PERSONAL_WORD_MIN: Final = 3
_WORD_SPLIT: Final = re.compile(r"[^a-z0-9]+")
NO_BREAK_SPACES: Final = "\u00a0\u2007\u202f"
ZERO_WIDTH_SPACES: Final = "\u200b\u200c\u200d\u2060\ufeff"
# Leetspeak read back as letters; "1" and "|" stand for "i" or "l", so both readings.
_LEET: Final = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                "@": "a", "$": "s", "!": "i", "+": "t"}  # fmt: skip
_LEET_AS_I: Final = str.maketrans(_LEET | {"1": "i", "|": "i"})
_LEET_AS_L: Final = str.maketrans(_LEET | {"1": "l", "|": "l"})


@dataclass(frozen=True)
class PasswordAssessment:
    strength: int
    """0 (trivially guessed) to 4 (very hard to guess), for the meter."""
    refusals: tuple[Refusal, ...]

    @property
    def acceptable(self) -> bool:
        return not self.refusals


def stable_form(password: str) -> str:
    """What is checked, hashed and compared: the NFC form, which keyboards send, so
    that a password typed as composed or decomposed characters is the same password."""
    return unicodedata.normalize("NFC", password)


def personal_words(texts: Iterable[str]) -> tuple[str, ...]:
    """The pieces of names and addresses a password must not contain, folded to ASCII."""
    words: set[str] = set()
    for text in texts:
        folded = anyascii(text).lower()
        words.update(w for w in _WORD_SPLIT.split(folded) if len(w) >= _PERSONAL_WORD_MIN)
    return tuple(sorted(words))


def estimate_strength(password: str, words: Iterable[str] = ()) -> int:
    from zxcvbn import zxcvbn  # loads its word lists: kept off the start-up path

    if not password:
        return 0
    result = zxcvbn(password[:_ESTIMATE_MAX_LENGTH], user_inputs=list(words))
    return int(result["score"])


def _length_refusal(password: str, minimum: int) -> Refusal | None:
    if len(password) < minimum:
        return Refusal(
            "password.too_short",
            N_("The password needs at least {minimum} characters."),
            {"minimum": minimum},
        )
    if len(password) > PASSWORD_MAX:
        return Refusal(
            "password.too_long",
            N_("The password can have at most {maximum} characters."),
            {"maximum": PASSWORD_MAX},
        )
    return None


def _space_refusal(password: str) -> Refusal | None:
    if any(character in NO_BREAK_SPACES + ZERO_WIDTH_SPACES for character in password):
        return Refusal(
            "password.invisible_space",
            N_("The password cannot contain no-break or zero-width spaces: use ordinary spaces."),
        )
    return None


def _unstable_refusal(password: str) -> Refusal | None:
    """A character that other devices may type differently (NFKC changes it): a
    ligature, a full-width, superscript or other compatibility form. Never quoted."""
    if unicodedata.normalize("NFKC", password) != password:
        return Refusal(
            "password.unstable",
            N_(
                "The password contains a character that another keyboard may type "
                "differently (a ligature, a full-width or superscript form): type it plainly."
            ),
        )
    return None


def _unprintable_refusal(password: str) -> Refusal | None:
    for character in password:
        if character in ZERO_WIDTH_SPACES:
            continue  # said without quoting it, by _space_refusal
        if unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return Refusal(
                "password.unprintable",
                N_("The password cannot contain invisible or control characters (U+{code:04X})."),
                {"code": ord(character)},
            )
    return None


def _orange_refusal(password: str) -> Refusal | None:
    for character in password:
        if not (character.isascii() and character.isalnum()) and character not in ORANGE_SPECIALS:
            return Refusal(
                "password.bad_character",
                N_("Use only letters without accents, digits and the signs {specials}"),
                {"specials": " ".join(ORANGE_SPECIALS)},
            )
    has_classes = (
        any(c.isupper() for c in password)
        and any(c.islower() for c in password)
        and any(c.isdigit() for c in password)
    )
    if not has_classes:
        return Refusal(
            "password.composition",
            N_("The password needs an upper-case letter, a lower-case letter and a digit."),
        )
    return None


def _readings(text: str) -> set[str]:
    """``text`` as typed and read back from leetspeak (``m4rt1n`` -> ``martin``)."""
    return {text, text.translate(_LEET_AS_I), text.translate(_LEET_AS_L)}


def _forms(word: str) -> set[str]:
    return {form for reading in _readings(word) for form in (reading, reading[::-1])}


def personal_word_in(text: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` (from ``personal_words``) that ``text`` holds, as typed,
    backwards or in leetspeak."""
    readings = _readings(anyascii(text).lower())
    for word in words:
        if any(form in reading for form in _forms(word) for reading in readings):
            return word
    return None


def free_of_personal(candidates: Iterable[str], words: Iterable[str]) -> tuple[str, ...]:
    """The ``candidates`` (plain lower-case letters) that hold none of ``words`` (from
    ``personal_words``): what ``personal_word_in`` finds, with each word's forms made once."""
    forms = {form for word in words for form in _forms(word)}
    return tuple(c for c in candidates if not any(form in c for form in forms))


def _personal_refusal(password: str, words: Iterable[str]) -> Refusal | None:
    word = personal_word_in(password, words)
    if word is None:
        return None
    return Refusal(
        "password.personal",
        N_("The password must not contain a name or the address (“{word}”)."),
        {"word": word},
    )


REFUSED_STRENGTH: Final = 1
"""The most a refused password shows on the meter: weak."""


def assess_password(
    password: str, policy: PasswordPolicy, personal: Iterable[str] = ()
) -> PasswordAssessment:
    """Every reason the policy refuses ``password`` (taken in its ``stable_form``), first
    the most useful one. Names count as typed, backwards and in leetspeak."""
    password = stable_form(password)
    words = personal_words(personal)
    minimum = MODERN_MIN if policy is PasswordPolicy.MODERN else ORANGE_MIN
    checks = [
        _length_refusal(password, minimum),
        _space_refusal(password),
        _unprintable_refusal(password),
        _unstable_refusal(password),
    ]
    if policy is PasswordPolicy.ORANGE:
        checks.append(_orange_refusal(password))
    checks.append(_personal_refusal(password, words))
    strength = estimate_strength(password, words)
    if policy is PasswordPolicy.MODERN and strength < MODERN_MIN_STRENGTH:
        checks.append(
            Refusal(
                "password.guessable",
                N_("This password is too easy to guess: avoid common words, dates and patterns."),
            )
        )
    refusals = tuple(r for r in checks if r is not None)
    # The meter never praises what the policy refuses: a long password that holds a name
    # is not "strong" to the person who must choose another.
    shown = min(strength, REFUSED_STRENGTH) if refusals else strength
    return PasswordAssessment(shown, refusals)


def check_confirmation(password: str, confirmation: str) -> Refusal | None:
    if stable_form(password) != stable_form(confirmation):
        return Refusal("password.mismatch", N_("The two passwords are different."))
    return None
