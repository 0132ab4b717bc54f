"""Suggested passphrases: words drawn at random from a large list, as many as it takes
for 64 bits of entropy, joined so that a phone's keyboard types them easily."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from mailwizard.domain.passwords import PasswordPolicy

MIN_BITS: Final = 64
MIN_WORDS: Final = 5
# Plain lower-case letters: no accent to look for behind a long press, no capital, no
# sign, and short enough to read aloud and to type without a slip.
_TYPABLE: Final = re.compile(r"[a-z]{3,9}")
MODERN_SEPARATOR: Final = " "
"""The space bar is the widest key of every phone keyboard and needs no other layout."""
ORANGE_SEPARATOR: Final = "-"
"""The orange policy allows no space; the hyphen is among its signs."""


def typable(word: str) -> bool:
    return _TYPABLE.fullmatch(word) is not None


def words_needed(list_size: int) -> int:
    """How many words drawn from a list of ``list_size`` reach ``MIN_BITS``; never fewer
    than ``MIN_WORDS``."""
    return max(MIN_WORDS, math.ceil(MIN_BITS / math.log2(list_size)))


def entropy_bits(list_size: int, word_count: int) -> float:
    """The entropy of ``word_count`` words drawn independently and uniformly."""
    return word_count * math.log2(list_size)


def assemble(words: Sequence[str], policy: PasswordPolicy, digit: int) -> str:
    """The words as the ``policy`` accepts them: apart by spaces; for the orange policy,
    which wants an upper-case letter and a digit and no space, by hyphens, the first word
    capitalised and ``digit`` at the end."""
    if policy is PasswordPolicy.ORANGE:
        return ORANGE_SEPARATOR.join((words[0].capitalize(), *words[1:], str(digit)))
    return MODERN_SEPARATOR.join(words)
