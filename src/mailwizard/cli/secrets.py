"""Passwords for the command line: from the environment, or typed at a hidden prompt.

Never from an option: the process list would show them to every user.
"""

from __future__ import annotations

import os
import sys

import click

from mailwizard.domain.passwords import check_confirmation
from mailwizard.errors import Refused, UsageProblem
from mailwizard.i18n import N_, _


def read_password(variable: str, prompt: str, *, confirm: bool = False) -> str:
    """``prompt`` is an already translated label, colon included."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageProblem(
            N_("Set {variable}, or run the command in a terminal to type the password."),
            variable=variable,
        )
    password: str = click.prompt(prompt, hide_input=True, prompt_suffix=" ")
    if confirm:
        again: str = click.prompt(_("Type it again:"), hide_input=True, prompt_suffix=" ")
        if refusal := check_confirmation(password, again):
            raise Refused(refusal, field="confirmation")
    return password
