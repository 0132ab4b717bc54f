"""The terms of use a new box's creation accepts, in each interface language."""

from __future__ import annotations

from importlib import resources
from typing import Final

TERMS_VERSION: Final = "2026-11"


def terms_text(language: str) -> str:
    return resources.files("mailwizard.terms").joinpath(f"{language}.md").read_text("utf-8")
