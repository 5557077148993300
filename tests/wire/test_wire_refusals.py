"""Every refusal over the wire: a clear error in the user's language, and nothing recorded."""
from __future__ import annotations

import asyncio

import pytest
import socketio

from facilitation.commands import COMMANDS
from facilitation.roles import ATTENDEE, GUEST
from live.escalation import HTTP_ONLY

from support.wire import CONNECT_BUDGET_S

CALL_S = 30  # an acknowledgement, generously

# Every command a phone may not send: those of the chair (moderator, facilitator) and of all staff.
NOT_FOR_PHONES = sorted(name for name, c in COMMANDS.items() if not {ATTENDEE, GUEST} & set(c.roles)
                        and name not in HTTP_ONLY)  # those are no socket events at all


async def setup(server, screens):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    guest = await screens(mid, "phone", token=None)
    ack = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    phone = await screens(mid, "phone", token=ack["token"])
    await mod.send("open_item", {"item": 0})
    return mid, mod, phone, ack["participant_id"]


async def seq_of(screen):
    return (await screen.send("sync"))["seq"]


def test_the_commands_phones_may_not_send_are_the_chairs_and_the_staffs():
    assert {"open_poll", "close_meeting", "grant_floor", "summarise_speech", "give_explanation"} <= set(NOT_FOR_PHONES)
    assert not {"raise_hand", "cast_ballot", "check_in"} & set(NOT_FOR_PHONES)


@pytest.mark.parametrize("command", NOT_FOR_PHONES)
async def test_a_phone_cannot_do_what_only_staff_may(server, screens, command):
    mid, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await phone.send(command, {})
    assert ack["ok"] is False and ack["code"] in ("not_allowed", "bad_payload")
    if ack["code"] == "bad_payload":  # commands with required fields: send them complete
        pytest.fail(f"{command} was refused for its payload before its role was checked: {ack}")
    assert ack["error"] == "您没有权限进行此操作。"
    assert await seq_of(mod) == before


async def test_the_projector_cannot_act(server, screens):
    mid, mod, _, _ = await setup(server, screens)
    wall = await screens(mid, "projector")
    before = await seq_of(mod)
    for command in ("check_in", "raise_hand", "open_poll", "cast_ballot", "close_meeting"):
        ack = await wall.send(command, {})
        assert ack["ok"] is False and ack["code"] in ("not_allowed", "bad_payload"), (command, ack)
    assert await seq_of(mod) == before


async def test_a_phone_acts_only_as_its_own_participant(server, screens):
    mid, mod, phone, pid = await setup(server, screens)
    other = await mod.send("check_in", {"name": "李四", "category": "registered"})
    assert other["ok"]
    snap = await mod.send("sync")
    other_id = next(p["id"] for p in snap["view"]["participants"] if p["name"] == "李四")
    before = snap["seq"]
    for command, payload in [
        ("raise_hand", {"stance": "for", "participant_id": other_id}),
        ("submit_opinion", {"text": "冒名", "participant_id": other_id}),
        ("raise_objection", {"reason": "冒名", "participant_id": other_id}),
    ]:
        ack = await phone.send(command, payload)
        assert ack["code"] == "not_your_participant", (command, ack)
    assert await seq_of(mod) == before


async def test_a_guest_must_check_in_before_acting(server, screens):
    mid, mod, _, _ = await setup(server, screens)
    guest = await screens(mid, "phone", token=None)
    ack = await guest.send("raise_hand", {"stance": "for"})
    assert ack["code"] == "not_checked_in" and ack["error"] == "请先签到。"


async def test_the_moderator_acting_for_someone_must_say_for_whom(server, screens):
    _, mod, _, _ = await setup(server, screens)
    ack = await mod.send("submit_opinion", {"text": "代填"})
    assert ack["code"] == "participant_required"


@pytest.mark.parametrize("payload, code", [
    ({"stance": 1}, "bad_payload"),
    ({"stance": "for", "extra": True}, "bad_payload"),
    ("not an object", "bad_payload"),
    ({"stance": "maybe"}, "unknown_stance"),
])
async def test_malformed_payloads_are_refused(server, screens, payload, code):
    _, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await phone.send("raise_hand", payload)
    assert ack["ok"] is False and ack["code"] == code and ack["error"]
    assert await seq_of(mod) == before


