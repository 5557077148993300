"""`sync`: a snapshot unless the client's last whole view is the latest; the phone's own part in
both answers; the moderator view for staff."""
from __future__ import annotations

import pytest


async def test_sync_is_up_to_date_only_at_the_latest_seq(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    guest = await screens(mid, "phone", token=None)
    checked = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    phone = await screens(mid, "phone", token=checked["token"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("open_poll", {"question": "同意吗？"}))["ok"]
    latest = (await phone.send("sync"))["seq"]

    same = await phone.send("sync", {"last_seq": latest})
    assert same["up_to_date"] is True and same["seq"] == latest and "view" not in same
    assert same["me"]["participant"]["id"] == checked["participant_id"]
    for last in (latest - 1, 0, latest + 5, -1):  # older, or ahead of this server (another worker's)
        snap = await phone.send("sync", {"last_seq": last})
        assert "up_to_date" not in snap and snap["seq"] == latest and snap["view"]["seq"] == latest, last
        assert snap["role"] == "attendee" and "participants" not in snap["view"]

    # A ballot's acknowledgement carries a tally at a newer seq than any view the phone was sent:
    ballot = await phone.send("cast_ballot", {"poll_id": "v1", "choice": 0})
    assert ballot["tally"]["seq"] >= ballot["seq"] > latest
    # asked by the view's seq, the phone gets the view that counts its ballot, and its vote
    snap = await phone.send("sync", {"last_seq": latest})
    assert snap["view"]["polls"][0]["counts"] == [1, 0, 0] and snap["me"]["voted"] == {"v1": 0}


@pytest.mark.parametrize("payload", [{"last_seq": True}, {"last_seq": "3"}, {"last_seq": 3.0}, {"last_seq": None},
                                     {"last_seq": [3]}, "3", 3, [], {}])
async def test_anything_but_the_latest_seq_gets_a_snapshot(server, screens, payload):
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for item in (0, 1):  # the meeting is at seq 3
        assert (await mod.send("open_item", {"item": item}))["ok"]
    wall = await screens(meeting["id"], "projector")
    assert (await wall.send("sync"))["seq"] == 3
    snap = await wall.sio.call("sync", payload, timeout=30)
    assert snap["ok"] and "up_to_date" not in snap and snap["view"]["current_item"] == 1


async def test_staff_sync_to_the_moderator_view(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    for role, auth in (("moderator", {"key": meeting["key"]}), ("recorder", {"key": meeting["recorder_key"]}),
                       ("facilitator", {"token": server.token}), ("projector", {})):
        snap = await (await screens(mid, role, **auth)).send("sync")
        assert snap["role"] == role and ("participants" in snap["view"]) is (role != "projector"), role
