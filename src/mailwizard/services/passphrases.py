"""“Suggest a passphrase”: words drawn with ``secrets`` from the list of the interface's
language, as many as 64 bits of entropy need, that the password policy accepts and the
meter calls strong."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Protocol

from mailwizard.domain.passphrases import assemble, entropy_bits, words_needed
from mailwizard.domain.passwords import (
    STRENGTH_MAX,
    PasswordPolicy,
    assess_password,
    free_of_personal,
    personal_words,
)
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_

DRAWS: Final = 20
"""A draw the meter would not call strong is drawn again; that is rare enough (none in the
tests' thousands) for 20 draws never to run out."""


class WordLists(Protocol):
    def words(self, language: str) -> tuple[str, ...]:
        """The distinct words of the list for ``language``."""
        ...


@dataclass(frozen=True)
class Passphrase:
    text: str
    bits: float
    """Entropy of the draw: its number of words times log2 of the list's size."""


class PassphraseService:
    def __init__(self, lists: WordLists, policy: PasswordPolicy) -> None:
        self._lists = lists
        self._policy = policy

    def suggest(self, language: str, personal: Iterable[str] = ()) -> Passphrase:
        """A passphrase in ``language`` holding none of the ``personal`` texts' words: the
        words that would are left out of the list before drawing, so that the entropy is
        counted on the list actually drawn from."""
        texts = list(personal)
        forbidden = personal_words(texts)
        pool = free_of_personal(self._lists.words(language), forbidden)
        count = words_needed(len(pool))
        for _ in range(DRAWS):
            words = [secrets.choice(pool) for _ in range(count)]
            text = assemble(words, self._policy, secrets.randbelow(10))
            assessment = assess_password(text, self._policy, texts)
            if assessment.acceptable and assessment.strength == STRENGTH_MAX:
                return Passphrase(text, entropy_bits(len(pool), count))
        raise MailwizardError(N_("No passphrase could be drawn: type a password instead."))
