"""Two Yishi workers sharing PostgreSQL and Redis: any worker serves any phone, nothing is lost."""
from __future__ import annotations

import asyncio

from support.workers import workers

from live.store import Store, event_hash

CROSS_WORKER_BUDGET_S = 60  # generous: on a busy machine the last tally may take seconds


async def test_two_workers_share_one_meeting_through_postgres_and_redis(tmp_path):
    async with workers(tmp_path / "data") as shared:
        a, b = shared.running
        open_screen = shared.screen
        meeting = await a.create_meeting()
        mid = meeting["id"]
        mod = await open_screen(a, {"meeting": mid, "role": "moderator", "key": meeting["key"]})
        wall = await open_screen(b, {"meeting": mid, "role": "projector"})
        phones = []
        for i in range(40):
            worker = (a, b)[i % 2]
            guest = await open_screen(worker, {"meeting": mid, "role": "phone", "token": None})
            ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
            assert ack["ok"], ack
            phones.append(await open_screen(worker, {"meeting": mid, "role": "phone", "token": ack["token"]}))
        assert (await mod.send("open_item", {"item": 0}))["ok"]
        assert (await mod.send("open_poll", {"question": "是否同意？"}))["ok"]
        poll = (await wall.wait_for(lambda v: bool(v["polls"])))["polls"][0]["id"]

        # Ballots arrive at both workers at once; their writers race on the same meeting.
        acks = await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": i % 3})
                                      for i, p in enumerate(phones)])
        assert all(ack["ok"] for ack in acks), [a for a in acks if not a["ok"]]

        # The projector on worker B sees every ballot, including those worker A committed.
        # Each worker sends tallies of the moment it knows; a screen shows the newest moment.
        def newest():
            return max(wall.tallies, key=lambda t: t["seq"])["polls"][0]["counts"] if wall.tallies else []

        await wall.until(lambda: sum(newest()) >= 40, lambda: f"not every ballot shown: {wall.tallies[-3:]}",
                         CROSS_WORKER_BUDGET_S)
        assert newest() == [14, 13, 13], wall.tallies[-3:]
        assert (await mod.send("sync"))["view"]["polls"][0]["counts"] == [14, 13, 13]

        store = Store(shared.database_url)
        rows = store.rows(mid)
        store.close()
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        for before, row in zip(rows, rows[1:]):
            assert row.prev_hash == before.hash
            assert row.hash == event_hash(row.meeting_id, row.seq, row.type, row.data, row.at, row.prev_hash)
        assert sum(1 for r in rows if r.type == "BallotCast") == 40
