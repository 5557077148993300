"""Garbage collection at quiet moments, so that no long collection falls inside a vote.

A hall of thousands of phones keeps a million long-lived objects (each connection's sockets,
tasks and buffers). Python's collector walks them in its older generations whenever enough
collections of the youngest have piled up: at 5,000 phones one such collection held the server
for 1.1-1.6 s, and when it fell inside a vote every phone waited that long for its count. Here
the youngest generation is still collected automatically (every message leaves short-lived
cycles behind), but the older ones only once the hall has been quiet for a moment, or when far
more has piled up than ever does between two quiet moments. Objects alive at start-up are frozen
out of every walk.

A hall is seldom silent, though: phones wake up and reconnect, a few guests a second come and
go, and waiting for silence let what a storm of connections left behind stay for as long as such
a trickle went on (about 130 MB a storm of 5,000 phones, docs/performance.md). So a hall where
no more than a trickle comes (`CALM_EVENTS` events a second) is calm, and a calm hall is
collected in full at least every `OLD_EVERY_S` seconds once calm for `OLD_QUIET_S`; a hall that
is busier but has no burst (nothing far beyond the pace of its last `PACE_S` seconds: a vote is a
burst, a big hall's phones reconnecting all the time are not) is steady, and is collected in full
at least every `OLD_STEADY_S`, its middle generation every `MIDDLE_EVERY_S`. These full
collections are spaced to take at most 1/`OLD_SPACING` of the time (over a second each at 5,000
phones). Nothing can hold back a collection that began just before a vote's first ballot came;
the spacing bounds how often that can happen. After a full collection, or a middle one
that freed much, the C library is asked to hand its free memory back to the system (glibc's
malloc_trim; elsewhere nothing is done).

`YISHI_GC=default` keeps Python's own collector; `YISHI_GC_LOG=FILE` appends one line per
collection (wall time, generation, milliseconds), which `yishi bench` reads back.
"""
from __future__ import annotations

import asyncio
import gc
import os
import platform
import sys
import time
from collections import deque
from typing import Any, Callable, NamedTuple, TextIO

YOUNG = 50_000  # new objects between two collections of the youngest generation (Python: 700)
NEVER = 1_000_000_000  # older generations are not collected automatically
QUIET_S = 1.0  # no connection, sync or command for this long
MIDDLE_AFTER = 1  # collections of the youngest since the last middle one, for a quiet middle collection
MIDDLE_CEILING = 100  # ...and for one made even though the hall is never quiet
OLD_QUIET_S = 5.0  # a full collection needs a longer lull
OLD_AFTER = 20  # middle collections since the last full one, for a quiet full collection
OLD_CEILING = 200
CALM_EVENTS = 20  # at most this many events in a QUIET_S: a trickle, the hall is calm
PACE_S = 300.0  # a burst: more than CALM_EVENTS in a QUIET_S, and more than PACE_FACTOR times
PACE_FACTOR = 2.0  # as many as in an average QUIET_S of the last PACE_S; between bursts the hall is steady
MIDDLE_EVERY_S = 10.0  # a steady hall's middle generation is collected at least this often (if anything piled up)
OLD_EVERY_S = 20.0  # a calm hall is collected in full at least this often,
OLD_STEADY_S = 300.0  # ...a hall that is only steady at least this often,
OLD_SPACING = 40  # ...and neither sooner than this many times as long as a full collection takes
RELEASE_AFTER = 10_000  # objects a middle collection freed for the C allocator's free memory to be handed back too
TICK_S = 0.25


class Hall(NamedTuple):
    """What the collector knows of the hall at a tick: seconds since each thing last happened."""

    quiet_for: float = 0.0  # the last event (a connection, a sync, a command)
    calm_for: float = 0.0  # more than a trickle of events (`Pace`)
    steady_for: float = 0.0  # the last burst (`Pace`)
    since_middle: float = 0.0  # the last collection of the middle generation (a full one included)
    since_full: float = 0.0  # the last full collection
    full_took: float = 0.0  # how long a full collection takes (the shorter of the last two)