async def test_oversized_text_is_refused_with_the_limit(server, screens):
    _, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await phone.send("submit_opinion", {"text": "长" * 2001})
    assert ack["code"] == "text_too_long" and ack["error"] == "内容过长：意见最多 2000 个字。"
    assert await seq_of(mod) == before


async def test_a_double_vote_is_refused_and_counted_once(server, screens):
    mid, mod, phone, _ = await setup(server, screens)
    await mod.send("open_poll", {"question": "同意吗？"})
    poll_id = (await mod.send("sync"))["view"]["polls"][0]["id"]
    assert (await phone.send("cast_ballot", {"poll_id": poll_id, "choice": 0}))["ok"]
    again = await phone.send("cast_ballot", {"poll_id": poll_id, "choice": 1})
    assert again["code"] == "already_voted" and again["error"] == "您已经投过票了。"
    assert (await mod.send("sync"))["view"]["polls"][0]["counts"] == [1, 0, 0]


async def refused_connection(server, auth):
    """The data of the connect_error the server answers with."""
    client = socketio.AsyncClient(reconnection=False)
    errors = []
    client.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
    assert errors[0]["message"] == errors[0]["data"]["error"]
    return errors[0]["data"]


async def test_an_unknown_meeting_refuses_the_connection(server):
    error = await refused_connection(server, {"meeting": "nope", "role": "projector"})
    assert error == {"ok": False, "code": "no_such_meeting", "status": 404, "error": "没有这个会议。"}


async def test_a_wrong_moderator_key_refuses_the_connection(server):
    meeting = await server.create_meeting()
    error = await refused_connection(server, {"meeting": meeting["id"], "role": "moderator", "key": "guess", "lang": "en"})
    assert error["code"] == "bad_credentials" and error["error"] == "This link or key is not valid for this meeting."


async def test_a_token_from_another_meeting_is_refused(server, screens):
    first = await server.create_meeting()
    second = await server.create_meeting()
    guest = await screens(first["id"], "phone", token=None)
    ack = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    error = await refused_connection(server, {"meeting": second["id"], "role": "phone", "token": ack["token"]})
    assert error["code"] == "bad_credentials"


@pytest.mark.parametrize("payload", [{}, {"item": 0}, "text", 12, None, [1, 2], True, {"deep": [[[[{}]]]]},
                                     "x" * 60_000])
async def test_an_unknown_event_is_refused_by_name_whatever_its_payload(server, screens, payload):
    _, mod, _, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await mod.sio.call("drop_table", payload, timeout=CALL_S)
    assert ack == {"ok": False, "code": "unknown_command", "status": 400, "error": "未知的操作：drop_table。"}
    assert await seq_of(mod) == before


async def test_every_screen_is_told_in_its_language_that_an_event_is_unknown(server, screens):
    mid, mod, phone, _ = await setup(server, screens)
    recorder_key = await server.yishi.meetings.reissue_key(mid, "recorder")
    others = [await screens(mid, "projector", lang="en"), await screens(mid, "phone", token=None, lang="en"),
              await screens(mid, "recorder", key=recorder_key, lang="en"),
              await screens(mid, "facilitator", token=server.token, lang="en")]
    before = await seq_of(mod)
    assert (await phone.send("vote_twice", {}))["error"] == "未知的操作：vote_twice。"
    for screen in others:
        ack = await screen.send("vote_twice", {})
        assert (ack["code"], ack["error"]) == ("unknown_command", "Unknown action: vote_twice."), screen.auth["role"]
    assert await seq_of(mod) == before


async def test_a_long_unknown_name_is_shortened_in_the_refusal(server, screens):
    _, mod, _, _ = await setup(server, screens)
    ack = await mod.send("n" * 10_000, {})
    assert ack["code"] == "unknown_command" and ack["error"] == f"未知的操作：{'n' * 40}…。"


async def test_a_flood_of_unknown_events_is_answered_and_the_meeting_goes_on(server, screens):
    _, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    acks = await asyncio.gather(*(phone.send(f"spam_{i}", {"i": i}) for i in range(300)))
    assert {a["code"] for a in acks} == {"unknown_command"}
    assert await seq_of(mod) == before
    assert (await phone.send("raise_hand", {"stance": "for"}))["ok"]


