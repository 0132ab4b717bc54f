"""What every subcommand shares: the settings, and the services once opened."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import click

from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import origin_of
from mailwizard.i18n import _
from mailwizard.services.ports import AfterCommit


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


def warn_if_waiting(after: AfterCommit) -> None:
    """The action is done (exit 0); its e-mails wait safely in the outbox."""
    if after.waiting is not None:
        click.echo(
            _(
                "Warning: the confirmation e-mails wait in the outbox ({reason}); "
                "“mailwizard outbox flush” sends them."
            ).format(reason=after.waiting),
            err=True,
        )
