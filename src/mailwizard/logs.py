"""Where unexpected errors are written: never on screen, always in a file."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from mailwizard.i18n import _
from mailwizard.startup import APP_NAME


def error_log_path() -> Path:
    return platformdirs.user_log_path(APP_NAME) / "errors.log"


def log_unexpected_error(message: str, error: BaseException) -> Path:
    """Records ``error`` with its traceback; returns the log file."""
    path = error_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger(APP_NAME)
    logger.addHandler(handler)
    try:
        logger.error(message, exc_info=error)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path


def unexpected_error_notice(log: Path) -> str:
    """What the user is told of an unexpected error: where its details are, no more."""
    return _("Something went wrong inside mailwizard; the details are in {log}.").format(log=log)
