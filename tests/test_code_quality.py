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
    """Every module or name a source file imports, at its top, inside a function or for
    the type checker only: ``from a.b import c`` gives ``a.b.c``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


SOURCE = ROOT / "src" / "mailwizard"
ADAPTERS = (
    "mailwizard.backends",
    "mailwizard.delivery",
    "mailwizard.hashing",
    "mailwizard.keyring_secrets",
    "mailwizard.word_lists",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "sqlite3",
    "argon2",
    "keyring",
)
"""What the ports of ``services/ports.py`` stand for: only the composition root wires them."""
IO = (
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "socket",
    "subprocess",
    "smtplib",
    "urllib",
    "http",
    "logging",
    "mailwizard.logs",
    "mailwizard.config",
    "mailwizard.startup",
)
LAYERS = {
    # layer: what none of its modules may import
    "domain": (*ADAPTERS, *IO, "mailwizard.services", "mailwizard.cli", "mailwizard.tui",
               "mailwizard.bootstrap", "textual", "click"),
    "services": (*ADAPTERS, "mailwizard.cli", "mailwizard.tui", "mailwizard.bootstrap",
                 "textual", "click"),
    "tui": (*ADAPTERS, "mailwizard.cli", "mailwizard.bootstrap"),
    "cli": (*ADAPTERS, "mailwizard.tui.screens", "mailwizard.bootstrap"),
}  # fmt: skip
CROSSINGS_ALLOWED = {
    # The two composition points: the wizard opens the directory behind its first
    # screen, the command line for each command.
    "tui/app.py": ("mailwizard.bootstrap",),
    "cli/state.py": ("mailwizard.bootstrap",),
    # A passphrase needs no directory: the word lists, wired as the root wires them.
    "cli/passphrase.py": ("mailwizard.bootstrap.passphrases",),
    # Operators' tasks beside the household's use cases, on the adapters directly:
    # the mail servers' files, and the program's own secrets in the system keyring.
    "cli/server_config.py": ("mailwizard.backends",),
    "cli/secrets_command.py": ("mailwizard.keyring_secrets",),
}


def within(name: str, modules: tuple[str, ...]) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in modules)


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_imports_point_only_downwards(layer: str) -> None:
    crossing = {
        f"{where}: {name}"
        for path in (SOURCE / layer).rglob("*.py")
        for where in [path.relative_to(SOURCE).as_posix()]
        for name in imports_of(path)
        if within(name, LAYERS[layer]) and not within(name, CROSSINGS_ALLOWED.get(where, ()))
    }
    assert crossing == set()


def test_the_allowed_crossings_are_all_still_needed() -> None:
    """An exception to the layers that nothing uses any more is removed, not kept."""
    unused = {
        f"{where}: {allowed}"
        for where, modules in CROSSINGS_ALLOWED.items()
        for allowed in modules
        if not any(within(name, (allowed,)) for name in imports_of(SOURCE / where))
    }
    assert unused == set()


def module_of(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run_time_imports(path: Path, modules: set[str]) -> set[str]:
    """The project's modules ``path`` imports when it runs, at its top or in a function;
    not those named for the type checker only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for_types = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in for_types:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module)
    return found & modules


def import_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import one another, directly or round a loop."""
    reaches = {module: set(imported) for module, imported in graph.items()}
    changed = True
    while changed:
        changed = False
        for reached in reaches.values():
            further = set().union(*(reaches[module] for module in reached)) - reached
            if further:
                reached.update(further)
                changed = True
    cycles: list[set[str]] = []
    for module in sorted(graph):
        if module in reaches[module] and not any(module in cycle for cycle in cycles):
            cycles.append({other for other in reaches[module] if module in reaches[other]})
    return cycles


@pytest.mark.parametrize("layer", ["domain", "services", "tui", "cli"])
def test_no_import_in_a_function_hides_a_cycle(layer: str) -> None:
    """Imported when they run, the modules still import one another only downwards: an
    import written inside a function is there to load something later, never to break a
    loop of imports."""
    files = {module_of(path): path for path in SOURCE.rglob("*.py")}
    graph = {module: run_time_imports(path, set(files)) for module, path in files.items()}
    cycles = [cycle for cycle in import_cycles(graph) if any(
        module.startswith(f"mailwizard.{layer}.") for module in cycle)]  # fmt: skip
    assert cycles == []


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


def is_command(function: ast.FunctionDef) -> bool:
    """Decorated with ``click.command(…)`` or a group's ``….command(…)``."""
    return any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "command"
        for decorator in function.decorator_list
    )


def service_calls(command: ast.FunctionDef) -> list[str]:
    """``service.method`` for each call one run of ``command`` can make of the form
    ``state.services().service.method(…)``, also through a name given ``state.services()``
    or one of its services; of an ``if`` and its ``else``, the branch that makes more. A
    service handed to a helper (the holder's sign-in most commands start with) is not
    counted: the helper makes that one call."""
    opened: set[str] = set()
    services: dict[str, str] = {}

    def is_opened(node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in opened
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "services"
        )

    def service_named(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return services.get(node.id)
        if isinstance(node, ast.Attribute) and is_opened(node.value):
            return node.attr
        return None

    def calls_in(tree: ast.AST) -> list[str]:
        return [
            f"{service}.{node.func.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if (service := service_named(node.func.value))
        ]

    def most_in_one_run(statements: list[ast.stmt]) -> list[str]:
        calls: list[str] = []
        for statement in statements:
            if isinstance(statement, ast.If):
                branches = (most_in_one_run(statement.body), most_in_one_run(statement.orelse))
                calls += calls_in(statement.test) + max(branches, key=len)
            else:
                calls += calls_in(statement)
        return calls

    for node in ast.walk(command):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and is_opened(value):
            opened.add(target.id)
        elif isinstance(target, ast.Name) and (service := service_named(value)):
            services[target.id] = service
    return most_in_one_run(command.body)


SEVERAL_SERVICE_CALLS_ALLOWED = {
    # The secret is shown, then the first code the app makes of it is typed: two calls,
    # with the person in between.
    "cli/totp.py:enrol": ["access.start_enrolment", "access.confirm_enrolment"],
}


def commands_calling_services() -> dict[str, list[str]]:
    return {
        f"{path.relative_to(SOURCE).as_posix()}:{node.name}": service_calls(node)
        for path in sorted((SOURCE / "cli").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and is_command(node)
    }


def test_each_command_makes_one_service_call() -> None:
    """One user action, one service call: the service owns the use case, the command
    gathers its input and shows its result."""
    commands = commands_calling_services()
    assert commands["cli/creation.py:create"] == ["provisioning.create_unattended"]
    several = {
        command: calls
        for command, calls in commands.items()
        if len(calls) > 1 and SEVERAL_SERVICE_CALLS_ALLOWED.get(command) != calls
    }
    assert several == {}
    still = {command: commands.get(command) for command in SEVERAL_SERVICE_CALLS_ALLOWED}
    assert still == SEVERAL_SERVICE_CALLS_ALLOWED, "an exception no longer needed is removed"
