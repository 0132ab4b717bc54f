"""A real terminal for the program: tmux on a socket of the test's own."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Callable

TMUX = "/usr/bin/tmux"


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Tmux:
    """A tmux server of the test's own, on its own socket, with one session."""

    session = "wizard"

    def __init__(self) -> None:
        self.socket = f"mailwizard-{uuid.uuid4().hex[:8]}"

    def start(self, environment: dict[str, str], command: str) -> int:
        """Runs ``command`` on a 100×30 terminal; its pid."""
        variables = [f"{name}={value}" for name, value in environment.items()]
        self("new-session", "-d", "-s", self.session, "-x", "100", "-y", "30",
             "env", *variables, "sh", "-c", f"exec {command}")  # fmt: skip
        return int(self("display-message", "-p", "-t", self.session, "#{pane_pid}"))

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", self.session, *keys)

    def __call__(self, *args: str) -> str:
        completed = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return completed.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", self.session)
