"""Write the exact versions of the last resolution into pyproject.toml's constraints.

uv.lock stays out of the repository because it records where each file was downloaded
from; the versions alone, as `[tool.uv] constraint-dependencies`, make a fresh clone
resolve to what the tests passed with. `--upgrade` first lifts the pins and resolves
every dependency anew within pyproject's ranges.

    uv run python scripts/pin_versions.py            # pin what uv.lock holds now
    uv run python scripts/pin_versions.py --upgrade  # newest versions the ranges admit
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"
PINS = re.compile(r"^constraint-dependencies = \[\n.*?^\]\n", re.MULTILINE | re.DOTALL)


def with_pins(text: str, pins: list[str]) -> str:
    lines = "".join(f'    "{pin}",\n' for pin in pins)
    replaced, count = PINS.subn(f"constraint-dependencies = [\n{lines}]\n", text, count=1)
    if count != 1:
        raise SystemExit(f"{PYPROJECT} has no `constraint-dependencies = [` block to rewrite")
    return replaced


def resolved_pins() -> list[str]:
    exported = subprocess.run(
        ["uv", "export", "--frozen", "--all-groups", "--no-emit-project", "--no-hashes",
         "--no-header", "--no-annotate", "--format", "requirements-txt"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    pins = [line.strip() for line in exported.splitlines() if line.strip()]
    foreign = [pin for pin in pins if "==" not in pin or "://" in pin or pin.startswith("-")]
    if foreign:
        raise SystemExit(f"not a plain version pin: {foreign}")
    return pins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="resolve anew before pinning")
    arguments = parser.parse_args()
    original = PYPROJECT.read_text()
    try:
        if arguments.upgrade:
            PYPROJECT.write_text(with_pins(original, []))
            subprocess.run(["uv", "lock", "--upgrade"], check=True)
        else:
            subprocess.run(["uv", "lock"], check=True)
        pins = resolved_pins()
        PYPROJECT.write_text(with_pins(original, pins))
        # Locking again under the new pins proves they admit what was just resolved.
        subprocess.run(["uv", "lock"], check=True)
    except subprocess.CalledProcessError as failure:
        PYPROJECT.write_text(original)
        raise SystemExit(f"{' '.join(failure.cmd)} failed; {PYPROJECT.name} is unchanged") from None
    print(f"{len(pins)} versions pinned in {PYPROJECT.name}")


if __name__ == "__main__":
    main()
