"""Storms of guest connections while a trickle of them never lets the hall go quiet: the server
gives back what each storm took (docs/security.md, the limits; `yishi bench --storms`,
docs/performance.md).

A real `yishi serve` process, started as `yishi bench` starts it (live/bench/server.py), with its
collector tuned and noting each collection in its log. After each storm the test waits for the
event that returns the storm's memory: a full collection made once engine.io has let go of the
storm's connections. Its budget is generous; nothing here is timed.
"""
from __future__ import annotations

import asyncio
import time

import pytest

from live.bench.server import Server
from live.bench.storms import MEETING, Trickle, full_collections_after, storm

SIZE = 1_000  # guest connections a storm: with Python's older generations never collected, each kept about 25 MB
STORMS = 3
HELD_S = 26.0  # engine.io's ping task holds a closed connection until its next ping was due (ping_interval 25 s)
WAIT_S = 120.0  # generous: a calm hall is collected in full every 20 s (live/collector.py, OLD_EVERY_S)
TRICKLE_PER_S = 3.0  # guests a second coming and going, from before the first storm to the end


async def memory_once_collected(server: Server, storm_ended: float) -> int:
    """The server's resident memory (KB) after a full collection made once the storm's connections were let go."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while not full_collections_after(server, storm_ended + HELD_S):
        assert loop.time() < deadline, f"no full collection in {WAIT_S:.0f} s after a storm: {server.collections()}"
        assert server.proc.poll() is None, server.tail()
        await asyncio.sleep(0.2)  # polling the server's collection log: it has no other way to tell
    await asyncio.to_thread(server.health)  # answered: the event loop is past that collection and its hand-back
    return server.rss_kb()


@pytest.mark.timeout(WAIT_S * STORMS + 120)
async def test_memory_comes_back_after_each_storm_of_connections_though_the_hall_is_never_quiet():
    server = Server("yishi")
    trickle: Trickle | None = None
    try:
        await asyncio.to_thread(server.wait_ready, 60.0)
        meeting = (await asyncio.to_thread(server.post, "/api/meetings", MEETING))["id"]
        trickle = Trickle(server.url, meeting, TRICKLE_PER_S, timeout=60.0)
        trickle.start()
        after = []
        for _ in range(STORMS):
            went = await storm(server.url, meeting, SIZE, concurrency=200, timeout=60.0)
            assert went["connected"] == SIZE, went
            after.append(await memory_once_collected(server, time.time()))
        await trickle.stop()
        assert trickle.connections > 0 and trickle.errors == {}, (trickle.connections, trickle.errors)
        trickle = None
        mb = [round(kb / 1024, 1) for kb in after]
        assert after[-1] <= after[0] * 1.10, f"memory after each storm (MB): {mb}"
    finally:
        if trickle is not None:
            await trickle.stop()
        server.stop()
