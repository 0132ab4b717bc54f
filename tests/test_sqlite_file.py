"""What only the embedded SQLite directory promises: a private file, in WAL mode."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import create_engine, text


def test_the_directory_file_is_private(household: str, directory_path: Path) -> None:
    assert stat.S_IMODE(directory_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory_path.parent.stat().st_mode) == 0o700


def test_the_directory_runs_in_wal_mode(household: str, directory_path: Path) -> None:
    engine = create_engine(f"sqlite:///{directory_path}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
