"""The recorder and the facilitator on the socket: their own credentials, what they may do, and
the record naming them for what they did (read from the stored events and the minutes)."""
from __future__ import annotations

import pytest
import socketio

from facilitation.commands import COMMANDS
from facilitation.roles import MODERATOR, RECORDER, STAFF
from live.errors import message

# The chair's commands: the recorder may not send them.
# The moderator's and not the recorder's (the office's own commands, facilitator only, are not the chair's).
CHAIRS_ONLY = sorted(name for name, c in COMMANDS.items() if MODERATOR in c.roles and RECORDER not in c.roles)
BUDGET_S = 30.0  # generous: the suite may share the machine


async def refused_connection(server, auth):
    """The data of the connect_error the server answers with."""
    client = socketio.AsyncClient(reconnection=False)
    errors = []
    client.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=BUDGET_S)
    return errors[0]["data"]


def stored(server, meeting_id, type_=None):
    """The meeting's stored events (optionally of one type), as the record holds them."""
    return [r for r in server.yishi.store.events(meeting_id) if type_ is None or r.type == type_]


async def seq_of(screen):
    return (await screen.send("sync"))["seq"]


async def a_finished_speech(mod):
    """Item 0 open, 钱大爷 (no phone) heard; returns the speech's id."""
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    assert (await mod.send("end_speech"))["ok"]
    view = (await mod.send("sync"))["view"]
    return view["speeches"][0]["id"]


# -- the recorder -----------------------------------------------------------------------


async def test_a_new_meeting_comes_with_the_recorders_key_and_link(server):
    meeting = await server.create_meeting()
    key = meeting["recorder_key"]
    assert key and key != meeting["key"]
    assert meeting["links"]["recorder"] == f"{server.url}/m/{meeting['id']}/record?key={key}"
    assert await server.yishi.meetings.key_fits(meeting["id"], "recorder", key)
    async with server.http() as http:
        listed = (await http.get("/api/meetings", headers={"Authorization": f"Bearer {server.token}"})).json()
    # Shown once: the keys are stored hashed, so the list of meetings has the public links only.
    assert listed["meetings"][0]["links"] == {k: meeting["links"][k] for k in ("projector", "join")}


