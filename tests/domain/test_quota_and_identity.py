"""The household's quota of secondary boxes, its contract, and the identity answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.refusal_checks import assert_plain_message, assert_refused
from mailwizard.domain.models import (
    Civility,
    HouseholdOverview,
    Identity,
    MailboxSummary,
    Role,
    validated,
)
from mailwizard.domain.names import check_name, normalise_name
from mailwizard.domain.quota import (
    DEFAULT_MAX_SECONDARY,
    check_contract,
    check_quota,
    remaining_secondary,
)
from mailwizard.errors import MailwizardError, Refused

# --- Quota ---


def test_default_maximum_is_nine_secondary_boxes() -> None:
    assert DEFAULT_MAX_SECONDARY == 9


@pytest.mark.parametrize("count", range(9))
def test_quota_allows_up_to_the_maximum(count: int) -> None:
    assert check_quota(count, 9) is None
    assert remaining_secondary(count, 9) == 9 - count


@pytest.mark.parametrize(
    ("count", "maximum"), [(9, 9), (10, 9), (25, 9), (0, 0), (1, 1), (3, 3), (5, 2)]
)
def test_quota_refuses_at_and_beyond_the_maximum(count: int, maximum: int) -> None:
    refusal = assert_refused(check_quota(count, maximum), "quota.reached")
    assert str(maximum) in refusal.message
    assert str(count) in refusal.message
    assert remaining_secondary(count, maximum) == 0


@given(count=st.integers(min_value=0, max_value=100), maximum=st.integers(0, 100))
def test_quota_refuses_exactly_when_nothing_remains(count: int, maximum: int) -> None:
    refusal = check_quota(count, maximum)
    assert (refusal is None) == (count < maximum)
    assert (refusal is None) == (remaining_secondary(count, maximum) > 0)
    assert remaining_secondary(count, maximum) == max(0, maximum - count)


def test_only_an_active_contract_allows_creation() -> None:
    assert check_contract(True) is None
    assert_refused(check_contract(False), "contract.suspended")


def _summary(address: str, role: Role) -> MailboxSummary:
    return MailboxSummary(
        address=address,
        role=role,
        civility=Civility.NEUTRAL,
        first_name="Jean",
        last_name="Martin",
        active=True,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(("secondary", "remaining"), [(0, 9), (1, 8), (8, 1), (9, 0)])
@pytest.mark.parametrize("contract_active", [True, False])
def test_household_overview_counts_only_secondary_boxes(
    secondary: int, remaining: int, contract_active: bool
) -> None:
    overview = HouseholdOverview(
        household_id=1,
        domains=("famille-martin.fr",),
        contract_active=contract_active,
        max_secondary=9,
        primary=_summary("jean.martin@famille-martin.fr", Role.PRIMARY),
        secondary=tuple(
            _summary(f"box{n}@famille-martin.fr", Role.SECONDARY) for n in range(secondary)
        ),
    )
    assert overview.primary.primary
    assert overview.primary.identity.full_name == overview.primary.full_name
    assert overview.remaining_secondary == remaining
    # A suspended contract is said first: resuming it is what the holder must do.
    expected = None if remaining else "quota.reached"
    refusal = overview.creation_refusal
    assert (refusal and refusal.code) == (expected if contract_active else "contract.suspended")


# --- Identity ---


@pytest.mark.parametrize(
    ("civility", "expected"),
    [
        ("madame", Civility.MADAME),
        ("Mme", Civility.MADAME),
        ("Mme.", Civility.MADAME),
        ("  MRS ", Civility.MADAME),
        ("monsieur", Civility.MONSIEUR),
        ("M.", Civility.MONSIEUR),
        ("Mr", Civility.MONSIEUR),
        ("neutral", Civility.NEUTRAL),
        ("neutre", Civility.NEUTRAL),
        ("Mx", Civility.NEUTRAL),
        ("x", Civility.NEUTRAL),
        (Civility.MADAME, Civility.MADAME),
    ],
)
def test_identity_civility_spellings(civility: object, expected: Civility) -> None:
    identity = validated(Identity, civility=civility, first_name="Jean", last_name="Martin")
    assert identity.civility is expected


@pytest.mark.parametrize(
    ("first_name", "last_name", "full_name"),
    [
        ("  Jean   Pierre ", "Martin", "Jean Pierre Martin"),
        ("He\u0301le\u0300ne", "Müller-Šťastná", "Hélène Müller-Šťastná"),
        ("Sean", "O'Brien", "Sean O'Brien"),
        ("Gerard", "'t Hooft", "Gerard 't Hooft"),
        ("Αλέξανδρος", "Παπαδόπουλος", "Αλέξανδρος Παπαδόπουλος"),
        ("小龍", "李", "小龍 李"),
        ("a" * 64, "b" * 64, "a" * 64 + " " + "b" * 64),
    ],
)
def test_identity_stores_normalised_names(first_name: str, last_name: str, full_name: str) -> None:
    identity = validated(Identity, civility="x", first_name=first_name, last_name=last_name)
    assert identity.full_name == full_name


JEAN_MARTIN = {"civility": "m", "first_name": "Jean", "last_name": "Martin"}


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (JEAN_MARTIN | {"civility": "sir"}, "civility", "civility.unknown"),
        (JEAN_MARTIN | {"civility": None}, "civility", "civility.unknown"),
        (JEAN_MARTIN | {"first_name": "Jean\u202e"}, "first_name", "name.invisible_character"),
        (JEAN_MARTIN | {"last_name": "Mar\ttin"}, "last_name", "name.control_character"),
        (JEAN_MARTIN | {"last_name": "Mar\u0085tin"}, "last_name", "name.control_character"),
        (JEAN_MARTIN | {"first_name": ""}, "first_name", "name.empty"),
        (JEAN_MARTIN | {"first_name": "J" * 65}, "first_name", "name.too_long"),
        (JEAN_MARTIN | {"first_name": "Jean2"}, "first_name", "name.bad_character"),
        (JEAN_MARTIN | {"last_name": "-"}, "last_name", "name.no_letter"),
        ({"civility": "m", "last_name": "Martin"}, "first_name", "field.invalid"),
        (JEAN_MARTIN | {"first_name": 42}, "first_name", "field.invalid"),
    ],
)
def test_identity_refusals_name_their_field(data: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(Refused) as caught:
        validated(Identity, **data)
    assert caught.value.code == code
    assert caught.value.field == field
    assert_plain_message(caught.value)
    if code == "field.invalid":
        assert field in caught.value.message


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (("Hélène", "Müller"), ("helene", "MULLER"), True),
        (("Hélène", "Müller"), ("He\u0301le\u0300ne", "Müller"), True),
        (("Jean", "Martin"), ("Jean", "Martin"), True),
        (("Jean", "Martin"), ("Jeanne", "Martin"), False),
        (("Jean", "Martin"), ("Martin", "Jean"), False),
    ],
)
def test_same_person_ignores_accents_case_and_civility(
    first: tuple[str, str], second: tuple[str, str], same: bool
) -> None:
    one = validated(Identity, civility="m", first_name=first[0], last_name=first[1])
    other = validated(Identity, civility="mme", first_name=second[0], last_name=second[1])
    assert one.is_same_person_as(other) is same
    assert other.is_same_person_as(one) is same


# --- Properties ---

BROAD_TEXT = st.text(
    alphabet=st.characters(categories=("Cc", "Cf", "Zs", "L", "M", "N", "P", "S")),
    max_size=70,
)
CIVILITY = st.one_of(
    st.sampled_from(["m", "Mme", "x", "neutral", "MONSIEUR."]),
    BROAD_TEXT,
    st.none(),
    st.integers(),
)
NAME = st.one_of(BROAD_TEXT, st.none(), st.integers(), st.just(["Jean"]))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(civility=CIVILITY, first_name=NAME, last_name=NAME)
@example(civility="m", first_name="Jean\u202e", last_name="Martin")
@example(civility="m", first_name="Jean", last_name="Martin")
def test_validated_identity_raises_only_project_errors(
    civility: object, first_name: object, last_name: object
) -> None:
    try:
        identity = validated(
            Identity, civility=civility, first_name=first_name, last_name=last_name
        )
    except Refused as refused:
        assert refused.code
        assert refused.field in ("civility", "first_name", "last_name")
        assert refused.message.strip()
        return
    except MailwizardError as error:
        assert error.message.strip()
        return
    assert isinstance(first_name, str)
    assert isinstance(last_name, str)
    assert isinstance(identity.civility, Civility)
    assert identity.first_name == normalise_name(first_name)
    assert identity.last_name == normalise_name(last_name)
    assert check_name(identity.first_name) is None
    assert check_name(identity.last_name) is None
