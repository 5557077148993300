"""A server that runs for months: closed and idle meetings leave every cache and their writer
tasks end, and coming back to such a meeting finds it as it was (it is read again from the record)."""
from __future__ import annotations

import asyncio

from support.wire import Screen

from live import broadcast, services

WAIT_S = 30  # generous: the suite must pass on a busy machine


async def until(predicate, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.02)


async def test_closed_and_idle_meetings_leave_the_caches_and_come_back_intact(server, monkeypatch):
    # The limits, shortened: the same code paths as in months of running, in seconds.
    monkeypatch.setattr(services, "WRITER_IDLE_S", 0.3)
    monkeypatch.setattr(services, "CLOSED_IDLE_S", 0.3)
    monkeypatch.setattr(services, "IDLE_S", 1.0)
    monkeypatch.setattr(services, "SWEEP_EVERY_S", 0.0)
    monkeypatch.setattr(services, "MAX_CACHED", 8)
    meetings = server.yishi.meetings
    created = []
    screens = []
    try:
        for i in range(12):
            m = await server.create_meeting(title=f"第{i}次居民议事会")
            mod = await Screen(server.url, {"meeting": m["id"], "role": "moderator", "key": m["key"]}).connect()
            screens.append(mod)
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            if i % 2 == 0:
                assert (await mod.send("close_meeting"))["ok"]
            created.append((m["id"], (await mod.send("sync"))["seq"]))
        for s in screens:
            await s.close()
        assert meetings.cache_sizes()["writers"] > 0

        # Writers with nothing to do end; touching one meeting sweeps the rest.
        await until(lambda: meetings.cache_sizes()["writers"] == 0, "writer tasks did not end")
        last_id = created[-1][0]

        def swept() -> bool:
            meetings.cached(last_id)
            meetings._touch(last_id)
            return meetings.cache_sizes()["meetings"] <= 1

        await until(swept, f"meetings stayed cached: {meetings.cache_sizes()}")
        assert len(meetings._states) <= 1 and len(meetings._used) <= 1
        # The views and broadcast bookkeeping kept per meeting went with them.
        gone = {mid for mid, _ in created[:-1]}
        assert gone.isdisjoint(broadcast.public_view_of.last) and gone.isdisjoint(broadcast.tally_message.last)
        assert gone.isdisjoint(server.yishi.broadcaster.pending)
        assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("writer-")]

        # Any of them, asked for again, is as it was left, and takes commands.
        for mid, seq in created:
            again = await Screen(server.url, {"meeting": mid, "role": "projector"}).connect()
            ack = await again.send("sync")
            assert ack["seq"] == seq, (mid, ack["seq"], seq)
            await again.close()
        open_id, open_seq = created[1]
        key = await meetings.reissue_key(open_id, "moderator")
        mod = await Screen(server.url, {"meeting": open_id, "role": "moderator", "key": key}).connect()
        screens.append(mod)
        assert (await mod.send("close_meeting"))["ok"]
        assert (await mod.send("sync"))["seq"] > open_seq
    finally:
        for s in screens:
            if s.sio.connected:
                await s.close()
