"""The project's own promises about its code: linted, typed, layered, light to start."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


PYTHON_FOLDERS = [
    name
    for name in ("src", "tests", "benchmarks", "screenshots", "scripts")
    if (ROOT / name).is_dir()
]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.xdist_group("linters")
def test_ruff_finds_nothing() -> None:
    lint = run(sys.executable, "-m", "ruff", "check", *PYTHON_FOLDERS)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    layout = run(sys.executable, "-m", "ruff", "format", "--check", *PYTHON_FOLDERS)
    assert layout.returncode == 0, layout.stdout + layout.stderr


@pytest.mark.xdist_group("linters")
def test_mypy_strict_finds_nothing() -> None:
    typed = run(sys.executable, "-m", "mypy")
    assert typed.returncode == 0, typed.stdout + typed.stderr


def modules_loaded_by(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    completed = run(sys.executable, "-c", probe)
    assert completed.returncode == 0, completed.stderr
    return set(completed.stdout.split())


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize(
    "statement",
    [
        "import mailwizard.services.provisioning",
        "import mailwizard.services.households",
        "import mailwizard.domain.models",
        "import mailwizard.bootstrap",
    ],
)
def test_the_core_never_imports_textual(statement: str) -> None:
    assert "textual" not in top_level(modules_loaded_by(statement))


def test_the_domain_does_no_io() -> None:
    loaded = top_level(
        modules_loaded_by(
            "import mailwizard.domain.models, mailwizard.domain.passwords, "
            "mailwizard.domain.suggestions"
        )
    )
    assert not loaded & {"sqlalchemy", "alembic", "argon2", "click"}


def imports_of(path: Path) -> set[str]:
    """Every module a source file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


SOURCE = ROOT / "src" / "mailwizard"
LAYERS = {
    # layer: what none of its modules may import
    "domain": ("mailwizard.services", "mailwizard.backends", "mailwizard.delivery",
               "mailwizard.cli", "mailwizard.tui", "mailwizard.bootstrap", "sqlalchemy",
               "psycopg", "sqlite3", "keyring", "argon2", "textual", "click", "smtplib",
               "socket", "subprocess"),
    "services": ("mailwizard.backends", "mailwizard.delivery", "mailwizard.cli",
                 "mailwizard.tui", "mailwizard.bootstrap", "sqlalchemy", "psycopg",
                 "textual", "click"),
    "tui": ("mailwizard.backends", "mailwizard.delivery", "mailwizard.cli"),
    "cli": ("mailwizard.backends", "mailwizard.delivery", "mailwizard.tui.screens"),
}  # fmt: skip
# Writing the mail servers' files is an operator's task beside the household's use cases:
# that command works on the adapters directly.
OPERATOR_COMMANDS = {SOURCE / "cli" / "server_config.py"}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_imports_point_only_downwards(layer: str) -> None:
    forbidden = LAYERS[layer]
    crossing = {
        f"{path.relative_to(SOURCE)}: {name}"
        for path in (SOURCE / layer).rglob("*.py")
        if path not in OPERATOR_COMMANDS
        for name in imports_of(path)
        if any(name == banned or name.startswith(f"{banned}.") for banned in forbidden)
    }
    assert crossing == set()


def test_heavy_libraries_wait_until_they_are_needed() -> None:
    loaded = top_level(modules_loaded_by("import mailwizard.cli, mailwizard.bootstrap"))
    assert not loaded & {"sqlalchemy", "alembic", "argon2", "zxcvbn"}


def test_the_first_screen_waits_for_no_heavy_library() -> None:
    """What the wizard loads before its sign-in form is drawn: the rest comes after."""
    loaded = top_level(
        modules_loaded_by(
            "import mailwizard.cli, mailwizard.cli.launch, mailwizard.tui.app, "
            "mailwizard.tui.screens.sign_in"
        )
    )
    heavy = {"pydantic", "pydantic_settings", "sqlalchemy", "psycopg", "keyring", "argon2"}
    assert not loaded & (heavy | {"alembic", "zxcvbn", "click"})


def test_the_wizard_never_loads_the_command_line_library(tmp_path: Path) -> None:
    """Behind its first screen the wizard reads its settings and opens the directory."""
    loaded = top_level(
        modules_loaded_by(
            f"import os; os.environ['MAILWIZARD_DATA_DIR'] = {str(tmp_path)!r}; "
            "from mailwizard.cli.launch import wizard_for; "
            "wizard_for({})._open_services().close()"
        )
    )
    assert "sqlalchemy" in loaded, "the directory was opened"
    assert "click" not in loaded
