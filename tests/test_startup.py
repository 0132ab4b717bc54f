"""The settings the first frame needs, read without pydantic: always what Settings say."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cli_harness import Cli
from mailwizard.config import Settings
from mailwizard.startup import StartupSettings, read_startup_settings

FIELDS = ("language", "theme", "kiosk", "kiosk_idle_seconds", "kiosk_admin_pin")
SPELLINGS: dict[str, list[str]] = {
    "language": ["en", "fr", "FR", "de", "", "null", " fr"],
    "theme": ["default", "high-contrast", "High-Contrast", "dark", ""],
    "kiosk": ["true", "TRUE", "1", "0", "no", "Yes", "yes ", "2", "", "on", "OFF", "t"],
    "kiosk_idle_seconds": ["120", "20", "19", "3600", "3601", "0120", "+30", " 30", "3e2", "x"],
    "kiosk_admin_pin": ["1234", "123", "", "  4 ", "0000", "passe-partout"],
}
toml_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-5, max_value=5000),
    st.sampled_from([30.0, 120.5]),
    st.text(st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), max_size=6),
)


def field_sources(name: str) -> st.SearchStrategy[tuple[str, str, object]]:
    """Where one setting comes from (nowhere, the environment, the file) and its value."""
    return st.one_of(
        st.just((name, "nowhere", None)),
        st.tuples(st.just(name), st.just("environment"), st.sampled_from(SPELLINGS[name])),
        st.tuples(
            st.just(name),
            st.just("file"),
            st.one_of(st.sampled_from(SPELLINGS[name]), toml_values),
        ),
    )


def toml_line(name: str, value: object) -> str:
    if isinstance(value, bool):
        return f"{name} = {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"{name} = {value!r}"
    # JSON's string escapes are valid in a TOML basic string.
    return f"{name} = {json.dumps(value)}"


def both_readings(
    environment: dict[str, str], config: str, overrides: Mapping[str, Any]
) -> tuple[StartupSettings | None, Settings | ValidationError]:
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "config.toml"
        config_path.write_text(config, encoding="utf-8")
        environment = {**environment, "MAILWIZARD_CONFIG": str(config_path), "HOME": folder}
        with mock.patch.dict(os.environ, environment, clear=True):
            quick = read_startup_settings(overrides)
            try:
                full: Settings | ValidationError = Settings(
                    **{name: value for name, value in overrides.items() if value is not None}
                )
            except ValidationError as error:
                full = error
    return quick, full


def check_agreement(
    environment: dict[str, str], config_lines: list[str], overrides: Mapping[str, Any]
) -> None:
    quick, full = both_readings(environment, "\n".join(config_lines), overrides)
    if isinstance(full, ValidationError):
        wrong = {str(error["loc"][0]) for error in full.errors()}
        assert quick is None or not wrong & set(FIELDS), wrong
    elif quick is not None:
        assert quick == StartupSettings.of(full)


# Each example writes a file and builds the Settings: a busy machine is no failure.
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_each_setting_is_read_as_the_settings_read_it(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FIELDS))
    environment: dict[str, str] = {}
    lines: list[str] = []
    spelling = data.draw(st.none() | st.sampled_from(SPELLINGS[name]))
    if spelling is not None:
        variable = f"MAILWIZARD_{name.upper()}"
        environment[data.draw(st.sampled_from([variable, variable.lower()]))] = spelling
    in_file = data.draw(st.none() | st.sampled_from(SPELLINGS[name]) | toml_values)
    if in_file is not None:
        lines.append(toml_line(name, in_file))
    overrides = {
        "language": data.draw(st.sampled_from([None, "en", "fr"])) if name == "language" else None,
        "kiosk": data.draw(st.sampled_from([None, True])) if name == "kiosk" else None,
    }
    check_agreement(environment, lines, overrides)


@settings(deadline=None)
@given(
    sources=st.tuples(*(field_sources(name) for name in FIELDS)),
    language_option=st.sampled_from([None, "en", "fr"]),
    kiosk_option=st.sampled_from([None, True]),
)
def test_all_of_them_together_never_contradict_the_settings(
    sources: tuple[tuple[str, str, object], ...],
    language_option: str | None,
    kiosk_option: bool | None,
) -> None:
    environment: dict[str, str] = {}
    lines: list[str] = []
    for name, origin, value in sources:
        if origin == "environment":
            environment[f"MAILWIZARD_{name.upper()}"] = str(value)
        elif origin == "file":
            lines.append(toml_line(name, value))
    check_agreement(environment, lines, {"language": language_option, "kiosk": kiosk_option})


def test_the_usual_ways_of_setting_them_are_read_quickly() -> None:
    quick, full = both_readings(
        {"MAILWIZARD_KIOSK": "1", "MAILWIZARD_KIOSK_ADMIN_PIN": "4321"},
        'language = "fr"\ntheme = "high-contrast"\nkiosk_idle_seconds = 300\n',
        {"language": None, "kiosk": None},
    )
    assert quick == StartupSettings("fr", "high-contrast", True, 300, "4321")
    assert not isinstance(full, ValidationError)
    assert quick == StartupSettings.of(full)
    assert both_readings({}, "", {"language": "en", "kiosk": None})[0] == StartupSettings(
        "en", "default", False, 120, None
    )


def test_an_unreadable_config_file_is_left_to_the_settings() -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        both_readings({}, "language = ", {})
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "config.toml"
        config_path.write_text("language = ", encoding="utf-8")
        assert read_startup_settings({}, {"MAILWIZARD_CONFIG": str(config_path)}) is None


def test_an_unreadable_config_file_is_a_usage_error(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text("language = ", encoding="utf-8")
    for command in ((), ("audit",)):
        outcome = Cli.process(*command, env={"MAILWIZARD_CONFIG": str(config_path)})
        assert outcome.exit_code == 2
        assert str(config_path) in outcome.stderr
        assert "Traceback" not in outcome.stderr


def test_a_wrong_start_up_setting_stops_the_wizard_before_any_screen(tmp_path: Path) -> None:
    outcome = Cli.process(env={"MAILWIZARD_LANGUAGE": "de", "MAILWIZARD_DATA_DIR": str(tmp_path)})
    assert outcome.exit_code == 2
    assert "language" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert not any(tmp_path.iterdir()), "nothing is written"
