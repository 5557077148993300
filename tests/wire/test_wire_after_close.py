"""After close, only what docs/protocol.md says stays open: summaries, explanations, the
objectors' answers, requests for an explanation by those who voted against, and the action items'
progress. Every other command of the meeting, sent
complete and by someone allowed to send it, is refused with meeting_closed and records nothing.
(What only exists after the close — the publicity period's objections, corrections, sending an
item on — is taken by its own routes and tested with them.)"""
from __future__ import annotations

import pytest

from facilitation.commands import COMMANDS
from live.errors import message

STAYS_OPEN = {"summarise_speech", "give_explanation", "answer_objection", "request_explanation", "update_action"}
# Commands for after the close, each tested with its route: test_publicity_http.py (a resident's
# code), test_followup_http.py (the office's corrections, reports and replies), test_escalation_http.py (never on the socket).
AFTER_THE_CLOSE = {"object_in_publicity", "answer_in_publicity", "correct_decision", "escalate_item",
                   "decision_elsewhere", "report_matter", "record_reply"}


async def closed_meeting(server, screens):
    """A meeting with a bit of everything in it, closed: a speech, an opinion, an objection explained,
    a poll with hands counted, a request still waiting. Returns the screens and the ids."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    rec = await screens(mid, "recorder", key=meeting["recorder_key"])
    guest = await screens(mid, "phone", token=None)
    checked = await guest.send("check_in", {"code": (await server.join_codes(mid, meeting["key"]))[0]})
    phone = await screens(mid, "phone", token=checked["token"])
    pid = checked["participant_id"]
    for screen, command, payload in [
        (mod, "open_item", {"item": 0}),
        (mod, "add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}),
        (mod, "grant_floor", {}),
        (phone, "raise_hand", {"stance": "against"}),  # still waiting at the close
        (phone, "submit_opinion", {"text": "请公示费用明细"}),
        (phone, "raise_objection", {"reason": "一楼采光受影响"}),
        (mod, "open_poll", {"question": "是否同意加装电梯？"}),
        (phone, "cast_ballot", {"poll_id": "v1", "choice": 1}),  # no: may ask why after the close
        (mod, "add_hand_count", {"poll_id": "v1", "counts": [2, 0, 1]}),
        (mod, "record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意",
                                 "actions": [{"what": "公示费用明细", "owner": "物业", "due": "2027-01-31"}]}),
    ]:
        ack = await screen.send(command, payload)
        assert ack["ok"], (command, ack)
    view = (await mod.send("sync"))["view"]
    ids = {"speech": view["speeches"][0]["id"], "request": view["queue"][0]["id"], "poll": view["polls"][0]["id"],
           "opinion": view["all_opinions"][0]["id"], "objection": view["objections"][0]["id"], "participant": pid}
    assert (await mod.send("give_explanation", {"objection_id": ids["objection"], "text": "井道移到北侧"}))["ok"]
    assert (await mod.send("close_meeting"))["ok"]
    newcomer = await screens(mid, "phone", token=None)  # opens the join page only after the close
    return {"moderator": mod, "recorder": rec, "phone": phone, "guest": newcomer}, ids


def attempts(ids):
    """Each command, who sends it and a payload that would succeed in the open meeting."""
    p = ids["participant"]
    return {
        "check_in": [("guest", {"name": "迟到的人", "category": "registered"}),
                     ("moderator", {"name": "迟到的人", "category": "registered"})],
        "confirm_check_in": [("moderator", {"participant_id": p})],
        "refuse_check_in": [("recorder", {"participant_id": p, "reason": "会后才发现"})],
        "withdraw_check_in": [("moderator", {"participant_id": p, "reason": "会后才发现"})],
        "merge_participants": [("moderator", {"keep": p, "drop": p, "reason": "会后才发现"})],
        "record_proxy": [("recorder", {"principal": 1, "holder": p})],
        "withdraw_proxy": [("moderator", {"principal": 1, "reason": "会后才发现"})],
        "raise_hand": [("phone", {"stance": "for"}), ("moderator", {"stance": "for", "participant_id": p})],
        "withdraw_hand": [("phone", {})],
        "submit_opinion": [("phone", {"text": "会后补充"}), ("recorder", {"text": "会后补充", "participant_id": p})],
        "raise_objection": [("phone", {"reason": "会后异议"})],
        "cast_ballot": [("phone", {"poll_id": ids["poll"], "choice": 0})],
        "add_speaker": [("moderator", {"name": "钱大爷", "category": "registered", "stance": "for"}),
                        ("recorder", {"participant_id": p, "stance": "for"})],
        "remove_request": [("moderator", {"request_id": ids["request"]})],
        "reorder_queue": [("moderator", {"order": []})],
        "unheard_first": [("moderator", {})],
        "set_floor_policy": [("moderator", {"policy": "alternate"})],
        "open_item": [("moderator", {"item": 1})],
        "add_item": [("moderator", {"title": "临时动议"})],
        "grant_floor": [("moderator", {"request_id": ids["request"]})],
        "end_speech": [("moderator", {})],
        "pause_timer": [("moderator", {})],
        "resume_timer": [("moderator", {})],
        "extend_timer": [("moderator", {"seconds": 60})],
        "moderate_opinion": [("moderator", {"opinion_id": ids["opinion"], "visible": True}),
                             ("moderator", {"opinion_id": ids["opinion"], "visible": False})],
        "open_poll": [("moderator", {"question": "会后再表决？"})],
        "add_hand_count": [("moderator", {"poll_id": ids["poll"], "counts": [1, 0, 0]})],
        "correct_hand_count": [("moderator", {"poll_id": ids["poll"], "counts": [3, 0, 1], "reason": "数错了"})],
        "close_poll": [("moderator", {"poll_id": ids["poll"]})],
        "reveal_results": [("moderator", {"poll_id": ids["poll"]})],
        "record_outcome": [("moderator", {"item": 0, "outcome": "consensus", "opinion": "同意"})],
        "close_meeting": [("moderator", {})],
        # a hearing's parties and stages (this meeting is no hearing: the close is said first all the same)
        "register_party": [("phone", {"for_kind": "concerned", "side": "against", "summary": "会后才想登记"}),
                           ("moderator", {"name": "钱大爷", "for_kind": "concerned", "side": "for", "summary": "补充"})],
        "withdraw_party": [("moderator", {"party_id": "h1"})],
        "set_hearing_time": [("moderator", {"testimony_seconds": 240})],
        "begin_hearing_stage": [("moderator", {"stage": "explain"})],
        "call_party": [("moderator", {})],
        # before the meeting: who was told, and the replies (taken until it opens)
        "record_notice": [("moderator", {"how": "call"}), ("recorder", {"how": "posted", "invitees": [0]})],
        "reply": [("moderator", {"invitee": 0, "answer": "coming"})],
        # what stays open
        "summarise_speech": [("recorder", {"speech_id": ids["speech"], "summary": "会后补记的发言要点"})],
        "give_explanation": [("recorder", {"objection_id": ids["objection"], "text": "会后补充说明"})],
        "answer_objection": [("phone", {"objection_id": ids["objection"], "response": "answered"}),
                             ("moderator", {"objection_id": ids["objection"], "response": "still_objects",
                                            "participant_id": p})],
        "request_explanation": [("phone", {"item": 0, "reason": "为什么不考虑一楼的采光？"})],
        "update_action": [("recorder", {"action": "1.1", "percent": 20, "note": "已张贴"})],
        **{name: [] for name in AFTER_THE_CLOSE},
        "link_topic": [],  # over HTTP only (live/topics_http.py), refused once the meeting closed (tests/wire/test_topics_http.py)
    }


def test_the_list_here_covers_every_command():
    assert set(attempts({k: "x" for k in ("participant", "poll", "request", "opinion", "objection", "speech")})) \
        == set(COMMANDS)


async def test_after_close_only_summaries_explanations_and_answers_are_taken(server, screens):
    by, ids = await closed_meeting(server, screens)
    mod = by["moderator"]
    for command, tries in sorted(attempts(ids).items()):
        for who, payload in tries:
            before = (await mod.send("sync"))["seq"]
            ack = await by[who].send(command, payload)
            if command in STAYS_OPEN:
                assert ack["ok"] and ack["seq"] == before + 1, (command, who, ack)
            else:
                assert ack == {"ok": False, "code": "meeting_closed", "status": 400,
                               "error": message("meeting_closed", "zh-CN")}, (command, who)
                assert (await mod.send("sync"))["seq"] == before, (command, who)
    assert message("meeting_closed", "zh-CN") == "会议已结束。"


async def test_the_wall_stays_as_it_was_at_the_close(server, screens):
    by, ids = await closed_meeting(server, screens)
    for visible in (True, False):
        ack = await by["moderator"].send("moderate_opinion", {"opinion_id": ids["opinion"], "visible": visible})
        assert ack["code"] == "meeting_closed"
    view = (await by["moderator"].send("sync"))["view"]
    assert view["all_opinions"][0]["visible"] is None and view["opinions"] == []
    async with server.http() as http:
        public = (await http.get(f"/api/meetings/{view['id']}")).json()
    assert public["opinions"] == []


@pytest.mark.parametrize("who", ["moderator", "recorder"])
async def test_the_record_can_be_completed_after_the_close(server, screens, who):
    by, ids = await closed_meeting(server, screens)
    staff = by[who]
    assert (await staff.send("summarise_speech", {"speech_id": ids["speech"], "summary": "会后补记"}))["ok"]
    assert (await staff.send("give_explanation", {"objection_id": ids["objection"], "text": "再补充一点"}))["ok"]
    assert (await by["phone"].send("answer_objection", {"objection_id": ids["objection"], "response": "answered"}))["ok"]
    view = (await by["moderator"].send("sync"))["view"]
    assert view["status"] == "closed"
    assert view["speeches"][0]["summary"] == "会后补记"
    assert [x["text"] for x in view["objections"][0]["explanations"]] == ["井道移到北侧", "再补充一点"]
    assert view["objections"][0]["response"] == "answered"
    late = [r for r in server.yishi.store.events(view["id"]) if r.type in ("SpeechSummarised", "ExplanationGiven")]
    assert [r.data["actor"]["role"] for r in late] == ["moderator", who, who]
