"""What an open management page costs while nobody touches it: the CPU time the real
program uses, signed in on a pseudo-terminal, over an idle stretch, on each engine.

``--source DIR`` runs the program from another checkout's ``src`` (for instance one
without the page's watch on the directory) with this one's libraries, for a comparison
in the same conditions:

    uv run python benchmarks/idle_cpu.py --source /tmp/before/src --source src
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from environment import BENCHMARKS, HOLDER, HOLDER_PASSWORD, PYTHON, household_environment

sys.path.insert(0, str(BENCHMARKS.parent / "tests"))
from postgres_server import PASSWORD, running_postgres

MANAGEMENT_TITLE = b"Manage your family"
SIGN_IN_FIELD = b"Sign in"
SETTLE_SECONDS = 3.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / os.sysconf("SC_CLK_TCK")


def _read_for(descriptor: int, seconds: float) -> bytes:
    """Everything the program draws during ``seconds``: a terminal nobody reads blocks it."""
    deadline, drawn = time.monotonic() + seconds, b""
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([descriptor], [], [], left)
        if readable:
            try:
                drawn += os.read(descriptor, 65536)
            except OSError:
                break
    return drawn


def _wait_for(descriptor: int, text: bytes, timeout: float = 30) -> None:
    drawn, deadline = b"", time.monotonic() + timeout
    while text not in drawn:
        if time.monotonic() > deadline:
            raise RuntimeError(f"never showed {text!r}: {drawn[-1500:]!r}")
        drawn += _read_for(descriptor, 0.2)


def idle_cpu_percent(source: Path, environment: dict[str, str], seconds: float) -> float:
    terminal, child_side = os.openpty()
    fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [PYTHON, "-m", "mailwizard"],
        stdin=child_side, stdout=child_side, stderr=child_side, start_new_session=True,
        env={**environment, "PYTHONPATH": str(source.resolve())},
    )  # fmt: skip
    os.close(child_side)
    try:
        _wait_for(terminal, SIGN_IN_FIELD)
        for keys in (HOLDER, "\t", HOLDER_PASSWORD, "\r"):
            os.write(terminal, keys.encode())
            _read_for(terminal, 0.3)
        _wait_for(terminal, MANAGEMENT_TITLE)
        _read_for(terminal, SETTLE_SECONDS)
        before = _cpu_seconds(process.pid)
        _read_for(terminal, seconds)
        return 100 * (_cpu_seconds(process.pid) - before) / seconds
    finally:
        process.kill()
        process.wait()
        os.close(terminal)


@contextmanager
def engine_environment(engine: str) -> Iterator[dict[str, str]]:
    if engine == "sqlite":
        yield household_environment("idle-sqlite")
        return
    with running_postgres(durable=True) as server:
        directory = {
            "MAILWIZARD_DIRECTORY": server.url(server.create_database()),
            "MAILWIZARD_DIRECTORY_PASSWORD": PASSWORD,
        }
        os.environ.update(directory)  # where household_environment creates the household
        try:
            yield {**household_environment("idle-postgresql"), **directory}
        finally:
            for name in directory:
                os.environ.pop(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, action="append", required=True)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    for engine in ("sqlite", "postgresql"):
        with engine_environment(engine) as environment:
            figures: dict[Path, list[float]] = {source: [] for source in arguments.source}
            for _ in range(arguments.rounds):
                for source in arguments.source:
                    figures[source].append(idle_cpu_percent(source, environment, arguments.seconds))
            for source, percents in figures.items():
                shown = ", ".join(f"{percent:.2f}" for percent in percents)
                print(f"{engine:<10} {source}: idle CPU % per round: {shown}", flush=True)


if __name__ == "__main__":
    main()
