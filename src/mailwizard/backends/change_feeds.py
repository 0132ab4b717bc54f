"""The ChangeFeed port on each engine, over a connection taken out of the pool for good.

SQLite: ``PRAGMA data_version`` moves when another connection (of any process) commits;
reading it costs a few microseconds and no lock. PostgreSQL: every write transaction
notifies ``CHANGES_CHANNEL`` as it commits (see ``write_transaction``), and the feed
LISTENs on it.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Final

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from mailwizard.backends.engine import CHANGES_CHANNEL
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_

SQLITE_POLL_SECONDS: Final = 0.25
COALESCE_SECONDS: Final = 0.05
"""After a notification, how long the others of the same burst are gathered into it."""


def _unavailable(error: Exception) -> DirectoryUnavailable:
    return DirectoryUnavailable(
        N_("The account directory is unavailable: {reason}"), reason=str(error).strip()
    )


def _kept_connection(engine: Engine) -> Any:
    """The driver's own connection, no longer the pool's to hand out or to reset."""
    pooled = engine.raw_connection()
    pooled.detach()
    return pooled.dbapi_connection


class SqliteDataVersion:
    def __init__(self, engine: Engine) -> None:
        try:
            self._connection: sqlite3.Connection = _kept_connection(engine)
            self._seen = self._version()
        except (sqlite3.Error, DBAPIError) as error:
            raise _unavailable(error) from None

    def _version(self) -> int:
        (version,) = self._connection.execute("PRAGMA data_version").fetchone()
        return int(version)

    def wait_for_change(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        try:
            while True:
                version = self._version()
                if version != self._seen:
                    self._seen = version
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                time.sleep(min(SQLITE_POLL_SECONDS, left))
        except sqlite3.Error as error:
            raise _unavailable(error) from None

    def close(self) -> None:
        self._connection.close()


class PostgresqlNotifications:
    def __init__(self, engine: Engine) -> None:
        import psycopg

        self._errors = psycopg.Error
        try:
            connection: psycopg.Connection[Any] = _kept_connection(engine)
            connection.rollback()
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        except (psycopg.Error, DBAPIError) as error:
            raise _unavailable(error) from None
        self._connection = connection

    def wait_for_change(self, timeout: float) -> bool:
        try:
            if not any(True for _ in self._connection.notifies(timeout=timeout, stop_after=1)):
                return False
            for _ in self._connection.notifies(timeout=COALESCE_SECONDS):
                pass
        except self._errors as error:
            raise _unavailable(error) from None
        return True

    def close(self) -> None:
        self._connection.close()


def open_change_feed(engine: Engine) -> SqliteDataVersion | PostgresqlNotifications:
    if engine.dialect.name == "postgresql":
        return PostgresqlNotifications(engine)
    return SqliteDataVersion(engine)