async def test_an_event_named_connect_does_not_connect_again(server, screens):
    """socket.io hands a client's event named "connect" to the connect handler: it is refused, and
    the connection keeps the meeting and role its real connect gave it."""
    mid, mod, phone, pid = await setup(server, screens)
    other = await server.create_meeting(title="另一场")
    for auth in ({"meeting": other["id"], "role": "projector"},
                 {"meeting": mid, "role": "moderator", "key": other["key"]},
                 {"meeting": other["id"], "role": "moderator", "key": other["key"]}):
        ack = await phone.sio.call("connect", ({"HTTP_ACCEPT_LANGUAGE": "en"}, auth), timeout=CALL_S)
        assert ack["code"] == "unknown_command" and ack["error"] == "未知的操作：connect。"
    snap = await phone.send("sync")
    assert snap["role"] == "attendee" and snap["view"]["id"] == mid and snap["me"]["participant"]["id"] == pid
    assert (await phone.send("open_item", {"item": 1}))["code"] == "not_allowed"


async def test_a_command_sent_with_more_than_one_argument_is_refused(server, screens):
    _, mod, _, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await mod.sio.call("open_item", ({"item": 1}, {"item": 0}), timeout=CALL_S)
    assert ack["code"] == "bad_payload"
    ack = await mod.sio.call("sync", ({}, "extra"), timeout=CALL_S)
    assert ack["code"] == "bad_payload"
    assert await seq_of(mod) == before


async def test_a_frame_over_the_limit_closes_that_connection_only(server, screens):
    mid, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    gone = asyncio.Event()
    phone.sio.on("disconnect", lambda *reason: gone.set())
    # Over engine.io's 1 MiB frame (it counts characters) however the client writes its JSON: as
    # UTF-8 or with every character escaped (python-socketio's default, unless a server in this
    # process has set its packets' JSON to live/wirejson.py, which writes UTF-8).
    await phone.sio.emit("submit_opinion", {"text": "长" * 1_100_000})
    await asyncio.wait_for(gone.wait(), CALL_S)
    assert await seq_of(mod) == before
    assert (await mod.send("open_item", {"item": 1}))["ok"]  # everyone else carries on
    again = await screens(mid, "phone", token=phone.auth["token"])
    assert (await again.send("sync"))["view"]["current_item"] == 1


async def test_http_refusals(server):
    async with server.http() as c:
        r = await c.post("/api/meetings", json={"title": "x", "agenda": [{"title": "a"}]})
        assert r.status_code == 401 and r.json()["code"] == "unauthorised"
        auth = {"Authorization": f"Bearer {server.token}"}
        r = await c.post("/api/meetings", content=b"{not json", headers=auth)
        assert r.status_code == 400 and r.json()["code"] == "bad_payload"
        r = await c.post("/api/meetings", json={"title": "x", "agenda": [{"title": "a"}], "form": "party"},
                         headers={**auth, "Accept-Language": "en"})
        assert r.json() == {"ok": False, "code": "unknown_form", "status": 400, "error": "Unknown meeting form: party."}
        r = await c.get("/api/meetings/nope")
        assert r.status_code == 404 and r.json()["error"] == "没有这个会议。"
        r = await c.get("/api/meetings", headers=auth)
        assert r.json()["meetings"] == []


async def test_a_malformed_payload_is_explained_in_the_phones_language_only(server, screens):
    _, mod, phone, _ = await setup(server, screens)
    cases = [({}, "请求格式有误：缺少 stance。"), ({"stance": 3}, "请求格式有误：stance 的类型不对。"),
             ({"stance": "for", "extra": 1}, "请求格式有误：extra 不属于此请求。"), ("x", "请求格式有误：应为一个对象。")]
    for payload, said in cases:
        ack = await phone.send("raise_hand", payload)
        assert (ack["code"], ack["error"]) == ("bad_payload", said), payload
        assert "Input should" not in ack["error"] and "Field required" not in ack["error"]


async def test_a_message_over_the_limit_is_answered_too_large_and_the_phone_stays_connected(server, screens):
    from live.sockets import MAX_MESSAGE

    _, mod, phone, _ = await setup(server, screens)
    before = await seq_of(mod)
    ack = await phone.send("submit_opinion", {"text": "长" * (MAX_MESSAGE // 2)})  # ~96 KiB of UTF-8
    assert (ack["code"], ack["status"], ack["error"]) == ("too_large", 413, "消息过大：最多 64 KB。")
    assert await seq_of(mod) == before
    assert (await phone.send("submit_opinion", {"text": "还在线"}))["ok"]  # the same connection goes on
