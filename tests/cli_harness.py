"""Running the real command line from tests, and reading what it left in the directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from mailwizard import i18n
from mailwizard.cli.main import run
from martin_household import HOLDER


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    """The rows of ``sql`` in the directory at ``url``, read directly."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


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


def at_the_same_instant(count: int, *args: str, env: Mapping[str, str]) -> list[Outcome]:
    """``mailwizard ARGS`` run by ``count`` processes together (see simultaneous_cli.py):
    each one's exit code and standard error (its output is not kept)."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("simultaneous_cli.py")), str(count), *args],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    return [Outcome(o["exit_code"], "", o["stderr"]) for o in json.loads(completed.stdout)]


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


def dump_directory(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused command wrote nothing."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            return {
                table: sorted(
                    (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                    key=repr,
                )
                for table in tables
            }
    finally:
        engine.dispose()
