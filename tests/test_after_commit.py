"""Once an action is committed it has succeeded: what follows (its e-mails) can only be
late, never make the command fail. On a full disk before the commit, nothing is written.

The full disks are real: small tmpfs mounts of the test's own (root only)."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli_harness import Cli, household_listing, outbox_listing
from martin_household import CREATE_ENV, HOLDER

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="mounts a small tmpfs: root only")


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                   check=True)  # fmt: skip
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(disk: Path) -> Path:
    """Takes every free byte of ``disk``; remove the file to free them."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 4096)
    return filler


def boxes(cli: Cli) -> list[str]:
    return [box["address"] for box in household_listing(cli)["mailboxes"]]


def test_a_creation_whose_mail_cannot_be_delivered_succeeds_and_its_mail_waits(
    household: str, cli: Cli, tmp_path: Path, answers_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("outbox", "flush")
    with small_disk(tmp_path / "mail", "64k") as mail:
        monkeypatch.setenv("MAILWIZARD_MAIL_ROOT", str(mail))
        filler = fill(mail)
        created = cli.create(answers_dir)
        assert created.exit_code == 0, created.stderr
        lea = created.stdout.strip()
        assert "outbox flush" in created.stderr, "a warning says the e-mails wait"
        waiting = [m for m in outbox_listing(cli) if m["recipient"] in (lea, HOLDER)]
        assert {m["status"] for m in waiting} == {"pending"}, waiting

        filler.unlink()
        flushed = cli("outbox", "flush")
        assert flushed.exit_code == 0, flushed.stderr
        assert {m["status"] for m in outbox_listing(cli) if m["recipient"] == lea} == {"sent"}, (
            "due again at once, not in a minute nor after a ten-minute claim"
        )
    assert lea in boxes(cli)


def test_a_full_disk_before_the_commit_fails_and_writes_nothing(
    cli: Cli, tmp_path: Path, answers_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk", "2m") as disk:
        monkeypatch.setenv("MAILWIZARD_DIRECTORY", f"sqlite:///{disk / 'directory.sqlite3'}")
        assert cli.init().exit_code == 0
        before, queued = boxes(cli), outbox_listing(cli)
        filler = fill(disk)
        created = cli.create(answers_dir)
        assert created.exit_code == 3, created.stderr
        assert created.stdout == ""
        filler.unlink()
        assert boxes(cli) == before
        assert outbox_listing(cli) == queued


def test_a_malformed_sender_is_refused_before_anything_is_written(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    created = cli.create(
        answers_dir, env={**CREATE_ENV, "MAILWIZARD_MAIL_FROM": "<<not an address>>"}
    )
    assert created.exit_code == 2
    assert "mail_from" in created.stderr
    assert boxes(cli) == [HOLDER]
