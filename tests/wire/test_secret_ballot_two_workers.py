"""A secret poll on two Yishi workers sharing PostgreSQL and Redis: ballots race from both, one per
voter holds (a phone that tries twice at once on both workers gets one ballot), the close on the
other worker counts every ballot from the shared box, and the box keeps no voter."""
from __future__ import annotations

import asyncio

from sqlalchemy import text

from support.workers import workers

from live.store import Store

VOTERS = 30


async def test_a_secret_poll_counts_every_ballot_cast_on_either_worker(tmp_path):
    async with workers(tmp_path / "data") as shared:
        a, b = shared.running
        open_screen = shared.screen
        meeting = await a.create_meeting()
        mid = meeting["id"]
        mod = await open_screen(b, {"meeting": mid, "role": "moderator", "key": meeting["key"]})
        phones = []
        for i in range(VOTERS):
            guest = await open_screen((a, b)[i % 2], {"meeting": mid, "role": "phone", "token": None})
            ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
            assert ack["ok"], ack
            # each phone connected to both workers, as a phone that reconnects elsewhere would be
            phones.append([await open_screen(w, {"meeting": mid, "role": "phone", "token": ack["token"]}) for w in (a, b)])
        assert (await mod.send("open_item", {"item": 0}))["ok"]
        assert (await mod.send("open_poll", {"question": "是否同意？", "secret": True}))["ok"]
        poll = (await mod.send("sync"))["view"]["polls"][0]["id"]

        # every phone sends its ballot to both workers at once: one of the two must be refused
        acks = await asyncio.gather(*[s.send("cast_ballot", {"poll_id": poll, "choice": i % 3})
                                      for i, pair in enumerate(phones) for s in pair])
        for i in range(VOTERS):
            pair = acks[2 * i: 2 * i + 2]
            assert sorted(x["ok"] for x in pair) == [False, True], pair
            assert [x["code"] for x in pair if not x["ok"]] == ["already_voted"]
        receipts = [x["receipt"] for x in acks if x["ok"]]

        store = Store(shared.database_url)
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM poll_voters")).scalar() == VOTERS
            assert [c for (c,) in conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'ballot_box' "
                "ORDER BY ordinal_position"))] == ["meeting_id", "poll_id", "receipt", "ballot"]
            assert sorted(r for (r,) in conn.execute(text("SELECT receipt FROM ballot_box"))) == sorted(receipts)
        assert (await mod.send("close_poll", {"poll_id": poll}))["ok"]
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM ballot_box")).scalar() == 0
        store.close()
        async with a.http() as c:  # the other worker answers from the record
            listed = (await c.get(f"/meetings/{mid}/polls/{poll}/receipts")).json()
        assert listed["counts"] == [10, 10, 10] and sorted(x["receipt"] for x in listed["ballots"]) == sorted(receipts)
