"""What every subcommand shares: the settings, and the services once opened."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from typing import Any

import click
from pydantic import ValidationError

from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import origin_of
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_
from mailwizard.startup import config_file


def cli_origin() -> str:
    """What the audit log records as "from where": the command line, and how it was reached."""
    return f"command line, {origin_of(os.environ, kiosk=False)}"


@dataclass
class CliState:
    settings: Settings
    opened: list[Services] = field(default_factory=list)

    def services(self, *, create_directory: bool = False) -> Services:
        if not self.opened:
            self.opened.append(bootstrap(self.settings, create_directory=create_directory))
        return self.opened[0]

    def close(self) -> None:
        for services in self.opened:
            services.close()


pass_state = click.make_pass_decorator(CliState)


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{key: value for key, value in overrides.items() if value is not None})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise UsageProblem(
            N_("The settings file {path} cannot be read: {reason}"),
            path=str(config_file()),
            reason=str(error),
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        setting = ".".join(str(part) for part in first["loc"])
        raise UsageProblem(
            N_("The setting “{setting}” is not valid: {reason}"),
            setting=setting,
            reason=first["msg"],
        ) from None
