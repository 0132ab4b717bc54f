"""Runs one command line in N processes at the same instant.

    python simultaneous_cli.py N ARGUMENTS...

Once the command line and what it loads are imported, this process forks N children
that wait on one pipe until all of them exist; then each runs ``mailwizard ARGUMENTS``
(the real entry point, with its own connections to the directory), together, as N
people pressing Enter at the same moment would, without the seconds that N Python
interpreters take to start on two cores. Prints a JSON list of each one's exit code
and standard error.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path

# What a sign-in loads, so that the children do not each import it again.
PRELOADED = (
    "mailwizard.cli.main",
    "mailwizard.cli.management",
    "mailwizard.cli.activation",
    "mailwizard.config",
    "mailwizard.bootstrap",
    "mailwizard.backends.engine",
    "mailwizard.backends.sql_accounts",
    "mailwizard.backends.sql_addresses",
    "mailwizard.backends.sql_aliases",
    "mailwizard.backends.sql_audit",
    "mailwizard.backends.sql_households",
    "mailwizard.backends.sql_mailboxes",
    "mailwizard.backends.sql_throttle",
    "mailwizard.backends.sql_activation",
    "mailwizard.backends.sql_authenticators",
    "mailwizard.backends.sql_devices",
    "mailwizard.backends.sql_outbox",
    "mailwizard.backends.mail_archive",
    "mailwizard.hashing",
    "mailwizard.keyring_secrets",
    "argon2",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.sqlite",
)


def child(arguments: list[str], go: int, stderr: Path) -> None:
    from mailwizard.cli.main import run

    os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os.read(go, 1)
    code = 70
    try:
        code = run(arguments)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    count, arguments = int(sys.argv[1]), sys.argv[2:]
    for module in PRELOADED:
        importlib.import_module(module)
    go_read, go_write = os.pipe()
    with tempfile.TemporaryDirectory() as folder:
        errors = [Path(folder, str(index)) for index in range(count)]
        children = []
        for stderr in errors:
            pid = os.fork()
            if pid == 0:
                os.close(go_write)
                child(arguments, go_read, stderr)
            children.append(pid)
        os.close(go_read)
        os.write(go_write, b"x" * count)
        outcomes = []
        for pid, stderr in zip(children, errors, strict=True):
            _, status = os.waitpid(pid, 0)
            outcomes.append(
                {"exit_code": os.waitstatus_to_exitcode(status), "stderr": stderr.read_text()}
            )
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
