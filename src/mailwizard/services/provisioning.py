"""Creating a secondary box: the checks of each wizard step, then the commit.

Each step's check is offered separately so the UI can give early answers, and the
commit runs all of them again: what the UI showed may be stale by then. The command
line, which asks nothing step by step, has all of it in one call.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import partial
from typing import Protocol

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.access import Origin
from mailwizard.domain.addresses import normalise, parse_address, taken_refusal
from mailwizard.domain.models import HouseholdOverview, Identity, MailboxRequest, Role, validated
from mailwizard.domain.passwords import PasswordAssessment, PasswordPolicy, assess_password
from mailwizard.domain.suggestions import base_local_parts, choose_suggestions
from mailwizard.errors import Notice, Refusal, Refused
from mailwizard.i18n import N_
from mailwizard.services.access import AccessService
from mailwizard.services.activation_codes import IssuedCode, issue_code
from mailwizard.services.passphrases import Passphrase, PassphraseService
from mailwizard.services.ports import (
    AddressRegistry,
    AfterCommit,
    Audit,
    CommittedMail,
    Households,
    Mailboxes,
    NewMailbox,
    OutboxMessage,
    PasswordHasher,
)
from mailwizard.services.signin import SignedIn, SignInService
from mailwizard.services.terms import TERMS_VERSION

SAME_PERSON_ADVICE = Notice(
    "identity.same_person",
    N_(
        "This is the holder's own name. For a second address for the same person, "
        "an alias of the primary box is better: one mailbox, one password to remember."
    ),
)


@dataclass(frozen=True)
class CreatedMailbox:
    address: str
    created_at: datetime
    advice: Notice | None
    mail: AfterCommit
    """Its confirmation e-mails, delivered or waiting in the outbox."""
    activation: IssuedCode | None = None
    """For a box whose user chooses the password: the code to give them, shown once."""
    first_name: str = ""
    """Whom the code is for."""


def new_address(text: str, domains: Collection[str]) -> str:
    """The normalised address, if its syntax is right for a new box; whether it is free,
    the transaction that registers it says."""
    parsed = parse_address(text, domains)
    if isinstance(parsed, Refusal):
        raise Refused(parsed, field="address")
    return str(parsed)


def household_of(households: Households, primary_address: str) -> int:
    """The household whose primary address is ``primary_address``, for the operator's
    commands that name a household by it."""
    household_id = households.household_of_primary(normalise(primary_address))
    if household_id is None:
        raise Refused(
            Refusal(
                "household.unknown",
                N_("No household has {address} as its primary address."),
                {"address": normalise(primary_address)},
            ),
            field="owner",
        )
    return household_id


def require_holder(account: SignedIn) -> None:
    if account.role is not Role.PRIMARY:
        raise Refused(
            Refusal(
                "access.not_holder",
                N_("Only the holder, signed in with the primary address, can do this."),
            )
        )


class HolderNames(Protocol):
    """Whose names and address a relative's password must not hold either."""

    @property
    def address(self) -> str: ...

    @property
    def identity(self) -> Identity: ...


def password_assessment(
    policy: PasswordPolicy,
    password: str,
    identity: Identity,
    address: str,
    holder: HolderNames | None = None,
) -> PasswordAssessment:
    """``password`` for the box ``address`` of ``identity``."""
    return assess_password(password, policy, personal_texts(identity, address, holder))


def personal_texts(identity: Identity, address: str, holder: HolderNames | None) -> list[str]:
    """What the password of the box ``address`` of ``identity`` must not hold: their names
    and address, and for a secondary box its ``holder``'s too."""
    personal = [identity.first_name, identity.last_name, address.partition("@")[0]]
    if holder is not None and holder.address != address:
        holder_names = holder.identity
        personal += [holder_names.first_name, holder_names.last_name]
        personal.append(holder.address.partition("@")[0])
    return personal


