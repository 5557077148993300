"""A residents' assembly's quorum on the projector's view, live: not met, then met as phones check in."""
from __future__ import annotations

ROSTER = [{"name": n, "category": "registered"} for n in ("张桂英", "周海燕", "李建国", "王淑芬", "刘德华")]


async def test_the_projectors_quorum_goes_from_not_met_to_met_as_phones_check_in(server, screens):
    meeting = await server.create_meeting(form="assembly", roster=ROSTER)
    mid = meeting["id"]
    wall = await screens(mid, "projector")
    mod = await screens(mid, "moderator", key=meeting["key"])
    codes = await server.join_codes(mid, meeting["key"])
    for i in range(3):
        guest = await screens(mid, "phone", token=None)
        checked = await guest.send("check_in", {"code": codes[i]})
        assert checked.get("token"), checked
        view = await wall.wait_for(lambda v, n=i + 1: v["attendance"]["quorum"]["present"] == n)
        assert (view["attendance"]["quorum"]["rule"], view["attendance"]["quorum"]["required"]) == ("more_than_half", 3)
        assert view["attendance"]["quorum"]["met"] is (i + 1 >= 3)
    console = await mod.wait_for(lambda v: v["attendance"]["quorum"]["present"] == 3)
    assert console["attendance"]["quorum"]["met"] is True


async def test_a_consultation_without_a_quorum_rule_has_none(server, screens):
    meeting = await server.create_meeting()  # an owners' consultation
    wall = await screens(meeting["id"], "projector")
    guest = await screens(meeting["id"], "phone", token=None)
    code = (await server.join_codes(meeting["id"], meeting["key"]))[0]
    assert (await guest.send("check_in", {"code": code})).get("token")
    view = await wall.wait_for(lambda v: v["attendance"]["total"] == 1)
    assert view["attendance"]["quorum"] is None
