"""After the meeting: action items carried out update by update, each update attributed, the
history never rewritten, an overdue action flagged."""
from __future__ import annotations

from datetime import date

import pytest

from facilitation import followup
from facilitation.minutes import Identity, minutes
from facilitation.roles import FACILITATOR, RECORDER, Actor
from support.meetings import MOD, Room, new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
SHA = "ab" * 32
PHOTO = {"sha256": SHA, "type": "image/jpeg", "size": 120_000, "name": "井道施工.jpg"}


def decided(close: bool = True) -> Room:
    """A meeting whose first item decided two actions, the second item one; closed unless told."""
    room = new_meeting()
    room.mod("record_outcome", item=0, outcome="consensus", opinion="同意加装电梯。", actions=[
        {"what": "提交加装电梯申请", "owner": "物业公司", "due": "2026-12-31"},
        {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}])
    room.mod("open_item", item=1)
    room.mod("record_outcome", item=1, outcome="partial", opinion="", actions=[
        {"what": "补种绿植", "owner": "园林所", "due": "2027年3月1日"}])
    if close:
        room.mod("close_meeting")
    return room


def test_actions_are_named_as_the_minutes_number_them_and_start_open():
    got = [(a.id, a.what, a.status, a.percent) for a in followup.actions(decided().meeting)]
    assert got == [("1.1", "提交加装电梯申请", "open", 0), ("1.2", "公示施工方案", "open", 0), ("2.1", "补种绿植", "open", 0)]


def test_three_updates_with_a_photo_build_the_history_each_naming_who():
    room = decided()
    room.later(86_400)
    room.mod("update_action", action="1.1", status="in_progress", percent=30, note="已提交街道。", attachments=[PHOTO])
    room.later(86_400)
    room.run(Actor(RECORDER), "update_action", action="1.1", percent=60, note="规划部门已受理。")
    room.later(86_400)
    (e,) = room.mod("update_action", action="1.1", status="done", note="已获批。")
    assert e.percent == 100 and e.actor.role == "moderator"
    a = followup.find(room.meeting, "1.1")
    assert (a.status, a.percent) == ("done", 100)
    assert [(u["status"], u["percent"], u["by"]) for u in a.updates] == [
        ("in_progress", 30, "moderator"), ("in_progress", 60, "recorder"), ("done", 100, "moderator")]
    assert a.updates[0]["attachments"] == [PHOTO]
    assert room.replay().action_updates == room.meeting.action_updates  # the record alone rebuilds it


def test_an_action_past_its_due_date_is_overdue_until_done_or_cancelled():
    room = decided()
    a = followup.find(room.meeting, "1.1")
    assert not a.overdue(date(2026, 12, 31)) and a.overdue(date(2027, 1, 1))
    assert not followup.find(room.meeting, "1.2").overdue(date(2099, 1, 1))  # "下月底" names no day
    room.mod("update_action", action="1.1", due="2027-01-15", note="街道要求补材料，延期。")
    assert not followup.find(room.meeting, "1.1").overdue(date(2027, 1, 1))
    room.mod("update_action", action="1.1", status="cancelled", note="改由业主自行申请。")
    assert not followup.find(room.meeting, "1.1").overdue(date(2030, 1, 1))
    assert followup.find(room.meeting, "2.1").summary(date(2027, 3, 2))["overdue"] is True


@pytest.mark.parametrize("text, day", [("2026-12-31", date(2026, 12, 31)), ("2026/1/5", date(2026, 1, 5)),
                                       ("2027年3月1日前", date(2027, 3, 1)), ("2026.02.30", None), ("月底", None), ("", None)])
def test_due_dates_are_read_as_offices_write_them(text, day):
    assert followup.due_date(text) == day


def test_updates_are_refused_while_the_meeting_is_open_and_for_actions_that_do_not_exist():
    room = decided(close=False)
    assert room.refused(MOD, "update_action", action="1.1", note="x").code == "meeting_not_closed"
    room.mod("close_meeting")
    assert room.refused(MOD, "update_action", action="9.9", note="x").code == "no_such_action"


@pytest.mark.parametrize("payload, code", [
    ({"status": "finished"}, "unknown_action_status"),
    ({"percent": 101}, "bad_percent"),
    ({"percent": -1}, "bad_percent"),
    ({"status": "blocked"}, "empty_text"),  # blocked, or cancelled, says why
    ({"status": "cancelled", "note": " "}, "empty_text"),
    ({"due": "明年"}, "bad_due_date"),
    ({}, "empty_update"),
    ({"attachments": [{**PHOTO, "sha256": "../../etc/passwd"}]}, "bad_attachment"),
    ({"attachments": [{**PHOTO, "type": "text/html"}]}, "bad_attachment"),
    ({"attachments": [PHOTO] * 7}, "too_many_attachments"),
    ({"note": "x" * 2001}, "text_too_long"),
    ({"note": "进展\x1b[2J"}, "bad_characters"),
])
def test_bad_updates_are_refused_and_change_nothing(payload, code):
    room = decided()
    assert room.refused(MOD, "update_action", action="1.1", **payload).code == code


def test_a_phone_cannot_update_an_action():
    room = decided(close=False)
    pid = room.check_in("张三")
    room.mod("close_meeting")
    assert room.refused(phone(pid), "update_action", action="1.1", note="已完成").code == "not_allowed"


def test_a_decision_found_to_break_the_rules_is_corrected_and_the_record_keeps_both():
    room = decided()
    office = Actor(FACILITATOR)
    (e,) = room.run(office, "correct_decision", item=0, outcome="none", opinion="暂缓加装，待重新征询。",
                    reason="未按规定征求一楼住户书面意见。", decided_by="幸福街道党工委")
    assert e.actor.role == "facilitator"
    item = room.meeting.items[0]
    assert item.outcome["outcome"] == "consensus"  # what the meeting recorded stays
    assert followup.standing(item)["outcome"] == "none" and followup.standing(item)["opinion"] == "暂缓加装，待重新征询。"
    model = minutes(room.meeting, IDENTITY, public=True)["items"][0]["outcome"]
    assert model["outcome"] == "consensus" and model["corrections"][0]["outcome"] == "none"
    assert model["corrections"][0]["decided_by"] == "幸福街道党工委"


def test_only_the_office_corrects_a_decision_and_only_after_the_close():
    room = decided(close=False)
    assert room.refused(Actor(FACILITATOR), "correct_decision", item=0, outcome="none", reason="x",
                        decided_by="街道").code == "meeting_not_closed"
    room.mod("close_meeting")
    assert room.refused(MOD, "correct_decision", item=0, outcome="none", reason="x", decided_by="街道").code == "not_allowed"
    assert room.refused(Actor(FACILITATOR), "correct_decision", item=0, outcome="victory", reason="x",
                        decided_by="街道").code == "unknown_outcome"
    assert room.refused(Actor(FACILITATOR), "correct_decision", item=0, outcome="none", reason=" ",
                        decided_by="街道").code == "empty_text"
    assert room.refused(Actor(FACILITATOR), "correct_decision", item=5, outcome="none", reason="x",
                        decided_by="街道").code == "no_such_item"
