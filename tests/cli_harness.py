"""Running the real command line from tests, and reading what it left in the directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, inspect, text

from mailwizard import i18n
from mailwizard.bootstrap import bootstrap
from mailwizard.cli.main import run
from mailwizard.clock import utc_now
from mailwizard.config import Settings
from mailwizard.services.delivery import FlushReport
from martin_household import CREATE_ENV, DOMAIN, HOLDER, HOLDER_PASSWORD, OWNER_ENV


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


@contextmanager
def directory_connection(url: str) -> Iterator[Connection]:
    """A connection of the test's own to the directory at ``url``, behind the program's
    back: its transaction is committed when the block ends."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def query(url: str, sql: str, **parameters: object) -> list[tuple[object, ...]]:
    """The rows of ``sql`` (none for a statement that changes rows) in the directory at
    ``url``, read or written directly."""
    with directory_connection(url) as connection:
        result = connection.execute(text(sql), parameters)
        return [tuple(row) for row in result] if result.returns_rows else []


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

    def init(
        self,
        domain: str = DOMAIN,
        address: str = HOLDER,
        civility: str = "m",
        last_name: str = "Martin",
        password: str = HOLDER_PASSWORD,
    ) -> Outcome:
        """``mailwizard init``: the Martins' household unless told otherwise, its holder
        first named Jean."""
        return self(
            "init", "--domain", domain, "--address", address, "--civility", civility,
            "--first-name", "Jean", "--last-name", last_name,
            env={"MAILWIZARD_PASSWORD": password},
        )  # fmt: skip

    def create(
        self, answers_dir: Path, *, env: Mapping[str, str] = CREATE_ENV, **answers: object
    ) -> Outcome:
        """``mailwizard create`` with the answers of ``write_answers``: Léa's box unless
        ``answers`` say otherwise."""
        path = write_answers(answers_dir / "answers.toml", **answers)
        return self("create", "--answers", str(path), env=env)

    def new_box(
        self, answers_dir: Path, *, env: Mapping[str, str] = CREATE_ENV, **answers: object
    ) -> str:
        """The address of the box ``create`` made, once it did."""
        created = self.create(answers_dir, env=env, **answers)
        assert created.exit_code == 0, created.stderr
        return created.stdout.strip()

    def box_awaiting_activation(self, answers_dir: Path) -> tuple[str, str]:
        """Léa's box, created for her to choose its password: its address and the
        activation code printed."""
        created = self.create(answers_dir, env=OWNER_ENV, activation=True)
        assert created.exit_code == 0, created.stderr
        address, line = created.stdout.splitlines()
        return address, line.removeprefix("activation code: ")

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


def household_listing(cli: Cli) -> dict[str, Any]:
    """``accounts list --json`` of the Martins' household."""
    outcome = cli("accounts", "list", "--owner", HOLDER, "--json")
    assert outcome.exit_code == 0, outcome.stderr
    listing: dict[str, Any] = json.loads(outcome.stdout)
    return listing


def outbox_listing(cli: Cli) -> list[dict[str, Any]]:
    """``outbox list --json``: every message waiting, sent or failed."""
    outcome = cli("outbox", "list", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    listing: list[dict[str, Any]] = json.loads(outcome.stdout)
    return listing


def flush_later(minutes: float) -> FlushReport:
    """The outbox flushed once by a program whose clock reads ``minutes`` from now."""
    later = utc_now() + timedelta(minutes=minutes)
    services = bootstrap(Settings(), clock=lambda: later)
    try:
        return services.delivery.flush()
    finally:
        services.close()


def write_answers(path: Path, **answers: object) -> Path:
    """An answers file for ``mailwizard create``: unless ``answers`` say otherwise, the
    holder asks for a box for Ms Léa Martin at the address proposed first, terms accepted."""
    values: dict[str, object] = {
        "owner": HOLDER,
        "civility": "mme",
        "first_name": "Léa",
        "last_name": "Martin",
        "address": "suggest",
        "accept_terms": True,
    }
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
    with directory_connection(url) as connection:
        tables = sorted(inspect(connection).get_table_names())
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                key=repr,
            )
            for table in tables
        }