async def test_the_recorder_connects_with_its_key_and_sees_what_the_moderator_sees(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    snap = await rec.send("sync")
    assert snap["ok"] and snap["role"] == "recorder" and snap["me"] is None
    assert "speeches" in snap["view"] and "all_opinions" in snap["view"]  # the moderator view
    speech_id = await a_finished_speech(mod)
    view = await rec.wait_for(lambda v: v["speeches"] and v["speeches"][0]["ended_at"])
    assert view["speeches"][0]["id"] == speech_id and view["speeches"][0]["who"]["name"] == "钱大爷"


@pytest.mark.parametrize("key", ["guess", "", None, 12345, ["a"], {"k": 1}, "密钥" * 10, "x" * 5000])
async def test_a_wrong_recorder_key_is_refused_like_a_wrong_moderator_key(server, key):
    meeting = await server.create_meeting()
    error = await refused_connection(server, {"meeting": meeting["id"], "role": "recorder", "key": key, "lang": "en"})
    assert error == {"ok": False, "code": "bad_credentials", "status": 403, "error": message("bad_credentials", "en")}


async def test_the_two_keys_open_only_their_own_console_and_meeting(server):
    first, second = await server.create_meeting(), await server.create_meeting()
    for auth in (
        {"role": "recorder", "key": first["key"]},  # the moderator's key is not the recorder's
        {"role": "moderator", "key": first["recorder_key"]},  # nor the other way round
        {"role": "recorder", "key": second["recorder_key"]},  # another meeting's recorder
        {"role": "recorder", "token": first["recorder_key"]},  # the key under another name
    ):
        error = await refused_connection(server, {"meeting": first["id"], **auth})
        assert error["code"] == "bad_credentials", auth


async def test_the_recorders_summary_is_recorded_as_the_recorders(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    speech_id = await a_finished_speech(mod)
    ack = await rec.send("summarise_speech", {"speech_id": speech_id, "summary": "住六楼，支持加装电梯。"})
    assert ack["ok"], ack
    (summary,) = stored(server, mid, "SpeechSummarised")
    assert summary.seq == ack["seq"]
    assert summary.data["actor"] == {"role": "recorder"} and summary.data["v"] == 2
    assert summary.data["summary"] == "住六楼，支持加装电梯。"
    async with server.http() as http:  # the recorder's key opens the full minutes it keeps
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": meeting["recorder_key"]})).json()
    (speech,) = doc["items"][0]["speeches"]
    assert (speech["summary"], speech["summarised_by"]) == ("住六楼，支持加装电梯。", "recorder")

    # The moderator corrects it: the minutes now say the moderator wrote the summary they show.
    assert (await mod.send("summarise_speech", {"speech_id": speech_id, "summary": "支持加装。"}))["ok"]
    assert [r.data["actor"]["role"] for r in stored(server, mid, "SpeechSummarised")] == ["recorder", "moderator"]
    async with server.http() as http:
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": meeting["key"]})).json()
    assert doc["items"][0]["speeches"][0]["summarised_by"] == "moderator"


async def test_what_the_recorder_enters_for_people_is_recorded_as_the_recorders(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    checked = await rec.send("check_in", {"invitee": 0})
    assert checked["ok"] and "token" not in checked  # no phone was given an identity
    pid = (await rec.send("sync"))["view"]["participants"][0]["id"]
    for command, payload in [
        ("submit_opinion", {"participant_id": pid, "text": "请公示费用明细"}),
        ("raise_objection", {"participant_id": pid, "reason": "一楼采光受影响"}),
        ("add_speaker", {"participant_id": pid, "stance": "against"}),
    ]:
        assert (await rec.send(command, payload))["ok"], command
    oid = (await rec.send("sync"))["view"]["objections"][0]["id"]
    assert (await rec.send("give_explanation", {"objection_id": oid, "text": "井道移到北侧"}))["ok"]
    after_creation = stored(server, mid)[2:]  # MeetingCreated (facilitator), ItemOpened (moderator)
    assert [r.type for r in after_creation] == ["ParticipantCheckedIn", "OpinionSubmitted", "ObjectionRaised",
                                                "HandRaised", "ExplanationGiven"]
    assert {r.data["actor"]["role"] for r in after_creation} == {"recorder"}
    view = (await mod.send("sync"))["view"]
    assert view["participants"][0]["by"] == "moderator"  # entered by staff, not from a phone
    assert view["queue"][0]["who"]["id"] == pid


async def test_the_notices_and_replies_the_recorder_enters_are_recorded_as_the_recorders(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    assert (await rec.send("record_notice", {"how": "message_group"}))["ok"]
    assert (await rec.send("reply", {"invitee": 1, "answer": "proxy", "holder": "周小红"}))["ok"]
    assert [(r.type, r.data["actor"]) for r in stored(server, mid)[1:]] == [
        ("InviteesNotified", {"role": "recorder"}), ("ReplyGiven", {"role": "recorder"})]
    notice = (await rec.send("sync"))["view"]["notice"]
    assert notice["not_told"] == 0 and notice["people"][1]["reply"]["holder"] == "周小红"


async def test_the_recorder_is_told_the_chairs_commands_are_the_moderators(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    rec_en = await screens(mid, "recorder", key=meeting["recorder_key"], lang="en")
    await mod.send("open_item", {"item": 0})
    await mod.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"})
    await mod.send("open_poll", {"question": "是否同意加装电梯？", "hide_results": True})
    view = (await mod.send("sync"))["view"]
    request_id, poll_id = view["queue"][0]["id"], view["polls"][0]["id"]
    payloads = {  # complete and valid: only the role stands in the way
        "remove_request": {"request_id": request_id}, "reorder_queue": {"order": [request_id]},
        "unheard_first": {}, "set_floor_policy": {"policy": "alternate"}, "open_item": {"item": 1}, "grant_floor": {}, "end_speech": {}, "pause_timer": {},
        "resume_timer": {}, "extend_timer": {"seconds": 60}, "moderate_opinion": {"opinion_id": "o1", "visible": True},
        "open_poll": {"question": "再表决一次？"}, "add_hand_count": {"poll_id": poll_id, "counts": [1, 0, 0]},
        "correct_hand_count": {"poll_id": poll_id, "counts": [2, 0, 0]}, "close_poll": {"poll_id": poll_id},
        "reveal_results": {"poll_id": poll_id}, "record_outcome": {"item": 0, "outcome": "consensus"}, "close_meeting": {},
        "add_item": {"title": "临时动议"},
        "set_hearing_time": {"testimony_seconds": 240}, "begin_hearing_stage": {"stage": "explain"}, "call_party": {},
    }
    assert sorted(payloads) == CHAIRS_ONLY
    before = await seq_of(mod)
    for command in CHAIRS_ONLY:
        ack = await rec.send(command, payloads[command])
        assert ack == {"ok": False, "code": "chair_only", "status": 400, "error": message("chair_only", "zh-CN")}, command
        ack = await rec_en.send(command, payloads[command])
        assert ack["code"] == "chair_only" and ack["error"] == message("chair_only", "en"), command
    assert message("chair_only", "zh-CN") == "这项操作只能由主持人进行：记录人负责会议记录，不主持会议。"
    assert await seq_of(mod) == before
    view = (await mod.send("sync"))["view"]
    assert view["polls"][0]["open"] and view["status"] == "open" and view["speaker"] is None
    # and what only a phone does stays the phone's; a ballot staff enter must name whose it is
    assert (await rec.send("withdraw_hand", {}))["code"] == "not_allowed"
    assert (await rec.send("cast_ballot", {"poll_id": poll_id, "choice": 0}))["code"] == "participant_required"


# -- the facilitator --------------------------------------------------------------------


async def test_the_facilitator_token_runs_any_meeting_and_the_record_names_the_facilitator(server, screens):
    first, second = await server.create_meeting(), await server.create_meeting(title="第二场")
    for meeting in (first, second):
        mid = meeting["id"]
        fac = await screens(mid, "facilitator", token=server.token)
        wall = await screens(mid, "projector")
        snap = await fac.send("sync")
        assert snap["role"] == "facilitator" and "participants" in snap["view"]
        opened = await fac.send("open_item", {"item": 1})
        assert opened["ok"], opened
        assert (await fac.send("open_poll", {"question": "同意吗？"}))["ok"]
        await wall.wait_for(lambda v: v["current_item"] == 1 and v["polls"])
        await fac.wait_for(lambda v: v["polls"] and "all_opinions" in v)  # the moderator view
        opened_item, opened_poll = stored(server, mid)[-2:]
        assert (opened_item.type, opened_item.data["actor"]) == ("ItemOpened", {"role": "facilitator"})
        assert (opened_poll.type, opened_poll.data["actor"]) == ("PollOpened", {"role": "facilitator"})
        assert (await fac.send("close_meeting"))["ok"]
        assert {r.data["actor"]["role"] for r in stored(server, mid)} == {"facilitator"}


@pytest.mark.parametrize("auth", [
    {"role": "facilitator", "token": "forged"},
    {"role": "facilitator", "token": ""},
    {"role": "facilitator"},
    {"role": "facilitator", "token": 0},
    {"role": "facilitator", "token": "令牌"},
    {"role": "facilitator", "key": "TOKEN"},  # the token under another name
    {"role": "moderator", "key": "TOKEN"},  # the token is not a meeting's key
    {"role": "facilitator", "token": "TOKEN", "spoiled": True},  # one character short
])
async def test_a_forged_facilitator_token_is_refused(server, auth):
    meeting = await server.create_meeting()
    real = server.token[:-1] if auth.pop("spoiled", False) else server.token
    auth = {k: real if v == "TOKEN" else v for k, v in auth.items()}
    error = await refused_connection(server, {"meeting": meeting["id"], **auth})
    assert error["code"] == "bad_credentials"


async def test_the_facilitator_token_needs_a_meeting_that_exists(server):
    error = await refused_connection(server, {"meeting": "nope", "role": "facilitator", "token": server.token})
    assert error["code"] == "no_such_meeting"


async def test_staff_roles_are_the_ones_that_join_the_moderators_room(server, screens):
    """Every staff console gets the moderator view's broadcasts; phones and projectors do not."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    consoles = [await screens(mid, "moderator", key=meeting["key"]),
                await screens(mid, "recorder", key=meeting["recorder_key"]),
                await screens(mid, "facilitator", token=server.token)]
    wall = await screens(mid, "projector")
    assert set(STAFF) == {"moderator", "recorder", "facilitator"}
    assert (await consoles[0].send("open_item", {"item": 0}))["ok"]
    for console in consoles:
        await console.wait_for(lambda v: v["current_item"] == 0)
        assert "participants" in console.view
    view = await wall.wait_for(lambda v: v["current_item"] == 0)
    assert "participants" not in view


async def test_the_recorders_key_opens_the_full_minutes_and_a_wrong_one_does_not(server):
    meeting = await server.create_meeting()
    async with server.http() as http:
        ok = await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["recorder_key"]})
        assert ok.status_code == 200 and "3号楼加装电梯协商会" in ok.text
        for key in ("guess", "密钥", meeting["recorder_key"][:-1]):
            r = await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": key, "lang": "en"})
            assert r.status_code == 403 and r.json()["code"] == "minutes_need_key", key
        r = await http.get("/api/meetings", params={"token": "令牌"})  # any text is only a wrong token
        assert r.status_code == 401 and r.json()["code"] == "unauthorised"


# -- the staff's keys at rest -------------------------------------------------------------


def database_bytes(server) -> bytes:
    """The SQLite database with its write-ahead log: everything a copy of the data folder holds."""
    return b"".join(f.read_bytes() for f in sorted(server.data.glob("yishi.db*")))


async def test_the_staffs_keys_are_stored_hashed_and_a_lost_link_is_issued_anew(server, screens):
    meeting = await server.create_meeting(roster=[{"name": "张桂英", "category": "registered"}])
    mid, key, recorder_key = meeting["id"], meeting["key"], meeting["recorder_key"]
    codes = await server.join_codes(mid, key)
    # A copy of the database does not hold the keys (nor the facilitator's list of meetings).
    db = database_bytes(server)
    assert key.encode() not in db and recorder_key.encode() not in db

    url = f"/api/meetings/{mid}/keys"
    async with server.http() as http:
        # Only the facilitator issues keys: not the moderator, not a phone, not a forged token.
        for headers in ({}, {"Authorization": f"Bearer {key}"}, {"Authorization": "Bearer forged"}):
            r = await http.post(url, json={"role": "moderator"}, headers=headers)
            assert r.status_code == 401 and r.json()["code"] == "unauthorised", r.text
        facilitator = {"Authorization": f"Bearer {server.token}", "Accept-Language": "en"}
        for body in ({"role": "chair"}, {"role": ["moderator"]}, {}):
            r = await http.post(url, json=body, headers=facilitator)
            assert r.status_code == 400 and r.json()["code"] == "unknown_role", (body, r.text)
        r = await http.post(url, json=[1], headers=facilitator)
        assert r.status_code == 400 and r.json()["code"] == "bad_payload", r.text
        r = await http.post("/api/meetings/nosuch/keys", json={"role": "moderator"}, headers=facilitator)
        assert r.status_code == 404
        # The refusals changed nothing: the old key still chairs.
        await (await screens(mid, "moderator", key=key)).close()

        r = await http.post(url, json={"role": "moderator"}, headers=facilitator)
        assert r.status_code == 200, r.text
        new = r.json()
        assert new["key"] != key and new["link"] == f"{server.url}/m/{mid}/moderate?key={new['key']}"
        assert r.headers["cache-control"] == "no-store"
    # The old link no longer opens the console; the new one does; the recorder's is untouched.
    error = await refused_connection(server, {"meeting": mid, "role": "moderator", "key": key})
    assert error["code"] == "bad_credentials"
    mod = await screens(mid, "moderator", key=new["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    await screens(mid, "recorder", key=recorder_key)
    # The personal codes on the slips do not depend on the moderator's key.
    assert await server.join_codes(mid, new["key"]) == codes
    assert new["key"].encode() not in database_bytes(server)
