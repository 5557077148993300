"""The fair floor over the real wire: a standing policy re-orders the queue every screen sees, with
reasons; the next speaker's phone is told; a direct reply is heard next, one at a time, for the
reply time; a limit passed is flagged, never enforced; and the minutes say it all."""
from __future__ import annotations

from typing import Any

CATEGORIES = (("孙桂兰", "registered"), ("刘志强", "registered"), ("周海燕", "property"), ("吴工程师", "expert"))


async def hall(server: Any, screens: Any, **meeting: Any) -> tuple[str, Any, Any, dict[str, tuple[Any, str]]]:
    made = await server.create_meeting(roster=[], **meeting)
    mid = made["id"]
    mod = await screens(mid, "moderator", key=made["key"])
    wall = await screens(mid, "projector")
    phones = {}
    for name, category in CATEGORIES:
        guest = await screens(mid, "phone", token=None)
        ack = await guest.send("check_in", {"name": name, "category": category})
        assert ack["ok"], ack
        phones[name] = (await screens(mid, "phone", token=ack["token"]), ack["participant_id"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    return mid, mod, wall, phones


def names(view: dict[str, Any]) -> list[str]:
    return [q["who"]["name"] for q in view["queue"]]


async def test_the_policy_reorders_what_everyone_sees_and_the_next_phone_is_told(server, screens):
    mid, mod, wall, phones = await hall(server, screens)
    # 孙桂兰 (a registered resident) speaks first; then three ask, 刘志强 (registered too) first.
    sun, sun_id = phones["孙桂兰"]
    assert (await sun.send("raise_hand", {"stance": "for"}))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    for name, stance in (("刘志强", "against"), ("周海燕", "other"), ("吴工程师", "question")):
        assert (await phones[name][0].send("raise_hand", {"stance": stance}))["ok"]
    view = await wall.wait_for(lambda v: len(v["queue"]) == 3)
    assert names(view) == ["刘志强", "周海燕", "吴工程师"] and view["floor"]["policy"] == "first_come"
    liu, _ = phones["刘志强"]
    await liu.until(lambda: liu.mes and liu.mes[-1]["me"]["next"], "刘志强's phone was never told it is next")

    ack = await mod.send("set_floor_policy", {"policy": "unheard_categories", "show_balance": True})
    assert ack["ok"], ack
    view = await wall.wait_for(lambda v: v["floor"]["policy"] == "unheard_categories")
    # Registered residents have been heard (孙桂兰): the property company and the expert go first.
    assert names(view) == ["周海燕", "吴工程师", "刘志强"]
    assert [q["reason"] for q in view["queue"]] == ["unheard_category", "unheard_category", "unheard_person"]
    assert view["floor"]["show_balance"] is True
    registered = next(c for c in view["balance"]["categories"] if c["key"] == "registered")
    assert (registered["present"], registered["speakers"], registered["unheard"]) == (2, 1, False)
    assert next(c for c in view["balance"]["categories"] if c["key"] == "property")["unheard"] is True
    zhou, _ = phones["周海燕"]
    await zhou.until(lambda: zhou.mes and zhou.mes[-1]["me"]["next"], "周海燕's phone was never told it is next")
    await liu.until(lambda: liu.mes and not liu.mes[-1]["me"]["next"] and liu.mes[-1]["me"]["queue_place"] == 3,
                    "刘志强's phone still thinks it is next")
    # The moderator's console sees the people, who waits unheard first.
    mview = await mod.wait_for(lambda v: v["floor"]["policy"] == "unheard_categories")
    people = mview["balance"]["people"]
    assert {p["name"] for p in people[:3]} == {"刘志强", "周海燕", "吴工程师"}
    assert all(p["waiting"] and p["speeches"] == 0 for p in people[:3])
    assert (people[3]["name"], people[3]["speeches"], people[3]["waiting"]) == ("孙桂兰", 1, False)

    # The moderator puts 刘志强 first by hand: it holds, and is recorded.
    order = [q["id"] for q in view["queue"]]
    assert (await mod.send("reorder_queue", {"order": [order[2], order[0], order[1]]}))["ok"]
    view = await wall.wait_for(lambda v: names(v)[0] == "刘志强")
    assert view["queue"][0]["reason"] == "moved"
    assert (await mod.send("grant_floor"))["ok"]
    view = await wall.wait_for(lambda v: v["speaker"]["who"]["name"] == "刘志强")

    # Only the chair sets the policy; nonsense is refused in the screen's language and changes nothing.
    refused = await liu.send("set_floor_policy", {"policy": "alternate"})
    assert refused["code"] == "not_allowed"
    refused = await mod.send("set_floor_policy", {"policy": "loudest_first"})
    assert refused["code"] == "unknown_floor_policy" and "loudest_first" in refused["error"]
    refused = await mod.send("set_floor_policy", {"policy": "alternate", "limits": {"person_seconds": -5}})
    assert refused["code"] == "bad_limit"
    assert (await mod.send("sync"))["view"]["floor"]["policy"] == "unheard_categories"


async def test_a_direct_reply_is_heard_next_one_at_a_time_and_the_minutes_link_it(server, screens):
    mid, mod, wall, phones = await hall(server, screens, floor_limits={"reply_seconds": 45})
    sun, _ = phones["孙桂兰"]
    liu, _ = phones["刘志强"]
    wu, _ = phones["吴工程师"]
    zhou, _ = phones["周海燕"]
    assert (await zhou.send("raise_hand", {"stance": "other"}))["ok"]
    refused = await liu.send("raise_hand", {"stance": "against", "kind": "reply"})
    assert refused["code"] == "nobody_speaking"
    assert (await wu.send("raise_hand", {"stance": "question"}))["ok"]
    assert (await mod.send("grant_floor", {"request_id": (await mod.send("sync"))["view"]["queue"][1]["id"]}))["ok"]
    await wall.wait_for(lambda v: v["speaker"] and v["speaker"]["who"]["name"] == "吴工程师")
    assert (await liu.send("raise_hand", {"stance": "against", "kind": "reply"}))["ok"]
    refused = await sun.send("raise_hand", {"stance": "for", "kind": "reply"})
    assert refused["code"] == "reply_waiting"
    view = await wall.wait_for(lambda v: len(v["queue"]) == 2)
    assert names(view) == ["刘志强", "周海燕"] and view["queue"][0]["reason"] == "reply"
    assert (await mod.send("end_speech"))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    view = await wall.wait_for(lambda v: v["speaker"] and v["speaker"]["who"]["name"] == "刘志强")
    assert view["speaker"]["kind"] == "reply" and view["speaker"]["ends_at"] - view["speaker"]["started_at"] == 45
    assert view["speaker"]["replies_to"] == "s1"
    assert (await mod.send("end_speech"))["ok"]
    async with server.http() as http:
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": (await server_key(server, mid))})).json()
    speeches = doc["items"][0]["speeches"]
    assert [(s["number"], s["kind"], s["replies_to"]) for s in speeches] == [(1, "speech", None), (2, "reply", 1)]
    assert doc["heard"]["replies"] == 1 and doc["heard"]["limits"] == {"reply_seconds": 45}


async def server_key(server: Any, mid: str) -> str:
    """A moderator key for the minutes (the one given at creation is not kept: issue a new one)."""
    return await server.yishi.meetings.reissue_key(mid, "moderator")


async def test_a_limit_passed_is_flagged_and_nothing_is_cut_off(server, screens):
    mid, mod, wall, phones = await hall(server, screens, floor_policy="alternate", floor_limits={"person_speeches": 1})
    sun, _ = phones["孙桂兰"]
    for _ in range(2):
        assert (await sun.send("raise_hand", {"stance": "for"}))["ok"]
        assert (await mod.send("grant_floor"))["ok"]
        view = await wall.wait_for(lambda v: v["speaker"] is not None)
        left = view["speaker"]["left"]
        assert (await mod.send("end_speech"))["ok"]
        await wall.wait_for(lambda v: v["speaker"] is None)
    assert left == {"person_speeches": 0}  # the second speech: nothing left, and still given
    mview = (await mod.send("sync"))["view"]
    assert [s["over"] for s in mview["speeches"]] == [[], ["person_speeches"]]
    async with server.http() as http:
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": await server_key(server, mid)})).json()
        md = (await http.get(f"/meetings/{mid}/minutes.md", params={"key": await server_key(server, mid)})).text
    assert doc["heard"]["policy"] == "alternate"
    assert doc["heard"]["limits_reached"] == [{"speech": 2, "speaker": doc["heard"]["limits_reached"][0]["speaker"],
                                               "over": ["person_speeches"]}]
    assert "正反方轮流" in md and "超出限制：每人发言次数" in md
