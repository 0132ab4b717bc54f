"""The answers file that drives ``mailwizard create`` unattended."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from mailwizard.bounded_files import NESTED_TOO_DEEP, FileRefused, read_bounded
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _

SUGGEST = "suggest"


class CreateAnswers(BaseModel):
    """One secondary box to create; the passwords come from the environment."""

    model_config = ConfigDict(extra="forbid")

    owner: str = Field(description="The holder's primary address, who signs in.")
    civility: str = Field(description="madame (mme), monsieur (m) or neutral (x).")
    first_name: str
    last_name: str
    address: str = Field(description='The new address, or "suggest" for the first proposal.')
    accept_terms: StrictBool = Field(
        default=False, description="Accept the current terms of use: only true accepts them."
    )
    activation: StrictBool = Field(
        default=False,
        description="true: the new user chooses the password with an activation code, "
        "printed after the address, instead of MAILWIZARD_NEW_PASSWORD.",
    )
    language: Literal["en", "fr"] | None = Field(
        default=None, description="Language of the new user's e-mails; default: the interface's."
    )


def read_answers(path: Path) -> CreateAnswers:
    """The answers in ``path``: a regular file of at most 64 KiB of TOML, else a usage
    problem at once (never a wait on a FIFO, nor memory filled from a device)."""
    try:
        data = tomllib.loads(read_bounded(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, FileRefused) as error:
        raise UsageProblem(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=str(error)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise UsageProblem(
            N_("{path} is not valid TOML: {reason}"), path=str(path), reason=str(error)
        ) from None
    except RecursionError:
        raise UsageProblem(
            N_("{path} is not valid TOML: {reason}"), path=str(path), reason=_(NESTED_TOO_DEEP)
        ) from None
    try:
        return CreateAnswers.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        if first["type"] == "missing":
            raise UsageProblem(N_("{path}: “{key}” is missing."), path=str(path), key=key) from None
        if first["type"] == "extra_forbidden":
            raise UsageProblem(
                N_("{path} has an unknown key “{key}”."), path=str(path), key=key
            ) from None
        raise UsageProblem(
            N_("{path}: “{key}” has an invalid value."), path=str(path), key=key
        ) from None
