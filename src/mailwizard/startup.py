"""What the wizard's first frame needs from the settings: language, theme, kiosk mode.

Loading the full ``Settings`` imports pydantic-settings, which alone takes longer than
Textual leaves for a quick start. These are read here from the same places in
the same order (command line, ``MAILWIZARD_*`` variables, ``config.toml``) with the
standard library only; the full settings follow in the background and are what the
rest of the program uses. Whenever a value is not plainly valid, this reader gives
up and the caller loads the full settings first, which say what is wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import platformdirs

from mailwizard.bounded_files import FileRefused, read_bounded
from mailwizard.i18n import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from mailwizard.config import Settings

APP_NAME: Final = "mailwizard"
ENVIRONMENT_PREFIX: Final = "MAILWIZARD_"
THEME_NAMES: Final = ("default", "high-contrast")
KIOSK_IDLE_SECONDS: Final = 120
KIOSK_IDLE_BOUNDS: Final = (20, 3600)
KIOSK_PIN_MIN_LENGTH: Final = 4
# The spellings pydantic accepts for a boolean, in any case (and no spaces around).
TRUE_WORDS: Final = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS: Final = frozenset({"0", "off", "f", "false", "n", "no"})


def config_file(environ: Mapping[str, str] = os.environ) -> Path:
    override = environ.get(f"{ENVIRONMENT_PREFIX}CONFIG")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME) / "config.toml"


@dataclass(frozen=True)
class StartupSettings:
    language: str | None
    """None: from the locale."""
    theme: str
    kiosk: bool
    kiosk_idle_seconds: int
    kiosk_admin_pin: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> StartupSettings:
        pin = settings.kiosk_admin_pin
        return cls(
            language=settings.language,
            theme=settings.theme,
            kiosk=settings.kiosk,
            kiosk_idle_seconds=settings.kiosk_idle_seconds,
            kiosk_admin_pin=None if pin is None else pin.get_secret_value(),
        )


class _Unsure(Exception):
    """A value this reader cannot vouch for: the full settings decide."""


def read_startup_settings(
    overrides: Mapping[str, object], environ: Mapping[str, str] = os.environ
) -> StartupSettings | None:
    """The first frame's settings, or None when only the full settings can tell.

    ``overrides`` are the command line's values (None: not given)."""
    try:
        sources = _Sources(overrides, environ)
        language, theme, kiosk, idle_seconds, pin = (
            sources.value(name)
            for name in ("language", "theme", "kiosk", "kiosk_idle_seconds", "kiosk_admin_pin")
        )
        return StartupSettings(
            language=None if language is None else _choice(language, SUPPORTED_LANGUAGES),
            theme=THEME_NAMES[0] if theme is None else _choice(theme, THEME_NAMES),
            kiosk=False if kiosk is None else _boolean(kiosk),
            kiosk_idle_seconds=(
                KIOSK_IDLE_SECONDS if idle_seconds is None else _idle_seconds(idle_seconds)
            ),
            kiosk_admin_pin=None if pin is None else _pin(pin),
        )
    except _Unsure:
        return None


def read_startup_language(
    command_line: str | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The language the settings name (``command_line`` first), or None when they name
    none, or one only the full settings can judge."""
    try:
        language = _Sources({"language": command_line}, environ).value("language")
        return None if language is None else _choice(language, SUPPORTED_LANGUAGES)
    except _Unsure:
        return None


class _Sources:
    def __init__(self, overrides: Mapping[str, object], environ: Mapping[str, str]) -> None:
        self._overrides = overrides
        # pydantic-settings matches variable names without regard to case.
        self._environment = {
            name.upper().removeprefix(ENVIRONMENT_PREFIX).lower(): value
            for name, value in environ.items()
            if name.upper().startswith(ENVIRONMENT_PREFIX)
        }
        self._file: dict[str, object] | None = None
        self._file_path = config_file(environ)

    def value(self, name: str) -> object:
        if self._overrides.get(name) is not None:
            return self._overrides[name]
        if name in self._environment:
            return self._environment[name]
        return self._config().get(name)

    def _config(self) -> dict[str, object]:
        if self._file is None:
            try:
                content = read_bounded(self._file_path)
            except FileNotFoundError:
                content = b""
            except (OSError, FileRefused):
                raise _Unsure from None
            self._file = _parsed(content) if content else {}
        return self._file


def _parsed(content: bytes) -> dict[str, object]:
    import tomllib  # most machines have no config file: not loaded for nothing

    try:
        return tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        raise _Unsure from None


def _choice(value: object, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value in choices:
        return value
    raise _Unsure


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Unsure


def _idle_seconds(value: object) -> int:
    if isinstance(value, str) and re.fullmatch("[1-9][0-9]{0,5}", value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = KIOSK_IDLE_BOUNDS
        if low <= value <= high:
            return value
    raise _Unsure


def _pin(value: object) -> str:
    if isinstance(value, str) and len(value) >= KIOSK_PIN_MIN_LENGTH:
        return value
    raise _Unsure
