"""A full wizard run typed key by key, watching the event loop for stalls.

    python benchmarks/wizard_run.py mailwizard|reference|stack

mailwizard: sign in, open the wizard, type the names and an address with the
pauses a person makes (so the availability checks run while typing), the password
(its strength meter follows), accept the terms, confirm, and wait for the new box on
the management page. The reference types the same number of keys into its two fields.
``stack`` is the reference with what mailwizard's run loads besides Textual (its
libraries, and the two argon2id hashes of a sign-in and a creation) done in a worker
first: the floor under mailwizard's memory that its own code cannot go below.
A watcher sleeps 5 ms at a time on the event loop; how late it wakes is how long the
loop was kept from answering. Prints the longest stall (ms), its screen and the
process's peak RSS as JSON.

mailwizard runs the garbage collector's full passes when nobody has typed for a while
(``tui/collector.py``); the run's pauses are shorter than that, so afterwards it waits
for one and reports, apart, the longest stall while idle.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet

from environment import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD
from mailwizard.tui.collector import IDLE_SECONDS

TICK = 0.005
KEY_INTERVAL = 0.04
THINKING_PAUSE = 0.4
"""Longer than the wizard's debounce delays, so the checks run as a person types."""
NEW_ADDRESS = "lea.martin@famille-martin.fr"
STACK_LIBRARIES = (
    "pydantic_settings",
    "sqlalchemy",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "zxcvbn",
    "keyring",
    "rich.markdown",
    "email.message",
    "argon2",
)


class StallWatcher:
    def __init__(self, app: App[None]) -> None:
        self._app = app
        self.longest = 0.0
        self.screen = ""
        """The screen shown when the longest stall ended, to know where to look."""

    async def watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(TICK)
            stall = loop.time() - before - TICK
            if stall > self.longest:
                self.longest, self.screen = stall, type(self._app.screen).__name__


async def until(pilot: Pilot[None], ready: Callable[[], bool], timeout: float = 30) -> None:
    waited = 0.0
    while not ready():
        if waited > timeout:
            raise TimeoutError(f"still on {type(pilot.app.screen).__name__}")
        await pilot.pause(0.01)
        waited += 0.01


def on_screen(pilot: Pilot[None], name: str) -> Callable[[], bool]:
    return lambda: type(pilot.app.screen).__name__ == name and pilot.app.screen.is_mounted


async def type_slowly(pilot: Pilot[None], selector: str, text: str) -> None:
    """Key by key; a thinking pause after each word, as people pause between parts."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    for character in text:
        await pilot.press(character)
        await pilot.pause(THINKING_PAUSE if character in ".@-" else KEY_INTERVAL)
    await pilot.pause(THINKING_PAUSE)
    assert field.value == text, (field.value, text)


async def run_wizard(pilot: Pilot[None]) -> None:
    await until(pilot, on_screen(pilot, "SignInScreen"))
    await type_slowly(pilot, "#address", HOLDER)
    await type_slowly(pilot, "#password", HOLDER_PASSWORD)
    await pilot.press("enter")
    await until(pilot, on_screen(pilot, "ManagementScreen"))
    await pilot.click("#create")
    await until(pilot, on_screen(pilot, "IdentityScreen"))
    pilot.app.screen.query_one(RadioSet).focus()
    await pilot.press("enter")
    await type_slowly(pilot, "#last_name", "Martin")
    await type_slowly(pilot, "#first_name", "Léa")
    await pilot.click("#continue")
    await until(pilot, on_screen(pilot, "AddressScreen"))
    await type_slowly(pilot, "#address", NEW_ADDRESS)
    await until(pilot, lambda: not pilot.app.screen.query_one("#continue").disabled)
    await pilot.click("#continue")
    await until(pilot, on_screen(pilot, "PasswordScreen"))
    await type_slowly(pilot, "#password", NEW_PASSWORD)
    await type_slowly(pilot, "#confirmation", NEW_PASSWORD)
    pilot.app.screen.query_one("#accept").focus()
    await pilot.press("space")
    await until(pilot, lambda: not pilot.app.screen.query_one("#continue").disabled)
    await pilot.click("#continue")
    await until(pilot, on_screen(pilot, "ReviewScreen"))
    await pilot.click("#continue")
    await until(pilot, on_screen(pilot, "ManagementScreen"))


async def type_into_reference(pilot: Pilot[None]) -> None:
    await type_slowly(pilot, "#address", HOLDER + "Martin" + "Léa" + NEW_ADDRESS)
    await type_slowly(pilot, "#password", HOLDER_PASSWORD + NEW_PASSWORD * 2)


def load_the_stack() -> None:
    import importlib

    from mailwizard.config import Settings
    from mailwizard.hashing import Argon2idHasher

    for name in STACK_LIBRARIES:
        importlib.import_module(name)
    settings = Settings()
    hasher = Argon2idHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    hasher.verify(hasher.hash(HOLDER_PASSWORD), HOLDER_PASSWORD)


async def type_into_reference_over_the_stack(pilot: Pilot[None]) -> None:
    await asyncio.to_thread(load_the_stack)
    await type_into_reference(pilot)


async def measure(which: str) -> dict[str, object]:
    if which in ("reference", "stack"):
        from reference_app import ReferenceApp

        app: App[None] = ReferenceApp()
        drive = type_into_reference if which == "reference" else type_into_reference_over_the_stack
    else:
        from mailwizard.cli.launch import wizard_for

        app = wizard_for({})
        drive = run_wizard
    watcher, idle_watcher = StallWatcher(app), StallWatcher(app)
    async with app.run_test(size=(80, 24)) as pilot:
        watching = asyncio.create_task(watcher.watch())
        await drive(pilot)
        watching.cancel()
        watching = asyncio.create_task(idle_watcher.watch())
        await pilot.pause(IDLE_SECONDS + 1.5)
        watching.cancel()
    return {
        "longest_stall_ms": watcher.longest * 1000,
        "screen": watcher.screen,
        "idle_stall_ms": idle_watcher.longest * 1000,
        "peak_rss_mib": peak_rss_mib(),
    }


def peak_rss_mib() -> float:
    """This process's peak resident memory since it started its program.

    Not ``wait4``'s figure: Linux carries the parent's peak across the fork and exec
    into it, so a parent that had built the million-box directory showed through."""
    status = Path("/proc/self/status").read_text("ascii")
    kibibytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kibibytes) / 1024


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(sys.argv[1]))))
