"""Where unexpected errors are written: never on screen, always in a file."""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import TextIO

import platformdirs

from mailwizard.i18n import _
from mailwizard.startup import APP_NAME


def error_log_path() -> Path:
    return platformdirs.user_log_path(APP_NAME) / "errors.log"


def _private_log(path: Path) -> TextIO:
    """``path`` opened for appending, readable by this user only (0600 in a 0700 folder),
    made so again if a copy or a restore left it open to others; never through a link."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(OSError):  # a folder of someone else's: the error is logged all the same
        path.parent.chmod(0o700)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(path, flags, 0o600)
    with suppress(OSError):
        os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def log_unexpected_error(message: str, error: BaseException) -> Path:
    """Records ``error`` with its traceback; returns the log file. A log that cannot be
    opened (a link planted in its place, a full disk) loses the details, not the notice."""
    path = error_log_path()
    try:
        stream = _private_log(path)
    except OSError:
        return path
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger(APP_NAME)
    logger.addHandler(handler)
    try:
        logger.error(message, exc_info=error)
    finally:
        logger.removeHandler(handler)
        handler.close()
        stream.close()
    return path


def unexpected_error_notice(log: Path) -> str:
    """What the user is told of an unexpected error: where its details are, no more."""
    return _("Something went wrong inside mailwizard; the details are in {log}.").format(log=log)
