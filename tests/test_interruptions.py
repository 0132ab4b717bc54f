"""Two flushes at once, and a worker killed in the middle of a commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, outbox_listing, query, write_answers
from martin_household import CREATE_ENV, HOLDER


def test_two_flushes_at_once_deliver_each_message_once(
    household: str,
    cli: Cli,
    answers_dir: Path,
    directory_url: str,
    isolated_environment: dict[str, str],
) -> None:
    # Commit without delivering, the way a transport that is down would leave it.
    down = {"MAILWIZARD_DELIVERY": "lmtp", "MAILWIZARD_LMTP_PORT": "9"}
    for first_name in ("Léa", "Hugo", "Zoé"):
        cli.new_box(answers_dir, env={**CREATE_ENV, **down}, first_name=first_name)
    # Make every message due now, as if the retry delay had passed.
    query(directory_url, "UPDATE outbox SET next_attempt_at = '2000-01-01 00:00:00'")

    flushes = [
        subprocess.Popen([sys.executable, "-m", "mailwizard", "outbox", "flush"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    for flush in flushes:
        flush.wait(timeout=60)
        assert flush.returncode == 0, flush.stderr.read() if flush.stderr else ""

    messages = outbox_listing(cli)
    assert len(messages) == 6
    # Each creation tried what was due (its own e-mails, and those left before it).
    assert {m["status"] for m in messages} == {"sent"}
    mail_root = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "mail"
    delivered = list(mail_root.glob("famille-martin.fr/*/Maildir/new/*"))
    assert len(delivered) == 6
    assert len(list(mail_root.glob(f"famille-martin.fr/{HOLDER.split('@')[0]}/Maildir/new/*"))) == 3


@pytest.mark.parametrize("directory_engine", ["postgresql"])
def test_a_worker_killed_in_the_middle_of_a_commit_leaves_nothing_behind(
    household: str, cli: Cli, answers_dir: Path, isolated_environment: dict[str, str]
) -> None:
    url = isolated_environment["MAILWIZARD_DIRECTORY"]
    password = isolated_environment["MAILWIZARD_DIRECTORY_PASSWORD"]
    path = write_answers(answers_dir / "lea.toml", address="lea.martin@famille-martin.fr")
    with psycopg.connect(url, password=password) as blocker:
        # The commit writes the address, the box, its consent and e-mails, then waits
        # here for the audit log, where it is killed.
        blocker.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")
        worker = subprocess.Popen(
            [sys.executable, "-m", "mailwizard", "create", "--answers", str(path)],
            env={**os.environ, **CREATE_ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        with psycopg.connect(url, password=password, autocommit=True) as observer:
            while not observer.execute(
                "SELECT count(*) FROM pg_locks WHERE relation = 'audit_log'::regclass "
                "AND NOT granted"
            ).fetchone()[0]:  # type: ignore[index]
                assert worker.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.rollback()

    with psycopg.connect(url, password=password) as connection:
        for table, column in (("address", "address"), ("mailbox", "username"),
                              ("outbox", "recipient")):  # fmt: skip
            row = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = 'lea.martin@famille-martin.fr'"
            ).fetchone()
            assert row == (0,), table
    again = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.strip() == "lea.martin@famille-martin.fr"
