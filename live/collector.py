"""Garbage collection at quiet moments, so that no long collection falls inside a vote.

A hall of thousands of phones keeps a million long-lived objects (each connection's sockets,
tasks and buffers). Python's collector walks them in its older generations whenever enough
collections of the youngest have piled up: at 5,000 phones one such collection held the server
for 1.1-1.6 s, and when it fell inside a vote every phone waited that long for its count. Here
the youngest generation is still collected automatically (every message leaves short-lived
cycles behind), but the older ones only once the hall has been quiet for a moment, or when far
more has piled up than ever does between two quiet moments. Objects alive at start-up are frozen
out of every walk.

`YISHI_GC=default` keeps Python's own collector; `YISHI_GC_LOG=FILE` appends one line per
collection (wall time, generation, milliseconds), which `yishi bench` reads back.
"""
from __future__ import annotations

import asyncio
import gc
import os
import time
from typing import Any, TextIO

YOUNG = 50_000  # new objects between two collections of the youngest generation (Python: 700)
NEVER = 1_000_000_000  # older generations are not collected automatically
QUIET_S = 1.0  # no connection, sync or command for this long
MIDDLE_AFTER = 1  # collections of the youngest since the last middle one, for a quiet middle collection
MIDDLE_CEILING = 100  # ...and for one made even though the hall is never quiet
OLD_QUIET_S = 5.0  # a full collection needs a longer lull
OLD_AFTER = 20  # middle collections since the last full one, for a quiet full collection
OLD_CEILING = 200
TICK_S = 0.25


def due(counts: tuple[int, int, int], quiet_for: float) -> int | None:
    """Which generation to collect now, if any, given gc.get_count() and how long it has been quiet.

    gc.get_count()[1] counts the youngest generation's collections since the last middle one,
    [2] the middle collections since the last full one.
    """
    _, young_runs, middle_runs = counts
    if middle_runs >= OLD_CEILING or (quiet_for >= OLD_QUIET_S and middle_runs >= OLD_AFTER):
        return 2
    if young_runs >= MIDDLE_CEILING or (quiet_for >= QUIET_S and young_runs >= MIDDLE_AFTER):
        return 1
    return None


class Collector:
    """The process's collector: told when the hall is busy, collects the older generations when it is not."""

    def __init__(self) -> None:
        self.tuned = False
        self.last_busy = time.monotonic()
        self._log: TextIO | None = None
        self._started = 0.0

    def busy(self) -> None:
        self.last_busy = time.monotonic()

    def tune(self) -> None:
        """Set up collection for a server process (`yishi serve`); does nothing under YISHI_GC=default."""
        if path := os.environ.get("YISHI_GC_LOG"):
            self._log = open(path, "a", buffering=1, encoding="utf-8")
            gc.callbacks.append(self._note)
        if os.environ.get("YISHI_GC", "") == "default":
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG, NEVER, NEVER)
        self.tuned = True

    def tick(self) -> int | None:
        generation = due(gc.get_count(), time.monotonic() - self.last_busy)  # type: ignore[arg-type]
        if generation is not None:
            gc.collect(generation)
        return generation

    async def watch(self) -> None:
        """Runs for the server's lifetime when tuned."""
        while True:
            await asyncio.sleep(TICK_S)
            self.tick()

    def _note(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._log is not None:
            ms = (time.perf_counter() - self._started) * 1000
            self._log.write(f"{time.time():.3f} {info['generation']} {ms:.1f}\n")


collector = Collector()
