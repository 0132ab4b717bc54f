"""The household every test starts from: the Martins, their passwords, the holder's
authenticator app."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pyotp

from mailwizard.domain.access import Origin, OriginKind
from mailwizard.domain.models import Identity, MailboxRequest
from mailwizard.services.terms import TERMS_VERSION

if TYPE_CHECKING:
    from mailwizard.bootstrap import Services
    from mailwizard.services.signin import SignedIn

HOLDER = "jean.martin@famille-martin.fr"
HOLDER_PASSWORD = "Vélo-rouge-sur-la-plage-42"
NEW_PASSWORD = "Un-chat-bleu-dans-le-jardin"
DOMAIN = "famille-martin.fr"
LEA = f"lea.martin@{DOMAIN}"

OWNER_ENV = {"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD}
CREATE_ENV = {**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD}


def activation_env(code: str) -> dict[str, str]:
    """What ``mailwizard activate`` reads: the code, and the password Léa chooses."""
    return {"MAILWIZARD_ACTIVATION_CODE": code, "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD}


def box_request(
    address: str, first_name: str = "Camille", last_name: str = "Petit", language: str = "en"
) -> MailboxRequest:
    """A complete, valid request for a new box, terms accepted."""
    return MailboxRequest(
        identity=Identity(civility="x", first_name=first_name, last_name=last_name),
        address=address,
        password=NEW_PASSWORD,
        accepted_terms_version=TERMS_VERSION,
        language=language,
    )


def awaiting_request(
    address: str, first_name: str = "Léa", last_name: str = "Martin"
) -> MailboxRequest:
    """The same, for a box whose user will choose the password with an activation code."""
    return box_request(address, first_name, last_name).model_copy(update={"password": None})


def awaiting_activation(services: Services) -> str:
    """Léa's box, created for her to choose its password: the code the holder is shown."""
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    created = services.provisioning.commit(holder, awaiting_request(LEA), "test")
    assert created.activation is not None
    return created.activation.code


def enrolled_authenticator(services: Services, holder: SignedIn, now: datetime) -> pyotp.TOTP:
    """The holder's authenticator app, enrolled from the console with the code of the
    step before ``now``: the code of ``now`` is still unused."""
    enrolment = services.access.start_enrolment(holder, Origin(OriginKind.CONSOLE))
    authenticator = pyotp.TOTP(enrolment.secret)
    first_code = authenticator.at(now - timedelta(seconds=30))
    services.access.confirm_enrolment(holder, enrolment, first_code, "test")
    return authenticator
