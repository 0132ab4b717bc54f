"""The ChangeFeed port on each engine, over a connection taken out of the pool for good.

SQLite: ``PRAGMA data_version`` moves when another connection (of any process) commits;
reading it costs a few microseconds and no lock. PostgreSQL: every write transaction
notifies ``CHANGES_CHANNEL`` as it commits (see ``write_transaction``), and the feed
LISTENs on it.
"""

from __future__ import annotations

import os
import select
import sqlite3
import threading
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
        self._interrupted = threading.Event()
        try:
            self._connection: sqlite3.Connection = _kept_connection(engine)
            self._seen = self._version()
        except (sqlite3.Error, DBAPIError) as error:
            raise _unavailable(error) from None

    def _version(self) -> int:
        (version,) = self._connection.execute("PRAGMA data_version").fetchone()
        return int(version)

    def wait_for_change(self) -> bool:
        try:
            while not self._interrupted.wait(SQLITE_POLL_SECONDS):
                version = self._version()
                if version != self._seen:
                    self._seen = version
                    return True
        except sqlite3.Error as error:
            raise _unavailable(error) from None
        return False

    def interrupt(self) -> None:
        self._interrupted.set()

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
        # A byte in this pipe wakes the wait that select() makes on the connection.
        self._interrupted, self._interrupt = os.pipe()

    def wait_for_change(self) -> bool:
        socket = self._connection.fileno()
        try:
            while True:
                readable, _, _ = select.select([socket, self._interrupted], [], [])
                if self._interrupted in readable:
                    return False
                if list(self._connection.notifies(timeout=0)):
                    # The notices of a burst of commits make one change.
                    gathered_until = time.monotonic() + COALESCE_SECONDS
                    while (left := gathered_until - time.monotonic()) > 0 and select.select(
                        [socket], [], [], left
                    )[0]:
                        list(self._connection.notifies(timeout=0))
                    return True
        except self._errors as error:
            raise _unavailable(error) from None

    def interrupt(self) -> None:
        os.write(self._interrupt, b"!")

    def close(self) -> None:
        self._connection.close()
        os.close(self._interrupted)
        os.close(self._interrupt)


def open_change_feed(engine: Engine) -> SqliteDataVersion | PostgresqlNotifications:
    if engine.dialect.name == "postgresql":
        return PostgresqlNotifications(engine)
    return SqliteDataVersion(engine)
