"""Opening the directory: the engine, SQLite's pragmas, write transactions, migrations.

SQLite: Python's sqlite3 module would open transactions lazily, at the first write,
leaving a ``SELECT count(*)`` before it unprotected. We switch it to autocommit and
issue ``BEGIN`` ourselves: ``BEGIN IMMEDIATE`` for writes, so that the quota and
address checks and the inserts of one commit happen under the write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, ProgrammingError

from mailwizard.backends.sqlite_files import WalKeeper, create_directory_file, share_with_group
from mailwizard.errors import DirectoryUnavailable, UsageProblem
from mailwizard.i18n import N_
from mailwizard.keyring_secrets import DIRECTORY_PASSWORD, read_secret

_WRITE_OPTION = "mailwizard_write"
_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x6D61696C  # any number: all terminals must agree on it
CHANGES_CHANNEL = "mailwizard_directory"
"""What PostgreSQL's write transactions NOTIFY as they commit, for the pages that show
the directory to learn it changed."""


def sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise UsageProblem(N_("“{url}” is not a directory URL."), url=url) from None
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise UsageProblem(N_("A SQLite directory needs a file: sqlite:///PATH."))
    return Path(parsed.database)


def sqlite_file(url: str) -> Path:
    """The file of a SQLite directory URL."""
    path = sqlite_path(url)
    if path is None:
        raise UsageProblem(N_("“{url}” is not a SQLite directory URL."), url=safe_url(url))
    return path


def safe_url(url: str) -> str:
    """The URL as it may be shown or logged: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return "?"


def is_postgresql(url: str) -> bool:
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return False


def _postgresql_engine(url: str) -> Engine:
    """Pooled connections, each checked before use so that one lost connection is
    replaced once instead of failing the request. The password comes from the URL of
    the environment, MAILWIZARD_DIRECTORY_PASSWORD, the keyring, or libpq's ~/.pgpass."""
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    if parsed.password is None and (password := read_secret(DIRECTORY_PASSWORD)):
        parsed = parsed.set(password=password)
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        connect_args={"connect_timeout": 10, "application_name": "mailwizard"},
    )


def _sqlite_engine(path: Path, busy_timeout_seconds: float) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": busy_timeout_seconds, "isolation_level": None},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_engine(
    url: str,
    *,
    create: bool,
    busy_timeout_seconds: float = 30.0,
    directory_group: str | None = None,
) -> Engine:
    """An engine on an up-to-date directory; ``create`` allows making a new SQLite file,
    which ``directory_group`` (the mail servers' group) may read.

    A PostgreSQL database must exist; its schema is created on first use."""
    sqlite: Path | None = None
    if is_postgresql(url):
        engine = _postgresql_engine(url)
        path = safe_url(url)
    else:
        sqlite = sqlite_file(url)
        path = str(sqlite)
        if not sqlite.exists():
            if not create:
                raise DirectoryUnavailable(
                    N_("There is no account directory at {path} yet: run “mailwizard init” first."),
                    path=path,
                )
            create_directory_file(sqlite, directory_group)
        engine = _sqlite_engine(sqlite, busy_timeout_seconds)
    try:
        migrate(engine)
    except (IntegrityError, ProgrammingError):
        raise
    except DBAPIError as error:
        engine.dispose()
        raise DirectoryUnavailable(
            N_("The account directory at {path} cannot be used: {reason}"),
            path=path,
            reason=str(error.orig).strip(),
        ) from None
    if sqlite is not None:
        _keep_readable(engine, sqlite, directory_group)
    return engine


def _keep_readable(engine: Engine, path: Path, directory_group: str | None) -> None:
    """The WAL files outlive the engine, readable by the mail servers' group."""
    try:
        keeper = WalKeeper(path)
    except sqlite3.Error as error:
        engine.dispose()
        raise DirectoryUnavailable(
            N_("The account directory at {path} cannot be used: {reason}"),
            path=str(path),
            reason=str(error),
        ) from None
    event.listen(engine, "engine_disposed", lambda _engine: keeper.release())
    if directory_group is not None:
        share_with_group(path, directory_group)


def newest_revision() -> str:
    """Each migration's file is named after its revision, which numbers them."""
    return max(path.name.partition("_")[0] for path in (_MIGRATIONS / "versions").glob("*_*.py"))


def _is_up_to_date(engine: Engine) -> bool:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return current == newest_revision()


def migrate(engine: Engine) -> None:
    """Creates or upgrades the schema to the newest revision; Alembic records it.

    Most starts find the directory up to date: they skip loading Alembic and its
    scripts, a tenth of a second before the first screen."""
    if _is_up_to_date(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.connect() as connection:
        connection.execution_options(**{_WRITE_OPTION: True})
        if connection.dialect.name == "postgresql":
            # Terminals starting together must not migrate at once.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


@contextmanager
def _reporting_outages() -> Iterator[None]:
    """A directory that is locked too long, gone, or damaged; not our own mistakes."""
    try:
        yield
    except (IntegrityError, ProgrammingError):
        raise
    except DBAPIError as error:
        raise DirectoryUnavailable(
            N_("The account directory is unavailable: {reason}"), reason=str(error.orig)
        ) from None


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement.

    On PostgreSQL, one that wrote something notifies ``CHANGES_CHANNEL``; the
    notification is delivered at the commit, and never for a rollback."""
    with _reporting_outages(), engine.connect() as connection:
        connection.execution_options(**{_WRITE_OPTION: True})
        with connection.begin():
            yield connection
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    f"SELECT pg_notify('{CHANGES_CHANNEL}', '') "
                    "WHERE txid_current_if_assigned() IS NOT NULL"
                )


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with _reporting_outages(), engine.connect() as connection, connection.begin():
        yield connection
