"""Addresses proposed from a person's name: transliterated bases, then numbered variants."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from itertools import islice

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mailwizard.domain.addresses import (
    RESERVED_LOCAL_PARTS,
    Address,
    check_domain_name,
    check_local_part,
    parse_address,
)
from mailwizard.domain.names import check_name
from mailwizard.domain.suggestions import (
    NUMBER_DIGITS_MAX,
    NumberRange,
    base_local_parts,
    candidates,
    choose_suggestions,
    join_number,
    name_slug,
    split_number,
)
from suggestion_oracle import at, first_untaken, free_numbers_among, looks_reserved

DOMAIN = "famille-martin.fr"
HELENE_BASES = [
    "helene.muller-stastna",
    "h.muller-stastna",
    "muller-stastna.helene",
    "helene-muller-stastna",
    "helenemullerstastna",
]
_LOCAL_RULE = re.compile(r"[a-z][a-z0-9._-]{1,62}[a-z0-9]")


def suggest(bases: list[str], domain: str, taken: set[str], wanted: int = 5) -> list[str]:
    return choose_suggestions(bases, domain, free_numbers_among(taken, domain), wanted)


def assert_valid_suggestion(address: str, domain: str = DOMAIN) -> None:
    parsed = parse_address(address, [domain])
    assert isinstance(parsed, Address), (address, parsed)
    assert str(parsed) == address
    local_part = parsed.local_part
    assert len(local_part) <= 64
    assert _LOCAL_RULE.fullmatch(local_part), local_part
    assert not re.search(r"[._-]{2}", local_part), local_part


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Hélène", "helene"),
        ("Müller-Šťastná", "muller-stastna"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Jean Pierre", "jean-pierre"),
        ("'t Hooft", "t-hooft"),
        ("Zoë", "zoe"),
        ("Ångström", "angstrom"),
        ("Łukasz", "lukasz"),
        ("Straße", "strasse"),
    ],
)
def test_name_slug_transliterates(name: str, slug: str) -> None:
    assert name_slug(name) == slug


def test_helene_muller_stastna_bases() -> None:
    assert base_local_parts("Hélène", "Müller-Šťastná") == HELENE_BASES


def test_helene_muller_stastna_suggestions_in_order() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    assert suggest(bases, DOMAIN, set()) == at(DOMAIN, *HELENE_BASES)


def test_decomposed_accents_give_the_same_bases() -> None:
    assert base_local_parts("He\u0301le\u0300ne", "Mu\u0308ller-S\u030ct\u030castna\u0301") == (
        HELENE_BASES
    )


def test_taken_bases_are_skipped_and_numbered_variants_follow() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    taken = set(at(DOMAIN, "helene.muller-stastna", "h.muller-stastna"))
    assert suggest(bases, DOMAIN, taken) == at(
        DOMAIN,
        "muller-stastna.helene",
        "helene-muller-stastna",
        "helenemullerstastna",
        "helene.muller-stastna2",
        "h.muller-stastna2",
    )


def test_all_bases_taken_gives_numbered_variants() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    taken = set(at(DOMAIN, *HELENE_BASES))
    assert suggest(bases, DOMAIN, taken) == at(DOMAIN, *(f"{base}2" for base in HELENE_BASES))


@pytest.mark.parametrize(
    ("local_part", "stem", "number"),
    [
        ("jean.martin", "jean.martin", 0),
        ("jean.martin12", "jean.martin", 12),
        ("jean.martin1985", "jean.martin", 1985),
        ("x02", "x0", 2),
        ("x0", "x0", 0),
        ("x0100", "x0", 100),
        ("agent.007", "agent.00", 7),
        ("a" + "9" * 20, "a99", int("9" * 18)),
        ("a" + "1" * 18 + "0", "a1", int("1" * 17 + "0")),
    ],
)
def test_the_registry_splits_a_local_part_into_stem_and_number(
    local_part: str, stem: str, number: int
) -> None:
    assert split_number(local_part) == (stem, number)
    assert join_number(stem, number) == local_part


@given(st.from_regex(r"[a-z][a-z0-9._-]{0,40}[0-9]{0,25}", fullmatch=True))
def test_splitting_a_local_part_loses_nothing(local_part: str) -> None:
    stem, number = split_number(local_part)
    assert join_number(stem, number) == local_part
    assert 0 <= number < 10**NUMBER_DIGITS_MAX
    assert not split_number(stem)[1] or stem[-1] == "0" or len(str(number)) == NUMBER_DIGITS_MAX


def test_common_names_take_one_look_up() -> None:
    asked: list[list[NumberRange]] = []
    taken = set(at(DOMAIN, "jean.martin", *(f"jean.martin{n}" for n in range(2, 900))))
    lookup = free_numbers_among(taken, DOMAIN)

    def counted(ranges: Sequence[NumberRange], wanted: int) -> list[list[int]]:
        asked.append(list(ranges))
        return lookup(ranges, wanted)

    bases = ["jean.martin"]
    assert choose_suggestions(bases, DOMAIN, counted) == at(
        DOMAIN, *(f"jean.martin{n}" for n in range(900, 905))
    )
    assert asked == [[NumberRange("jean.martin", 0, 0), NumberRange("jean.martin", 2, 999_999)]]


def test_numbers_past_six_digits_are_asked_for_when_all_below_are_taken() -> None:
    def none_below_a_million(ranges: Sequence[NumberRange], wanted: int) -> list[list[int]]:
        return [
            list(islice(range(max(numbers.first, 10**6), numbers.last + 1), wanted))
            for numbers in ranges
        ]

    bases = base_local_parts("Jean", "Martin")
    assert choose_suggestions(bases, DOMAIN, none_below_a_million) == at(
        DOMAIN, *(f"{base}1000000" for base in bases)
    )


def test_a_base_ending_with_digits_lends_them_to_its_numbers() -> None:
    # "Ƨ" transliterates to the digit 2: the base is "bo.2", its variants "bo.22", ...
    bases = base_local_parts("Bo", "Ƨ")
    assert bases[0] == "bo.2"
    taken = set(at(DOMAIN, "bo.2", "bo.22", "bo.23", "bo.25", "bo.210"))
    suggestions = suggest(bases[:1], DOMAIN, taken)
    assert suggestions == at(DOMAIN, "bo.24", "bo.26", "bo.27", "bo.28", "bo.29")
    assert suggestions == first_untaken(bases[:1], DOMAIN, taken)


def test_numbered_variants_skip_taken_numbers() -> None:
    bases = ["jean.martin"]
    taken = set(at(DOMAIN, "jean.martin", "jean.martin2", "jean.martin4"))
    assert suggest(bases, DOMAIN, taken) == at(
        DOMAIN, "jean.martin3", "jean.martin5", "jean.martin6", "jean.martin7", "jean.martin8"
    )


def test_taken_addresses_of_another_domain_do_not_count() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    taken = set(at("martin.example", *HELENE_BASES))
    assert suggest(bases, DOMAIN, taken) == at(DOMAIN, *HELENE_BASES)


@pytest.mark.parametrize("taken_count", [0, 1, 3, 5, 8, 20])
def test_exactly_five_untaken_suggestions(taken_count: int) -> None:
    bases = base_local_parts("Jean", "Martin")
    generator = candidates(bases, DOMAIN)
    everything = [f"{next(generator)}@{DOMAIN}" for _ in range(taken_count + 10)]
    taken = set(everything[:taken_count])
    suggestions = suggest(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    assert not taken & set(suggestions)
    assert suggestions == everything[taken_count : taken_count + 5]
    for address in suggestions:
        assert_valid_suggestion(address)


def test_wanted_count_is_honoured() -> None:
    bases = base_local_parts("Jean", "Martin")
    assert len(suggest(bases, DOMAIN, set(), wanted=2)) == 2
    assert len(suggest(bases, DOMAIN, set(), wanted=12)) == 12
    assert suggest(bases, DOMAIN, set(), wanted=0) == []


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("Jean", "Martin"),
        ("O'Brien", "Jean-Pierre"),
        ("'t Hooft", "Gerard"),
        ("Αλέξανδρος", "Παπαδόπουλος"),
        ("Фёдор", "Достоевский"),
        ("小龍", "李"),
        ("太郎", "山田"),
        ("민준", "김"),
        ("محمد", "عبد الله"),
        ("देवनागरी", "शर्मा"),
        ("Ngũgĩ", "wa Thiong'o"),
        ("Al", "Bo"),
    ],
)
def test_suggestions_from_names_of_any_script_are_valid(first_name: str, last_name: str) -> None:
    assert check_name(first_name) is None
    assert check_name(last_name) is None
    bases = base_local_parts(first_name, last_name)
    assert bases
    assert len(bases) == len(set(bases))
    suggestions = suggest(bases, DOMAIN, set(at(DOMAIN, bases[0])))
    assert len(suggestions) == 5
    for address in suggestions:
        assert_valid_suggestion(address)


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("A" * 64, "B" * 64),
        ("Jean-Pierre-Marie-" * 3 + "Antoine", "de la Fontaine-Saint-Exupéry-Montmorency-Lévis"),
        ("Wolfgang Amadeus Johannes Chrysostomus Theophilus", "Mozart-Hohenzollern-Sigmaringen"),
        ("a" * 63 + "b", "c"),
        ("Zoë " * 16, "Ÿ" * 64),
    ],
)
def test_very_long_names_give_local_parts_of_at_most_64(first_name: str, last_name: str) -> None:
    assert check_name(first_name) is None
    assert check_name(last_name) is None
    bases = base_local_parts(first_name, last_name)
    assert bases
    for base in bases:
        assert len(base) <= 64
        assert_valid_suggestion(f"{base}@{DOMAIN}")
    generator = candidates(bases, DOMAIN)
    many = [next(generator) for _ in range(len(bases) * 120)]
    taken = set(at(DOMAIN, *many[:-5]))
    suggestions = suggest(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    for address in suggestions:
        assert address not in taken
        assert_valid_suggestion(address)
        assert address.split("@")[0][-3:].isdigit()


def test_suggestions_are_distinct_for_long_names() -> None:
    first_name = "A" * 62
    assert check_name(first_name) is None
    bases = base_local_parts(first_name, "Bo")
    assert len(bases) == len(set(bases))
    suggestions = suggest(bases, DOMAIN, set(at(DOMAIN, *bases)))
    assert len(suggestions) == 5
    assert len(set(suggestions)) == 5, suggestions


def test_suggestions_fit_the_whole_address_limit_with_a_long_domain() -> None:
    domain = ".".join(["a" * 63, "b" * 63, "c" * 60, "fr"])
    assert check_domain_name(domain) is None
    bases = base_local_parts("A" * 64, "B" * 64)
    suggestions = suggest(bases, domain, set())
    assert len(suggestions) == 5
    for address in suggestions:
        assert_valid_suggestion(address, domain)


def test_names_with_nothing_to_transliterate_give_no_base() -> None:
    # U+3164 HANGUL FILLER has no Latin transliteration (and check_name refuses it).
    assert base_local_parts("Li", "\u3164") == []
    assert base_local_parts("Root", "\u3164") == []


def test_choose_suggestions_without_bases_returns_nothing() -> None:
    # Run in a child process: the call must not be allowed to hang the test run.
    code = textwrap.dedent(
        """
        from mailwizard.domain.suggestions import choose_suggestions
        nothing_taken = lambda ranges, wanted: [list(range(wanted)) for _ in ranges]
        print(repr(choose_suggestions([], "famille-martin.fr", nothing_taken)))
        """
    )
    try:
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=5, check=False
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(
            "choose_suggestions([], ...) did not return within 5 seconds"
        ) from None
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


# --- Properties ---

NAME_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(categories=("L", "M"), max_codepoint=0x2FFF),
        st.characters(categories=("L", "M")),
        st.sampled_from("'’- "),
    ),
    min_size=1,
    max_size=64,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    first_name=NAME_TEXT,
    last_name=NAME_TEXT,
    taken_indexes=st.sets(st.integers(min_value=0, max_value=40), max_size=30),
)
def test_suggestions_are_valid_and_untaken(
    first_name: str, last_name: str, taken_indexes: set[int]
) -> None:
    assume(check_name(first_name) is None and check_name(last_name) is None)
    bases = base_local_parts(first_name, last_name)
    for base in bases:
        assert_valid_suggestion(f"{base}@{DOMAIN}")
    assume(bases)
    generator = candidates(bases, DOMAIN)
    first_candidates = [f"{next(generator)}@{DOMAIN}" for _ in range(41)]
    taken = {first_candidates[index] for index in taken_indexes}
    suggestions = suggest(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    assert suggestions == first_untaken(bases, DOMAIN, taken)
    for address in suggestions:
        assert address not in taken
        assert_valid_suggestion(address)


LETTERS_AND_DIGIT_LOOKALIKES = st.one_of(
    st.sampled_from("ajmnoÆƧƼꜬ"), st.characters(categories=["L"], max_codepoint=0x2FF)
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    first_name=st.text(LETTERS_AND_DIGIT_LOOKALIKES, min_size=1, max_size=70),
    last_name=st.text(LETTERS_AND_DIGIT_LOOKALIKES, min_size=1, max_size=8),
    first_taken=st.integers(min_value=0, max_value=60),
    holes=st.sets(st.integers(min_value=0, max_value=60), max_size=8),
    numbers=st.sets(st.integers(min_value=0, max_value=10**7), max_size=12),
    domain=st.sampled_from([DOMAIN, ".".join(["a" * 63, "b" * 63, "c" * 60, "fr"])]),
)
def test_suggestions_are_the_first_candidates_nobody_holds(
    first_name: str,
    last_name: str,
    first_taken: int,
    holes: set[int],
    numbers: set[int],
    domain: str,
) -> None:
    """Whatever is taken — runs of candidates with holes, numbers typed by hand after
    any base, bases that end with digits, bases cut for long domains — the directory's
    free numbers give the same proposals as walking the candidates one by one."""
    assume(check_name(first_name) is None and check_name(last_name) is None)
    bases = base_local_parts(first_name, last_name)
    assume(bases)
    generator = candidates(bases, domain)
    run = [f"{next(generator)}@{domain}" for _ in range(first_taken)]
    taken = {address for index, address in enumerate(run) if index not in holes}
    taken |= {f"{base[:40]}{number}@{domain}" for base in bases for number in numbers}
    assert suggest(bases, domain, taken) == first_untaken(bases, domain, taken)


def test_numbered_proposals_are_checked_like_any_address() -> None:
    """Proposals check one number per length: that holds while no rule cares which digits
    end a local part, so no reserved name may end with one."""
    assert not [name for name in RESERVED_LOCAL_PARTS if name[-1].isdigit()]
    proposals = islice(candidates(["info"], DOMAIN), 12)
    assert all(check_local_part(local_part) is None for local_part in proposals)


RESERVED_LOOKALIKE_NAMES = [
    ("Post", "Master"),
    ("Mailer", "Daemon"),
    ("No", "Reply"),
    ("Web", "Master"),
    ("Host", "Master"),
    ("Admin", "Istrator"),
]


@pytest.mark.parametrize(("first_name", "last_name"), RESERVED_LOOKALIKE_NAMES)
def test_reserved_names_are_never_proposed_however_dressed(first_name: str, last_name: str) -> None:
    """``post.master``, ``mailer-daemon``, ``no.reply``, ``postmaster2``: a reserved name
    with separators or a number is still one, so it is neither a base nor a numbered
    proposal, even when everything before it is taken."""
    bases = base_local_parts(first_name, last_name)
    assert not [base for base in bases if looks_reserved(base)]
    proposals = list(islice(candidates(bases, DOMAIN), 40))
    assert proposals
    assert not [local_part for local_part in proposals if looks_reserved(local_part)]
    taken = set(at(DOMAIN, *proposals[:30]))
    chosen = choose_suggestions(bases, DOMAIN, free_numbers_among(taken, DOMAIN))
    assert len(chosen) == 5
    assert not [address for address in chosen if looks_reserved(address)]
