"""The answers file that drives ``mailwizard create`` unattended."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_

SUGGEST = "suggest"


class CreateAnswers(BaseModel):
    """One secondary box to create; the passwords come from the environment."""

    model_config = ConfigDict(extra="forbid")

    owner: str = Field(description="The holder's primary address, who signs in.")
    civility: str = Field(description="madame (mme), monsieur (m) or neutral (x).")
    first_name: str
    last_name: str
    address: str = Field(description='The new address, or "suggest" for the first proposal.')
    accept_terms: bool = Field(default=False, description="Accept the current terms of use.")
    language: Literal["en", "fr"] | None = Field(
        default=None, description="Language of the new user's e-mails; default: the interface's."
    )


def read_answers(path: Path) -> CreateAnswers:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageProblem(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=str(error)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise UsageProblem(
            N_("{path} is not valid TOML: {reason}"), path=str(path), reason=str(error)
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
