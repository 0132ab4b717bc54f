"""What suggestions must be, worked out the slow way: candidate after candidate, number
after number, against a set of taken addresses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from mailwizard.domain.addresses import RESERVED_LOCAL_PARTS
from mailwizard.domain.suggestions import FreeNumbers, NumberRange, candidates, join_number


def at(domain: str, *local_parts: str) -> list[str]:
    return [f"{local_part}@{domain}" for local_part in local_parts]


def looks_reserved(address: str) -> bool:
    """A reserved name however it is dressed: separators anywhere, digits at the end."""
    bare = re.sub(r"[._-]", "", address.partition("@")[0]).rstrip("0123456789")
    return bare in {name.replace("-", "") for name in RESERVED_LOCAL_PARTS}


def free_numbers_among(taken: set[str], domain: str) -> FreeNumbers:
    """What a directory holding exactly ``taken`` answers, number by number."""

    def free_numbers(ranges: Sequence[NumberRange], wanted: int) -> list[list[int]]:
        answer = []
        for numbers in ranges:
            free = (
                number
                for number in range(numbers.first, numbers.last + 1)
                if f"{join_number(numbers.stem, number)}@{domain}" not in taken
            )
            answer.append(list(islice(free, wanted)))
        return answer

    return free_numbers


def first_untaken(bases: list[str], domain: str, taken: set[str], wanted: int = 5) -> list[str]:
    """The definition suggestions must meet: the first candidates nobody holds."""
    addresses = (f"{local_part}@{domain}" for local_part in candidates(bases, domain))
    return list(islice((address for address in addresses if address not in taken), wanted))
