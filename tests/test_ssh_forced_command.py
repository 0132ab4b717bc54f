"""An SSH account whose forced command is mailwizard, as the README deploys it, on a
real OpenSSH ``sshd`` (Debian's ``openssh-server``) of the test's own: the holder is
judged by the address sshd saw, whatever the client sends or asks to run.

The client from afar is ``ssh`` in a network namespace of the test's own, against
settings that trust loopback only. The test logs in as root with a throwaway key
(``PermitRootLogin prohibit-password``) because the interpreter lives in root's home
here; the README's deployment uses a dedicated system user.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from sqlalchemy import create_engine, text

from away_network import AwayNetwork, away_network
from cli_harness import write_answers
from dovecot_server import free_port, require_server
from martin_household import CREATE_ENV

SSHD = "/usr/sbin/sshd"
SSH = "/usr/bin/ssh"
SSH_KEYGEN = "/usr/bin/ssh-keygen"
FORGED = "127.0.0.1 50000 127.0.0.1 22"
AWAY_MESSAGE = "A new address can only be created from your home network"

pytestmark = pytest.mark.servers
Outcome = CompletedProcess[str]


def _sshd_config(folder: Path, port: int, away: AwayNetwork, forced_command: Path) -> str:
    return f"""\
Port {port}
ListenAddress 127.0.0.1
ListenAddress {away.host_address}
HostKey {folder}/host_key
PidFile {folder}/sshd.pid
AuthorizedKeysFile {folder}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
LogLevel DEBUG2
# (DEBUG2 logs the environment a client asks for and sshd refuses.)
# What the README's deployment relies on: the person cannot choose the environment.
PermitUserEnvironment no
AcceptEnv LANG LC_*
DisableForwarding yes
PermitTTY no
Match User root
    ForceCommand {forced_command}
"""


@contextmanager
def running_sshd(folder: Path, away: AwayNetwork, forced_command: Path) -> Iterator[int]:
    """sshd in the foreground on a free port of loopback and of the veth's host end;
    its port. Stopped by pid."""
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key")],
                   check=True)  # fmt: skip
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(_sshd_config(folder, port, away, forced_command))
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    log = folder / "sshd.log"
    server = subprocess.Popen([SSHD, "-D", "-f", str(config), "-E", str(log)])
    try:
        deadline = time.monotonic() + 10
        while True:
            assert server.poll() is None, log.read_text(errors="replace")
            try:
                socket.create_connection((away.host_address, port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "sshd did not start"
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_over_ssh_the_forced_command_judges_the_address_sshd_saw(
    household: str,
    isolated_environment: dict[str, str],
    answers_dir: Path,
    directory_url: str,
    tmp_path: Path,
) -> None:
    for binary, package in ((SSHD, "openssh-server"), (SSH, "openssh-client"),
                            (SSH_KEYGEN, "openssh-client")):  # fmt: skip
        require_server(binary, package)
    folder = tmp_path / "sshd"
    folder.mkdir()
    key = folder / "client_key"
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    # A key that asks for an environment of its own, which PermitUserEnvironment ignores.
    (folder / "authorized_keys").write_text(
        f'environment="SSH_CONNECTION={FORGED}",environment="SSH_CLIENT=127.0.0.1 50000 22" '
        + (folder / "client_key.pub").read_text()
    )
    answers = write_answers(answers_dir / "lea.toml")
    # What the deployment's forced command is: mailwizard, with settings the person
    # cannot change (sshd starts it from a clean environment).
    settings = {
        **isolated_environment,
        **CREATE_ENV,
        "MAILWIZARD_TRUSTED_NETWORKS": '["127.0.0.0/8"]',
        "MAILWIZARD_LANGUAGE": "en",
    }
    exports = "\n".join(f"export {name}={shlex.quote(value)}" for name, value in settings.items())
    forced_command = folder / "mailwizard-over-ssh"
    forced_command.write_text(
        f"#!/bin/sh\n{exports}\n"
        f"exec {shlex.quote(sys.executable)} -m mailwizard create --answers {answers}\n"
    )
    forced_command.chmod(0o700)

    with away_network() as away, running_sshd(folder, away, forced_command) as port:

        def ssh(
            host: str,
            *options: str,
            remote: tuple[str, ...] = (),
            inside: AwayNetwork | None = None,
        ) -> Outcome:
            command = [
                SSH, "-F", "/dev/null", "-i", str(key), "-p", str(port),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                *options, f"root@{host}", *remote,
            ]  # fmt: skip
            if inside is not None:
                command = inside.command(*command)
            # The client's own environment claims loopback too, for SendEnv to send.
            environment = {"PATH": os.environ["PATH"], "SSH_CONNECTION": FORGED}
            return subprocess.run(
                command, capture_output=True, text=True, timeout=60, env=environment, check=False
            )

        from_afar = ssh(away.host_address, inside=away)
        assert from_afar.returncode == 1, from_afar.stderr
        assert AWAY_MESSAGE in from_afar.stderr

        forging = ssh(
            away.host_address,
            "-o", f"SetEnv=SSH_CONNECTION={FORGED!r} SSH_CLIENT='127.0.0.1 50000 22'",
            "-o", "SendEnv=SSH_CONNECTION",
            # The command asked for is not the one run: ForceCommand's is.
            remote=("env", "-u", "SSH_CONNECTION", "-u", "SSH_CLIENT", "mailwizard", "create"),
            inside=away,
        )  # fmt: skip
        assert forging.returncode == 1, forging.stderr
        assert AWAY_MESSAGE in forging.stderr

        from_home = ssh("127.0.0.1")
        assert from_home.returncode == 0, from_home.stderr
        assert from_home.stdout.strip().endswith("@famille-martin.fr")

    assert audit_origins(directory_url) == ["command line, ssh 127.0.0.1"]
    log = (folder / "sshd.log").read_text(errors="replace")
    assert f"Connection from {away.client_address}" in log, log
    # The client did send its own SSH_CONNECTION and SSH_CLIENT: sshd refused them.
    assert "Ignoring env request SSH_CONNECTION: disallowed name" in log
    assert "Ignoring env request SSH_CLIENT: disallowed name" in log


def audit_origins(directory_url: str) -> list[str]:
    engine = create_engine(directory_url)
    with engine.connect() as connection:
        query = text("SELECT origin FROM audit_log WHERE origin LIKE '%ssh%' ORDER BY id")
        origins = list(connection.execute(query).scalars())
    engine.dispose()
    return origins
