"""Several processes: a console on one process follows changes made through the other by changes
from the view it holds, not whole views, and ends equal to a fresh sync."""
from __future__ import annotations

from support.workers import workers


async def test_a_console_follows_by_changes_whichever_process_made_them(tmp_path):
    async with workers(tmp_path / "data") as shared:
        a, b = shared.running
        meeting = await a.create_meeting()
        mid, key = meeting["id"], meeting["key"]
        mod_a = await shared.screen(a, {"meeting": mid, "role": "moderator", "key": key})
        console_b = await shared.screen(b, {"meeting": mid, "role": "moderator", "key": key})
        await console_b.resync()  # the whole view once, as a console opening asks for it
        # commands through both processes, one at a time: each is broadcast by the one that wrote it
        for i in range(12):
            mod = mod_a if i % 2 == 0 else console_b
            ack = await mod.send("check_in", {"name": f"居民{i}", "category": "registered"})
            assert ack["ok"], ack
            await console_b.wait_for(lambda v, n=i + 1: len(v["participants"]) >= n)
            await mod_a.wait_for(lambda v, n=i + 1: len(v["participants"]) >= n)
        assert (await mod_a.send("open_item", {"item": 0}))["ok"]
        final = await console_b.wait_for(lambda v: v["current_item"] == 0)
        # most of what reached the console was changes, each smaller than the view
        assert len(console_b.changes) >= 6, [c.get("base") for c in console_b.changes]
        whole = len(str(final))
        assert all(len(str(c["changes"])) < whole for c in console_b.changes)
        # and they applied to the view it held: no whole view was asked for again after each
        whole_views = len(console_b.states) - len(console_b.changes)
        assert whole_views <= 3, whole_views
        fresh = await console_b.send("sync")
        assert console_b.states[-1]["view"] == fresh["view"]
