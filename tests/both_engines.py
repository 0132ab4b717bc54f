"""A module that imports ``on_both_engines`` runs each of its tests on SQLite and again on
PostgreSQL (a test may still name its own engine with ``pytest.mark.parametrize``)."""

from __future__ import annotations

import pytest


@pytest.fixture(name="directory_engine", params=["sqlite", "postgresql"])
def on_both_engines(request: pytest.FixtureRequest) -> str:
    return str(request.param)
