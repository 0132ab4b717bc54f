"""Fixtures shared by the suite: a private directory per test and ways to run the CLI.

Nothing here touches the developer's own data, config or keyring: every test gets
its own data folder, config file and log folder under ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from cli_harness import Cli
from dovecot_server import NOBODY, Dovecot, require_server, running_dovecot
from hand_clock import HandClock
from mailwizard import i18n
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import SSH_VARIABLES
from mailwizard.services.signin import SignedIn
from martin_household import DOMAIN, HOLDER, HOLDER_PASSWORD
from memory_keyring import MemoryKeyring, keyring_installed
from postgres_server import PASSWORD as POSTGRES_PASSWORD
from postgres_server import SUPERUSER as POSTGRES_USER
from postgres_server import Postgres, running_postgres
from real_terminal import TMUX, Tmux

# The suite shares a small machine with servers and browsers of its own: how long one
# example takes says nothing about the property under test. Every run tries fifty
# examples of each property (those that ask for more keep theirs);
# MAILWIZARD_HYPOTHESIS=thorough tries a thousand, for a search longer than a suite run.
settings.register_profile("suite", deadline=None, max_examples=50)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("MAILWIZARD_HYPOTHESIS", "suite"))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Most of a wizard test is spent waiting (timers, pauses, servers, browsers), not
    computing: on 2 cores a fresh run of the suite took 6:10 with three workers, 5:08
    with five and 5:19 with six."""
    return 2 * (os.cpu_count() or 1) + 1


LONG_MODULES = frozenset(
    {
        "test_code_quality.py",
        "test_web_sessions.py",
        "test_kiosk_outside.py",
        "test_wizard_terminal.py",
    }
)
"""Linters over the whole tree, real browsers, a real terminal: long, and not all marked."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Workers take the tests in this order: the long ones first (real servers, browsers,
    linters, then the wizard's screens), so that none is left running one alone at the end."""

    def length_class(item: pytest.Item) -> int:
        if item.get_closest_marker("servers") is not None or item.path.name in LONG_MODULES:
            return 0
        return 1 if "/tests/tui/" in str(item.path) else 2

    items.sort(key=length_class)


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """A test that opens the wizard in French leaves the next one in the language it had."""
    language = i18n.active_language()
    yield
    i18n.set_language(language)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One throwaway cluster per test process; each test gets its own database."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def directory_engine() -> str:
    """The engine of the test's directory; modules that run on both override this."""
    return "sqlite"


@pytest.fixture
def isolated_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    directory_engine: str,
    request: pytest.FixtureRequest,
) -> dict[str, str]:
    """Environment variables that confine the program to ``tmp_path`` (and, on
    PostgreSQL, to a database of its own)."""
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
    if directory_engine == "postgresql":
        server: Postgres = request.getfixturevalue("postgres")
        values["MAILWIZARD_DIRECTORY"] = server.url(server.create_database())
        values["MAILWIZARD_DIRECTORY_PASSWORD"] = POSTGRES_PASSWORD
    for name in list(os.environ):
        # Nor where the developer runs them from: a test over SSH sets what it needs.
        if name.startswith("MAILWIZARD_") or name in SSH_VARIABLES:
            monkeypatch.delenv(name)
    # Choosing French sets LANGUAGE for click's messages: undone after the test that did.
    monkeypatch.delenv("LANGUAGE", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    time.tzset()
    return values


@pytest.fixture
def mail_root(mail_server_workspace: Path, cli: Cli) -> Path:
    """A mail root in that workspace, owned by ``nobody``, written into the settings as
    an operator would."""
    folder = mail_server_workspace / "mail"
    folder.mkdir()
    os.chown(folder, NOBODY, NOBODY)
    settings = ("config", "set", f"mail_uid={NOBODY}", f"mail_gid={NOBODY}", f"mail_root={folder}")
    assert cli(*settings).exit_code == 0
    return folder


@pytest.fixture
def memory_keyring(isolated_environment: dict[str, str]) -> Iterator[MemoryKeyring]:
    """A secure keyring of the test's own, in place of keyring's null backend."""
    with keyring_installed(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def directory_path(isolated_environment: dict[str, str]) -> Path:
    configured = os.environ.get("MAILWIZARD_DIRECTORY", "")
    if configured.startswith("sqlite:///"):
        return Path(configured.removeprefix("sqlite:///"))
    return Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "directory.sqlite3"


@pytest.fixture
def mail_server_workspace(
    isolated_environment: dict[str, str], directory_engine: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A folder the mail servers' users can go through, which pytest's private ones are
    not. On SQLite the directory lives there, readable by Postfix's group; a test that
    wants it must ask for this fixture before any other that opens the directory."""
    workspace = Path(tempfile.mkdtemp(prefix="mailwizard-servers-"))
    workspace.chmod(0o755)
    if directory_engine == "sqlite":
        path = workspace / "lib" / "directory.sqlite3"
        monkeypatch.setenv("MAILWIZARD_DIRECTORY", f"sqlite:///{path}")
        monkeypatch.setenv("MAILWIZARD_DIRECTORY_GROUP", "postfix")
    try:
        yield workspace
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


@pytest.fixture
def directory_url(isolated_environment: dict[str, str], directory_path: Path) -> str:
    """How the tests themselves open the directory, on either engine."""
    url = isolated_environment.get("MAILWIZARD_DIRECTORY")
    if url is None:
        return f"sqlite:///{directory_path}"
    return url.replace(f"//{POSTGRES_USER}@", f"//{POSTGRES_USER}:{POSTGRES_PASSWORD}@", 1)


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


@pytest.fixture
def clock() -> HandClock:
    return HandClock()


@pytest.fixture
def services(household: str, clock: HandClock) -> Iterator[Services]:
    """The Martin household's services, on a clock the test moves by hand."""
    opened = bootstrap(Settings(), clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def holder(services: Services) -> SignedIn:
    """The Martins' holder, signed in."""
    return services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    require_server(TMUX, "tmux")
    server = Tmux()
    yield server
    subprocess.run([TMUX, "-L", server.socket, "kill-server"], capture_output=True, check=False)
