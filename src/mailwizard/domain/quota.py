"""How many secondary boxes a household may hold."""

from __future__ import annotations

from typing import Final

from mailwizard.errors import Refusal
from mailwizard.i18n import N_

DEFAULT_MAX_SECONDARY: Final = 9


def remaining_secondary(secondary_count: int, max_secondary: int) -> int:
    return max(0, max_secondary - secondary_count)


def check_quota(secondary_count: int, max_secondary: int) -> Refusal | None:
    """The primary box is not counted; only secondary boxes use the quota."""
    if secondary_count >= max_secondary:
        return Refusal(
            "quota.reached",
            N_(
                "The household has reached its limit of secondary boxes ({count} of {maximum}): "
                "delete one before creating another."
            ),
            {"count": secondary_count, "maximum": max_secondary},
        )
    return None


def check_contract(active: bool) -> Refusal | None:
    if not active:
        return Refusal(
            "contract.suspended",
            N_("The contract of this household is suspended: no box can be created."),
        )
    return None
