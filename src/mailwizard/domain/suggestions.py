"""Addresses proposed from a person's name (DESIGN §3)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import count
from typing import Final

from anyascii import anyascii

from mailwizard.domain.addresses import ADDRESS_MAX, LOCAL_PART_MAX, check_local_part

SUGGESTION_COUNT: Final = 5
NUMBER_DIGITS_MAX: Final = 18
"""The longest number the registry keeps apart from its stem: what 64-bit integers hold."""
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


def split_number(local_part: str) -> tuple[str, int]:
    """``jean.martin12`` -> ``("jean.martin", 12)``; ``jean.martin`` -> ``("jean.martin", 0)``.

    The number is the longest run of digits ending the local part with no leading zero
    and at most ``NUMBER_DIGITS_MAX`` digits; zeros before it stay in the stem
    (``x02`` -> ``("x0", 2)``), so ``join_number`` gives the local part back."""
    digits = len(local_part) - len(local_part.rstrip(string.digits))
    number = local_part[len(local_part) - min(digits, NUMBER_DIGITS_MAX) :].lstrip("0")
    if not number:
        return local_part, 0
    return local_part[: -len(number)], int(number)


def join_number(stem: str, number: int) -> str:
    return f"{stem}{number}" if number else stem


def _fitting_bases(bases: list[str], domain: str) -> list[str]:
    room = local_part_room(domain)
    return [_cut(base, room) for base in bases if check_local_part(_cut(base, room)) is None]


def _stems(fitting: list[str], domain: str, length: int) -> list[str | None]:
    """Each base cut to make room for a number of ``length`` digits (0: no number), or
    None where such numbered local parts break a rule. No rule looks at which digits end
    a local part, only at how many: one cut and one check per length, not per number."""
    room = local_part_room(domain)
    first_number = "" if length == 0 else str(max(2, 10 ** (length - 1)))
    cut = [_cut(base, room - length) for base in fitting]
    return [stem if check_local_part(stem + first_number) is None else None for stem in cut]


def candidates(bases: list[str], domain: str) -> Iterator[str]:
    """The bases, then ``jean.martin2``, ``j.martin2``, …, ``jean.martin3``, … forever,
    each cut to fit ``domain``.

    Long bases cut to make room for the number can meet; each candidate comes once."""
    fitting = _fitting_bases(bases, domain)
    if not fitting:
        return
    seen: set[str] = set()
    stems: dict[int, list[str | None]] = {}
    for number in count(1):
        suffix = "" if number == 1 else str(number)
        if len(suffix) not in stems:
            stems[len(suffix)] = _stems(fitting, domain, len(suffix))
        for stem in stems[len(suffix)]:
            if stem is not None and stem + suffix not in seen:
                seen.add(stem + suffix)
                yield stem + suffix


@dataclass(frozen=True)
class NumberRange:
    """Registered addresses ``stem`` + number, numbers ``first`` to ``last`` (see
    ``split_number``), at one domain."""

    stem: str
    first: int
    last: int


@dataclass(frozen=True)
class CandidateRun:
    """Consecutive numbered candidates of one base: candidate number ``n`` (1 for the
    base itself) is the registry's number ``n + offset`` in ``numbers``."""

    base: int
    numbers: NumberRange
    offset: int


def _run(base: int, stem: str, length: int) -> CandidateRun:
    if length == 0:
        registry_stem, number = split_number(stem)
        return CandidateRun(base, NumberRange(registry_stem, number, number), number - 1)
    # A stem ending with digits lends them to the number: ``x1`` + ``2`` is ``x`` and 12.
    registry_stem, _ = split_number(stem + "1" * length)
    offset = int(stem[len(registry_stem) :] or "0") * 10**length
    first, last = max(2, 10 ** (length - 1)), 10**length - 1
    return CandidateRun(base, NumberRange(registry_stem, first + offset, last + offset), offset)


def candidate_runs(bases: list[str], domain: str, lengths: range) -> list[CandidateRun]:
    """The candidates whose numbers have ``lengths`` digits (0 for the bases themselves),
    as few runs as possible: a base's runs of consecutive registry numbers are merged."""
    fitting = _fitting_bases(bases, domain)
    stems_by_length = [_stems(fitting, domain, length) for length in lengths]
    runs: list[CandidateRun] = []
    for base in range(len(fitting)):
        for length, stems in zip(lengths, stems_by_length, strict=True):
            stem = stems[base]
            if stem is None:
                continue
            run = _run(base, stem, length)
            previous = runs[-1] if runs else None
            if (
                previous is not None
                and (previous.base, previous.numbers.stem, previous.offset)
                == (base, run.numbers.stem, run.offset)
                and previous.numbers.last + 1 == run.numbers.first
            ):
                merged = replace(previous.numbers, last=run.numbers.last)
                runs[-1] = replace(previous, numbers=merged)
            else:
                runs.append(run)
    return runs


FreeNumbers = Callable[[Sequence[NumberRange], int], list[list[int]]]
"""The directory's answer: the first ``wanted`` numbers of each range that no address
holds, in increasing order."""

NUMBER_LENGTHS: Final = (range(0, 7), range(7, 13), range(13, NUMBER_DIGITS_MAX + 1))
"""Numbers of up to six digits are asked for at once; longer ones only if all those are
taken."""


def choose_suggestions(
    bases: list[str], domain: str, free_numbers: FreeNumbers, wanted: int = SUGGESTION_COUNT
) -> list[str]:
    """The first ``wanted`` candidate addresses at ``domain`` that nobody holds.

    Candidates come in the order of ``candidates``: by number, then by base. Each run's
    first ``wanted`` free numbers are enough, since any candidate after them in its run
    comes after ``wanted`` free candidates."""
    chosen: dict[str, None] = {}
    for lengths in NUMBER_LENGTHS:
        if len(chosen) >= wanted:
            break
        runs = candidate_runs(bases, domain, lengths)
        if not runs:
            continue
        free = free_numbers([run.numbers for run in runs], wanted)
        found = sorted(
            (number - run.offset, run.base, join_number(run.numbers.stem, number))
            for run, numbers in zip(runs, free, strict=True)
            for number in numbers
        )
        chosen.update((f"{local_part}@{domain}", None) for _, _, local_part in found)
    return list(chosen)[:wanted]
