"""Reading a small file someone else may have chosen: an answers file, the settings file.

Only a regular file is read, and at most ``INPUT_MAX_BYTES``: ``/dev/zero`` would grow
memory for ever, a FIFO or a terminal would block for ever. The path is checked before
it is opened and the open file again (a swap in between changes nothing), opened without
blocking and without becoming the process's terminal.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from mailwizard.i18n import N_, _

INPUT_MAX_BYTES: Final = 64 * 1024
"""64 KiB: a hundred times what an answers or settings file needs."""

_CHUNK: Final = 16 * 1024

NESTED_TOO_DEEP: Final = N_("its values are nested too deeply")
"""Why TOML that Python's reader cannot follow (``RecursionError``) is refused."""


class FileRefused(Exception):
    """Not a file this program reads: the reason, in the user's language, says why."""

    def __init__(self, message_id: str, /, **params: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params

    def __str__(self) -> str:
        return _(self.message_id).format(**self.params)


def _refuse_unless_small_regular(status: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused(N_("it is not a regular file"))
    if status.st_size > limit:
        raise FileRefused(N_("it is larger than {size} KiB"), size=limit // 1024)


def read_bounded(path: Path, limit: int = INPUT_MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises ``FileRefused`` for anything else (a device, a FIFO, a folder, a socket, a
    larger file, one that grows past ``limit`` while read), ``OSError`` when it cannot
    be opened (``FileNotFoundError`` when it does not exist)."""
    try:
        status = path.stat()
    except ValueError:  # a NUL in the path: no file has that name
        raise FileRefused(N_("it is not a regular file")) from None
    _refuse_unless_small_regular(status, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        _refuse_unless_small_regular(os.fstat(descriptor), limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise FileRefused(N_("it is larger than {size} KiB"), size=limit // 1024)
    return b"".join(chunks)
