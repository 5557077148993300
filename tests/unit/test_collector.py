"""Garbage collection at quiet moments (live/collector.py): when each generation is collected.

The rules are played against simulated halls: events (connections, syncs, commands) at given
times, a collection of the youngest generation every so often (as allocations would bring it),
the collector's tick every TICK_S, all on a clock of the test's own.
"""
from __future__ import annotations

import gc
import platform
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from live.collector import (
    CALM_EVENTS, MIDDLE_CEILING, MIDDLE_EVERY_S, OLD_AFTER, OLD_CEILING, OLD_EVERY_S, OLD_QUIET_S, OLD_SPACING,
    OLD_STEADY_S, QUIET_S, TICK_S, Collector, Hall, Pace, due, malloc_trim,
)


def play(events: list[float], seconds: float, young_every: float, took: float = 0.0) -> list[tuple[float, int]]:
    """The collections (time, generation) the collector makes in a simulated hall."""
    c = Collector(now=0.0)
    young = middle = 0
    made = []
    pending = iter(sorted(events))
    upcoming = next(pending, None)
    last_young = 0.0
    t = 0.0
    while t < seconds:
        t = round(t + TICK_S, 6)
        while upcoming is not None and upcoming <= t:
            c.busy(upcoming)
            upcoming = next(pending, None)
        if t - last_young >= young_every:  # enough new objects: Python collects the youngest generation
            young, last_young = young + 1, t
        generation = c.decide(t, (0, young, middle))
        if generation == 1:
            young, middle = 0, middle + 1
        elif generation == 2:
            young = middle = 0
        if generation is not None:
            c.collected(t, generation, took)
            made.append((t, generation))
    return made


def trickle(per_s: float, seconds: float, start: float = 0.0, each: int = 2) -> list[float]:
    """`per_s` guests a second, each connecting and syncing (`each` events)."""
    n = int(per_s * seconds)
    return [start + i / per_s + k * 0.01 for i in range(n) for k in range(each)]


def burst(count: int, seconds: float, start: float) -> list[float]:
    return [start + seconds * i / count for i in range(count)]


def gaps(times: list[float], start: float = 0.0) -> list[float]:
    points = [start, *times]
    return [b - a for a, b in zip(points, points[1:])]


# -- the rules alone -------------------------------------------------------------------


def test_nothing_older_than_the_youngest_is_collected_while_the_hall_is_busy():
    assert due((40_000, 50, 10), Hall()) is None
    assert due((40_000, MIDDLE_CEILING - 1, OLD_CEILING - 1), Hall(quiet_for=QUIET_S / 2)) is None
    # Long since the last collections, but a burst is on: nothing.
    assert due((0, 50, 10), Hall(since_middle=600, since_full=600)) is None


def test_a_quiet_moment_collects_the_middle_generation_and_a_longer_lull_everything():
    assert due((0, 1, 0), Hall(quiet_for=QUIET_S)) == 1
    assert due((0, 0, 0), Hall(quiet_for=60.0)) is None  # nothing piled up, everything collected lately
    assert due((0, 1, OLD_AFTER), Hall(quiet_for=QUIET_S)) == 1  # not yet quiet long enough for a full collection
    assert due((0, 1, OLD_AFTER), Hall(quiet_for=OLD_QUIET_S)) == 2


def test_a_hall_that_is_never_quiet_is_still_collected_in_the_end():
    assert due((0, MIDDLE_CEILING, 0), Hall()) == 1
    assert due((0, 0, OLD_CEILING), Hall()) == 2


def test_a_calm_hall_is_collected_in_full_every_so_often_and_a_steady_one_more_rarely():
    calm = Hall(calm_for=OLD_QUIET_S, steady_for=OLD_QUIET_S, since_middle=OLD_EVERY_S, since_full=OLD_EVERY_S)
    assert due((0, 0, 0), calm) == 2
    assert due((0, 0, 0), calm._replace(since_full=OLD_EVERY_S - 1)) is None
    assert due((0, 0, 0), calm._replace(calm_for=OLD_QUIET_S - 1)) is None
    steady = calm._replace(calm_for=0.0)
    assert due((0, 0, 0), steady) is None
    assert due((0, 0, 0), steady._replace(since_full=OLD_STEADY_S)) == 2
    # A full collection that takes long is made less often: at most 1/OLD_SPACING of the time.
    assert due((0, 0, 0), calm._replace(full_took=1.5)) is None
    assert due((0, 0, 0), calm._replace(full_took=1.5, since_full=1.5 * OLD_SPACING)) == 2


def test_a_steady_hall_collects_its_middle_generation_every_so_often_when_anything_piled_up():
    steady = Hall(steady_for=QUIET_S, since_middle=MIDDLE_EVERY_S, since_full=1.0)
    assert due((0, 1, 0), steady) == 1
    assert due((0, 0, 0), steady) is None
    assert due((0, 1, 0), steady._replace(since_middle=MIDDLE_EVERY_S - 1)) is None


# -- the pace of events ----------------------------------------------------------------


def pace_over(events: list[float], until: float) -> list[tuple[float, float, float]]:
    """(time, calm_for, steady_for) at every tick."""
    pace = Pace(0.0)
    pending = sorted(events)
    seen = 0
    out = []
    t = 0.0
    while t < until:
        t = round(t + TICK_S, 6)
        while seen < len(pending) and pending[seen] <= t:
            seen += 1
        out.append((t, *pace.note(t, seen)))
    return out


