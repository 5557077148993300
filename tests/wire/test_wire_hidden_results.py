"""A poll whose results the moderator reveals, on a real server: every message the projector and the
phones get while people vote — views, tallies, the ballot's acknowledgement — says how many have
voted and never how; the moderator's say it all along; after the reveal the room has the count."""
from __future__ import annotations

import json
from typing import Any

from support.wire import Running


def room_counts(messages: list[dict[str, Any]]) -> list[Any]:
    """Every count or result a poll carries in these messages (states' views and tallies)."""
    found = []
    for msg in messages:
        for poll in (msg.get("view") or msg).get("polls", []):
            found += [poll.get("counts"), poll.get("hands"), poll.get("result")]
    return found


async def test_the_room_learns_how_many_voted_and_how_only_when_the_moderator_says(server: Running, screens) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    wall = await screens(mid, "projector")
    phones = []
    for i in range(3):
        guest = await screens(mid, "phone", token=None)
        ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
        assert ack["ok"], ack
        phones.append(await screens(mid, "phone", token=ack["token"]))
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("open_poll", {"question": "是否同意加装电梯？", "hide_results": True}))["ok"]
    poll = (await wall.wait_for(lambda v: bool(v["polls"])))["polls"][0]
    assert (poll["counts"], poll["voters"], poll["hide_results"]) == (None, 0, True)

    acks = [await p.send("cast_ballot", {"poll_id": poll["id"], "choice": c}) for p, c in zip(phones, (0, 1, 1))]
    assert all(a["ok"] for a in acks)
    assert [a["tally"]["polls"][0]["counts"] for a in acks] == [None, None, None]
    assert (await mod.send("add_hand_count", {"poll_id": poll["id"], "counts": [2, 0, 0]}))["ok"]
    await wall.until(lambda: any(t["polls"] and t["polls"][0]["voters"] == 3 for t in wall.tallies) or
                     any(s["view"]["polls"] and s["view"]["polls"][0]["voters"] == 3 for s in wall.states),
                     "the wall never heard that three had voted")
    await mod.until(lambda: any(t["polls"] and t["polls"][0]["counts"] == [3, 2, 0] for t in mod.tallies) or
                    any(s["view"]["polls"] and s["view"]["polls"][0]["counts"] == [3, 2, 0] for s in mod.states),
                    "the moderator never saw the count")
    assert (await mod.send("close_poll", {"poll_id": poll["id"]}))["ok"]
    closed = await wall.wait_for(lambda v: bool(v["polls"]) and not v["polls"][0]["open"])
    assert closed["polls"][0]["counts"] is None  # closed, and still the moderator's to reveal

    # Nothing the room got says how anyone voted: not a count, not a hand, not a result.
    for screen in (wall, *phones):
        assert set(map(json.dumps, room_counts(screen.states + screen.tallies))) <= {"null"}, screen.auth
    sync = await phones[0].send("sync")
    assert room_counts([sync]) == [None, None, None]
    async with server.http() as c:
        public = (await c.get(f"/api/meetings/{mid}")).json()  # anyone's look at the meeting
        assert public["polls"][0]["counts"] is None
        staff = (await c.get(f"/api/meetings/{mid}", params={"key": meeting["key"]})).json()
        assert staff["polls"][0]["counts"] == [3, 2, 0]
        minutes = (await c.get(f"/meetings/{mid}/minutes.json", params={"public": "1"})).json()
        assert minutes["items"][0]["polls"] == []  # the public minutes of the open meeting wait too

    assert (await mod.send("reveal_results", {"poll_id": poll["id"]}))["ok"]
    shown = await wall.wait_for(lambda v: bool(v["polls"]) and v["polls"][0]["counts"] is not None)
    assert (shown["polls"][0]["counts"], shown["polls"][0]["revealed"]) == ([3, 2, 0], True)
    again = await mod.send("reveal_results", {"poll_id": poll["id"]})
    assert (again["ok"], again["code"]) == (False, "results_shown")
