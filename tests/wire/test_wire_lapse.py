"""Requests to speak still waiting when the moderator opens another item, or closes the meeting,
lapse (RequestsLapsed): they leave the projector's queue, the moderator's and each phone's, and
the record keeps them as asked, not heard."""
from __future__ import annotations

from live.errors import message


async def phone_of(screens, meeting_id, name):
    guest = await screens(meeting_id, "phone", token=None)
    ack = await guest.send("check_in", {"name": name, "category": "registered"})
    assert ack["ok"], ack
    await guest.close()
    return await screens(meeting_id, "phone", token=ack["token"]), ack["participant_id"]


async def a_queue_of_three(server, screens):
    """Item 0 open; 孙桂兰 and 刘志强 asked on their phones, 钱大爷 (no phone) through the moderator,
    刘志强's a point of order; 吴海燕 has the floor and is done."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    wall = await screens(mid, "projector")
    zhang, zhang_id = await phone_of(screens, mid, "孙桂兰")
    liu, liu_id = await phone_of(screens, mid, "刘志强")
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("add_speaker", {"name": "吴海燕", "category": "property", "stance": "other"}))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    assert (await mod.send("end_speech"))["ok"]
    assert (await zhang.send("raise_hand", {"stance": "for"}))["ok"]
    assert (await liu.send("raise_hand", {"stance": "other", "kind": "point_of_order"}))["ok"]
    assert (await mod.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "against"}))["ok"]
    view = await wall.wait_for(lambda v: len(v["queue"]) == 3)
    assert [q["who"]["name"] for q in view["queue"]] == ["刘志强", "孙桂兰", "钱大爷"]
    for phone in (zhang, liu):
        await phone.wait_for(lambda v: len(v["queue"]) == 3)
    assert (await zhang.send("sync"))["me"]["queue_place"] == 2
    waiting = [q["id"] for q in view["queue"]]
    return meeting, {"moderator": mod, "wall": wall, "zhang": zhang, "liu": liu}, waiting, (zhang_id, liu_id)


def lapses(server, meeting_id):
    return [r for r in server.yishi.store.events(meeting_id) if r.type == "RequestsLapsed"]


async def test_requests_waiting_lapse_when_the_next_item_opens(server, screens):
    meeting, s, waiting, (zhang_id, _) = await a_queue_of_three(server, screens)
    opened = await s["moderator"].send("open_item", {"item": 1})
    assert opened["ok"]

    for who in ("wall", "moderator", "zhang", "liu"):  # every screen: the queue is empty on the new item
        view = await s[who].wait_for(lambda v: v["current_item"] == 1)
        assert view["queue"] == [], who
    for who in ("zhang", "liu"):  # and each phone's own part says it is not waiting
        assert (await s[who].send("sync"))["me"]["queue_place"] is None
    assert s["moderator"].view["speeches"][0]["who"]["name"] == "吴海燕"  # what was heard stays

    (lapsed,) = lapses(server, meeting["id"])
    assert lapsed.data["request_ids"] == waiting and lapsed.data["reason"] == "item_changed"
    assert lapsed.data["actor"] == {"role": "moderator"} and lapsed.data["v"] == 2
    assert lapsed.seq == opened["seq"] - 1  # recorded with the opening, just before ItemOpened

    # A request that lapsed is gone: withdrawing it is refused, asking again on the new item works.
    withdrawn = await s["zhang"].send("withdraw_hand")
    assert withdrawn["code"] == "not_in_queue" and withdrawn["error"] == message("not_in_queue", "zh-CN")
    assert (await s["zhang"].send("raise_hand", {"stance": "for"}))["ok"]
    view = await s["wall"].wait_for(lambda v: len(v["queue"]) == 1)
    assert view["queue"][0]["who"]["id"] == zhang_id
    assert (await s["zhang"].send("sync"))["me"]["queue_place"] == 1
    granted = await s["moderator"].send("grant_floor")
    assert granted["ok"]
    view = await s["moderator"].wait_for(lambda v: v["speaker"] is not None)
    assert view["speaker"]["item"] == 1


async def test_opening_the_same_item_again_keeps_its_queue(server, screens):
    meeting, s, waiting, _ = await a_queue_of_three(server, screens)
    assert (await s["moderator"].send("open_item", {"item": 0}))["ok"]
    assert [q["id"] for q in (await s["moderator"].send("sync"))["view"]["queue"]] == waiting
    assert lapses(server, meeting["id"]) == []


async def test_requests_waiting_lapse_at_the_close(server, screens):
    meeting, s, waiting, _ = await a_queue_of_three(server, screens)
    assert (await s["moderator"].send("close_meeting"))["ok"]
    for who in ("wall", "moderator", "zhang", "liu"):
        view = await s[who].wait_for(lambda v: v["status"] == "closed")
        assert view["queue"] == [], who
    for who in ("zhang", "liu"):
        assert (await s[who].send("sync"))["me"]["queue_place"] is None
    (lapsed,) = lapses(server, meeting["id"])
    assert lapsed.data["request_ids"] == waiting and lapsed.data["reason"] == "meeting_closed"
    types = [r.type for r in server.yishi.store.events(meeting["id"])][-2:]
    assert types == ["RequestsLapsed", "MeetingClosed"]
    async with server.http() as http:
        public = (await http.get(f"/api/meetings/{meeting['id']}")).json()
    assert public["queue"] == []
