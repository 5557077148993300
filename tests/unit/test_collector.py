"""Garbage collection at quiet moments (live/collector.py): when each generation is collected."""
from __future__ import annotations

import gc
import time

from live.collector import MIDDLE_CEILING, OLD_AFTER, OLD_CEILING, OLD_QUIET_S, QUIET_S, Collector, due


def test_nothing_older_than_the_youngest_is_collected_while_the_hall_is_busy():
    assert due((40_000, 50, 10), quiet_for=0.0) is None
    assert due((40_000, MIDDLE_CEILING - 1, OLD_CEILING - 1), quiet_for=QUIET_S / 2) is None


def test_a_quiet_moment_collects_the_middle_generation_and_a_longer_lull_everything():
    assert due((0, 1, 0), quiet_for=QUIET_S) == 1
    assert due((0, 0, 0), quiet_for=60.0) is None  # nothing piled up: nothing to do
    assert due((0, 1, OLD_AFTER), quiet_for=QUIET_S) == 1  # not yet quiet long enough for a full collection
    assert due((0, 1, OLD_AFTER), quiet_for=OLD_QUIET_S) == 2


def test_a_hall_that_is_never_quiet_is_still_collected_in_the_end():
    assert due((0, MIDDLE_CEILING, 0), quiet_for=0.0) == 1
    assert due((0, 0, OLD_CEILING), quiet_for=0.0) == 2


def test_the_collector_collects_for_real_once_the_hall_is_quiet():
    collector = Collector()
    gc.collect(0)  # one collection of the youngest generation has happened since the last middle one
    assert gc.get_count()[1] >= 1
    collector.busy()
    assert collector.tick() is None or gc.get_count()[1] >= MIDDLE_CEILING
    collector.last_busy = time.monotonic() - QUIET_S - 0.1
    assert collector.tick() in (1, 2)
    assert gc.get_count()[1] == 0
