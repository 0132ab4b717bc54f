"""Translations from the gettext catalogs shipped in ``mailwizard/locale``.

Messages are marked with ``N_`` where they are defined and translated with ``_``
(``ngettext`` when a count chooses their form) where they are shown, so one process
can switch language (``--lang``) after the messages were defined.

click translates its own messages (usage errors, help headings) with the standard
library's ``gettext``, which reads the global text domain in the languages that the
``LANGUAGE`` variable lists: setting the interface language sets those too, and the
``click`` catalog beside ours holds their French.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

SUPPORTED_LANGUAGES: Final = ("en", "fr")
DEFAULT_LANGUAGE: Final = "en"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
DOMAIN: Final = "mailwizard"
CLICK_DOMAIN: Final = "click"

_catalogs: dict[str, gettext.NullTranslations] = {}
_active_language = DEFAULT_LANGUAGE


def catalog(language: str) -> gettext.NullTranslations:
    """The translations for one supported language (English is the source text)."""
    if language not in _catalogs:
        _catalogs[language] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )
    return _catalogs[language]


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The language the POSIX locale asks for, when we have it; English otherwise."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("@")[0].lower()
            return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _active_language  # noqa: PLW0603 - one interface language per process
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(language)
    _active_language = language
    gettext.bindtextdomain(CLICK_DOMAIN, LOCALE_DIR)
    gettext.textdomain(CLICK_DOMAIN)
    # The standard gettext takes its languages from the environment and nowhere else.
    os.environ["LANGUAGE"] = language


def active_language() -> str:
    return _active_language


def _(message: str) -> str:
    return catalog(_active_language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that ``count`` calls for, by the language's own rule
    (French says "0 adresse", English "0 addresses")."""
    return catalog(_active_language).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a message for extraction; it is translated later, when shown."""
    return message
