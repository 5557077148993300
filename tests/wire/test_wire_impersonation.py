"""A phone on the room's Wi-Fi tries every way to check in as someone else, or to vote twice, over
the real socket.io protocol: each is refused, and the count stays one ballot per person."""
from __future__ import annotations

from typing import Any

import pytest
import socketio

from live.join_codes import MAX_MISSES

ASSEMBLY = {
    "title": "第三村民小组村民会议", "form": "assembly",
    "roster": [{"name": "张桂英", "category": "registered"}, {"name": "王秀兰", "category": "registered"},
               {"name": "李明", "category": "registered"}],
}


async def guest(screens: Any, mid: str) -> Any:
    return await screens(mid, "phone", token=None)


async def test_a_phone_cannot_become_an_invitee_without_their_code_nor_vote_twice(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(**ASSEMBLY)
    mid = meeting["id"]
    codes = await server.join_codes(mid, meeting["key"])
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("open_poll", {"question": "是否同意修路"}))["ok"]
    mallory = await guest(screens, mid)

    # picking an invitee by place in the list, as the old join page allowed
    assert (await mallory.send("check_in", {"invitee": 0}))["code"] == "code_required"
    # a made-up code, and a code with the name of someone else beside it
    assert (await mallory.send("check_in", {"code": "000000000"}))["code"] == "bad_code"
    # the desk's powers, without the key
    for command, payload in [("confirm_check_in", {"participant_id": "p1"}),
                             ("merge_participants", {"keep": "p1", "drop": "p2", "reason": "x"}),
                             ("withdraw_check_in", {"participant_id": "p1", "reason": "x"})]:
        assert not (await mallory.send(command, payload))["ok"], command
    # a walk-in under an invitee's name waits for the desk and can do nothing meanwhile
    held = await mallory.send("check_in", {"name": "张桂英", "category": "registered"})
    assert held["ok"] and held["token"]
    phone = await screens(mid, "phone", token=held["token"])
    me = (await phone.send("sync", {}))["me"]
    assert me["participant"]["status"] == "held"
    assert me["participant"]["name"] == "张桂英"
    assert (await phone.send("cast_ballot", {"poll_id": "v1", "choice": 0}))["code"] == "check_in_held"
    assert (await phone.send("raise_hand", {"stance": "for"}))["code"] == "check_in_held"

    # the real 张桂英 comes with her slip and votes
    zhang = await guest(screens, mid)
    checked = await zhang.send("check_in", {"code": codes[0]})
    assert checked["ok"], checked
    zhang = await screens(mid, "phone", token=checked["token"])
    assert (await zhang.send("cast_ballot", {"poll_id": "v1", "choice": 0}))["ok"]
    # her code typed again on a second phone is her again, not a second voter
    second = await guest(screens, mid)
    again = await second.send("check_in", {"code": " ".join([codes[0][:3], codes[0][3:6], codes[0][6:]])})
    assert again["ok"] and again["participant_id"] == checked["participant_id"]
    second = await screens(mid, "phone", token=again["token"])
    assert (await second.send("cast_ballot", {"poll_id": "v1", "choice": 1}))["code"] == "already_voted"
    # a phone already checked in cannot check in again as someone else
    assert not (await second.send("check_in", {"code": codes[1]}))["ok"]
    assert not (await second.send("check_in", {"name": "王秀兰", "category": "registered"}))["ok"]
    # nor act for another participant by naming them
    assert not (await second.send("raise_hand", {"stance": "for", "participant_id": "p1"}))["ok"]
    # a token from another meeting is nobody here
    other = await server.create_meeting(**ASSEMBLY)
    elsewhere = await guest(screens, other["id"])
    foreign = await elsewhere.send("check_in", {"name": "赵磊", "category": "registered"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        await screens(mid, "phone", token=foreign["token"])

    wall = await screens(mid, "projector")
    view = (await wall.send("sync", {}))["view"]
    assert view["polls"][0]["voters"] == 1
    assert view["polls"][0]["counts"] == [1, 0, 0]
    assert view["attendance"]["total"] == 1 and view["attendance"]["quorum"]["present"] == 1


async def test_guessing_codes_is_stopped_for_the_whole_meeting_while_the_desk_goes_on(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(**ASSEMBLY)
    mid = meeting["id"]
    codes = await server.join_codes(mid, meeting["key"])
    answers = []
    for n in range(MAX_MISSES + 1):  # a fresh connection every ten tries: one connection alone is slowed down sooner
        if n % 10 == 0:
            mallory = await guest(screens, mid)
        answers.append(await mallory.send("check_in", {"code": f"{n:09d}"}))
    assert {a["code"] for a in answers[:-1]} <= {"bad_code"}
    assert answers[-1]["code"] == "too_many_code_attempts"
    # even a right code waits now: guessing must not pay off by being lucky on the next try
    late = await guest(screens, mid)
    assert (await late.send("check_in", {"code": codes[2]}))["code"] == "too_many_code_attempts"
    # the desk checks the person in meanwhile
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("check_in", {"invitee": 2}))["ok"]
