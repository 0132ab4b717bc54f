"""Rules for first and last names: any script, no control or invisible characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.refusal_checks import assert_refused
from mailwizard.domain.names import INVISIBLE_LETTERS_AND_MARKS, check_name, normalise_name
from mailwizard.errors import MailwizardError


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("A", id="one-letter"),
        pytest.param("Jean", id="latin"),
        pytest.param("O'Brien", id="apostrophe"),
        pytest.param("O’Brien", id="typographic-apostrophe"),
        pytest.param("Jean-Pierre", id="hyphen"),
        pytest.param("Jean‐Pierre", id="unicode-hyphen"),
        pytest.param("'t Hooft", id="leading-apostrophe"),
        pytest.param("de la Fontaine", id="spaces"),
        pytest.param("Hélène", id="accents-composed"),
        pytest.param("He\u0301le\u0300ne", id="accents-decomposed"),
        pytest.param("Müller-Šťastná", id="czech"),
        pytest.param("Ngũgĩ wa Thiong'o", id="kikuyu"),
        pytest.param("ʻIolani", id="okina"),
        pytest.param("Αλέξανδρος", id="greek"),
        pytest.param("Ἀλέξανδρος", id="polytonic-greek"),
        pytest.param("محمد", id="arabic"),
        pytest.param("مُحَمَّد", id="arabic-harakat"),
        pytest.param("שָׁלוֹם", id="hebrew-niqqud"),
        pytest.param("李小龍", id="han"),
        pytest.param("山田 太郎", id="japanese"),
        pytest.param("김민준", id="hangul"),
        pytest.param("देवनागरी", id="devanagari"),
        pytest.param("क्षत्रिय", id="devanagari-virama"),
        pytest.param("ਗੁਰਪ੍ਰੀਤ", id="gurmukhi"),
        pytest.param("สมชาย", id="thai"),
        pytest.param("Фёдор", id="cyrillic"),
        pytest.param("Ǆemal", id="digraph-titlecase"),
        pytest.param("Mary\u00a0Ann", id="no-break-space"),
        pytest.param("山田\u3000太郎", id="ideographic-space"),
        pytest.param("  Jean  ", id="surrounding-spaces"),
        pytest.param("a" * 64, id="64-letters"),
        pytest.param("é" * 64, id="64-accented"),
        pytest.param("e\u0301" * 64, id="64-decomposed-accented"),
        pytest.param("  " + "b" * 64 + "  ", id="64-letters-padded"),
        pytest.param("李" * 64, id="64-han"),
    ],
)
def test_accepted_names(name: str) -> None:
    assert check_name(name) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param("", "name.empty", id="empty"),
        pytest.param("   ", "name.empty", id="only-spaces"),
        pytest.param("\u00a0\u3000", "name.empty", id="only-unicode-spaces"),
        pytest.param("a" * 65, "name.too_long", id="65-letters"),
        pytest.param("é" * 65, "name.too_long", id="65-accented"),
        pytest.param("e\u0301" * 65, "name.too_long", id="65-decomposed-accented"),
        pytest.param("Jean " * 12 + "Jeann", "name.too_long", id="65-with-spaces"),
        pytest.param("Jean\u202eniaM", "name.invisible_character", id="RLO"),
        pytest.param("\u202aJean", "name.invisible_character", id="LRE"),
        pytest.param("\u202bJean", "name.invisible_character", id="RLE"),
        pytest.param("Jean\u202c", "name.invisible_character", id="PDF"),
        pytest.param("Je\u202dan", "name.invisible_character", id="LRO"),
        pytest.param("Jean\u2066x", "name.invisible_character", id="LRI"),
        pytest.param("Jean\u2067x", "name.invisible_character", id="RLI"),
        pytest.param("Jean\u2068x", "name.invisible_character", id="FSI"),
        pytest.param("Jean\u2069", "name.invisible_character", id="PDI"),
        pytest.param("Je\u200dan", "name.invisible_character", id="ZWJ"),
        pytest.param("Je\u200ban", "name.invisible_character", id="ZWSP"),
        pytest.param("Je\u200can", "name.invisible_character", id="ZWNJ"),
        pytest.param("Je\u2060an", "name.invisible_character", id="word-joiner"),
        pytest.param("\ufeffJean", "name.invisible_character", id="BOM"),
        pytest.param("Je\u00adan", "name.invisible_character", id="soft-hyphen"),
        pytest.param("Jean\u200e", "name.invisible_character", id="LRM"),
        pytest.param("\u200b", "name.invisible_character", id="only-ZWSP"),
        pytest.param("Jean\U000e0041", "name.invisible_character", id="tag-character"),
        pytest.param("Jean\x00", "name.control_character", id="NUL"),
        pytest.param("\x00", "name.control_character", id="only-NUL"),
        pytest.param("Jean\tPierre", "name.control_character", id="tab"),
        pytest.param("Jean\n", "name.control_character", id="newline"),
        pytest.param("Jean\rPierre", "name.control_character", id="carriage-return"),
        pytest.param("Jean\x1b[31m", "name.control_character", id="escape"),
        pytest.param("Jean\x7f", "name.control_character", id="DEL"),
        pytest.param("Jean\u0085Pierre", "name.control_character", id="C1-NEL"),
        pytest.param("Jean\x9b", "name.control_character", id="C1-CSI"),
        pytest.param("Jean\u2028Pierre", "name.control_character", id="line-separator"),
        pytest.param("Jean\u2029", "name.control_character", id="paragraph-separator"),
        pytest.param("Jean2", "name.bad_character", id="digit"),
        pytest.param("Louis XIV 14", "name.bad_character", id="digits"),
        pytest.param("Jean!", "name.bad_character", id="exclamation"),
        pytest.param("Jean.Pierre", "name.bad_character", id="dot"),
        pytest.param("jean@martin", "name.bad_character", id="at-sign"),
        pytest.param("<script>", "name.bad_character", id="markup"),
        pytest.param("Jean😀", "name.bad_character", id="emoji"),
        pytest.param("Jean_Pierre", "name.bad_character", id="underscore"),
        pytest.param("Ⅻ", "name.bad_character", id="roman-numeral"),
        pytest.param("-", "name.no_letter", id="only-hyphen"),
        pytest.param("'", "name.no_letter", id="only-apostrophe"),
        pytest.param("' -", "name.no_letter", id="only-punctuation"),
        pytest.param("\u0301", "name.no_letter", id="only-combining-mark"),
        pytest.param("\u0301\u0308\u0327", "name.no_letter", id="only-combining-marks"),
        pytest.param("\u3164", "name.invisible_character", id="hangul-filler"),
        pytest.param("\u115f", "name.invisible_character", id="hangul-choseong-filler"),
        pytest.param("\u1160", "name.invisible_character", id="hangul-jungseong-filler"),
        pytest.param("\uffa0", "name.invisible_character", id="halfwidth-hangul-filler"),
        pytest.param("Jean\u3164", "name.invisible_character", id="trailing-hangul-filler"),
        pytest.param("Jo\u034fhn", "name.invisible_character", id="combining-grapheme-joiner"),
    ],
)
def test_refused_names(name: str, code: str) -> None:
    assert_refused(check_name(name), code)


@pytest.mark.parametrize(
    ("name", "code", "shown"),
    [
        ("Jean\u0085", "name.control_character", "U+0085"),
        ("Jean\u202eniaM", "name.invisible_character", "U+202E"),
        ("z" * 65, "name.too_long", "64"),
        ("Jean#", "name.bad_character", "#"),
    ],
)
def test_a_refusal_names_the_character_or_the_limit(name: str, code: str, shown: str) -> None:
    assert shown in assert_refused(check_name(name), code).message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Jean   Pierre  ", "Jean Pierre"),
        ("Mary\u00a0Ann", "Mary Ann"),
        ("山田\u3000太郎", "山田 太郎"),
        ("He\u0301le\u0300ne", "Hélène"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_normalise_name(typed: str, expected: str) -> None:
    assert normalise_name(typed) == expected


# --- Properties ---

BROAD_TEXT = st.text(
    alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "L", "M", "N", "P", "S")),
    max_size=80,
)
NAME_LIKE = st.text(
    alphabet=st.one_of(
        st.characters(categories=("L", "M", "Zs")),
        st.sampled_from("'’ʼ-‐ \t\u0085\u200b\u200d\u202e"),
    ),
    max_size=70,
)
_ALLOWED_PUNCTUATION = frozenset("'’ʼ-‐ ")


def _invisible(character: str) -> bool:
    return unicodedata.category(character) == "Cf" or ord(character) in INVISIBLE_LETTERS_AND_MARKS


def _first_forbidden(text: str) -> str | None:
    """The first control (C0/C1, line or paragraph separator) or invisible character."""
    for character in text:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp") or _invisible(character):
            return character
    return None


@given(text=st.one_of(BROAD_TEXT, NAME_LIKE))
@example(text="\u0085")
@example(text="a\u202e")
def test_check_name_never_raises_and_refuses_with_a_reason(text: str) -> None:
    try:
        refusal = check_name(text)
    except MailwizardError:
        return
    forbidden = _first_forbidden(text)
    if forbidden is not None:
        assert refusal is not None
        expected = "name.invisible_character" if _invisible(forbidden) else "name.control_character"
        assert refusal.code == expected, (text, refusal.code)
        assert f"U+{ord(forbidden):04X}" in refusal.message
    if refusal is not None:
        assert refusal.code.startswith("name.")
        assert refusal.message.strip()
        return
    name = normalise_name(text)
    assert 1 <= len(name) <= 64
    assert name == name.strip()
    assert "  " not in name
    assert any(unicodedata.category(c).startswith("L") for c in name)
    for character in name:
        category = unicodedata.category(character)
        assert category[0] in "LM" or character in _ALLOWED_PUNCTUATION, (text, character)
