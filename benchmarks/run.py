"""Runs every benchmark and writes the figures, with the machine, into docs/benchmarks.md.

    uv run python benchmarks/run.py

The first run builds the million-box SQLite directory (about a minute) and caches it in
benchmarks/work; later runs take about five minutes, plus up to five waiting for a
quiet machine. PostgreSQL 15 must be installed (Debian's ``postgresql``): a throwaway
cluster is started on a loopback port and stopped by pid, as the tests do. Only the
part of docs/benchmarks.md between the ``figures`` markers is rewritten.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy
import textual

from commits import CommitFigures, run_commits
from environment import (
    BENCHMARKS,
    MAILWIZARD,
    PYTHON,
    SIGN_IN_TITLE,
    WORK_FOLDER,
    household_environment,
    write_section,
)
from launch import headless_launch_seconds, pty_launch_seconds
from lookups import Percentiles, availability, open_services, suggestions
from mailwizard.backends.engine import open_engine
from mailwizard.config import Settings
from mailwizard.hashing import Argon2idHasher
from million_directory import cached_sqlite_directory, copy_into_postgresql

sys.path.insert(0, str(BENCHMARKS.parent / "tests"))
from postgres_server import SERVER_TOOLS, running_postgres

START_MARK, END_MARK = "<!-- figures:start -->", "<!-- figures:end -->"
LAUNCH_ROUNDS = 20
WIZARD_ROUNDS = 3
QUIET_LOAD = 0.5


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_until_quiet(tries: int = 20, pause: float = 15) -> float:
    """The one-minute load average once below QUIET_LOAD, or after ``tries`` pauses."""
    for _ in range(tries):
        if load_average() < QUIET_LOAD:
            break
        print(f"load {load_average():.2f}: waiting for a quiet machine…", flush=True)
        time.sleep(pause)
    return load_average()


def machine() -> dict[str, str]:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    release = re.search(r'PRETTY_NAME="(.*)"', Path("/etc/os-release").read_text())
    postgres = subprocess.run(
        [str(SERVER_TOOLS / "postgres"), "--version"], capture_output=True, text=True, check=True
    )
    return {
        "CPU": cpu.group(1) if cpu else platform.processor(),
        "cores": str(os.cpu_count()),
        "RAM": f"{int(memory.group(1)) / 1024**2:.1f} GiB" if memory else "?",
        "OS": f"{release.group(1) if release else platform.system()}, kernel {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres.stdout.strip().removeprefix("postgres (PostgreSQL) "),
        "Textual": textual.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
    }


def launch_figures() -> dict[str, float]:
    """Medians of interleaved launches, so that a busy moment hurts both sides alike."""
    environment = household_environment("launch")
    reference = [PYTHON, str(BENCHMARKS / "reference_app.py")]
    spent: dict[str, list[float]] = {
        "pty mailwizard": [], "pty reference": [],
        "headless mailwizard": [], "headless reference": [],
    }  # fmt: skip
    for _ in range(LAUNCH_ROUNDS):
        spent["pty mailwizard"].append(pty_launch_seconds([MAILWIZARD], environment, SIGN_IN_TITLE))
        spent["pty reference"].append(pty_launch_seconds(reference, environment, SIGN_IN_TITLE))
        spent["headless mailwizard"].append(headless_launch_seconds("mailwizard", environment))
        spent["headless reference"].append(headless_launch_seconds("reference", environment))
    return {name: statistics.median(values) for name, values in spent.items()}


def wizard_round(which: str) -> tuple[dict[str, object], float]:
    """One run in its own process: its report, and its peak RSS in MiB."""
    environment = household_environment(f"wizard-{which}")
    process = subprocess.Popen(
        [PYTHON, str(BENCHMARKS / "wizard_run.py"), which],
        stdout=subprocess.PIPE,
        env=environment,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    status = process.wait()
    if status != 0:
        raise RuntimeError(f"the {which} wizard run failed")
    report = json.loads(output)
    return report, float(report["peak_rss_mib"])


def wizard_figures() -> dict[str, object]:
    runs = {which: [wizard_round(which) for _ in range(WIZARD_ROUNDS)]
            for which in ("mailwizard", "reference", "stack")}  # fmt: skip
    worst = max(runs["mailwizard"], key=lambda run: float(run[0]["longest_stall_ms"]))
    return {
        "longest stall ms": worst[0]["longest_stall_ms"],
        "stall screen": worst[0]["screen"],
        "stalls ms": [run["longest_stall_ms"] for run, _ in runs["mailwizard"]],
        "idle stall ms": max(float(run["idle_stall_ms"]) for run, _ in runs["mailwizard"]),
        "reference stalls ms": [run["longest_stall_ms"] for run, _ in runs["reference"]],
        "reference idle stalls ms": [run["idle_stall_ms"] for run, _ in runs["reference"]],
        "rss MiB": max(rss for _, rss in runs["mailwizard"]),
        "reference rss MiB": max(rss for _, rss in runs["reference"]),
        "stack rss MiB": max(rss for _, rss in runs["stack"]),
    }


def hash_milliseconds(rounds: int = 20) -> float:
    settings = Settings()
    hasher = Argon2idHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.hash("Un-chat-bleu-dans-le-jardin")
        spent.append(time.perf_counter() - started)
    return statistics.median(spent) * 1000


def directory_figures(url: str, password_hash: str) -> dict[str, object]:
    services = open_services(url, WORK_FOLDER / "services")
    try:
        figures: dict[str, object] = {
            "availability": availability(services),
            "suggestions": suggestions(services),
        }
    finally:
        services.close()
    figures["commits"] = run_commits(url, password_hash)
    return figures


def sqlite_figures(password_hash: str) -> dict[str, object]:
    # The commits add households and boxes: they go to a copy, the cache stays as built.
    copy = WORK_FOLDER / "commits.sqlite3"
    shutil.copyfile(cached_sqlite_directory(), copy)
    try:
        return directory_figures(f"sqlite:///{copy}", password_hash)
    finally:
        copy.unlink()


def postgresql_figures(password_hash: str) -> dict[str, object]:
    with running_postgres(durable=True) as server:
        url = server.url(server.create_database(), with_password=True)
        engine = open_engine(url, create=True)
        started = time.perf_counter()
        copy_into_postgresql(cached_sqlite_directory(), engine)
        engine.dispose()
        figures = directory_figures(url, password_hash)
        figures["load seconds"] = time.perf_counter() - started
        return figures


def timed(label: str, step: Callable[[], object]) -> object:
    print(f"{label}…", flush=True)
    started = time.perf_counter()
    result = step()
    print(f"{label}: {time.perf_counter() - started:.0f} s", flush=True)
    return result


def verdict(passed: bool) -> str:
    return "✅ met" if passed else "❌ missed"


def render(results: dict[str, object]) -> str:
    launch: dict[str, float] = results["launch"]
    wizard: dict[str, object] = results["wizard"]
    engines: dict[str, dict[str, object]] = {
        "SQLite": results["sqlite"],
        "PostgreSQL": results["postgresql"],
    }
    pty_ratio = launch["pty mailwizard"] / launch["pty reference"]
    headless_ratio = launch["headless mailwizard"] / launch["headless reference"]
    stall = float(wizard["longest stall ms"])
    rss_ratio = float(wizard["rss MiB"]) / float(wizard["reference rss MiB"])
    lines = [
        f"Run of {results['date']}; load average {results['load before']:.2f} before, "
        f"{results['load after']:.2f} after (2 cores: below 0.5 is quiet).",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in results["machine"].items()),
        "",
        "| what | mailwizard | reference | target | |",
        "|---|---|---|---|---|",
        f"| launch to sign-in screen, pty (median of {LAUNCH_ROUNDS}) "
        f"| {launch['pty mailwizard']:.3f} s | {launch['pty reference']:.3f} s "
        f"| ≤ 1.2× | {pty_ratio:.2f}× {verdict(pty_ratio <= 1.2)} |",
        f"| the same, headless `run_test` (median of {LAUNCH_ROUNDS}) "
        f"| {launch['headless mailwizard']:.3f} s | {launch['headless reference']:.3f} s "
        f"| ≤ 1.2× | {headless_ratio:.2f}× {verdict(headless_ratio <= 1.2)} |",
        f"| longest event-loop stall, full wizard run (worst of {WIZARD_ROUNDS}) "
        f"| {stall:.1f} ms (on {wizard['stall screen']}) "
        f"| {max(wizard['reference stalls ms']):.1f} ms "
        f"| ≤ 50 ms | {verdict(stall <= 50)} |",
        f"| longest stall after it, idle, while the deferred full collection runs "
        f"(worst of {WIZARD_ROUNDS}) | {wizard['idle stall ms']:.1f} ms "
        f"| {max(wizard['reference idle stalls ms']):.1f} ms | figure only | |",
        f"| peak RSS, full wizard run (highest of {WIZARD_ROUNDS}) "
        f"| {wizard['rss MiB']:.0f} MiB | {wizard['reference rss MiB']:.0f} MiB "
        f"| ≤ 1.5× | {rss_ratio:.2f}× {verdict(rss_ratio <= 1.5)} |",
        f"| peak RSS of the reference over mailwizard's libraries and its two argon2id "
        f"hashes, no mailwizard code (highest of {WIZARD_ROUNDS}) "
        f"| {wizard['rss MiB']:.0f} MiB | {wizard['stack rss MiB']:.0f} MiB | figure only "
        f"| {float(wizard['rss MiB']) / float(wizard['stack rss MiB']):.2f}× |",
        f"| argon2id hash, m=19456 KiB t=2 p=1 (median of 20) | {results['hash ms']:.0f} ms "
        "| — | figure only | |",
    ]
    availability_targets = {"SQLite": 1.0, "PostgreSQL": 2.0}
    for engine, figures in engines.items():
        checked: Percentiles = figures["availability"]
        target = availability_targets[engine]
        lines.append(
            f"| {engine}, 1,000,000 boxes: address availability check "
            f"(p50 / p99 of {checked.samples}) | {checked.p50_ms:.2f} / {checked.p99_ms:.2f} ms "
            f"| — | p99 ≤ {target:g} ms | {verdict(checked.p99_ms <= target)} |"
        )
        proposed: dict[str, Percentiles] = figures["suggestions"]
        for name, spent in proposed.items():
            lines.append(
                f"| {engine}: five suggestions for {name} (p50 / p99 of {spent.samples}) "
                f"| {spent.p50_ms:.2f} / {spent.p99_ms:.2f} ms | — | p99 ≤ 5 ms "
                f"| {verdict(spent.p99_ms <= 5)} |"
            )
        commits: CommitFigures = figures["commits"]
        refusals = ", ".join(f"{count} {code}" for code, count in sorted(commits.refusals.items()))
        problems = "; ".join(commits.violations) or "none"
        lines.append(
            f"| {engine}: commits/s, 8 clients, hashes made beforehand "
            f"| {commits.commits_per_second:.0f}/s ({commits.created} boxes; "
            f"{commits.attempts_per_second:.0f} attempts/s; refused: {refusals}; "
            f"violations: {problems}) | — | ≥ 300/s, no violation "
            f"| {verdict(commits.commits_per_second >= 300 and not commits.violations)} |"
        )
    lines += [
        "",
        f"PostgreSQL: fsync on; the million boxes were copied in and vacuumed in "
        f"{engines['PostgreSQL']['load seconds']:.0f} s.",
    ]
    return "\n".join(lines)


def main() -> None:
    if not (SERVER_TOOLS / "initdb").exists():
        sys.exit(f"PostgreSQL 15 is missing ({SERVER_TOOLS}): apt-get install postgresql")
    WORK_FOLDER.mkdir(exist_ok=True)
    timed("million-box SQLite directory", cached_sqlite_directory)
    results: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load before": wait_until_quiet(),
    }
    results["launch"] = timed("launch", launch_figures)
    results["wizard"] = timed("wizard runs", wizard_figures)
    results["hash ms"] = timed("argon2id", hash_milliseconds)
    password_hash = Argon2idHasher(time_cost=2, memory_kib=19456, parallelism=1).hash("x" * 12)
    results["sqlite"] = timed("SQLite", lambda: sqlite_figures(password_hash))
    results["postgresql"] = timed("PostgreSQL", lambda: postgresql_figures(password_hash))
    results["load after"] = load_average()
    figures = render(results)
    (WORK_FOLDER / "last-run.json").write_text(json.dumps(results, default=asdict, indent=2))
    write_section(START_MARK, END_MARK, figures)
    print(figures)


if __name__ == "__main__":
    main()
