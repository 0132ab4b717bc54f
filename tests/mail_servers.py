"""A real Postfix and a real Dovecot serving the directory, as ``server-config`` sets them up.

Each runs as Debian packages it: Postfix's daemons as ``postfix`` (its lookups through
``proxymap``), Dovecot's as ``dovecot`` and ``dovenull``, the boxes' mail as ``nobody``.
Both read only the files ``mailwizard server-config`` writes, beside a throwaway main.cf,
master.cf and dovecot.conf of their own: a private Postfix instance (its own queue, on
loopback ports) and a Dovecot with its own base_dir. The clients are real too: swaks for
SMTP and submission, curl for IMAP.

Debian's postfix, postfix-sqlite, postfix-pgsql, dovecot-imapd, dovecot-lmtpd,
dovecot-sqlite, dovecot-pgsql, swaks, curl and openssl provide them. Without one, the tests
that need them are skipped, unless MAILWIZARD_REQUIRE_SERVERS=1 makes that a failure.
Both masters are this process's children, started in the foreground and stopped by pid.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from cli_harness import Cli
from dovecot_server import DOVECOT, NOBODY, free_port, require_server

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
POSTFIX_DAEMONS = Path("/usr/lib/postfix/sbin")
POSTFIX_LIBRARIES = Path("/usr/lib/postfix")
SWAKS = shutil.which("swaks") or "/usr/bin/swaks"
CURL = shutil.which("curl") or "/usr/bin/curl"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
DOVECOT_MODULES = Path("/usr/lib/dovecot")
STOCK_MASTER_CF = Path("/etc/postfix/master.cf")

REQUIREMENTS = {
    POSTFIX: "postfix",
    str(POSTFIX_LIBRARIES / "postfix-sqlite.so"): "postfix-sqlite",
    str(POSTFIX_LIBRARIES / "postfix-pgsql.so"): "postfix-pgsql",
    DOVECOT: "dovecot-imapd",
    str(DOVECOT_MODULES / "lmtp"): "dovecot-lmtpd",
    str(DOVECOT_MODULES / "modules/auth/libdriver_sqlite.so"): "dovecot-sqlite",
    str(DOVECOT_MODULES / "modules/auth/libdriver_pgsql.so"): "dovecot-pgsql",
    SWAKS: "swaks",
    CURL: "curl",
    OPENSSL: "openssl",
}
CURL_LOGIN_DENIED = 67
DELIVERY_SECONDS = 20


@dataclass(frozen=True)
class Workspace:
    """Folders outside pytest's private tmp_path, which the servers' users cannot enter."""

    root: Path
    smtp_port: int
    submission_port: int
    imap_port: int
    imaps_port: int
    """IMAP with TLS from the first byte (Debian's 993), for clients told to use SSL."""

    @property
    def directory_file(self) -> Path:
        return self.root / "lib" / "directory.sqlite3"

    @property
    def mail_root(self) -> Path:
        return self.root / "mail"

    @property
    def generated(self) -> Path:
        """Where ``server-config`` writes its dovecot/ and postfix/ folders."""
        return self.root / "out"

    @property
    def postfix_config(self) -> Path:
        return self.root / "postfix" / "conf"

    @property
    def queue(self) -> Path:
        return self.root / "postfix" / "queue"

    @property
    def postfix_log(self) -> Path:
        return self.root / "postfix.log"

    @property
    def dovecot_log(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def certificate(self) -> Path:
        return self.root / "tls" / "cert.pem"

    @property
    def key(self) -> Path:
        return self.root / "tls" / "key.pem"

    def settings(self, directory_engine: str) -> list[str]:
        """What ``mailwizard config set`` is told for these servers."""
        values = {
            "mail_root": self.mail_root,
            "mail_uid": NOBODY,
            "mail_gid": NOBODY,
            "tls_cert_file": self.certificate,
            "tls_key_file": self.key,
            "postfix_queue_directory": self.queue,
            "submission_service": f"127.0.0.1:{self.submission_port}",
            "imap_host": "127.0.0.1",
            "smtp_host": "127.0.0.1",
        }
        if directory_engine == "sqlite":
            values["directory"] = f"sqlite:///{self.directory_file}"
            values["directory_group"] = "postfix"
        return [f"{name}={value}" for name, value in values.items()]

    def logs(self) -> str:
        """The end of both servers' logs, for an assertion's message."""
        parts = []
        for log in (self.postfix_log, self.dovecot_log):
            try:
                lines = log.read_text(errors="replace").splitlines()[-40:]
            except FileNotFoundError:
                lines = ["(no log)"]
            parts.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(parts)


@dataclass(frozen=True)
class Transcript:
    """A client's exit status and everything it printed."""

    status: int
    text: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    def replies(self) -> list[str]:
        """The server's lines, as swaks shows them (``<-`` and ``<~``, errors ``<**``)."""
        return [
            line.split(" ", 1)[1].strip()
            for line in self.text.splitlines()
            if line.startswith(("<- ", "<~ ", "<** ", "<~* "))
        ]


def _perl_module(name: str) -> str:
    """Where Perl finds a module (swaks speaks TLS with Net::SSLeay); its bare file name
    when Perl does not find it."""
    file = name.replace("::", "/") + ".pm"
    found = subprocess.run(
        ["perl", f"-M{name}", "-e", f'print $INC{{"{file}"}}'],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return found.stdout if found.returncode == 0 and found.stdout else file


def require_mail_servers() -> None:
    for binary, package in REQUIREMENTS.items():
        require_server(binary, package)
    require_server(_perl_module("Net::SSLeay"), "libnet-ssleay-perl (swaks's TLS)")


@contextmanager
def mail_workspace() -> Iterator[Workspace]:
    """Folders reachable by the servers' users, a throwaway certificate and free ports;
    all removed at the end."""
    require_mail_servers()
    root = Path(tempfile.mkdtemp(prefix="mailwizard-mail-servers-"))
    try:
        root.chmod(0o755)
        workspace = Workspace(root, free_port(), free_port(), free_port(), free_port())
        workspace.mail_root.mkdir()
        os.chown(workspace.mail_root, NOBODY, NOBODY)
        workspace.generated.mkdir(mode=0o755)
        workspace.certificate.parent.mkdir(mode=0o755)
        subprocess.run(
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=mail.test",
             "-days", "2", "-keyout", str(workspace.key), "-out", str(workspace.certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        workspace.key.chmod(0o600)
        yield workspace
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _main_cf(workspace: Workspace, fragment: str) -> str:
    """A private instance's main.cf, then the product's lines (later lines win)."""
    base = f"""\
compatibility_level = 3.6
queue_directory = {workspace.queue}
data_directory = {workspace.root / "postfix" / "data"}
meta_directory = /etc/postfix
shlib_directory = {POSTFIX_LIBRARIES}
daemon_directory = {POSTFIX_DAEMONS}
command_directory = /usr/sbin
mail_owner = postfix
setgid_group = postdrop
maillog_file = {workspace.postfix_log}
maillog_file_prefixes = {workspace.root}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.test
mydomain = test
myorigin = $myhostname
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
smtputf8_enable = no
biff = no
# Nothing leaves this machine: mail for outside domains is thrown away, no DNS asked.
default_transport = discard:this test server sends nothing outside
relay_transport = $default_transport
"""
    return base + fragment


def _master_cf(smtp_port: int, fragment: str) -> str:
    """Debian's master.cf, unchrooted (the instance lives outside any chroot), its smtpd
    on a loopback port, then the product's submission service."""
    lines = []
    for line in STOCK_MASTER_CF.read_text().splitlines():
        fields = line.split()
        if line[:1] in ("", "#", " ", "\t") or len(fields) < 8:
            lines.append(line)
            continue
        if fields[:2] == ["smtp", "inet"]:
            fields[0] = f"127.0.0.1:{smtp_port}"
        fields[4] = "n"
        lines.append(" ".join(fields))
    return "\n".join(lines) + "\n" + fragment


def _dovecot_conf(workspace: Workspace) -> str:
    return f"""\
base_dir = {workspace.root / "dovecot" / "run"}
state_dir = {workspace.root / "dovecot" / "state"}
log_path = {workspace.dovecot_log}
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
disable_plaintext_auth = yes
auth_failure_delay = 0
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {workspace.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {workspace.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
!include {workspace.generated / "dovecot" / "mailwizard.conf"}
"""


def _wait_until(
    ready: Callable[[], bool], what: str, workspace: Workspace, server: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + 20
    while not ready():
        assert server.poll() is None, f"{what}: the server exited\n{workspace.logs()}"
        assert time.monotonic() < deadline, f"{what}: not ready\n{workspace.logs()}"
        time.sleep(0.05)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=15)


@contextmanager
def _running_postfix(workspace: Workspace) -> Iterator[None]:
    generated = workspace.generated / "postfix"
    config = workspace.postfix_config
    config.mkdir(parents=True)
    (config / "main.cf").write_text(
        _main_cf(workspace, (generated / "main.cf.fragment").read_text())
    )
    (config / "master.cf").write_text(
        _master_cf(workspace.smtp_port, (generated / "master.cf.fragment").read_text())
    )
    workspace.queue.mkdir(mode=0o755)
    (workspace.root / "postfix" / "data").mkdir(mode=0o700)
    shutil.chown(workspace.root / "postfix" / "data", "postfix", "postfix")
    # "postfix check" makes the queue's folders, owned as Postfix wants them; the master
    # then runs in the foreground, as this process's child ("postfix start" would detach).
    checked = subprocess.run(
        [POSTFIX, "-c", str(config), "check"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr + workspace.logs()
    master = subprocess.Popen([str(POSTFIX_DAEMONS / "master"), "-c", str(config), "-s"])
    try:
        _wait_until(
            lambda: _listening(workspace.smtp_port) and _listening(workspace.submission_port),
            "Postfix",
            workspace,
            master,
        )
        yield
    finally:
        _stop(master)


@contextmanager
def _running_dovecot(workspace: Workspace) -> Iterator[None]:
    folder = workspace.root / "dovecot"
    folder.mkdir(mode=0o755)
    config = folder / "dovecot.conf"
    config.write_text(_dovecot_conf(workspace))
    server = subprocess.Popen([DOVECOT, "-F", "-c", str(config)])
    try:
        sockets = (
            workspace.queue / "private" / "auth",
            workspace.queue / "private" / "dovecot-lmtp",
        )
        _wait_until(
            lambda: _listening(workspace.imap_port) and all(path.exists() for path in sockets),
            "Dovecot",
            workspace,
            server,
        )
        yield
    finally:
        _stop(server)


@dataclass(frozen=True)
class MailServers:
    """Both servers running for a workspace, and their clients."""

    workspace: Workspace

    def logs(self) -> str:
        return self.workspace.logs()

    def _swaks(
        self, port: int, sender: str, recipient: str, subject: str, options: list[str]
    ) -> Transcript:
        completed = subprocess.run(
            [SWAKS, "--server", "127.0.0.1", "--port", str(port), "--ehlo", "client.test",
             "--from", sender, "--to", recipient, "--timeout", "20",
             "--header", f"Subject: {subject}", "--body", f"The body of {subject}.\n",
             *options],
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return Transcript(completed.returncode, completed.stdout + completed.stderr)

    def send(
        self, sender: str, recipient: str, subject: str, *, port: int | None = None
    ) -> Transcript:
        """A message without authentication (STARTTLS when offered): by default to port 25,
        as mail from outside comes."""
        return self._swaks(
            port or self.workspace.smtp_port,
            sender,
            recipient,
            subject,
            ["--tls-optional-strict"],
        )

    def submit(
        self,
        login: str,
        password: str,
        recipient: str,
        subject: str,
        *,
        sender: str | None = None,
        mechanism: str = "PLAIN",
        tls: bool = True,
    ) -> Transcript:
        """A message from a box: the submission port, its address and password."""
        options = ["--auth", mechanism, "--auth-user", login, "--auth-password", password]
        if tls:
            options.append("--tls")
        return self._swaks(
            self.workspace.submission_port, sender or login, recipient, subject, options
        )

    def _curl(self, address: str, password: str, path: str, *command: str) -> Transcript:
        completed = subprocess.run(
            [CURL, "--silent", "--show-error", "--ssl-reqd", "--insecure", "--max-time", "15",
             "--user", f"{address}:{password}",
             f"imap://127.0.0.1:{self.workspace.imap_port}/{path}", *command],
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return Transcript(completed.returncode, completed.stdout + completed.stderr)

    def signs_in(self, address: str, password: str) -> bool:
        """Whether Dovecot lets the box in over IMAP (STARTTLS) and opens its INBOX."""
        outcome = self._curl(address, password, "INBOX", "--request", "NOOP")
        assert outcome.ok or outcome.status == CURL_LOGIN_DENIED, outcome.text + self.logs()
        return outcome.ok

    def search(self, address: str, password: str, subject: str) -> list[int]:
        """The INBOX's sequence numbers of the messages whose Subject holds ``subject``."""
        quoted = subject.replace("\\", "\\\\").replace('"', '\\"')
        outcome = self._curl(address, password, "INBOX", "--request", f'SEARCH SUBJECT "{quoted}"')
        assert outcome.ok, outcome.text + self.logs()
        found = re.search(r"^\* SEARCH(.*)$", outcome.text, re.MULTILINE)
        assert found is not None, outcome.text
        return [int(number) for number in found.group(1).split()]

    def fetch(self, address: str, password: str, number: int) -> str:
        """The whole message at that sequence number of the INBOX."""
        outcome = self._curl(address, password, f"INBOX;MAILINDEX={number}")
        assert outcome.ok, outcome.text + self.logs()
        return outcome.text

    def wait_in_maildir(self, address: str, subject: str) -> None:
        """Waits until Dovecot stored a message with ``subject`` in the box's Maildir, as
        the servers' storage has it (for a box that may not sign in)."""
        local_part, _, domain = address.partition("@")
        maildir = self.workspace.mail_root / domain / local_part / "Maildir"
        header = f"Subject: {subject}".encode()
        deadline = time.monotonic() + DELIVERY_SECONDS
        while not any(
            header in path.read_bytes()
            for folder in ("new", "cur")
            for path in (maildir / folder).glob("*")
        ):
            assert time.monotonic() < deadline, (
                f"{subject!r} never reached {maildir}\n{self.logs()}"
            )
            time.sleep(0.2)

    def wait_for(self, address: str, password: str, subject: str) -> str:
        """The one message with ``subject`` in the box's INBOX, once Postfix delivered it."""
        deadline = time.monotonic() + DELIVERY_SECONDS
        while not (found := self.search(address, password, subject)):
            assert time.monotonic() < deadline, (
                f"{subject!r} never reached {address}\n{self.logs()}"
            )
            time.sleep(0.2)
        assert len(found) == 1, f"{subject!r} reached {address} {len(found)} times"
        return self.fetch(address, password, found[0])


@contextmanager
def running_mail_servers(cli: Cli, workspace: Workspace) -> Iterator[MailServers]:
    """Writes the servers' files with ``mailwizard server-config`` (the directory must
    exist), starts Postfix, then Dovecot (which puts its sockets in Postfix's queue), and
    stops both by pid at the end."""
    outcome = cli("server-config", "--out", str(workspace.generated))
    assert outcome.exit_code == 0, outcome.stderr
    with ExitStack() as stack:
        stack.enter_context(_running_postfix(workspace))
        stack.enter_context(_running_dovecot(workspace))
        yield MailServers(workspace)
