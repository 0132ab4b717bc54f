"""The interface language, known before click parses the command line, so that its own
messages (an unknown option, a missing value, the help's headings) are in it too."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from mailwizard import i18n
from mailwizard.startup import APP_NAME, read_startup_language

_LANGUAGE_OPTION_ONLY = click.Command(
    None,
    params=[click.Option(["--lang"])],
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
"""Reads ``--lang`` alone: parsing with the ``mailwizard`` group itself would make its
``--help`` option, with its text, before the language is known."""


def language_before_parsing(args: Sequence[str] | None) -> str:
    """``--lang``, then the settings (``MAILWIZARD_LANGUAGE``, the settings file), then
    the locale; ``args`` None: the program's own arguments."""
    arguments = list(sys.argv[1:] if args is None else args)
    context = _LANGUAGE_OPTION_ONLY.make_context(APP_NAME, arguments, resilient_parsing=True)
    asked: str | None = context.params["lang"]
    # One we do not have is click's to refuse, in the language the settings name.
    language = read_startup_language(asked if asked in i18n.SUPPORTED_LANGUAGES else None)
    return language or i18n.language_from_environment()
