"""The README's command as typed: `uv run mailwizard` on a fresh clone, first frame in a pty.

    uv run python benchmarks/as_typed.py

Clones this repository's HEAD into benchmarks/work/as-typed, then starts `uv run
mailwizard` there as a person would (no VIRTUAL_ENV, no UV_* variable, the clone's own
environment) beside the bare Textual reference started by the clone's interpreter and
by `uv run python`, interleaved, for each state a user's machine can be in:
PYTHONDONTWRITEBYTECODE unset (Python keeps the bytecode of what it imported on the
first start), set on an environment as `uv run` installed it (no bytecode at all), set
after `uv sync --compile-bytecode` (the README's advice), and set with uv compiling at
every run (`compile-bytecode = true` in pyproject.toml, the former setting, given here
as UV_COMPILE_BYTECODE=1). Whatever the terminal received before the app took the
screen is uv's (or Python's) own output, and is reported. About three minutes when the
machine is quiet; only the part of docs/benchmarks.md between the ``as-typed`` markers
is rewritten.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from environment import SIGN_IN_TITLE, WORK_FOLDER, household_environment, write_section
from launch import pty_launch

CLONE = WORK_FOLDER / "as-typed"
ROOT = Path(__file__).parents[1]
UV = shutil.which("uv") or "uv"
UV_CACHE = subprocess.run(
    [UV, "cache", "dir"], capture_output=True, text=True, check=True
).stdout.strip()
# What the README asks of a machine that sets PYTHONDONTWRITEBYTECODE, once after installing.
COMPILE_ONCE = [
    [UV, "sync", "--compile-bytecode"],
    [UV, "run", "python", "-m", "compileall", "-q", "src"],
]
ROUNDS = 15
FIRST_RUN_TIMEOUT = 600
START_MARK, END_MARK = "<!-- as-typed:start -->", "<!-- as-typed:end -->"
ALTERNATE_SCREEN = b"\x1b[?1049h"  # what Textual sends first when it takes the terminal
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
# uv's lines that say what it did (its progress bars redraw themselves in between).
UV_REPORTS = re.compile(
    r"Creating virtual environment at: \S+|(?:Resolved|Prepared|Installed|Uninstalled) \d+ "
    r"packages? in [0-9.]+m?s|Built \S+|Bytecode compiled \d+ files in [0-9.]+m?s"
)
DURATION = re.compile(r" in [0-9.]+m?s")

COMMANDS = {
    "mailwizard": [UV, "run", "mailwizard"],
    "reference": [str(CLONE / ".venv" / "bin" / "python"), "benchmarks/reference_app.py"],
    "reference through uv": [UV, "run", "python", "benchmarks/reference_app.py"],
}


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def as_a_person_types(
    base: dict[str, str], dont_write: bool, compile_each_run: bool
) -> dict[str, str]:
    """``base`` without what running under `uv run` added, with the two settings asked."""
    own_environment = os.environ.get("VIRTUAL_ENV")
    environment = {
        name: value
        for name, value in base.items()
        if not name.startswith("UV_") and name not in {"VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}
    }
    if own_environment:
        environment["PATH"] = os.pathsep.join(
            part
            for part in environment["PATH"].split(os.pathsep)
            if part != str(Path(own_environment) / "bin")
        )
    # The folder's XDG_CACHE_HOME keeps the app's files apart; uv keeps using this
    # machine's cache, as a person's uv does.
    environment["UV_CACHE_DIR"] = UV_CACHE
    if dont_write:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    if compile_each_run:
        environment["UV_COMPILE_BYTECODE"] = "1"
    return environment


def printed_before_the_app(screen: bytes) -> str:
    before = ESCAPE.sub("", screen.split(ALTERNATE_SCREEN, 1)[0].decode(errors="replace"))
    return " / ".join(UV_REPORTS.findall(before)) or before.strip()


def fresh_clone() -> None:
    shutil.rmtree(CLONE, ignore_errors=True)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(CLONE)], check=True)


def forget_bytecode() -> int:
    folders = [
        folder
        for place in (CLONE / ".venv", CLONE / "src", CLONE / "benchmarks")
        for folder in place.rglob("__pycache__")
    ]
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


@dataclass
class Launches:
    seconds: dict[str, float]  # median by command
    cpu_seconds: dict[str, float]  # median CPU time of the command's processes by then
    printed: dict[str, list[str]]  # what each command printed before its app, all rounds


@dataclass
class Figures:
    date: str
    commit: str
    load_before: float
    first_run_seconds: float = 0.0
    first_run_printed: str = ""
    compile_seconds: float = 0.0
    load_after: float = 0.0
    scenarios: dict[str, Launches] = field(default_factory=dict)


def rounds(environment: dict[str, str]) -> Launches:
    """Medians of interleaved launches, and what each command printed before its app."""
    for command in COMMANDS.values():  # one start unmeasured: files in the page cache
        pty_launch(command, environment, SIGN_IN_TITLE, CLONE)
    spent: dict[str, list[float]] = {name: [] for name in COMMANDS}
    used: dict[str, list[float]] = {name: [] for name in COMMANDS}
    printed: dict[str, set[str]] = {name: set() for name in COMMANDS}
    for _ in range(ROUNDS):
        for name, command in COMMANDS.items():
            launch = pty_launch(command, environment, SIGN_IN_TITLE, CLONE)
            spent[name].append(launch.seconds)
            used[name].append(launch.cpu_seconds)
            printed[name].add(printed_before_the_app(launch.screen))
    return Launches(
        seconds={name: statistics.median(values) for name, values in spent.items()},
        cpu_seconds={name: statistics.median(values) for name, values in used.items()},
        printed={name: sorted(lines) for name, lines in printed.items()},
    )


def measure() -> Figures:
    base = household_environment("as-typed-data")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip
    figures = Figures(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), commit, load_average())
    fresh_clone()
    user = as_a_person_types(base, dont_write=False, compile_each_run=False)
    first = pty_launch(
        COMMANDS["mailwizard"], user, SIGN_IN_TITLE, CLONE, timeout=FIRST_RUN_TIMEOUT
    )
    figures.first_run_seconds = first.seconds
    figures.first_run_printed = printed_before_the_app(first.screen)
    figures.scenarios["unset"] = rounds(user)
    kiosk = as_a_person_types(base, dont_write=True, compile_each_run=False)
    forget_bytecode()
    figures.scenarios["set, no bytecode"] = rounds(kiosk)
    started = time.perf_counter()
    for command in COMPILE_ONCE:
        subprocess.run(command, cwd=CLONE, env=kiosk, capture_output=True, check=True)
    figures.compile_seconds = time.perf_counter() - started
    figures.scenarios["set, compiled at sync"] = rounds(kiosk)
    every_run = as_a_person_types(base, dont_write=True, compile_each_run=True)
    figures.scenarios["set, compiled at each run"] = rounds(every_run)
    figures.load_after = load_average()
    return figures


SCENARIOS = {
    "unset": "PYTHONDONTWRITEBYTECODE unset, after the first run",
    "set, no bytecode": "PYTHONDONTWRITEBYTECODE=1, environment as `uv run` installed it",
    "set, compiled at sync": (
        "PYTHONDONTWRITEBYTECODE=1, after `uv sync --compile-bytecode` and `compileall src`"
    ),
    "set, compiled at each run": (
        "PYTHONDONTWRITEBYTECODE=1, `compile-bytecode = true` (before: uv compiles at every run)"
    ),
}


def render(figures: Figures) -> str:
    lines = [
        f"Run of {figures.date} on {figures.commit}; load average {figures.load_before:.2f} "
        f"before, {figures.load_after:.2f} after (2 cores). Medians of {ROUNDS} interleaved "
        "rounds: time to the first frame, then in brackets the CPU time the command's "
        "processes had used by then (which a busy machine stretches much less).",
        "",
        "| `uv run mailwizard` on a fresh clone | as typed | reference | reference through "
        "`uv run` | as typed / reference | printed before the first frame |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in SCENARIOS.items():
        launches = figures.scenarios[key]
        seconds = launches.seconds
        printed = "; ".join(
            sorted({DURATION.sub("", line) for line in launches.printed["mailwizard"] if line})
        )
        cpu = launches.cpu_seconds
        ratio = seconds["mailwizard"] / seconds["reference"]
        cpu_ratio = cpu["mailwizard"] / cpu["reference"]
        cells = [
            f"{seconds[name]:.3f} s ({cpu[name]:.2f} s)"
            for name in ("mailwizard", "reference", "reference through uv")
        ]
        lines.append(
            f"| {label} | {' | '.join(cells)} | {ratio:.2f}× ({cpu_ratio:.2f}×) "
            f"{'✅' if ratio <= 1.2 else '❌'} | {printed or 'nothing'} |"
        )
    lines += [
        "",
        "First run on the fresh clone (PYTHONDONTWRITEBYTECODE unset; uv creates `.venv`, "
        "resolves within the pins, and installs from its cache, filled on this machine: a "
        f"first install ever downloads too): {figures.first_run_seconds:.1f} s to the first "
        f"frame; uv said `{figures.first_run_printed}`. Compiling once afterwards "
        f"(`uv sync --compile-bytecode`, then `uv run python -m compileall -q src`): "
        f"{figures.compile_seconds:.1f} s.",
    ]
    return "\n".join(lines)


def main() -> None:
    WORK_FOLDER.mkdir(exist_ok=True)
    figures = render(measure())
    write_section(START_MARK, END_MARK, figures)
    print(figures)


if __name__ == "__main__":
    main()