def due(counts: tuple[int, int, int], hall: Hall) -> int | None:
    """Which generation to collect now, if any.

    `counts` is gc.get_count(): [1] counts the youngest generation's collections since the last
    middle one, [2] the middle collections since the last full one. A full collection walks
    every object the hall holds (over a second at 5,000 phones), so the calm or steady hall's
    full collections are spaced to take at most 1/OLD_SPACING of its time.
    """
    _, young_runs, middle_runs = counts
    spaced = OLD_SPACING * hall.full_took
    if (middle_runs >= OLD_CEILING
            or (hall.quiet_for >= OLD_QUIET_S and middle_runs >= OLD_AFTER)
            or (hall.calm_for >= OLD_QUIET_S and hall.since_full >= max(OLD_EVERY_S, spaced))
            or (hall.steady_for >= OLD_QUIET_S and hall.since_full >= max(OLD_STEADY_S, spaced))):
        return 2
    if (young_runs >= MIDDLE_CEILING
            or (hall.quiet_for >= QUIET_S and young_runs >= MIDDLE_AFTER)
            or (hall.steady_for >= QUIET_S and young_runs >= 1 and hall.since_middle >= MIDDLE_EVERY_S)):
        return 1
    return None


class Pace:
    """How fast events came lately: since when no more than a trickle came, and since the last burst.

    Calm: at most CALM_EVENTS events in the last QUIET_S (a few guests a second coming and
    going). A burst: more than that, and more than PACE_FACTOR times as many as came in an
    average QUIET_S of the last PACE_S seconds: a vote, a join storm, a storm of connections,
    even when the server is too busy to take them faster than it took the join storm before
    the vote. A big hall whose phones keep waking up and reconnecting is seldom calm but steady,
    and so is a flood that has gone on for minutes.
    """

    def __init__(self, now: float) -> None:
        self.samples: deque[tuple[float, int]] = deque([(now, 0)])  # (time, events so far), one per tick
        self.calm_since = self.steady_since = now

    def note(self, now: float, events: int) -> tuple[float, float]:
        """`events` so far at `now` (a tick); how long the hall has been calm, and steady."""
        samples = self.samples
        samples.append((now, events))
        while len(samples) > 2 and samples[1][0] <= now - PACE_S:
            samples.popleft()
        before = samples[0][1]
        for at, count in reversed(samples):
            if at <= now - QUIET_S:
                before = count
                break
        recent = events - before
        average = (events - samples[0][1]) * QUIET_S / PACE_S  # over all of PACE_S, even before it has passed
        if recent > CALM_EVENTS:
            self.calm_since = now
            if recent > PACE_FACTOR * average:
                self.steady_since = now
        return now - self.calm_since, now - self.steady_since


def malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where the process has it (Linux with glibc), else None.

    After a full collection the freed objects' memory mostly stays with the C allocator: glibc
    gives back only the top of its heap by itself, and after a storm of connections the freed
    blocks lie all through it (about 85 MB after two storms of 5,000 in one measurement; trimming took 13 ms).
    malloc_trim(0) returns the free pages inside the heap too. Windows, macOS and other C libraries
    (musl has no malloc_trim) go without: nothing is imported or looked up there.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        if platform.libc_ver()[0] != "glibc":
            return None
        trim = ctypes.CDLL(None).malloc_trim  # the symbols already in the process: its C library
    except (ImportError, OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


class Collector:
    """The process's collector: told when the hall is busy, collects the older generations when it is not."""

    def __init__(self, now: float | None = None) -> None:
        self.tuned = False
        self._log: TextIO | None = None
        self._started = 0.0
        self.release: Callable[[int], int] | None = None  # hands freed memory back to the system (malloc_trim)
        self._restart(time.monotonic() if now is None else now)

    def _restart(self, now: float) -> None:
        self.last_busy = now
        self.events = 0  # connections, syncs and commands so far
        self.pace = Pace(now)
        self.last_middle = self.last_full = now
        self.full_took: deque[float] = deque(maxlen=2)  # how long the last two full collections took

    def busy(self, now: float | None = None) -> None:
        self.last_busy = time.monotonic() if now is None else now
        self.events += 1

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
        self.release = malloc_trim()
        self._restart(time.monotonic())
        self.tuned = True

    def decide(self, now: float, counts: tuple[int, int, int]) -> int | None:
        """Which generation to collect at `now` (a tick), given gc.get_count()."""
        calm_for, steady_for = self.pace.note(now, self.events)
        return due(counts, Hall(now - self.last_busy, calm_for, steady_for, now - self.last_middle,
                                now - self.last_full, min(self.full_took, default=0.0)))

    def collected(self, now: float, generation: int, took: float = 0.0) -> None:
        if generation >= 1:
            self.last_middle = now
        if generation == 2:
            self.last_full = now
            self.full_took.append(took)

    def tick(self) -> int | None:
        generation = self.decide(time.monotonic(), gc.get_count())  # type: ignore[arg-type]
        if generation is not None:
            started = time.monotonic()
            found = gc.collect(generation)
            if self.release is not None and (generation == 2 or found >= RELEASE_AFTER):
                self.release(0)
            self.collected(time.monotonic(), generation, time.monotonic() - started)
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
