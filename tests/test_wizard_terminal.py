"""The program as a user starts it, ``mailwizard`` alone, in a real terminal (tmux)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

from cli_harness import Cli
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD
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


def test_a_household_and_its_first_box_by_keyboard_alone_in_a_real_terminal(
    tmux: Tmux, isolated_environment: dict[str, str], cli: Cli
) -> None:
    """First run, sign-in, a new box, the review, done: keys only, each answer typed in
    one burst with the Tab after it, as a quick typist or a paste sends them."""
    environment = {**isolated_environment, "MAILWIZARD_LANGUAGE": "en"}
    pid = tmux.start(environment, PROGRAM)

    def shows(text: str) -> bool:
        return wait_until(lambda: text in tmux.screen())

    assert shows("Welcome: set up the household's mail"), tmux.screen()
    tmux.keys("-l", "famille-martin.fr")
    tmux.keys("Tab")
    tmux.keys("-l", HOLDER)
    tmux.keys("Tab", "Right", "Space", "Tab")
    tmux.keys("-l", "Martin")
    tmux.keys("Tab")
    tmux.keys("-l", "Jean")
    tmux.keys("Tab")
    tmux.keys("-l", HOLDER_PASSWORD)
    tmux.keys("Tab")
    tmux.keys("-l", HOLDER_PASSWORD)
    tmux.keys("Enter")

    assert shows("Sign in with your primary address."), tmux.screen()
    assert HOLDER in tmux.screen(), "the new primary address is filled in"
    tmux.keys("-l", HOLDER_PASSWORD)
    tmux.keys("Enter")
    assert shows("9 of 9 secondary addresses left"), tmux.screen()

    tmux.keys("c")
    assert shows("Who is the new address for?"), tmux.screen()
    assert "Step 1 of 4" in tmux.screen(), "at home the gate asks nothing"
    tmux.keys("Space", "Tab")
    tmux.keys("-l", "Martin")
    tmux.keys("Tab")
    tmux.keys("-l", "Léa")
    tmux.keys("Enter")
    assert shows("Proposed addresses"), tmux.screen()
    assert shows("lea.martin@famille-martin.fr"), tmux.screen()
    tmux.keys("Down", "Enter")

    assert shows("Create the password"), tmux.screen()
    tmux.keys("-l", NEW_PASSWORD)
    tmux.keys("Tab")
    tmux.keys("-l", NEW_PASSWORD)
    tmux.keys("Tab", "Tab", "Tab", "Tab", "Space", "Enter")  # show, passphrase, terms, accept
    assert shows("Check and confirm"), tmux.screen()
    assert "Step 4 of 4" in tmux.screen()
    tmux.keys("Enter")
    assert shows("8 of 9 secondary addresses left"), tmux.screen()
    assert "confirmation e-mail" in tmux.screen()
    tmux.keys("C-q")
    assert wait_until(lambda: not alive(pid), timeout=10), "nothing typed: Ctrl+Q quits"

    listing = cli("accounts", "list", "--owner", HOLDER, "--json")
    assert listing.exit_code == 0, listing.stderr
    boxes = json.loads(listing.stdout)["mailboxes"]
    assert [(box["address"], box["role"], box["civility"], box["first_name"]) for box in boxes] == [
        (HOLDER, "primary", "monsieur", "Jean"),
        ("lea.martin@famille-martin.fr", "secondary", "madame", "Léa"),
    ]
