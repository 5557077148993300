"""A whole meeting over the real wire: uvicorn, socket.io, moderator, projector and phones."""
from __future__ import annotations

import pytest
import socketio


async def checked_in(screens, meeting_id, name, category="registered", **extra):
    phone = await screens(meeting_id, "phone", token=None)
    ack = await phone.send("check_in", {"name": name, "category": category, **extra})
    assert ack["ok"], ack
    await phone.close()
    # Come back with the token, as the page does after check-in and after every reload.
    return await screens(meeting_id, "phone", token=ack["token"]), ack["participant_id"]


async def test_a_whole_meeting_from_check_in_to_close(server, screens):
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    wall = await screens(mid, "projector")
    zhang, zhang_id = await checked_in(screens, mid, "孙桂兰")
    liu, liu_id = await checked_in(screens, mid, "刘志强")
    zhou, _ = await checked_in(screens, mid, "吴海燕", "property")

    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await zhang.send("raise_hand", {"stance": "for"}))["ok"]
    assert (await liu.send("raise_hand", {"stance": "against"}))["ok"]
    assert (await mod.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}))["ok"]
    view = await wall.wait_for(lambda v: len(v["queue"]) == 3)
    assert [q["who"]["name"] for q in view["queue"]] == ["孙桂兰", "刘志强", "钱大爷"]
    assert view["attendance"]["by_category"] == {**view["attendance"]["by_category"], "registered": 3, "property": 1}

    # Liu asks to go later; the moderator moves him last, then grants the floor to the head.
    order = [q["id"] for q in view["queue"]]
    assert (await mod.send("reorder_queue", {"order": [order[0], order[2], order[1]]}))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    view = await wall.wait_for(lambda v: v["speaker"] is not None)
    assert view["speaker"]["who"]["name"] == "孙桂兰"
    assert view["speaker"]["ends_at"] - view["speaker"]["started_at"] == 180
    assert [q["who"]["name"] for q in view["queue"]] == ["钱大爷", "刘志强"]

    assert (await mod.send("pause_timer"))["ok"]
    assert (await mod.send("extend_timer", {"seconds": 60}))["ok"]
    view = await wall.wait_for(lambda v: v["speaker"]["ends_at"] is None)
    assert view["speaker"]["remaining"] == pytest.approx(240, abs=2)
    assert (await mod.send("resume_timer"))["ok"]
    end = await mod.send("end_speech")
    assert end["ok"]
    mview = await mod.wait_for(lambda v: v["speaker"] is None and v["speeches"])
    speech_id = mview["speeches"][0]["id"]
    assert (await mod.send("summarise_speech", {"speech_id": speech_id, "summary": "住六楼，强烈支持加装。"}))["ok"]

    # A written opinion reaches the wall only once approved.
    assert (await liu.send("submit_opinion", {"text": "请先公示设计方案"}))["ok"]
    mview = await mod.wait_for(lambda v: len(v["all_opinions"]) == 1)
    assert wall.view["opinions"] == []
    assert (await mod.send("moderate_opinion", {"opinion_id": mview["all_opinions"][0]["id"], "visible": True}))["ok"]
    view = await wall.wait_for(lambda v: len(v["opinions"]) == 1)
    assert view["opinions"][0]["text"] == "请先公示设计方案"

    # An objection, its explanation reaching the objector's phone, and the objector's answer.
    assert (await liu.send("raise_objection", {"reason": "一楼采光受影响"}))["ok"]
    mview = await mod.wait_for(lambda v: len(v["objections"]) == 1)
    oid = mview["objections"][0]["id"]
    assert mview["open_objections"] == [oid]
    assert (await mod.send("give_explanation", {"objection_id": oid, "text": "井道移到北侧"}))["ok"]
    explained = await liu.until(lambda: liu.mes and liu.mes[-1]["me"]["objections"][0]["explanations"],
                                "the explanation never reached the objector's phone")
    assert explained[0]["text"] == "井道移到北侧"
    assert (await liu.send("answer_objection", {"objection_id": oid, "response": "answered"}))["ok"]
    mview = await mod.wait_for(lambda v: v["objections"][0]["response"] == "answered")
    assert mview["open_objections"] == []

    # A straw poll: phones vote, hands are counted, the wall sees the tally.
    opened = await mod.send("open_poll", {"question": "是否同意加装电梯？"})
    assert opened["ok"]
    poll = (await wall.wait_for(lambda v: v["polls"]))["polls"][0]
    assert poll["options"] == ["yes", "no", "abstain"] and poll["open"]
    assert (await zhang.send("cast_ballot", {"poll_id": poll["id"], "choice": 0}))["ok"]
    assert (await liu.send("cast_ballot", {"poll_id": poll["id"], "choice": 1}))["ok"]
    assert (await mod.send("add_hand_count", {"poll_id": poll["id"], "counts": [2, 0, 1]}))["ok"]
    await wall.until(lambda: wall.tallies and wall.tallies[-1]["polls"][0]["counts"] == [3, 1, 1],
                     lambda: f"the wall never showed [3, 1, 1]; last tally: {wall.tallies[-1:]}")
    assert wall.tallies[-1]["polls"][0]["hands"] == [2, 0, 1]
    assert (await mod.send("close_poll", {"poll_id": poll["id"]}))["ok"]
    late = await zhou.send("cast_ballot", {"poll_id": poll["id"], "choice": 0})
    assert late["ok"] is False and late["code"] == "poll_closed" and late["error"] == "这项表决已结束。"

    assert (await mod.send("record_outcome", {
        "item": 0, "outcome": "consensus", "opinion": "同意加装",
        "actions": [{"what": "委托设计", "owner": "业委会", "due": "2026-12-31"}],
    }))["ok"]
    assert (await mod.send("close_meeting"))["ok"]
    view = await wall.wait_for(lambda v: v["status"] == "closed")
    assert view["agenda"][0]["outcome"]["outcome"] == "consensus"
    refused = await zhang.send("raise_hand", {"stance": "for"})
    assert refused["code"] == "meeting_closed"


async def test_a_reconnecting_phone_is_told_what_it_missed(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    phone, _ = await checked_in(screens, mid, "孙桂兰")
    first = await phone.send("sync", {})
    await phone.close()
    await mod.send("open_item", {"item": 1})
    back, _ = await checked_in(screens, mid, "李四")
    again = await back.send("sync", {"last_seq": first["seq"]})
    assert again["view"]["current_item"] == 1 and again["seq"] > first["seq"]
    same = await back.send("sync", {"last_seq": again["seq"]})
    assert same["up_to_date"] is True and same["me"]["participant"]["name"] == "李四"


async def test_a_phone_keeps_its_identity_across_reconnects(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    guest = await screens(mid, "phone", token=None)
    ack = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    await guest.close()
    for _ in range(2):
        phone = await screens(mid, "phone", token=ack["token"])
        snap = await phone.send("sync")
        assert snap["me"]["participant"] == {"id": ack["participant_id"], "name": "孙桂兰",
                                             "category": "registered", "role": "attendee",
                                             "status": "in", "invited": False, "reason": ""}
        await phone.close()


async def test_english_phones_get_english_refusals(server, screens):
    meeting = await server.create_meeting()
    phone = await screens(meeting["id"], "phone", token=None, lang="en")
    ack = await phone.send("check_in", {"name": "", "category": "registered"})
    assert ack == {"ok": False, "code": "empty_text", "status": 400, "error": "Please fill in: name."}
