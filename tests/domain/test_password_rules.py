"""Password policies (modern and orange), personal words, confirmation and strength."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.refusal_checks import (
    assert_accepted,
    assert_refused,
    assert_refused_with,
    refusal_codes,
)
from mailwizard.domain.passwords import (
    PasswordPolicy,
    assess_password,
    check_confirmation,
    estimate_strength,
    stable_form,
)
from mailwizard.errors import MailwizardError
from mailwizard.hashing import Argon2idHasher

MODERN = PasswordPolicy.MODERN
ORANGE = PasswordPolicy.ORANGE
PERSON = ("Hélène", "Müller-Šťastná", "helene.muller-stastna@famille-martin.fr")

# --- Modern policy ---


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Un-chat-bleu-dans-le-jardin",
        "Vélo-rouge-sur-la-plage-42",
        "Tr0ub4dor&3xyz",
        "Ünïcødé-pässwörd-grün-42",
        "Ζωγραφική-στο-βουνό-9",
        "🌵🐙 cactus and octopus at noon",
        "tortue lavande 1987 x",
        ("Quiet-otter-" * 11)[:128],
    ],
)
def test_modern_accepts_long_unguessable_passwords(password: str) -> None:
    assert len(password) <= 128
    assessment = assess_password(password, MODERN, PERSON)
    assert_accepted(assessment)
    assert assessment.strength >= 3


@pytest.mark.parametrize(
    ("password", "code"),
    [
        pytest.param("", "password.too_short", id="empty"),
        pytest.param("Sh0rt-pass!", "password.too_short", id="11-chars"),
        pytest.param("雨の日の青い自転車と猫", "password.too_short", id="11-han"),
        pytest.param(("Quiet-otter-" * 11)[:129], "password.too_long", id="129-chars"),
        pytest.param("correct horse battery staple" * 5, "password.too_long", id="140-chars"),
        pytest.param("password1234", "password.guessable", id="password1234"),
        pytest.param("Password1234", "password.guessable", id="Password1234"),
        pytest.param("qwertyuiop123", "password.guessable", id="keyboard-row"),
        pytest.param("123456789012", "password.guessable", id="digits"),
        pytest.param("iloveyou2024!", "password.guessable", id="iloveyou"),
        pytest.param("aaaaaaaaaaaa", "password.guessable", id="repeated"),
        pytest.param("abcdefghijkl", "password.guessable", id="sequence"),
        pytest.param("correct horse\tbattery staple", "password.unprintable", id="tab"),
        pytest.param("correct horse\x00battery staple", "password.unprintable", id="NUL"),
        pytest.param("correct horse\u0085battery staple", "password.unprintable", id="C1"),
        pytest.param("correct horse\u200bbattery staple", "password.invisible_space", id="ZWSP"),
        pytest.param("correct horse\u202ebattery staple", "password.unprintable", id="RLO"),
        pytest.param("correct horse battery staple\n", "password.unprintable", id="newline"),
    ],
)
def test_modern_refusals(password: str, code: str) -> None:
    assert_refused_with(assess_password(password, MODERN, PERSON), code)


@pytest.mark.parametrize(
    ("password", "personal"),
    [
        pytest.param("Helene-jardin-bleu-77", ("Hélène", "Dupont"), id="name-without-accent"),
        pytest.param("Hélène-jardin-bleu-77", ("Hélène", "Dupont"), id="name-with-accent"),
        pytest.param("xHELENEx-jardin-bleu-77", ("Hélène", "Dupont"), id="name-upper-case"),
        pytest.param("He\u0301le\u0300ne-jardin-77", ("Hélène", "Dupont"), id="decomposed"),
        pytest.param("Bleu-jardin-dupont-77", ("Hélène", "Dupont"), id="last-name"),
        pytest.param("Velo-stastna-rouge-42", PERSON, id="part-of-double-name"),
        pytest.param("Velo-MULLER-rouge-42", PERSON, id="other-part-of-double-name"),
        pytest.param(
            "Blue-zorglub-garden-77",
            ("Anna", "Smith", "zorglub.x@famille-martin.fr"),
            id="address-local-part",
        ),
        pytest.param("Blue-Φωτεινή-garden-77", ("Φωτεινή", "Pappas"), id="greek-name"),
        pytest.param("Blue-Foteini-garden-77", ("Φωτεινή", "Pappas"), id="greek-name-latin"),
        pytest.param("Blue-LiXiaoLong-garden-77", ("小龍", "李小龍"), id="han-name-pinyin"),
    ],
)
def test_modern_refuses_passwords_containing_the_persons_names(
    password: str, personal: tuple[str, ...]
) -> None:
    assert_refused_with(assess_password(password, MODERN, personal), "password.personal")


@pytest.mark.parametrize(
    ("password", "personal"),
    [
        pytest.param("Helene2024", ("Hélène", "Dupont"), id="first-name"),
        pytest.param("Jardin-DUPONT-7", ("Hélène", "Dupont"), id="last-name"),
        pytest.param("Velo-Stastna-42", PERSON, id="part-of-double-name"),
        pytest.param("Foteini-Blue7", ("Φωτεινή", "Pappas"), id="greek-name-latin"),
        pytest.param("Zorglub.77X", ("Anna", "Smith", "zorglub@famille-martin.fr"), id="address"),
    ],
)
def test_orange_refuses_passwords_containing_the_persons_names(
    password: str, personal: tuple[str, ...]
) -> None:
    assessment = assess_password(password, ORANGE, personal)
    assert refusal_codes(assessment) == ["password.personal"]


def test_personal_refusal_names_the_word_found() -> None:
    assessment = assess_password("Helene-jardin-bleu-77", MODERN, ("Hélène", "Dupont"))
    (refusal,) = assessment.refusals
    assert_refused(refusal, "password.personal")
    assert "helene" in refusal.message.lower()


def test_password_without_personal_words_is_not_refused_for_them() -> None:
    assessment = assess_password("Un-chat-bleu-dans-le-jardin", MODERN, PERSON)
    assert "password.personal" not in refusal_codes(assessment)


def test_length_limits_are_inclusive_for_modern() -> None:
    twelve = "Lk9#vQ2!pZr7"
    assert len(twelve) == 12
    assert "password.too_short" not in refusal_codes(assess_password(twelve, MODERN))
    assert "password.too_short" in refusal_codes(assess_password(twelve[:11], MODERN))
    long = ("Quiet-otter-" * 11)[:128]
    assert "password.too_long" not in refusal_codes(assess_password(long, MODERN))
    assert "password.too_long" in refusal_codes(assess_password(long + "x", MODERN))


def test_too_short_message_gives_the_minimum() -> None:
    (refusal, *_) = assess_password("Abc-12", MODERN).refusals
    assert "12" in assert_refused(refusal, "password.too_short").message
    (refusal, *_) = assess_password("Abc-12", ORANGE).refusals
    assert "8" in assert_refused(refusal, "password.too_short").message


# --- Orange policy ---


@pytest.mark.parametrize(
    "password",
    [
        "Azerty12",
        "Abcdefg1",
        "Password1",
        "zZ9-,.;+:!?_",
        "Velo-Rouge-42",
        "Aa1" + "b" * 125,
    ],
)
def test_orange_accepts_composed_ascii_passwords(password: str) -> None:
    assert_accepted(assess_password(password, ORANGE, PERSON))


def test_orange_does_not_judge_guessability() -> None:
    assessment = assess_password("Password1", ORANGE)
    assert assessment.acceptable
    assert assessment.strength < 3
    assert_refused_with(assess_password("Password1234", MODERN), "password.guessable")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        pytest.param("", "password.too_short", id="empty"),
        pytest.param("Abcde12", "password.too_short", id="7-chars"),
        pytest.param("Aa1" + "b" * 126, "password.too_long", id="129-chars"),
        pytest.param("abcdefg1", "password.composition", id="no-upper"),
        pytest.param("ABCDEFG1", "password.composition", id="no-lower"),
        pytest.param("Abcdefgh", "password.composition", id="no-digit"),
        pytest.param("12345678", "password.composition", id="only-digits"),
        pytest.param("-,.;+:!?_", "password.composition", id="only-specials"),
        pytest.param("Abcdefg1 ", "password.bad_character", id="space"),
        pytest.param("Abcdéfg1", "password.bad_character", id="accent"),
        pytest.param("Abcdefg1@", "password.bad_character", id="at"),
        pytest.param("Abcdefg1#", "password.bad_character", id="hash"),
        pytest.param("Abcdefg1$", "password.bad_character", id="dollar"),
        pytest.param("Abcdefg1&", "password.bad_character", id="ampersand"),
        pytest.param("Abcdefg1*", "password.bad_character", id="star"),
        pytest.param("Abcdefg1/", "password.bad_character", id="slash"),
        pytest.param("Abcdefg1'", "password.bad_character", id="quote"),
        pytest.param("Abcdefg1=", "password.bad_character", id="equals"),
        pytest.param("Abcdefg1€", "password.bad_character", id="euro"),
        pytest.param("Abcdefg１", "password.bad_character", id="fullwidth-digit"),
        pytest.param("Abcdefg1\t", "password.bad_character", id="tab"),
    ],
)
def test_orange_refusals(password: str, code: str) -> None:
    assert_refused_with(assess_password(password, ORANGE, PERSON), code)


@pytest.mark.parametrize("special", list("-,.;+:!?_"))
def test_orange_accepts_each_listed_special(special: str) -> None:
    assert_accepted(assess_password(f"Abcdef1{special}", ORANGE))


# --- Confirmation and strength ---


@pytest.mark.parametrize(
    ("password", "confirmation"),
    [
        ("Un-chat-bleu-dans-le-jardin", "Un-chat-bleu-dans-le-jardiN"),
        ("Un-chat-bleu-dans-le-jardin", "Un-chat-bleu-dans-le-jardin "),
        ("Un-chat-bleu-dans-le-jardin", ""),
        ("", "x"),
    ],
)
def test_confirmation_mismatch(password: str, confirmation: str) -> None:
    assert_refused(check_confirmation(password, confirmation), "password.mismatch")


@pytest.mark.parametrize(
    "password",
    ["", "a", "password", "password1234", "Azerty12", "correct horse battery staple", "x" * 300],
)
def test_strength_is_between_0_and_4(password: str) -> None:
    assert 0 <= estimate_strength(password) <= 4
    for policy in PasswordPolicy:
        assert 0 <= assess_password(password, policy).strength <= 4


def test_strength_orders_weak_below_strong() -> None:
    assert estimate_strength("") == 0
    assert estimate_strength("password1234") < estimate_strength("correct horse battery staple")
    assert estimate_strength("correct horse battery staple") == 4


# --- Properties ---

BROAD_TEXT = st.text(
    alphabet=st.characters(categories=("Cc", "Cf", "Zs", "L", "M", "N", "P", "S")),
    max_size=40,
)
ORANGE_LIKE = st.text(alphabet="aZ09-,.;+:!?_ é@", min_size=6, max_size=20)
PERSONAL = st.lists(
    st.text(alphabet=st.characters(categories=("L", "M", "Zs", "P")), max_size=20), max_size=3
)
_ORANGE_RULE = re.compile(r"[A-Za-z0-9,.;+:!?_-]{8,128}")


def _has_control_or_format(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    password=st.one_of(BROAD_TEXT, ORANGE_LIKE),
    policy=st.sampled_from(list(PasswordPolicy)),
    personal=PERSONAL,
)
@example(password="Helene-jardin-bleu-77", policy=MODERN, personal=["Hélène"])
@example(password="\x00" * 13, policy=MODERN, personal=[])
def test_assess_password_never_raises_and_explains_each_refusal(
    password: str, policy: PasswordPolicy, personal: list[str]
) -> None:
    try:
        assessment = assess_password(password, policy, personal)
    except MailwizardError:
        return
    assert isinstance(assessment.strength, int)
    assert 0 <= assessment.strength <= 4
    for refusal in assessment.refusals:
        assert refusal.code.startswith("password.")
        assert refusal.message.strip()
    assert assessment.acceptable == (not assessment.refusals)
    if not assessment.acceptable:
        return
    assert len(unicodedata.normalize("NFC", password)) <= 128
    assert not _has_control_or_format(password)
    if policy is ORANGE:
        assert _ORANGE_RULE.fullmatch(password), password
        assert re.search("[A-Z]", password)
        assert re.search("[a-z]", password)
        assert re.search("[0-9]", password)
    else:
        assert len(password) >= 12
        assert assessment.strength >= 3


@given(password=BROAD_TEXT, confirmation=BROAD_TEXT)
def test_confirmation_refuses_exactly_when_different(password: str, confirmation: str) -> None:
    refusal = check_confirmation(password, confirmation)
    same = unicodedata.normalize("NFC", password) == unicodedata.normalize("NFC", confirmation)
    assert (refusal is None) == same
    assert check_confirmation(password, password) is None


# --- The form that is stored and compared ---

COMPOSED = "Vélo-rouge-sur-la-plage-42"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_a_password_is_checked_stored_and_compared_in_its_nfc_form() -> None:
    """What keyboards send is NFC; the same password typed decomposed is the same one."""
    assert DECOMPOSED != COMPOSED
    assert stable_form(DECOMPOSED) == COMPOSED
    assert check_confirmation(DECOMPOSED, COMPOSED) is None
    assert assess_password(DECOMPOSED, MODERN, PERSON) == assess_password(COMPOSED, MODERN, PERSON)
    hasher = Argon2idHasher(time_cost=2, memory_kib=19456, parallelism=1)
    stored = hasher.hash(DECOMPOSED)
    assert hasher.verify(stored, COMPOSED)
    assert hasher.verify(stored, DECOMPOSED)
    assert not hasher.verify(stored, COMPOSED + "!")
    # A hash made from the decomposed form before passwords were normalised still opens.
    import argon2

    legacy = "{ARGON2ID}" + argon2.PasswordHasher(memory_cost=19456, time_cost=2).hash(DECOMPOSED)
    assert hasher.verify(legacy, DECOMPOSED)


INVISIBLE_SPACES = {
    "no-break space": "\u00a0",
    "narrow no-break space": "\u202f",
    "figure space": "\u2007",
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
}
UNSTABLE = {
    "ligature fi": "\ufb01",
    "full-width A": "\uff21",
    "superscript two": "\u00b2",
    "black-letter H": "\u210c",
    "half-width katakana": "\uff76",
    "circled digit": "\u2460",
}


def _quotes_none_of(message: str, password: str) -> bool:
    special = [c for c in set(password) if not c.isascii()]
    codes = [f"{ord(c):04X}" for c in special] + [f"{ord(c):04x}" for c in special]
    return not any(c in message for c in special) and not any(code in message for code in codes)


@pytest.mark.parametrize("space", INVISIBLE_SPACES.values(), ids=INVISIBLE_SPACES.keys())
@pytest.mark.parametrize("policy", list(PasswordPolicy))
def test_no_break_and_zero_width_spaces_are_refused_without_quoting_them(
    space: str, policy: PasswordPolicy
) -> None:
    password = f"Correct-horse{space}Battery-staple-7"
    assessment = assess_password(password, policy, PERSON)
    assert refusal_codes(assessment)[0] == "password.invisible_space"
    for refusal in assessment.refusals:
        assert _quotes_none_of(refusal.message, password), refusal.message


@pytest.mark.parametrize("character", UNSTABLE.values(), ids=UNSTABLE.keys())
def test_characters_that_normalisation_changes_are_refused_without_quoting_them(
    character: str,
) -> None:
    """Another keyboard, or a device that normalises (NFKC), would send something else."""
    password = f"Correct-horse-{character}-battery-staple-7"
    assessment = assess_password(password, MODERN, PERSON)
    assert "password.unstable" in refusal_codes(assessment)
    for refusal in assessment.refusals:
        assert _quotes_none_of(refusal.message, password), refusal.message


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("H3l3n3-jardin-bleu-77", id="leet-first-name"),
        pytest.param("Jardin-Mu113r-bleu-77", id="leet-last-name-1-as-l"),
        pytest.param("Jardin-Mu||er-bleu-77", id="leet-pipe-as-l"),
        pytest.param("St4stn4-jardin-bleu-77", id="leet-part-of-double-name"),
        pytest.param("Eneleh-jardin-bleu-77", id="reversed-first-name"),
        pytest.param("Jardin-RELLUM-bleu-77", id="reversed-last-name"),
        pytest.param("Jardin-r3llum-bleu-77", id="reversed-leet"),
        pytest.param("Jardin-ellimaf-bleu-77", id="reversed-address"),
    ],
)
@pytest.mark.parametrize("policy", list(PasswordPolicy))
def test_names_in_leetspeak_or_backwards_are_refused(password: str, policy: PasswordPolicy) -> None:
    assert_refused_with(assess_password(password, policy, PERSON), "password.personal")


@given(st.text(alphabet=st.characters(categories=("L", "N")), min_size=0, max_size=40))
def test_the_meter_never_praises_a_refused_password(extra: str) -> None:
    """A password the policy refuses (here: it holds the person's name) shows weak at most."""
    for password in (f"Martin{extra}", f"correct horse battery staple martin {extra}"):
        assessment = assess_password(password, PasswordPolicy.MODERN, ["Martin"])
        assert not assessment.acceptable
        assert assessment.strength <= 1
