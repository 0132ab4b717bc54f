"""Addresses proposed from a person's name: transliterated bases, then numbered variants."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
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
    base_local_parts,
    candidates,
    choose_suggestions,
    name_slug,
    search_prefixes,
)

DOMAIN = "famille-martin.fr"
HELENE_BASES = [
    "helene.muller-stastna",
    "h.muller-stastna",
    "muller-stastna.helene",
    "helene-muller-stastna",
    "helenemullerstastna",
]
_LOCAL_RULE = re.compile(r"[a-z][a-z0-9._-]{1,62}[a-z0-9]")


def at(domain: str, *local_parts: str) -> list[str]:
    return [f"{local_part}@{domain}" for local_part in local_parts]


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
    assert choose_suggestions(bases, DOMAIN, set()) == at(DOMAIN, *HELENE_BASES)


def test_decomposed_accents_give_the_same_bases() -> None:
    assert base_local_parts("He\u0301le\u0300ne", "Mu\u0308ller-S\u030ct\u030castna\u0301") == (
        HELENE_BASES
    )


def test_taken_bases_are_skipped_and_numbered_variants_follow() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    taken = set(at(DOMAIN, "helene.muller-stastna", "h.muller-stastna"))
    assert choose_suggestions(bases, DOMAIN, taken) == at(
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
    assert choose_suggestions(bases, DOMAIN, taken) == at(
        DOMAIN, *(f"{base}2" for base in HELENE_BASES)
    )


def test_numbered_variants_skip_taken_numbers() -> None:
    bases = ["jean.martin"]
    taken = set(at(DOMAIN, "jean.martin", "jean.martin2", "jean.martin4"))
    assert choose_suggestions(bases, DOMAIN, taken) == at(
        DOMAIN, "jean.martin3", "jean.martin5", "jean.martin6", "jean.martin7", "jean.martin8"
    )


def test_taken_addresses_of_another_domain_do_not_count() -> None:
    bases = base_local_parts("Hélène", "Müller-Šťastná")
    taken = set(at("martin.example", *HELENE_BASES))
    assert choose_suggestions(bases, DOMAIN, taken) == at(DOMAIN, *HELENE_BASES)


@pytest.mark.parametrize("taken_count", [0, 1, 3, 5, 8, 20])
def test_exactly_five_untaken_suggestions(taken_count: int) -> None:
    bases = base_local_parts("Jean", "Martin")
    generator = candidates(bases, DOMAIN)
    everything = [f"{next(generator)}@{DOMAIN}" for _ in range(taken_count + 10)]
    taken = set(everything[:taken_count])
    suggestions = choose_suggestions(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    assert not taken & set(suggestions)
    assert suggestions == everything[taken_count : taken_count + 5]
    for address in suggestions:
        assert_valid_suggestion(address)


def test_wanted_count_is_honoured() -> None:
    bases = base_local_parts("Jean", "Martin")
    assert len(choose_suggestions(bases, DOMAIN, set(), wanted=2)) == 2
    assert len(choose_suggestions(bases, DOMAIN, set(), wanted=12)) == 12
    assert choose_suggestions(bases, DOMAIN, set(), wanted=0) == []


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
    suggestions = choose_suggestions(bases, DOMAIN, set(at(DOMAIN, bases[0])))
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
    suggestions = choose_suggestions(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    for address in suggestions:
        assert address not in taken
        assert_valid_suggestion(address)
        assert address.split("@")[0][-3:].isdigit()


def test_suggestions_start_with_one_of_the_search_prefixes() -> None:
    bases = base_local_parts("A" * 64, "Müller-Šťastná")
    prefixes = search_prefixes(bases, DOMAIN)
    generator = candidates(bases, DOMAIN)
    for local_part in (next(generator) for _ in range(200)):
        assert any(local_part.startswith(prefix) for prefix in prefixes), local_part


def test_suggestions_are_distinct_for_long_names() -> None:
    first_name = "A" * 62
    assert check_name(first_name) is None
    bases = base_local_parts(first_name, "Bo")
    assert len(bases) == len(set(bases))
    suggestions = choose_suggestions(bases, DOMAIN, set(at(DOMAIN, *bases)))
    assert len(suggestions) == 5
    assert len(set(suggestions)) == 5, suggestions


def test_suggestions_fit_the_whole_address_limit_with_a_long_domain() -> None:
    domain = ".".join(["a" * 63, "b" * 63, "c" * 60, "fr"])
    assert check_domain_name(domain) is None
    bases = base_local_parts("A" * 64, "B" * 64)
    suggestions = choose_suggestions(bases, domain, set())
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
        print(repr(choose_suggestions([], "famille-martin.fr", set())))
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
    suggestions = choose_suggestions(bases, DOMAIN, taken)
    assert len(suggestions) == 5
    prefixes = search_prefixes(bases, DOMAIN)
    for address in suggestions:
        assert address not in taken
        assert_valid_suggestion(address)
        assert any(address.startswith(prefix) for prefix in prefixes)


def test_numbered_proposals_are_checked_like_any_address() -> None:
    """Proposals check one number per length: that holds while no rule cares which digits
    end a local part, so no reserved name may end with one."""
    assert not [name for name in RESERVED_LOCAL_PARTS if name[-1].isdigit()]
    proposals = islice(candidates(["info"], DOMAIN), 12)
    assert all(check_local_part(local_part) is None for local_part in proposals)
