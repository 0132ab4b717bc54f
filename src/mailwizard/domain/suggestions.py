"""Addresses proposed from a person's name (DESIGN §3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count, islice
from typing import Final

from anyascii import anyascii

from mailwizard.domain.addresses import ADDRESS_MAX, LOCAL_PART_MAX, check_local_part

SUGGESTION_COUNT: Final = 5
_NUMBER_ROOM: Final = 7
"""What a number of up to six digits may take off a long base: the digits, plus the
separator that would otherwise end the cut base."""
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


def local_part_room(domain: str) -> int:
    """How long a local part can be at ``domain`` within the whole-address limit."""
    return min(LOCAL_PART_MAX, ADDRESS_MAX - 1 - len(domain))


def _cut(local_part: str, length: int) -> str:
    return local_part[:length].rstrip("._-")


def search_prefixes(bases: list[str], domain: str) -> list[str]:
    """Every candidate of ``candidates(bases, domain)`` starts with one of these."""
    length = max(1, local_part_room(domain) - _NUMBER_ROOM)
    return [_cut(base, length) for base in bases if _cut(base, length)]


def candidates(bases: list[str], domain: str) -> Iterator[str]:
    """The bases, then ``jean.martin2``, ``j.martin2``, …, ``jean.martin3``, … forever,
    each cut to fit ``domain``.

    Long bases cut to make room for the number can meet; each candidate comes once."""
    room = local_part_room(domain)
    fitting = [_cut(base, room) for base in bases if check_local_part(_cut(base, room)) is None]
    if not fitting:
        return
    seen: set[str] = set()
    stems: dict[int, list[tuple[str, bool]]] = {}
    for number in count(1):
        suffix = "" if number == 1 else str(number)
        # The cut depends on the number's length, and no rule looks at which digits end
        # a local part, only at how many: one cut and one check per length of number, as
        # common names run through hundreds of numbers.
        if len(suffix) not in stems:
            cut = [_cut(base, room - len(suffix)) for base in fitting]
            stems[len(suffix)] = [(stem, check_local_part(stem + suffix) is None) for stem in cut]
        for stem, valid in stems[len(suffix)]:
            local_part = stem + suffix
            if valid and local_part not in seen:
                seen.add(local_part)
                yield local_part


def choose_suggestions(
    bases: list[str], domain: str, taken: set[str], wanted: int = SUGGESTION_COUNT
) -> list[str]:
    """The first ``wanted`` candidate addresses at ``domain`` that are not ``taken``."""
    addresses = (f"{local_part}@{domain}" for local_part in candidates(bases, domain))
    return list(islice((a for a in addresses if a not in taken), wanted))