def require_acceptable_password(
    policy: PasswordPolicy,
    password: str,
    identity: Identity,
    address: str,
    holder: HolderNames | None = None,
) -> None:
    assessment = password_assessment(policy, password, identity, address, holder)
    if not assessment.acceptable:
        raise Refused(assessment.refusals[0], field="password")


class ProvisioningService:
    def __init__(
        self,
        households: Households,
        registry: AddressRegistry,
        mailboxes: Mailboxes,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        mail: CommittedMail,
        activation_lifetime: timedelta,
        clock: Clock = utc_now,
        *,
        passphrases: PassphraseService,
        signin: SignInService,
        access: AccessService,
    ) -> None:
        self._households = households
        self._passphrases = passphrases
        self._signin = signin
        self._access = access
        self._registry = registry
        self._mailboxes = mailboxes
        self._hasher = hasher
        self._policy = policy
        self._mail = mail
        self._activation_lifetime = activation_lifetime
        self._clock = clock

    def open_creation(
        self, holder: SignedIn, origin: Origin, code: str | None, audit_origin: str
    ) -> HouseholdOverview:
        """Step 2's gate: at home or with a valid code from the authenticator (``code``,
        None until one is asked for), then the holder's primary box, an active contract
        and room left. ``audit_origin`` is what the audit log records for a wrong code."""
        self._access.check_creation_access(holder, origin, code, audit_origin)
        require_holder(holder)
        overview = self._households.overview(holder.household_id)
        if refusal := overview.creation_refusal:
            raise Refused(refusal)
        return overview

    @staticmethod
    def same_person_advice(holder: SignedIn, identity: Identity) -> Notice | None:
        return SAME_PERSON_ADVICE if identity.is_same_person_as(holder.identity) else None

    def suggest(self, holder: SignedIn, first_name: str, last_name: str) -> list[str]:
        return self._suggestions(holder.household_id, first_name, last_name)

    def suggest_for_owner(self, owner: str, first_name: str, last_name: str) -> list[str]:
        """The proposals in the household whose primary address is ``owner``, for the
        operator, who signs in as nobody."""
        return self._suggestions(household_of(self._households, owner), first_name, last_name)

    def _suggestions(self, household_id: int, first_name: str, last_name: str) -> list[str]:
        """Available proposals at the household's first domain: the directory finds the
        free numbers of every pattern in one query (two or three for numbers past six
        digits)."""
        domain = self._households.domains(household_id)[0]
        return choose_suggestions(
            base_local_parts(first_name, last_name),
            domain,
            partial(self._registry.free_numbers, domain),
        )

    def check_address(self, holder: SignedIn, text: str) -> str:
        """Step 4's early answer: the address, if its syntax is right and nobody holds it."""
        address = new_address(text, self._households.domains(holder.household_id))
        if self._registry.taken([address]):
            raise Refused(taken_refusal(address), field="address")
        return address

    def assess_password(
        self, password: str, identity: Identity, address: str, holder: SignedIn | None = None
    ) -> PasswordAssessment:
        """For the meter: what ``commit`` will say of ``password`` (with the ``holder``
        whose household the box is in, when known)."""
        return password_assessment(self._policy, password, identity, address, holder)

    def suggest_passphrase(
        self, language: str, identity: Identity, address: str, holder: SignedIn | None = None
    ) -> Passphrase:
        """“Suggest a passphrase” for the box ``address`` of ``identity``: one that
        ``assess_password`` accepts and calls strong, in ``language``."""
        return self._passphrases.suggest(language, personal_texts(identity, address, holder))

    def commit(
        self, holder: SignedIn, request: MailboxRequest, audit_origin: str
    ) -> CreatedMailbox:
        """Re-validates every answer, then writes the box, its consent and both
        confirmation e-mails in one transaction, then delivers those at best: once the
        transaction is committed, the box exists whatever the delivery does. What the
        directory holds (the contract, the quota, whether the address is free) is
        checked by that transaction alone, where nothing can change it meanwhile.
        Blocks for hashing and delivery: run it in a worker."""
        require_holder(holder)
        identity = validated(Identity, **request.identity.model_dump())
        address = new_address(request.address, self._households.domains(holder.household_id))
        if request.accepted_terms_version != TERMS_VERSION:
            raise Refused(
                Refusal("terms.not_accepted", N_("Read and accept the terms of use to continue.")),
                field="terms",
            )
        issued, pending = None, None
        if request.password is None:
            # Its user chooses the password with the code; until then nobody knows one.
            password = secrets.token_urlsafe(32)
            issued, pending = issue_code(self._hasher, self._activation_lifetime, self._clock())
        else:
            password = request.password.get_secret_value()
            require_acceptable_password(self._policy, password, identity, address, holder)
        mailbox = NewMailbox(
            address=address,
            password_hash=self._hasher.hash(password),
            identity=identity,
            language=request.language,
            activation=pending,
        )
        created_at = self._mailboxes.create_secondary(
            holder.household_id,
            mailbox,
            TERMS_VERSION,
            confirmation_messages(holder, mailbox),
            Audit(actor=holder.address, origin=audit_origin),
        )
        return CreatedMailbox(
            address,
            created_at,
            self.same_person_advice(holder, identity),
            self._mail.deliver_committed(),
            issued,
            identity.first_name,
        )

    def create_unattended(
        self,
        owner: str,
        owner_password: str,
        *,
        origin: Origin,
        code: str | None,
        audit_origin: str,
        identity: Identity,
        address: str | None,
        password: str | None,
        accepts_terms: bool,
        language: str,
    ) -> CreatedMailbox:
        """The whole wizard in one call, for the command line: the holder signs in with
        ``owner_password``, passes the gate (``code`` from the authenticator, away from
        home), and the box is committed, at the first proposal for ``identity`` when
        ``address`` is None. ``password`` None: its user chooses one with the activation
        code. Each refusal is the wizard's, in its order; a wrong password is a failed
        sign-in, counted and logged. Blocks for hashing and delivery."""
        holder = self._signin.sign_in(owner, owner_password, audit_origin)
        self.open_creation(holder, origin, code, audit_origin)
        if address is None:
            address = self._first_proposal(holder, identity)
        request = MailboxRequest(
            identity=identity,
            address=address,
            password=password,
            accepted_terms_version=TERMS_VERSION if accepts_terms else None,
            language=language,
        )
        return self.commit(holder, request, audit_origin)

    def _first_proposal(self, holder: SignedIn, identity: Identity) -> str:
        proposals = self.suggest(holder, identity.first_name, identity.last_name)
        if not proposals:
            raise Refused(
                Refusal(
                    "address.no_suggestion",
                    N_("No address can be proposed for this name: give one in “address”."),
                ),
                field="address",
            )
        return proposals[0]


def mail_context(holder: HolderNames, address: str, identity: Identity) -> dict[str, str]:
    """What every e-mail about a box may say: whose box, and whose household."""
    return {
        "address": address,
        "first_name": identity.first_name,
        "last_name": identity.last_name,
        "holder_address": holder.address,
        "holder_name": holder.identity.full_name,
    }


def notice(template: str, recipient: str, language: str, context: dict[str, str]) -> OutboxMessage:
    return OutboxMessage(
        make_msgid(domain=recipient.partition("@")[2]), recipient, language, template, context
    )


def confirmation_messages(holder: SignedIn, mailbox: NewMailbox) -> list[OutboxMessage]:
    """One e-mail to the holder, one to the new user, each in its reader's language."""
    context = mail_context(holder, mailbox.address, mailbox.identity)
    return [
        notice("holder_confirmation", holder.address, holder.language, context),
        notice("welcome", mailbox.address, mailbox.language, context),
    ]
