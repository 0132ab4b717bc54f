"""How the program starts, and what becomes of a failure on the way.

``mailwizard`` alone opens the wizard without loading the command line's library;
``mailwizard`` with arguments goes through ``cli.main``. Either way a failure is one
line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from mailwizard.errors import MailwizardError
from mailwizard.logs import log_unexpected_error, unexpected_error_notice
from mailwizard.startup import StartupSettings, read_startup_settings

if TYPE_CHECKING:
    from mailwizard.config import Settings
    from mailwizard.tui.app import MailwizardApp

EXIT_INTERNAL_ERROR = 70


def wizard_for(overrides: dict[str, Any]) -> MailwizardApp:
    """The wizard ``mailwizard`` opens, given the command line's values."""
    from mailwizard.tui.app import command_line_app  # Textual is only for the wizard itself

    startup = read_startup_settings(overrides)
    if startup is None:
        from mailwizard.config import load_settings

        # Says on the terminal which setting is wrong, before any screen opens.
        settings = load_settings(**overrides)
        return command_line_app(StartupSettings.of(settings), lambda: settings)

    def load_full_settings() -> Settings:
        from mailwizard.config import load_settings

        return load_settings(**overrides)

    return command_line_app(startup, load_full_settings)


def open_wizard() -> int:
    """``mailwizard`` without arguments; the exit code."""
    try:
        wizard_for({}).run()
    except MailwizardError as error:
        sys.stderr.write(error.message + "\n")
        return error.exit_code
    except Exception as error:
        return report_internal_error(error)
    return 0


def report_internal_error(error: Exception) -> int:
    log = log_unexpected_error("unexpected error in the command line", error)
    sys.stderr.write(unexpected_error_notice(log) + "\n")
    return EXIT_INTERNAL_ERROR
