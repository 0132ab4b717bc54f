"""Time from launch to the first interactive screen, in a pseudo-terminal and headless.

In a pseudo-terminal: the program is spawned on a fresh 80×24 pty and the clock stops
when the sign-in screen's title reaches the terminal. Headless: ``headless_launch.py``
is spawned and the clock stops when it says the address field has the focus. Both
include the interpreter's start, as a user's launch does.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from environment import BENCHMARKS, PYTHON

QUIT = b"\x11"  # ctrl+q, what a user presses
TIMEOUT_SECONDS = 30
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _drain(descriptor: int, seconds: float) -> bytes:
    readable, _, _ = select.select([descriptor], [], [], seconds)
    if not readable:
        return b""
    try:
        return os.read(descriptor, 65536)
    except OSError:  # the child closed the terminal
        return b""


def _own_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    # utime, stime, then cutime, cstime: the children it has already waited for
    return sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU time spent so far by a process, its descendants still running and those that
    ended and were waited for."""
    try:
        spent = _own_cpu_seconds(pid)
        children = [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
        return 0.0
    return spent + sum(tree_cpu_seconds(child) for child in children)


@dataclass
class Launch:
    seconds: float  # from spawning to the text on the terminal
    cpu_seconds: float  # what the program and its children had used by then
    screen: bytes  # everything the terminal received until then


def pty_launch(
    command: list[str],
    environment: dict[str, str],
    text: str,
    folder: Path | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Launch:
    """Spawn ``command`` in ``folder`` on a fresh terminal until ``text`` is drawn on it."""
    terminal, child_side = os.openpty()
    fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    wanted, screen = text.encode(), b""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=child_side,
        stdout=child_side,
        stderr=child_side,
        cwd=folder,
        env=environment,
        start_new_session=True,
    )
    os.close(child_side)
    try:
        while wanted not in screen:
            if time.perf_counter() - started > timeout or process.poll() is not None:
                raise RuntimeError(f"{command[-1]} never showed {text!r}: {screen[-2000:]!r}")
            screen += _drain(terminal, 0.5)
        elapsed = time.perf_counter() - started
        cpu_seconds = tree_cpu_seconds(process.pid)
        os.write(terminal, QUIT)
        deadline = time.perf_counter() + 10
        # The child restores the terminal as it leaves: keep reading so it never blocks.
        while process.poll() is None and time.perf_counter() < deadline:
            _drain(terminal, 0.05)
        return Launch(elapsed, cpu_seconds, screen)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(terminal)


def pty_launch_seconds(command: list[str], environment: dict[str, str], text: str) -> float:
    """Seconds from spawning ``command`` until ``text`` is drawn on its terminal."""
    return pty_launch(command, environment, text).seconds


def headless_launch_seconds(which: str, environment: dict[str, str]) -> float:
    """Seconds from spawning ``headless_launch.py WHICH`` until its first screen is ready."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, str(BENCHMARKS / "headless_launch.py"), which],
        stdout=subprocess.PIPE,
        env=environment,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait(timeout=TIMEOUT_SECONDS)
    if line.strip() != "ready":
        raise RuntimeError(f"headless {which} did not start: {line!r}")
    return elapsed
