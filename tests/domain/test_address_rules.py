"""Rules for the address of a new box: syntax, length, reserved names, household domains."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.refusal_checks import assert_refused
from mailwizard.domain.addresses import (
    Address,
    check_domain_name,
    check_local_part,
    household_address,
    parse_address,
    taken_refusal,
)
from mailwizard.errors import MailwizardError, Refusal

DOMAIN = "famille-martin.fr"
OTHER_DOMAIN = "martin.example"
ONE_DOMAIN = (DOMAIN,)
TWO_DOMAINS = (DOMAIN, OTHER_DOMAIN)

# Written out from the design (RFC 2142 role names, then names owned by system software).
RESERVED = (
    "postmaster",
    "abuse",
    "hostmaster",
    "webmaster",
    "www",
    "noc",
    "security",
    "info",
    "marketing",
    "sales",
    "support",
    "usenet",
    "news",
    "uucp",
    "ftp",
    "root",
    "admin",
    "administrator",
    "mailer-daemon",
    "nobody",
    "noreply",
    "no-reply",
)


def domain_of_length(length: int) -> str:
    """A well-formed domain name of exactly ``length`` characters, ending in ``.fr``."""
    labels: list[str] = []
    remaining = length - len(".fr")
    letter = iter("abcdefghijklmnopqrstuvwxyz")
    while remaining > 0:
        size = min(63, remaining)
        # A label followed by a dot must leave room for at least one more character.
        if remaining - size == 1:
            size -= 2
        labels.append(next(letter) * size)
        remaining -= size + 1
    domain = ".".join([*labels, "fr"])
    assert len(domain) == length
    assert check_domain_name(domain) is None
    return domain


# --- Independent statement of the syntax rules, written from the design text. ---

_LOCAL_RULE = re.compile(r"[a-z][a-z0-9._-]*[a-z0-9]")
_TWO_SEPARATORS = re.compile(r"[._-][._-]")


def looks_reserved(local_part: str) -> bool:
    """A reserved name however it is dressed: separators anywhere, digits at the end."""
    bare = local_part.replace(".", "").replace("-", "").replace("_", "").rstrip("0123456789")
    return any(bare == name.replace("-", "") for name in RESERVED)


def follows_local_part_rules(local_part: str) -> bool:
    return (
        3 <= len(local_part) <= 64
        and _LOCAL_RULE.fullmatch(local_part) is not None
        and _TWO_SEPARATORS.search(local_part) is None
        and not looks_reserved(local_part)
    )


# --- Accepted addresses ---


@pytest.mark.parametrize(
    ("typed", "domains", "expected"),
    [
        ("abc@famille-martin.fr", ONE_DOMAIN, "abc@famille-martin.fr"),
        ("jean.martin@famille-martin.fr", ONE_DOMAIN, "jean.martin@famille-martin.fr"),
        ("jean_martin@famille-martin.fr", ONE_DOMAIN, "jean_martin@famille-martin.fr"),
        ("jean-martin@famille-martin.fr", ONE_DOMAIN, "jean-martin@famille-martin.fr"),
        ("j.m.b@famille-martin.fr", ONE_DOMAIN, "j.m.b@famille-martin.fr"),
        ("x-1@famille-martin.fr", ONE_DOMAIN, "x-1@famille-martin.fr"),
        ("zoe2024@famille-martin.fr", ONE_DOMAIN, "zoe2024@famille-martin.fr"),
        ("Jean.Martin@Famille-Martin.FR", ONE_DOMAIN, "jean.martin@famille-martin.fr"),
        ("JEAN.MARTIN@FAMILLE-MARTIN.FR", ONE_DOMAIN, "jean.martin@famille-martin.fr"),
        ("  lea.martin@famille-martin.fr \t", ONE_DOMAIN, "lea.martin@famille-martin.fr"),
        ("lea.martin", ONE_DOMAIN, "lea.martin@famille-martin.fr"),
        ("Lea.Martin", ONE_DOMAIN, "lea.martin@famille-martin.fr"),
        ("lea@martin.example", TWO_DOMAINS, "lea@martin.example"),
        ("lea@famille-martin.fr", TWO_DOMAINS, "lea@famille-martin.fr"),
        ("postmaster.office@famille-martin.fr", ONE_DOMAIN, "postmaster.office@famille-martin.fr"),
        ("info.jean@famille-martin.fr", ONE_DOMAIN, "info.jean@famille-martin.fr"),
        ("admins@famille-martin.fr", ONE_DOMAIN, "admins@famille-martin.fr"),
        ("a" * 64 + "@famille-martin.fr", ONE_DOMAIN, "a" * 64 + "@famille-martin.fr"),
        ("a" * 63 + "9@famille-martin.fr", ONE_DOMAIN, "a" * 63 + "9@famille-martin.fr"),
    ],
)
def test_accepted_addresses_are_normalised(
    typed: str, domains: tuple[str, ...], expected: str
) -> None:
    result = parse_address(typed, domains)
    assert isinstance(result, Address), result
    assert str(result) == expected
    local_part, _, domain = expected.partition("@")
    assert result.local_part == local_part
    assert result.domain == domain


@pytest.mark.parametrize("local_part", ["abc", "a1b", "b" * 64, "a." * 31 + "bc"])
def test_local_parts_of_three_to_sixty_four_characters_are_accepted(local_part: str) -> None:
    assert check_local_part(local_part) is None


def test_a_whole_address_has_at_most_254_characters() -> None:
    domain = domain_of_length(254 - 65)
    typed = "a" * 64 + "@" + domain
    assert len(typed) == 254
    result = parse_address(typed, [domain])
    assert isinstance(result, Address), result
    assert str(result) == typed

    longer_domain = domain_of_length(255 - 65)
    too_long = "a" * 64 + "@" + longer_domain
    refusal = assert_refused(parse_address(too_long, [longer_domain]), "address.too_long")
    assert "254" in refusal.message
    shorter_local_part = "a" * 63 + "@" + longer_domain
    assert isinstance(parse_address(shorter_local_part, [longer_domain]), Address)


# --- Refused addresses ---


@pytest.mark.parametrize(
    ("typed", "domains", "code"),
    [
        ("", ONE_DOMAIN, "address.empty"),
        ("   ", ONE_DOMAIN, "address.empty"),
        ("@famille-martin.fr", ONE_DOMAIN, "address.empty"),
        ("ab@famille-martin.fr", ONE_DOMAIN, "address.too_short"),
        ("a@famille-martin.fr", ONE_DOMAIN, "address.too_short"),
        ("a" * 65 + "@famille-martin.fr", ONE_DOMAIN, "address.too_long"),
        ("a" * 200 + "@famille-martin.fr", ONE_DOMAIN, "address.too_long"),
        ("hélène@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("Hélène.Müller@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("jean.müller@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("zoë", ONE_DOMAIN, "address.not_ascii"),
        ("ñandu@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("jean\u200bmartin@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("жан@famille-martin.fr", ONE_DOMAIN, "address.not_ascii"),
        ("1jean@famille-martin.fr", ONE_DOMAIN, "address.bad_start"),
        ("007bond@famille-martin.fr", ONE_DOMAIN, "address.bad_start"),
        (".jean@famille-martin.fr", ONE_DOMAIN, "address.bad_start"),
        ("-jean@famille-martin.fr", ONE_DOMAIN, "address.bad_start"),
        ("_jean@famille-martin.fr", ONE_DOMAIN, "address.bad_start"),
        ("jean.@famille-martin.fr", ONE_DOMAIN, "address.bad_end"),
        ("jean-@famille-martin.fr", ONE_DOMAIN, "address.bad_end"),
        ("jean_@famille-martin.fr", ONE_DOMAIN, "address.bad_end"),
        ("jean.martin.", ONE_DOMAIN, "address.bad_end"),
        ("jean..martin@famille-martin.fr", ONE_DOMAIN, "address.double_separator"),
        ("jean.-martin@famille-martin.fr", ONE_DOMAIN, "address.double_separator"),
        ("jean__martin@famille-martin.fr", ONE_DOMAIN, "address.double_separator"),
        ("jean-_martin@famille-martin.fr", ONE_DOMAIN, "address.double_separator"),
        ("jean--martin@famille-martin.fr", ONE_DOMAIN, "address.double_separator"),
        ("jean+news@famille-martin.fr", ONE_DOMAIN, "address.bad_character"),
        ("jean martin@famille-martin.fr", ONE_DOMAIN, "address.bad_character"),
        ("jean!martin@famille-martin.fr", ONE_DOMAIN, "address.bad_character"),
        ("jean/martin@famille-martin.fr", ONE_DOMAIN, "address.bad_character"),
        ('"jean"x@famille-martin.fr', ONE_DOMAIN, "address.bad_start"),
        ("jean@x@famille-martin.fr", ONE_DOMAIN, "address.bad_character"),
        ("jean@gmail.com", ONE_DOMAIN, "address.foreign_domain"),
        ("jean@mail.famille-martin.fr", ONE_DOMAIN, "address.foreign_domain"),
        ("jean@famille-martin.fr.example.com", ONE_DOMAIN, "address.foreign_domain"),
        ("jean@famille-martin", ONE_DOMAIN, "address.foreign_domain"),
        ("jean@", ONE_DOMAIN, "address.foreign_domain"),
        ("jean@gmail.com", TWO_DOMAINS, "address.foreign_domain"),
        ("jean", TWO_DOMAINS, "address.no_domain"),
        ("jean", (), "address.no_domain"),
    ],
)
def test_refused_addresses(typed: str, domains: tuple[str, ...], code: str) -> None:
    assert_refused(parse_address(typed, domains), code)


@pytest.mark.parametrize("reserved", RESERVED)
def test_reserved_names_are_refused_with_the_reason(reserved: str) -> None:
    refusal = assert_refused(parse_address(f"{reserved}@{DOMAIN}", ONE_DOMAIN), "address.reserved")
    assert reserved in refusal.message
    assert_refused(check_local_part(reserved), "address.reserved")


@pytest.mark.parametrize(
    "variant",
    [
        "post.master",
        "postmaster1",
        "postmaster2024",
        "mailer_daemon",
        "mailer.daemon",
        "mailerdaemon",
        "no.reply",
        "no_reply",
        "n.o-r_e.p.l.y",
        "web-master",
        "root0",
        "admin-1",
        "in.fo",
    ],
)
def test_dressed_up_reserved_names_are_refused_too(variant: str) -> None:
    """Separators removed and trailing digits stripped, each is a reserved name."""
    assert_refused(parse_address(f"{variant}@{DOMAIN}", ONE_DOMAIN), "address.reserved")
    assert_refused(check_local_part(variant), "address.reserved")


@pytest.mark.parametrize("typed", ["postmasters", "rooted", "admin1x", "x.info", "supporter"])
def test_names_that_only_contain_a_reserved_one_are_accepted(typed: str) -> None:
    assert isinstance(parse_address(f"{typed}@{DOMAIN}", ONE_DOMAIN), Address)


@pytest.mark.parametrize(
    "typed", ["PostMaster@famille-martin.fr", "ABUSE", "  Root@Famille-Martin.fr ", "No-Reply"]
)
def test_reserved_names_are_refused_whatever_the_case(typed: str) -> None:
    assert_refused(parse_address(typed, ONE_DOMAIN), "address.reserved")


def test_foreign_domain_message_names_the_household_domains() -> None:
    refusal = assert_refused(parse_address("jean@gmail.com", TWO_DOMAINS), "address.foreign_domain")
    assert DOMAIN in refusal.message
    assert OTHER_DOMAIN in refusal.message
    assert "gmail.com" not in refusal.message


def test_length_refusals_give_the_limit() -> None:
    assert "64" in assert_refused(check_local_part("a" * 65), "address.too_long").message
    assert "3" in assert_refused(check_local_part("ab"), "address.too_short").message


@pytest.mark.parametrize(
    ("local_part", "code"),
    [
        ("", "address.empty"),
        ("ab", "address.too_short"),
        ("c" * 65, "address.too_long"),
        ("élodie", "address.not_ascii"),
        ("9lives", "address.bad_start"),
        ("lives9.", "address.bad_end"),
        ("a.._b", "address.double_separator"),
        ("a#b", "address.bad_character"),
        ("abuse", "address.reserved"),
        ("mailer-daemon", "address.reserved"),
    ],
)
def test_check_local_part_codes(local_part: str, code: str) -> None:
    assert_refused(check_local_part(local_part), code)


def test_taken_refusal_names_the_address() -> None:
    refusal = assert_refused(taken_refusal("lea@famille-martin.fr"), "address.taken")
    assert "lea@famille-martin.fr" in refusal.message


@pytest.mark.parametrize(
    "domain",
    ["famille-martin.fr", "Famille-Martin.FR", "a.b.example.org", "x1.io", "a" * 63 + ".fr"],
)
def test_well_formed_domain_names(domain: str) -> None:
    assert check_domain_name(domain) is None


@pytest.mark.parametrize(
    "domain",
    [
        "localhost",
        "-martin.fr",
        "martin-.fr",
        "martin..fr",
        "mar tin.fr",
        "famille_martin.fr",
        "dupré.fr",
        "192.168.1.1",
        "a" * 64 + ".fr",
    ],
)
def test_malformed_domain_names(domain: str) -> None:
    assert_refused(check_domain_name(domain), "domain.malformed")


@pytest.mark.parametrize("domain", ["", "   "])
def test_an_empty_domain_name_is_asked_for(domain: str) -> None:
    assert_refused(check_domain_name(domain), "domain.empty")


# --- Properties ---

BROAD_TEXT = st.text(
    alphabet=st.characters(categories=("Cc", "Cf", "Zs", "L", "M", "N", "P", "S")),
    max_size=80,
)
ADDRESS_LIKE = st.builds(
    lambda local, at, domain: f"{local}{at}{domain}",
    st.text(alphabet="abjxyzAJZ019._-+ é", max_size=70),
    st.sampled_from(["", "@"]),
    st.sampled_from(["", DOMAIN, OTHER_DOMAIN, "Famille-Martin.FR", "gmail.com"]),
)
DOMAIN_SETS = st.sampled_from([ONE_DOMAIN, TWO_DOMAINS, (), (OTHER_DOMAIN,)])


def check_outcome(result: Address | Refusal, domains: tuple[str, ...]) -> None:
    if isinstance(result, Refusal):
        assert result.code.startswith(("address.", "domain."))
        assert result.message.strip()
        return
    assert isinstance(result, Address)
    address = str(result)
    assert follows_local_part_rules(result.local_part), address
    assert result.domain in domains
    assert len(address) <= 254
    assert address.isascii()
    assert address == address.lower()
    again = parse_address(address, domains)
    assert isinstance(again, Address)
    assert str(again) == address


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(BROAD_TEXT, ADDRESS_LIKE), domains=DOMAIN_SETS)
@example(text="K\u212aelvin@famille-martin.fr", domains=ONE_DOMAIN)
def test_parse_address_never_raises_and_accepted_addresses_follow_the_rules(
    text: str, domains: tuple[str, ...]
) -> None:
    try:
        result = parse_address(text, domains)
    except MailwizardError:
        return
    check_outcome(result, domains)


@given(text=st.text(alphabet="abjxyzAJZ019._-+@ ", max_size=70), domains=DOMAIN_SETS)
def test_parse_address_accepts_exactly_what_the_rules_allow(
    text: str, domains: tuple[str, ...]
) -> None:
    typed = text.strip().lower()
    if "@" in typed:
        local_part, _, domain = typed.rpartition("@")
        domain_ok = domain in domains
    else:
        local_part = typed
        domain_ok = len(domains) == 1
        domain = domains[0] if domain_ok else ""
    expected = (
        domain_ok
        and follows_local_part_rules(local_part)
        and len(local_part) + 1 + len(domain) <= 254
    )
    result = parse_address(text, domains)
    assert isinstance(result, Address) == expected, (text, result)
    check_outcome(result, domains)


@given(local_part=st.one_of(BROAD_TEXT, st.text(alphabet="abz09._-A", max_size=70)))
def test_check_local_part_agrees_with_the_rules(local_part: str) -> None:
    try:
        refusal = check_local_part(local_part)
    except MailwizardError:
        return
    if refusal is None:
        assert follows_local_part_rules(local_part), local_part
    else:
        assert refusal.code.startswith("address.")
        assert refusal.message.strip()
        if local_part == local_part.lower():
            assert not follows_local_part_rules(local_part), (local_part, refusal.code)


@pytest.mark.parametrize(
    ("typed", "domains", "meant"),
    [
        ("Lea.Martin ", ONE_DOMAIN, "lea.martin@famille-martin.fr"),
        ("lea@famille-martin.fr", ONE_DOMAIN, "lea@famille-martin.fr"),
        ("lea@gmail.com", TWO_DOMAINS, "lea@gmail.com"),
        ("lea@", ONE_DOMAIN, "lea@"),
    ],
)
def test_a_bare_local_part_stands_for_the_households_only_domain(
    typed: str, domains: tuple[str, ...], meant: str
) -> None:
    assert household_address(typed, domains) == meant


def test_a_bare_local_part_is_ambiguous_with_two_domains() -> None:
    assert_refused(household_address("lea", TWO_DOMAINS), "address.no_domain")
