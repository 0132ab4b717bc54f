"""A fresh clone installs the versions the tests pass with, without naming a registry.

pyproject.toml pins every distribution exactly in `[tool.uv] constraint-dependencies`
(written by scripts/pin_versions.py); these tests read the environment they run in.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYPROJECT = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
CONSTRAINTS = [Requirement(line) for line in PYPROJECT["tool"]["uv"]["constraint-dependencies"]]
APPLICABLE: dict[str, Requirement] = {
    canonicalize_name(pin.name): pin
    for pin in CONSTRAINTS
    if pin.marker is None or pin.marker.evaluate()
}


def pinned_version(pin: Requirement) -> str:
    (specifier,) = pin.specifier
    assert specifier.operator == "==", f"{pin} is not an exact pin"
    return specifier.version


def installed() -> dict[str, str]:
    found: dict[str, str] = {
        canonicalize_name(distribution.metadata["Name"]): distribution.version
        for distribution in metadata.distributions()
    }
    found.pop("mailwizard")
    return found


def test_every_installed_distribution_is_pinned_to_its_version() -> None:
    versions = installed()
    assert versions, "no distribution found beside mailwizard"
    unpinned = sorted(versions.keys() - APPLICABLE.keys())
    assert not unpinned, f"installed but not pinned: {unpinned}"
    differing = {
        name: (version, pinned_version(APPLICABLE[name]))
        for name, version in versions.items()
        if pinned_version(APPLICABLE[name]) != version
    }
    assert not differing, f"installed version, pinned version: {differing}"
    stale = sorted(APPLICABLE.keys() - versions.keys())
    assert not stale, f"pinned but not installed here: {stale}"


def test_the_pins_name_no_host_nor_address() -> None:
    for pin in CONSTRAINTS:
        assert pin.url is None, pin
        assert "://" not in str(pin), pin
        pinned_version(pin)


def test_the_ranges_of_pyproject_admit_the_pins() -> None:
    declared = [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]
    for group in PYPROJECT["dependency-groups"].values():
        declared += [Requirement(line) for line in group if isinstance(line, str)]
    pins = {canonicalize_name(pin.name): pinned_version(pin) for pin in CONSTRAINTS}
    unpinned = [str(wanted) for wanted in declared if canonicalize_name(wanted.name) not in pins]
    assert not unpinned, f"declared but not pinned: {unpinned}"
    refused = {
        str(wanted): pins[canonicalize_name(wanted.name)]
        for wanted in declared
        if not wanted.specifier.contains(pins[canonicalize_name(wanted.name)], prereleases=True)
    }
    assert not refused, f"a range of pyproject.toml refuses its pin: {refused}"
