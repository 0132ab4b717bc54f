"""A throwaway PostgreSQL 15 cluster on a loopback port, one database per test.

Debian's ``postgresql`` provides the server tools. ``initdb`` refuses to run as root,
so as root the cluster belongs to the ``postgres`` user. The server is stopped by pid.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from dovecot_server import free_port, require_server

SERVER_TOOLS = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "mailwizard"
PASSWORD = "pg-secret-for-tests"


@dataclass(frozen=True)
class Postgres:
    port: int

    def url(self, database: str, *, with_password: bool = False) -> str:
        credentials = f"{SUPERUSER}:{PASSWORD}" if with_password else SUPERUSER
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = "directory_" + secrets.token_hex(6)
        with psycopg.connect(self.url("postgres", with_password=True), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return name


@contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[Postgres]:
    """``durable`` keeps fsync on, as a real server has it; tests go faster without."""
    require_server(str(SERVER_TOOLS / "initdb"), "postgresql")
    workspace = Path(tempfile.mkdtemp(prefix="mailwizard-postgres-"))
    as_owner: list[str] = []
    if os.getuid() == 0:
        shutil.chown(workspace, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    password_file = workspace / "password"
    password_file.write_text(PASSWORD)
    if os.getuid() == 0:
        shutil.chown(password_file, "postgres", "postgres")
    data = workspace / "data"
    subprocess.run(
        [*as_owner, str(SERVER_TOOLS / "initdb"), "-D", str(data), "-U", SUPERUSER,
         "--auth=scram-sha-256", f"--pwfile={password_file}", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    subprocess.run(
        [*as_owner, str(SERVER_TOOLS / "pg_ctl"), "-D", str(data), "-w", "-l",
         str(workspace / "server.log"), "-o",
         f"-p {port} -h 127.0.0.1 -k {workspace}" + ("" if durable else " -F"), "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    pid = int((data / "postmaster.pid").read_text().split()[0])
    try:
        yield Postgres(port)
    finally:
        os.kill(pid, signal.SIGINT)  # "fast" shutdown
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        shutil.rmtree(workspace, ignore_errors=True)
