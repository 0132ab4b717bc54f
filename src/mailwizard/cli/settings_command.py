"""``mailwizard config set|show``: settings written once into the config file, so that
every later command (init, create, flush, the wizard, the server files) shares them
without an exported variable to remember."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click
import tomli_w
from pydantic import SecretStr

from mailwizard.bounded_files import INPUT_MAX_BYTES, NESTED_TOO_DEEP, FileRefused, read_bounded
from mailwizard.cli.state import CliState, pass_state
from mailwizard.config import Settings, load_settings
from mailwizard.errors import DirectoryUnavailable, UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.startup import config_file
from mailwizard.whole_files import replace_whole


def _value(text: str) -> Any:
    """A TOML value when it reads as one (5000, true, ["a", "b"]), else the text itself."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return text


def _assignment(text: str) -> tuple[str, Any]:
    name, separator, value = text.partition("=")
    name = name.strip()
    if not separator or name not in Settings.model_fields:
        raise UsageProblem(
            N_("“{assignment}” is not SETTING=VALUE with a known setting."), assignment=text
        )
    return name, _value(value.strip())


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_bounded(path).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, FileRefused) as error:
        raise UsageProblem(
            N_("The settings file {path} cannot be read: {reason}"), path=str(path), reason=error
        ) from None
    except RecursionError:
        raise UsageProblem(
            N_("The settings file {path} cannot be read: {reason}"),
            path=str(path),
            reason=_(NESTED_TOO_DEEP),
        ) from None


def _serialised(path: Path, content: dict[str, Any]) -> bytes:
    """The settings file's new bytes, refused when the next command could not read them."""
    serialised = tomli_w.dumps(content).encode("utf-8")
    if len(serialised) > INPUT_MAX_BYTES:
        raise UsageProblem(
            N_("The settings file {path} would be larger than {size} KiB."),
            path=str(path),
            size=INPUT_MAX_BYTES // 1024,
        )
    return serialised


def _replace(path: Path, content: bytes) -> None:
    """0600, as it may hold a kiosk PIN; written whole through a renamed temporary file."""
    try:
        replace_whole(path, content, mode=0o600, folder_mode=0o700)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot write the settings file {path}: {reason}"),
            path=str(path),
            reason=error.strerror,
        ) from None


@click.group(name="config")
def config() -> None:
    """Read or write the settings file."""


@config.command(name="set")
@click.argument("assignments", nargs=-1, required=True, metavar="SETTING=VALUE...")
def set_settings(assignments: tuple[str, ...]) -> None:
    """Write settings into the settings file, after checking them all together."""
    path = config_file()
    content = _read(path)
    content.update(_assignment(text) for text in assignments)
    load_settings(**content)
    _replace(path, _serialised(path, content))
    click.echo(path)


@config.command(name="show")
@pass_state
def show_settings(state: CliState) -> None:
    """Every setting in force, wherever it comes from; secrets hidden."""
    click.echo(_("# from {path}, the environment and the defaults").format(path=config_file()))
    shown: dict[str, Any] = {}
    for name, value in state.settings.model_dump(exclude_none=True).items():
        if isinstance(value, SecretStr):
            shown[name] = "********"
        elif isinstance(value, Path):
            shown[name] = str(value)
        else:
            shown[name] = value
    click.echo(tomli_w.dumps(shown), nl=False)


COMMANDS = (config,)
