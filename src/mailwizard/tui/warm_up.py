"""Readies the wizard's later steps in a worker thread while the user reads the first
screens: the later screens, the password step's word lists (zxcvbn) and Markdown
renderer are imported, then everything loaded so far is moved out of the garbage
collector's sight (and its full passes wait for idle moments: ``collector.py``).

Without this, importing them on the event loop held it up, and later the collector's
full passes walked their hundreds of thousands of objects, 100–200 ms at a time, from
whichever thread triggered them.
"""

from __future__ import annotations

import gc
import importlib

LATER_MODULES = (
    "zxcvbn",
    "zxcvbn.matching",
    "rich.markdown",
    "mailwizard.tui.screens.management",
    "mailwizard.tui.screens.identity",
    "mailwizard.tui.screens.address",
    "mailwizard.tui.screens.password",
    "mailwizard.tui.screens.review",
)


def warm_up() -> None:
    gc.freeze()
    for name in LATER_MODULES:
        importlib.import_module(name)
    # Modules, word lists and the directory's engine live as long as the program.
    gc.freeze()