def test_a_trickle_of_guests_leaves_the_hall_calm():
    ticks = pace_over(trickle(per_s=CALM_EVENTS / 2 - 1, seconds=120), until=120)
    assert [calm for t, calm, _ in ticks] == [t for t, _, _ in ticks]


def test_a_join_storm_and_the_vote_after_it_are_bursts_even_when_the_server_takes_them_slowly():
    join = burst(15_000, 60.0, start=10.0)  # 5,000 phones connect, sync and check in, at the server's pace
    vote = burst(5_000, 5.0, start=75.0)  # ...and vote, at the same pace: 1,000 ballots a second
    ticks = {t: (calm, steady) for t, calm, steady in pace_over(join + vote, until=90)}
    assert max(steady for t, (_, steady) in ticks.items() if 10 < t <= 70 or 75 < t <= 80) < TICK_S
    assert ticks[74.0][1] >= 2.0  # steady, and calm, between the two
    assert ticks[74.0][0] >= 2.0


def test_a_flood_that_goes_on_for_minutes_becomes_the_halls_pace():
    ticks = pace_over([i / 200 for i in range(200 * 600)], until=600)  # 200 events a second for 10 minutes
    assert max(calm for _, calm, _ in ticks) < TICK_S
    steady = [t for t, _, s in ticks if s >= OLD_QUIET_S]
    assert steady and steady[0] < 300


# -- simulated halls -------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(per_s=st.floats(0.2, CALM_EVENTS / 2 - 1), young_every=st.floats(0.5, 60.0))
def test_under_a_steady_trickle_a_full_collection_comes_within_a_bounded_time(per_s, young_every):
    seconds = 300.0
    made = play(trickle(per_s, seconds), seconds, young_every)
    fulls = [t for t, g in made if g == 2]
    assert fulls and max(gaps(fulls) + [seconds - fulls[-1]]) <= OLD_EVERY_S + TICK_S + 1e-6
    if young_every <= 5.0:  # the middle generation, whenever something piled up
        middles = [t for t, g in made if g >= 1]
        assert max(gaps(middles)) <= max(MIDDLE_EVERY_S, young_every) + young_every + TICK_S + 1e-6


def test_a_big_calm_hall_spends_at_most_one_fortieth_of_its_time_in_full_collections():
    fulls = [t for t, g in play(trickle(3, 600), 600, young_every=5, took=1.5) if g == 2]
    assert len(fulls) >= 600 // (1.5 * OLD_SPACING) - 1
    assert min(gaps(fulls)[1:]) >= 1.5 * OLD_SPACING - 1e-6  # how long one takes is known after the first


def test_a_hall_that_is_busy_but_steady_is_still_collected():
    # 5,000 phones waking up and reconnecting: 60 events a second, every second.
    events = [i / 60 for i in range(60 * 900)]
    made = play(events, 900, young_every=2)
    fulls = [t for t, g in made if g == 2]
    middles = [t for t, g in made if g >= 1]  # a full collection collects the middle generation too
    assert fulls and max(gaps(fulls)) <= OLD_STEADY_S + TICK_S + 1e-6
    assert max(gaps(middles[1:], middles[0])) <= MIDDLE_EVERY_S + 2 + TICK_S + 1e-6


@settings(max_examples=40, deadline=None)
@given(vote_at=st.floats(100.0, 300.0), per_s=st.floats(0.2, 5.0), voters=st.sampled_from([200, 2_000, 5_000]))
def test_no_collection_older_than_the_youngest_starts_in_a_vote_or_just_after_it(vote_at, per_s, voters):
    # Every phone votes within 2 s; a young collection every second, so plenty piles up. The
    # collector sees a vote at its first tick after more than a trickle of ballots came in a second.
    ballots = burst(voters, 2.0, start=vote_at)
    seen = next(t for t in (k * TICK_S for k in range(int(vote_at / TICK_S), 2000))
                if sum(1 for b in ballots if t - QUIET_S < b <= t) > CALM_EVENTS)
    made = play(trickle(per_s, 400) + ballots, 400, young_every=1)
    assert [(t, g) for t, g in made if seen <= t < ballots[-1] + QUIET_S] == []
    assert [(t, g) for t, g in made if g == 2 and seen <= t < ballots[-1] + OLD_QUIET_S] == []
    assert [t for t, g in made if g == 2 and t > vote_at]  # and afterwards all goes on


def test_the_collector_collects_for_real_once_the_hall_is_quiet():
    collector = Collector()
    gc.collect(0)  # one collection of the youngest generation has happened since the last middle one
    assert gc.get_count()[1] >= 1
    collector.busy()
    assert collector.tick() is None or gc.get_count()[1] >= MIDDLE_CEILING
    collector.last_busy = time.monotonic() - QUIET_S - 0.1
    assert collector.tick() in (1, 2)
    assert gc.get_count()[1] == 0


def test_freed_memory_goes_back_to_the_system_where_the_c_library_can_say_so():
    release = malloc_trim()
    assert (release is not None) == (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc")
    if release is not None:
        assert release(0) in (0, 1)  # 1: some memory was handed back
