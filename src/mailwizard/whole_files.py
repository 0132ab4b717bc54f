"""Files the commands write whole or not at all: a temporary file beside the target,
renamed over it, so that a reader never sees half of one and a link planted in its
place is replaced, never followed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_whole(path: Path, content: bytes, *, mode: int, folder_mode: int) -> None:
    """``content`` into ``path`` with ``mode``; its folder made with ``folder_mode`` when
    missing. An OSError says what went wrong; nothing is left half-written."""
    path.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        Path(draft).replace(path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise
