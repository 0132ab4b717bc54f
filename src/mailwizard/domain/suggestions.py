"""Addresses proposed from a person's name (DESIGN §3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count, islice
from typing import Final

from anyascii import anyascii

from mailwizard.domain.addresses import LOCAL_PART_MAX, check_local_part

SUGGESTION_COUNT: Final = 5
_NUMBER_ROOM: Final = 6
"""Digits kept free at the end of a long base for its numbered variants."""
_NOT_ALNUM: Final = re.compile(r"[^a-z0-9]+")


def name_slug(name: str) -> str:
    """``Müller-Šťastná`` -> ``muller-stastna``: transliterated, word breaks made hyphens."""
    folded = anyascii(name).lower().replace("'", "")
    return _NOT_ALNUM.sub("-", folded).strip("-")


def base_local_parts(first_name: str, last_name: str) -> list[str]:
    """The proposal patterns in order of preference, valid and without repeats."""
    first, last = name_slug(first_name), name_slug(last_name)
    if first and last:
        patterns = [
            f"{first}.{last}",
            f"{first[0]}.{last}",
            f"{last}.{first}",
            f"{first}-{last}",
            f"{first}{last}".replace("-", ""),
        ]
    else:
        patterns = [first or last]
    bases: list[str] = []
    for pattern in patterns:
        local_part = pattern[:LOCAL_PART_MAX].rstrip("._-")
        if local_part not in bases and check_local_part(local_part) is None:
            bases.append(local_part)
    return bases


def search_prefixes(bases: list[str]) -> list[str]:
    """Every base and every numbered variant of it starts with one of these."""
    return [base[: LOCAL_PART_MAX - _NUMBER_ROOM] for base in bases]


def _numbered(base: str, number: int) -> str:
    suffix = str(number)
    return base[: LOCAL_PART_MAX - len(suffix)].rstrip("._-") + suffix


def candidates(bases: list[str]) -> Iterator[str]:
    """The bases, then ``jean.martin2``, ``j.martin2``, …, ``jean.martin3``, … forever."""
    yield from bases
    for number in count(2):
        for base in bases:
            local_part = _numbered(base, number)
            if check_local_part(local_part) is None:
                yield local_part


def choose_suggestions(
    bases: list[str], domain: str, taken: set[str], wanted: int = SUGGESTION_COUNT
) -> list[str]:
    """The first ``wanted`` candidate addresses at ``domain`` that are not ``taken``."""
    addresses = (f"{local_part}@{domain}" for local_part in candidates(bases))
    return list(islice((address for address in addresses if address not in taken), wanted))
