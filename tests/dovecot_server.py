"""A throwaway Dovecot on a loopback port, configured by ``mailwizard dovecot-config``.

Debian's ``dovecot-imapd`` and ``dovecot-sqlite`` provide it. Without them the tests
that need it are skipped, unless MAILWIZARD_REQUIRE_SERVERS=1 makes that a failure.
The server is started in the foreground (its pid is the master's) and stopped by pid.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
NOBODY = 65534


def require_server(binary: str, package: str) -> None:
    if Path(binary).exists():
        return
    message = f"{binary} is missing: install Debian's {package}"
    if os.environ.get("MAILWIZARD_REQUIRE_SERVERS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key, made by openssl, for STARTTLS in tests."""
    certificate, key = folder / "tls.pem", folder / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=mail.famille-martin.fr", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports nobody listens on: probed all at once, since a
    port probed and let go may be handed out again by the next probe."""
    with ExitStack() as probes:
        sockets = [probes.enter_context(socket.socket()) for _ in range(count)]
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in sockets]


def free_port() -> int:
    return free_ports(1)[0]


@dataclass(frozen=True)
class Dovecot:
    imap_port: int
    lmtp_port: int
    mail_root: Path
    log: Path

    def inbox(self, address: str, password: str) -> list[bytes]:
        """Every message of the box's INBOX, read back over IMAP."""
        with imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10) as client:
            client._encoding = "utf-8"  # type: ignore[attr-defined]
            client.login(address, password)
            client.select("INBOX")
            _, numbers = client.search(None, "ALL")
            messages = []
            for number in numbers[0].split():
                _, data = client.fetch(number, "(RFC822)")
                messages.append(bytes(data[0][1]))  # type: ignore[index]
            return messages

    def login(self, address: str, password: str) -> bool:
        """True when Dovecot signs the box in over IMAP and opens its INBOX."""
        with imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10) as client:
            client._encoding = "utf-8"  # type: ignore[attr-defined]  # UTF-8 passwords
            try:
                client.login(address, password)
            except imaplib.IMAP4.error:
                return False
            status, _ = client.select("INBOX")
            return status == "OK"


def _configuration(workspace: Path, port: int, lmtp_port: int, include: Path) -> str:
    run_as_root = os.getuid() == 0
    unprivileged = (
        ""
        if run_as_root
        else (
            f"default_internal_user = {os.environ.get('USER', 'nobody')}\n"
            f"default_login_user = {os.environ.get('USER', 'nobody')}\n"
        )
    )
    return f"""\
base_dir = {workspace / "run"}
state_dir = {workspace / "state"}
log_path = {workspace / "dovecot.log"}
{unprivileged}protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
!include {include}
"""


@contextmanager
def running_dovecot(monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    """Writes the project's configuration for the directory the environment names,
    starts Dovecot on it, and stops it by pid at the end."""
    require_server(DOVECOT, "dovecot-imapd and dovecot-sqlite")
    # Dovecot's mail processes run as an unprivileged user: the mail root must be
    # reachable by it, which pytest's private temporary folders are not.
    workspace = Path(tempfile.mkdtemp(prefix="mailwizard-dovecot-"))
    workspace.chmod(0o755)
    mail_root = workspace / "mail"
    mail_root.mkdir()
    uid = NOBODY if os.getuid() == 0 else os.getuid()
    gid = NOBODY if os.getuid() == 0 else os.getgid()
    os.chown(mail_root, uid, gid)
    monkeypatch.setenv("MAILWIZARD_MAIL_ROOT", str(mail_root))
    monkeypatch.setenv("MAILWIZARD_MAIL_UID", str(uid))
    monkeypatch.setenv("MAILWIZARD_MAIL_GID", str(gid))
    # Dovecot puts its sockets for Postfix in Postfix's queue: this test's own.
    (workspace / "spool" / "private").mkdir(parents=True)
    monkeypatch.setenv("MAILWIZARD_POSTFIX_QUEUE_DIRECTORY", str(workspace / "spool"))
    certificate, key = throwaway_certificate(workspace)
    monkeypatch.setenv("MAILWIZARD_TLS_CERT_FILE", str(certificate))
    monkeypatch.setenv("MAILWIZARD_TLS_KEY_FILE", str(key))
    generated = subprocess.run(
        [sys.executable, "-m", "mailwizard", "dovecot-config", "--out", str(workspace / "conf")],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    port, lmtp_port = free_ports(2)
    config = workspace / "dovecot.conf"
    config.write_text(
        _configuration(workspace, port, lmtp_port, workspace / "conf" / "mailwizard.conf")
    )
    server = subprocess.Popen([DOVECOT, "-F", "-c", str(config)])
    try:
        deadline = time.monotonic() + 15
        while True:
            assert server.poll() is None, "Dovecot stopped: its reason is on stderr above"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "Dovecot did not start listening"
                time.sleep(0.05)
        yield Dovecot(port, lmtp_port, mail_root, workspace / "dovecot.log")
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
        shutil.rmtree(workspace, ignore_errors=True)
