"""Fixtures shared by the suite: a private directory per test and ways to run the CLI.

Nothing here touches the developer's own data, config or keyring: every test gets
its own data folder, config file and log folder under ``tmp_path``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_harness import Cli
from dovecot_server import Dovecot, running_dovecot
from martin_household import DOMAIN, HOLDER, HOLDER_PASSWORD


@pytest.fixture
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment variables that confine the program to ``tmp_path``."""
    values = {
        "MAILWIZARD_CONFIG": str(tmp_path / "config.toml"),
        "MAILWIZARD_DATA_DIR": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        # Never the developer's own keyring: tests that need one install their own.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    for name in list(os.environ):
        if name.startswith("MAILWIZARD_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    time.tzset()
    return values


@pytest.fixture
def directory_path(isolated_environment: dict[str, str]) -> Path:
    return Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "directory.sqlite3"


@pytest.fixture
def cli(
    isolated_environment: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    return Cli(capsys, monkeypatch)


@pytest.fixture
def household(cli: Cli) -> str:
    """A directory holding the Martin household; returns the holder's address."""
    outcome = cli(
        "init",
        "--domain", DOMAIN,
        "--address", HOLDER,
        "--civility", "m",
        "--first-name", "Jean",
        "--last-name", "Martin",
        env={"MAILWIZARD_PASSWORD": HOLDER_PASSWORD},
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    return HOLDER


@pytest.fixture
def answers_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "answers"
    folder.mkdir()
    yield folder


@pytest.fixture
def dovecot(
    isolated_environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Dovecot]:
    """A real Dovecot signing in the boxes of this test's directory."""
    with running_dovecot(monkeypatch) as server:
        yield server
