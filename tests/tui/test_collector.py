"""Full garbage-collector passes wait until nobody is typing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from hand_clock import MovableClock
from mailwizard.tui.collector import IDLE_SECONDS, YOUNG_COLLECTIONS_LIMIT, IdleCollector


def full_passes() -> int:
    return int(gc.get_stats()[2]["collections"])


def young_passes(count: int) -> None:
    for _ in range(count):
        gc.collect(1)


@pytest.fixture
def collector() -> Iterator[tuple[IdleCollector, MovableClock]]:
    clock = MovableClock()
    collector = IdleCollector(clock)
    before = gc.get_threshold()
    collector.start()
    yield collector, clock
    collector.stop()
    assert gc.get_threshold() == before, "the collector's own schedule is given back"


def full_passes_while_allocating() -> int:
    """Full passes CPython starts by itself while a screen's worth of objects is made."""
    before = full_passes()
    kept = [[index] for index in range(300_000)]
    del kept
    return full_passes() - before


@contextmanager
def collector_schedule_of_a_fresh_program() -> Iterator[None]:
    """The test process has run many tests: what it holds is put out of the collector's
    sight (as the warm-up does), so that CPython's own schedule is that of a program
    that has just started, and automatic collection is on."""
    was_enabled = gc.isenabled()
    gc.enable()
    gc.freeze()
    gc.collect()
    try:
        yield
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


def test_no_automatic_full_pass_while_the_app_runs() -> None:
    with collector_schedule_of_a_fresh_program():
        assert full_passes_while_allocating() > 0, "CPython's own schedule would run one"
        collector = IdleCollector(MovableClock())
        young, middle, _ = gc.get_threshold()
        collector.start()
        try:
            assert full_passes_while_allocating() == 0
            assert gc.get_threshold()[:2] == (young, middle), "young passes as usual"
        finally:
            collector.stop()


def test_a_full_pass_runs_once_nobody_has_typed_for_a_while(
    collector: tuple[IdleCollector, MovableClock],
) -> None:
    idle_collector, clock = collector
    young_passes(1)
    idle_collector.note_activity()
    clock.now += IDLE_SECONDS / 2
    before = full_passes()
    idle_collector.tick()
    assert full_passes() == before, "not while someone is typing"
    clock.now += IDLE_SECONDS
    idle_collector.tick()
    assert full_passes() == before + 1
    idle_collector.tick()
    assert full_passes() == before + 1, "nothing to do until objects outlive young passes"


def test_a_full_pass_runs_anyway_when_typing_never_stops(
    collector: tuple[IdleCollector, MovableClock],
) -> None:
    idle_collector, _ = collector
    before = full_passes()
    young_passes(YOUNG_COLLECTIONS_LIMIT)
    idle_collector.note_activity()
    idle_collector.tick()
    assert full_passes() == before + 1
