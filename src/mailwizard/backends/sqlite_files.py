"""The SQLite directory's files, kept readable by the mail servers.

Postfix and Dovecot read the directory under their own users, without write access.
A WAL-mode database can be read that way only while its ``-wal`` and ``-shm`` files
exist: SQLite deletes them when the last connection able to write closes, and a reader
that cannot write into the folder cannot make them again ("attempt to write a readonly
database"). So each engine keeps one read-only connection open for its whole life:
a writer closing beside it is never the last one, and a read-only connection deletes
nothing when it closes. When the engine is disposed, the WAL is checkpointed and
emptied, so that readers have nothing left to replay.

With a group (``directory_group``), the folder (setgid, 2750), the file and its WAL
files (0640) belong to that group and are put back so at every opening; without
one, the folder is 0700 and the files 0600.
"""

from __future__ import annotations

import grp
import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

from mailwizard.errors import DirectoryUnavailable, UsageProblem
from mailwizard.i18n import N_

PRIVATE_FOLDER, SHARED_FOLDER = 0o700, 0o2750
PRIVATE_FILE, SHARED_FILE = 0o600, 0o640
WAL_SUFFIXES = ("-wal", "-shm")


def group_id(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise UsageProblem(
            N_("There is no system group “{group}” (setting directory_group)."), group=name
        ) from None


def _cannot(path: Path, error: OSError) -> DirectoryUnavailable:
    return DirectoryUnavailable(
        N_("Cannot set the owner or mode of {path}: {reason}"),
        path=str(path),
        reason=error.strerror,
    )


def create_directory_file(path: Path, group: str | None) -> None:
    """An empty file for a new directory, private or readable by ``group`` only."""
    try:
        path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    except OSError as error:
        raise DirectoryUnavailable(
            N_("Cannot create the account directory at {path}: {reason}"),
            path=str(path),
            reason=error.strerror,
        ) from None
    os.close(descriptor)
    if group is not None:
        share_with_group(path, group)


def share_with_group(path: Path, group: str) -> None:
    """The folder, the file and its WAL files: readable by ``group``, writable by us."""
    gid = group_id(group)
    wanted = {
        path.parent: SHARED_FOLDER,
        path: SHARED_FILE,
        **{path.with_name(path.name + suffix): SHARED_FILE for suffix in WAL_SUFFIXES},
    }
    for item, mode in wanted.items():
        try:
            status = item.stat()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise _cannot(item, error) from None
        try:
            if status.st_gid != gid:
                os.chown(item, -1, gid)
            if stat.S_IMODE(status.st_mode) != mode:
                item.chmod(mode)
        except OSError as error:
            raise _cannot(item, error) from None


class WalKeeper:
    """A read-only connection that lives as long as the engine (see the module)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False
        )
        # The first read maps the WAL index and takes the shared lock it keeps.
        self._connection.execute("SELECT count(*) FROM sqlite_master").fetchall()

    def release(self) -> None:
        """Empties the WAL if no reader is inside it, then closes; both files stay."""
        try:
            writer = sqlite3.connect(self._path, timeout=0, isolation_level=None)
            try:
                writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                writer.close()
        except sqlite3.Error:
            pass  # a busy reader: the next writer's checkpoints empty the WAL instead
        finally:
            self._connection.close()
