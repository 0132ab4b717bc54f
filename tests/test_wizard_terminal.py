"""The program as a user starts it, ``mailwizard`` alone, in a real terminal (tmux)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from martin_household import HOLDER, HOLDER_PASSWORD
from real_terminal import Tmux, alive, wait_until

PROGRAM = str(Path(sys.executable).with_name("mailwizard"))


def test_the_program_alone_opens_the_wizard_and_signs_in(
    household: str, tmux: Tmux, isolated_environment: dict[str, str]
) -> None:
    pid = tmux.start({**isolated_environment, "MAILWIZARD_LANGUAGE": "en"}, PROGRAM)
    assert wait_until(lambda: "Sign in" in tmux.screen()), tmux.screen()
    tmux.keys("-l", HOLDER)
    tmux.keys("Enter")
    # Textual moves the focus on its next turn; a person is never quicker than that.
    time.sleep(0.5)
    tmux.keys("-l", HOLDER_PASSWORD)
    tmux.keys("Enter")
    assert wait_until(lambda: "secondary addresses left" in tmux.screen()), tmux.screen()
    tmux.keys("C-q")
    assert wait_until(lambda: not alive(pid), timeout=10), "Ctrl+Q ends the wizard"


def test_a_kiosk_set_in_the_settings_file_is_a_kiosk_from_its_first_frame(
    household: str, tmux: Tmux, isolated_environment: dict[str, str]
) -> None:
    Path(isolated_environment["MAILWIZARD_CONFIG"]).write_text(
        'kiosk = true\nlanguage = "fr"\n', encoding="utf-8"
    )
    pid = tmux.start(isolated_environment, PROGRAM)
    assert wait_until(lambda: "Se connecter" in tmux.screen()), tmux.screen()
    for key in ("C-q", "C-c"):
        tmux.keys(key)
    assert not wait_until(lambda: not alive(pid), timeout=1.5), "no key ends a kiosk"
    os.kill(pid, signal.SIGTERM)
    assert wait_until(lambda: not alive(pid), timeout=10)
