"""Delivery through a real SMTP relay (aiosmtpd, in the test): STARTTLS and AUTH."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, flush_later, outbox_listing
from dovecot_server import free_port
from martin_household import HOLDER, LEA
from memory_keyring import MemoryKeyring

RELAY_USER = "household"
RELAY_PASSWORD = "relay secret"


@dataclass
class Recorder:
    """Keeps what the relay accepted; refuses recipients listed in ``refuse``."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 - the names aiosmtpd calls
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    valid = (
        isinstance(data, LoginPassword)
        and data.login == RELAY_USER.encode()
        and data.password == RELAY_PASSWORD.encode()
    )
    return AuthResult(success=valid)


@dataclass
class Relay:
    port: int
    certificate: Path
    recorder: Recorder
    controller: Controller | None = None

    def start(self) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate, self.certificate.with_suffix(".key"))
        self.controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port, tls_context=context,
            require_starttls=True, authenticator=authenticate, auth_require_tls=True,
        )  # fmt: skip
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    certificate = tmp_path / "relay.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(certificate.with_suffix(".key")), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = Relay(free_port(), certificate, Recorder())
    yield server
    server.stop()


@pytest.fixture
def relay_settings(
    relay: Relay, monkeypatch: pytest.MonkeyPatch, isolated_environment: dict[str, str]
) -> None:
    monkeypatch.setenv("MAILWIZARD_DELIVERY", "smtp")
    monkeypatch.setenv("MAILWIZARD_SMTP_RELAY_HOST", "127.0.0.1")
    monkeypatch.setenv("MAILWIZARD_SMTP_RELAY_PORT", str(relay.port))
    monkeypatch.setenv("MAILWIZARD_SMTP_RELAY_USER", RELAY_USER)
    monkeypatch.setenv("MAILWIZARD_SMTP_RELAY_CA_FILE", str(relay.certificate))


def statuses(cli: Cli) -> list[tuple[str, str]]:
    return sorted((m["recipient"], m["status"]) for m in outbox_listing(cli))


def create_lea(cli: Cli, answers_dir: Path) -> None:
    cli.new_box(answers_dir, address=LEA)


def test_relay_down_at_the_commit_then_up_delivers_each_message_once(
    household: str, cli: Cli, answers_dir: Path, relay: Relay, relay_settings: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("MAILWIZARD_SMTP_PASSWORD", RELAY_PASSWORD)
    create_lea(cli, answers_dir)
    assert statuses(cli) == [(HOLDER, "pending"), (LEA, "pending")]

    relay.start()
    flush_later(2)
    flush_later(60)
    assert statuses(cli) == [(HOLDER, "sent"), (LEA, "sent")]
    recipients = sorted(rcpt for _, rcpts, _ in relay.recorder.received for rcpt in rcpts)
    assert recipients == [HOLDER, LEA]
    assert all(sender == "postmaster@famille-martin.fr" for sender, _, _ in relay.recorder.received)


def test_a_550_from_the_relay_fails_for_good(
    household: str, cli: Cli, answers_dir: Path, relay: Relay, relay_settings: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("MAILWIZARD_SMTP_PASSWORD", RELAY_PASSWORD)
    relay.recorder.refuse.add(LEA)
    relay.start()
    create_lea(cli, answers_dir)
    assert statuses(cli) == [(HOLDER, "sent"), (LEA, "failed")]
    flush_later(24 * 60)
    assert statuses(cli) == [(HOLDER, "sent"), (LEA, "failed")]
    assert len(relay.recorder.received) == 1


def test_the_relay_password_can_live_in_the_keyring(
    household: str, cli: Cli, answers_dir: Path, relay: Relay, relay_settings: None,
    memory_keyring: MemoryKeyring,
) -> None:  # fmt: skip
    memory_keyring.set_password("mailwizard", "smtp-password", RELAY_PASSWORD)
    relay.start()
    create_lea(cli, answers_dir)
    assert statuses(cli) == [(HOLDER, "sent"), (LEA, "sent")]


def test_without_a_password_nothing_is_lost(
    household: str, cli: Cli, answers_dir: Path, relay: Relay, relay_settings: None,
) -> None:  # fmt: skip
    relay.start()
    create_lea(cli, answers_dir)
    listed = outbox_listing(cli)
    assert {m["status"] for m in listed} == {"pending"}
    assert all("MAILWIZARD_SMTP_PASSWORD" in m["last_error"] for m in listed)
    assert relay.recorder.received == []


def test_secrets_set_stores_the_relay_password_in_a_secure_keyring(
    cli: Cli, memory_keyring: MemoryKeyring
) -> None:
    outcome = cli("secrets", "set", "smtp-password",
                  env={"MAILWIZARD_SMTP_PASSWORD": RELAY_PASSWORD})  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    assert memory_keyring.secrets == {("mailwizard", "smtp-password"): RELAY_PASSWORD}
    assert RELAY_PASSWORD not in outcome.stdout + outcome.stderr


def test_without_a_secure_keyring_secrets_are_refused_not_written_to_a_file(
    cli: Cli, tmp_path: Path
) -> None:
    # The tests' default keyring is keyring's null backend: no secure storage at all.
    before = sorted(path for path in tmp_path.rglob("*"))
    outcome = cli("secrets", "set", "smtp-password", env={"MAILWIZARD_SMTP_PASSWORD": "x" * 12})
    assert outcome.exit_code == 3
    assert "MAILWIZARD_SMTP_PASSWORD" in outcome.stderr
    assert sorted(path for path in tmp_path.rglob("*")) == before
