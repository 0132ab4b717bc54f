"""Both confirmation e-mails really arrive, are never lost and never sent twice."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, flush_later, outbox_listing, write_answers
from dovecot_server import Dovecot, free_port
from mailwizard.clock import utc_now
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD, LEA, NEW_PASSWORD, OWNER_ENV


def parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def lmtp(port: int) -> dict[str, str]:
    """Settings that deliver over LMTP to ``port``."""
    return {"MAILWIZARD_DELIVERY": "lmtp", "MAILWIZARD_LMTP_PORT": str(port)}


def create_lea(cli: Cli, answers_dir: Path, env: dict[str, str] | None = None) -> str:
    return cli.new_box(answers_dir, env={**CREATE_ENV, **(env or {})}, address=LEA, language="fr")


def statuses(cli: Cli) -> list[tuple[str, str, int]]:
    return sorted((m["recipient"], m["status"], m["attempts"]) for m in outbox_listing(cli))


@contextmanager
def silent_transport() -> Iterator[socket.socket]:
    """A transport that accepts a connection and then never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        silent.settimeout(60)
        yield silent


def started(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``mailwizard ARGS`` in a process of its own, with ``env`` added to this one's."""
    return subprocess.Popen(
        [sys.executable, "-m", "mailwizard", *args], env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_maildir_transport_files_both_e_mails_where_dovecot_reads_them(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    create_lea(cli, answers_dir)

    (to_holder,) = [parsed(raw) for raw in dovecot.inbox(HOLDER, HOLDER_PASSWORD)]
    (to_lea,) = [parsed(raw) for raw in dovecot.inbox(LEA, NEW_PASSWORD)]
    assert to_holder["Subject"] == f"You created {LEA} for Léa Martin"
    assert to_lea["Subject"] == f"Bienvenue dans votre nouvelle boîte mail {LEA}"
    assert to_lea["To"].addresses[0].display_name == "Léa Martin"
    assert to_lea["From"].addresses[0].addr_spec == "postmaster@famille-martin.fr"
    for message in (to_holder, to_lea):
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Date"] is not None
        assert NEW_PASSWORD not in message.as_string()
    assert "mail.famille-martin.fr" in to_lea.get_content()
    assert str(to_lea["Message-ID"]) in cli("outbox", "list", "--json").stdout
    assert statuses(cli) == [(HOLDER, "sent", 1), (LEA, "sent", 1)]


def test_the_lmtp_transport_delivers_through_dovecot(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    create_lea(cli, answers_dir, lmtp(dovecot.lmtp_port))

    assert len(dovecot.inbox(HOLDER, HOLDER_PASSWORD)) == 1
    (to_lea,) = [parsed(raw) for raw in dovecot.inbox(LEA, NEW_PASSWORD)]
    assert "Bonjour Léa" in to_lea.get_content()
    assert statuses(cli) == [(HOLDER, "sent", 1), (LEA, "sent", 1)]


def test_a_transport_that_is_down_loses_nothing_and_a_later_flush_delivers_once(
    household: str, cli: Cli, answers_dir: Path, isolated_environment: dict[str, str]
) -> None:
    down = lmtp(free_port())
    create_lea(cli, answers_dir, down)
    assert statuses(cli) == [(HOLDER, "pending", 1), (LEA, "pending", 1)]
    # Left by a committed creation, they are due again at once; then the back-off runs.
    assert cli("outbox", "flush", env=down).exit_code == 3
    assert statuses(cli) == [(HOLDER, "pending", 2), (LEA, "pending", 2)]
    assert cli("outbox", "flush", env=down).exit_code == 0, "nothing is due yet"

    assert (flush_later(5).sent, flush_later(5).sent) == (2, 0)
    assert statuses(cli) == [(HOLDER, "sent", 3), (LEA, "sent", 3)]
    mail_root = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "mail"
    assert len(list(mail_root.glob("famille-martin.fr/*/Maildir/new/*"))) == 2


class LmtpController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler)


class RefusingHandler:
    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        return "550 5.1.1 No such user here"


@pytest.fixture
def refusing_lmtp() -> Iterator[int]:
    port = free_port()
    controller = LmtpController(RefusingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def test_a_permanent_refusal_is_marked_failed_and_not_retried(
    household: str, cli: Cli, answers_dir: Path, refusing_lmtp: int
) -> None:
    create_lea(cli, answers_dir, lmtp(refusing_lmtp))
    assert statuses(cli) == [(HOLDER, "failed", 1), (LEA, "failed", 1)]
    assert "550" in cli("outbox", "list").stdout
    assert flush_later(2 * 24 * 60).sent == 0
    assert statuses(cli) == [(HOLDER, "failed", 1), (LEA, "failed", 1)]


def test_a_process_killed_after_the_commit_leaves_its_mail_to_a_later_flush(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    # A transport that accepts the connection and then never answers: the program is
    # killed while it waits, after the box and its e-mails were committed.
    path = write_answers(answers_dir / "lea.toml", address=LEA, language="fr")
    with silent_transport() as silent:
        env = {**CREATE_ENV, **lmtp(silent.getsockname()[1])}
        process = started("create", "--answers", str(path), env=env)
        try:
            connection, _ = silent.accept()  # the commit is done: delivery has begun
            process.kill()
            process.wait(timeout=10)
            connection.close()
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == -signal.SIGKILL
    assert [status for _, status, _ in statuses(cli)] == ["sending", "sending"]

    assert flush_later(11).sent == 2, "after the lease"
    assert statuses(cli) == [(HOLDER, "sent", 1), (LEA, "sent", 1)]


def test_through_lmtp_a_suspended_box_still_receives_and_a_deleted_one_gets_its_notice(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    owner = {**lmtp(dovecot.lmtp_port), **OWNER_ENV}
    create_lea(cli, answers_dir, lmtp(dovecot.lmtp_port))
    assert cli("accounts", "suspend", "--owner", HOLDER, LEA, env=owner).exit_code == 0
    reset = {**owner, "MAILWIZARD_NEW_PASSWORD": "Trois-poissons-rouges-au-salon"}
    assert cli("accounts", "passwd", "--owner", HOLDER, LEA, env=reset).exit_code == 0
    assert cli("accounts", "resume", "--owner", HOLDER, LEA, env=owner).exit_code == 0
    subjects = [
        parsed(raw)["Subject"] for raw in dovecot.inbox(LEA, reset["MAILWIZARD_NEW_PASSWORD"])
    ]
    assert subjects == [
        f"Bienvenue dans votre nouvelle boîte mail {LEA}",
        f"Le mot de passe de {LEA} a été changé",
    ]

    deleted = cli("accounts", "delete", "--owner", HOLDER, "--confirm", LEA, LEA, env=owner)
    assert deleted.exit_code == 0, deleted.stderr
    assert [status for recipient, status, _ in statuses(cli)].count("sent") == 5


def test_flush_says_what_waits_and_when_and_now_retries_at_once(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    down, up = lmtp(free_port()), lmtp(dovecot.lmtp_port)
    create_lea(cli, answers_dir, down)
    before = utc_now()
    assert cli("outbox", "flush", env=down).exit_code == 3
    after = utc_now()
    # Two failed attempts each: the next one comes two minutes after the flush.
    due = {(moment + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M") for moment in (before, after)}

    quiet = cli("outbox", "flush", env=up)
    assert quiet.exit_code == 0, quiet.stderr
    first_line, waiting = quiet.stdout.splitlines()
    assert first_line == "0 sent, 0 to retry, 0 failed."
    assert waiting in {
        f"2 messages wait; the next attempt is due at {time} UTC "
        "(“mailwizard outbox flush --now” tries them at once)."
        for time in due
    }
    in_french = cli("--lang", "fr", "outbox", "flush", env=up).stdout.splitlines()[1]
    assert in_french in {
        f"2 messages attendent ; la prochaine tentative est prévue le {time} UTC "
        "(« mailwizard outbox flush --now » les tente tout de suite)."
        for time in due
    }
    assert dovecot.inbox(HOLDER, HOLDER_PASSWORD) == [], "nothing went before its time"

    at_once = cli("outbox", "flush", "--now", env=up)
    assert at_once.exit_code == 0, at_once.stderr
    assert at_once.stdout == "2 sent, 0 to retry, 0 failed.\n", "nothing is left to wait"
    assert statuses(cli) == [(HOLDER, "sent", 3), (LEA, "sent", 3)]
    assert len(dovecot.inbox(HOLDER, HOLDER_PASSWORD)) == 1
    assert len(dovecot.inbox(LEA, NEW_PASSWORD)) == 1


def test_now_leaves_alone_the_messages_another_flush_is_sending(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    create_lea(cli, answers_dir, lmtp(free_port()))
    with silent_transport() as silent:
        # A flush whose transport never answers: it holds both messages.
        process = started("outbox", "flush", "--now", env=lmtp(silent.getsockname()[1]))
        try:
            connection, _ = silent.accept()
            at_once = cli("outbox", "flush", "--now", env=lmtp(dovecot.lmtp_port))
            connection.close()
        finally:
            process.kill()
            process.wait(timeout=10)
    assert at_once.stdout.startswith("0 sent, 0 to retry, 0 failed.\n2 messages wait;")
    assert [status for _, status, _ in statuses(cli)] == ["sending", "sending"]
    assert dovecot.inbox(HOLDER, HOLDER_PASSWORD) == []
