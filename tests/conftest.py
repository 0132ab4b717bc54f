"""Fixtures shared by the suite: a private directory per test and ways to run the CLI.

Nothing here touches the developer's own data, config or keyring: every test gets
its own data folder, config file and log folder under ``tmp_path``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mailwizard import i18n
from mailwizard.cli import run

HOLDER = "jean.martin@famille-martin.fr"
HOLDER_PASSWORD = "Vélo-rouge-sur-la-plage-42"
NEW_PASSWORD = "Un-chat-bleu-dans-le-jardin"
DOMAIN = "famille-martin.fr"


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment variables that confine the program to ``tmp_path``."""
    values = {
        "MAILWIZARD_CONFIG": str(tmp_path / "config.toml"),
        "MAILWIZARD_DATA_DIR": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LC_ALL": "C.UTF-8",
    }
    for name in list(os.environ):
        if name.startswith("MAILWIZARD_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def directory_path(isolated_environment: dict[str, str]) -> Path:
    return Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "directory.sqlite3"


class Cli:
    """Runs ``mailwizard`` in this process (fast) or as a real process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *args: str, env: Mapping[str, str] | None = None) -> Outcome:
        self._capsys.readouterr()
        with self._monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            language = i18n.active_language()
            try:
                exit_code = run(list(args))
            finally:
                i18n.set_language(language)
        captured = self._capsys.readouterr()
        return Outcome(exit_code, captured.out, captured.err)

    @staticmethod
    def process(*args: str, env: Mapping[str, str] | None = None, timeout: float = 60) -> Outcome:
        completed = subprocess.run(
            [sys.executable, "-m", "mailwizard", *args],
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        return Outcome(completed.returncode, completed.stdout, completed.stderr)


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


def write_answers(path: Path, **answers: object) -> Path:
    """An answers file for ``mailwizard create``, owner and terms filled in by default."""
    values: dict[str, object] = {"owner": HOLDER, "civility": "mme", "accept_terms": True}
    values.update(answers)
    lines = []
    for key, value in values.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{escaped}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


CREATE_ENV = {"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD, "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD}


def dump_directory(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused command wrote nothing."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ).scalars()
            return {
                table: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
                for table in list(tables)
            }
    finally:
        engine.dispose()


@pytest.fixture
def answers_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "answers"
    folder.mkdir()
    yield folder
