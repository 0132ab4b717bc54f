"""What makes an e-mail address acceptable for a new box or alias (DESIGN §3)."""

from __future__ import annotations

import re
import string
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from mailwizard.errors import Refusal, Refused
from mailwizard.i18n import N_

LOCAL_PART_MIN: Final = 3
LOCAL_PART_MAX: Final = 64
ADDRESS_MAX: Final = 254
DOMAIN_MAX: Final = 253

# RFC 2142 role mailboxes, then names that system software owns.
RESERVED_LOCAL_PARTS: Final = frozenset(
    {
        "postmaster", "abuse", "hostmaster", "webmaster", "www", "noc", "security",
        "info", "marketing", "sales", "support", "usenet", "news", "uucp", "ftp",
        "root", "admin", "administrator", "mailer-daemon", "nobody", "noreply", "no-reply",
    }
)  # fmt: skip


# A separator may only sit between two letters or digits, which also makes the
# local part end with a letter or a digit.
_LOCAL_PART: Final = re.compile(r"[a-z](?:[a-z0-9]|[._-](?=[a-z0-9]))*")
_SEPARATORS: Final = re.compile(r"[._-]{2}")
_SEPARATOR: Final = re.compile(r"[._-]")
_DOMAIN_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def reserved_form(local_part: str) -> str:
    """What a local part is compared with the reserved names as: without its separators
    and its trailing digits, so that ``post.master``, ``mailer_daemon`` or
    ``postmaster1`` are what they look like."""
    return _SEPARATOR.sub("", local_part).rstrip(string.digits)


_RESERVED_FORMS: Final = frozenset(reserved_form(name) for name in RESERVED_LOCAL_PARTS)


@dataclass(frozen=True)
class Address:
    local_part: str
    domain: str

    def __str__(self) -> str:
        return f"{self.local_part}@{self.domain}"


def normalise(text: str) -> str:
    return text.strip().lower()


def check_domain_name(text: str) -> Refusal | None:
    domain = normalise(text)
    if not domain:
        return Refusal("domain.empty", N_("Enter the domain name."))
    labels = domain.split(".")
    well_formed = (
        domain.isascii()
        and len(domain) <= DOMAIN_MAX
        and len(labels) >= 2
        and all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )
    if well_formed:
        return None
    return Refusal(
        "domain.malformed", N_("“{domain}” is not a valid domain name."), {"domain": text}
    )


def check_local_part(local_part: str) -> Refusal | None:
    """The syntax and reservation rules for the part before the @."""
    if not local_part:
        return Refusal("address.empty", N_("Enter an address."))
    if not local_part.isascii():
        return Refusal(
            "address.not_ascii",
            N_("Use letters without accents (a–z), digits, dots, hyphens or underscores."),
        )
    if len(local_part) < LOCAL_PART_MIN:
        return Refusal(
            "address.too_short",
            N_("The part before the @ needs at least {minimum} characters."),
            {"minimum": LOCAL_PART_MIN},
        )
    if len(local_part) > LOCAL_PART_MAX:
        return Refusal(
            "address.too_long",
            N_("The part before the @ can have at most {maximum} characters."),
            {"maximum": LOCAL_PART_MAX},
        )
    if not local_part[0].isalpha():
        return Refusal("address.bad_start", N_("The address must start with a letter."))
    if not local_part[-1].isalnum():
        return Refusal("address.bad_end", N_("The address must end with a letter or a digit."))
    if _SEPARATORS.search(local_part):
        return Refusal(
            "address.double_separator",
            N_("Dots, hyphens and underscores cannot follow one another."),
        )
    if not _LOCAL_PART.fullmatch(local_part):
        return Refusal(
            "address.bad_character",
            N_("Use only letters a–z, digits, dots, hyphens or underscores."),
        )
    if reserved_form(local_part) in _RESERVED_FORMS:
        return Refusal(
            "address.reserved",
            N_("“{local_part}” is reserved for the mail service; choose another address."),
            {"local_part": local_part},
        )
    return None


def _foreign_domain(domains: Collection[str]) -> Refusal:
    if len(domains) == 1:
        return Refusal(
            "address.foreign_domain",
            N_("The address must end with @{domain}."),
            {"domain": next(iter(domains))},
        )
    return Refusal(
        "address.foreign_domain",
        N_("The address must end with one of: {domains}."),
        {"domains": ", ".join(f"@{domain}" for domain in sorted(domains))},
    )


def household_address(text: str, domains: Collection[str]) -> str | Refusal:
    """An address of the household as a person types it, normalised: a bare local part
    stands for the one at the household's only domain. Whether such a box or alias
    exists is for the directory to say."""
    address = normalise(text)
    if "@" in address:
        return address
    if len(domains) != 1:
        return Refusal("address.no_domain", N_("Enter the whole address, with its @domain."))
    (domain,) = domains
    return f"{address}@{domain}"


def parse_address(text: str, domains: Collection[str]) -> Address | Refusal:
    """Reads a typed address for a new box or alias (a bare local part included)."""
    address = household_address(text, domains)
    if isinstance(address, Refusal):
        return address
    local_part, _, domain = address.rpartition("@")
    if domain not in domains:
        return _foreign_domain(domains)
    if refusal := check_local_part(local_part):
        return refusal
    if len(local_part) + 1 + len(domain) > ADDRESS_MAX:
        return Refusal(
            "address.too_long",
            N_("An address can have at most {maximum} characters."),
            {"maximum": ADDRESS_MAX},
        )
    return Address(local_part, domain)


def typed_address(text: str) -> str:
    """An address typed to sign in, normalised; refused at once, before anything is
    counted or logged, when it is longer than any address can be."""
    address = normalise(text)
    if len(address) > ADDRESS_MAX:
        raise Refused(
            Refusal(
                "address.too_long",
                N_("An address can have at most {maximum} characters."),
                {"maximum": ADDRESS_MAX},
            ),
            field="address",
        )
    return address


def mailbox_home(address: str) -> str:
    """Where a box lives under the mail root: Dovecot's ``%d/%n/`` layout."""
    local_part, _, domain = address.partition("@")
    return f"{domain}/{local_part}/"


def taken_refusal(address: str) -> Refusal:
    return Refusal("address.taken", N_("{address} is already taken."), {"address": address})
