"""The notice before the meeting, the replies, and the warnings about who is invited (pure rules)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from facilitation import notice
from facilitation.participant_warnings import warnings
from facilitation.roles import FACILITATOR, RECORDER, Actor
from support.meetings import MOD, code_phone, new_meeting, phone

ROSTER = [{"name": "Dora", "category": "registered"}, {"name": "Ed", "category": "registered"},
          {"name": "Fang", "category": "committee"}]


def room_before(**create):
    return new_meeting(open_item=None, roster=create.pop("roster", ROSTER), **create)


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


def test_staff_record_who_was_told_and_how_naming_themselves():
    room = room_before()
    room.mod("record_notice", how="slip")
    room.run(Actor(RECORDER), "record_notice", how="call", invitees=[1])
    room.run(Actor(FACILITATOR), "record_notice", how="posted", category="committee", note="居委会公告栏")
    m = room.replay()
    assert [(n["how"], n["scope"], n["invitees"], n["by"]) for n in m.notices] == [
        ("slip", "all", [0, 1, 2], "moderator"), ("call", "one", [1], "recorder"),
        ("posted", "category:committee", [2], "facilitator")]
    assert notice.told(m)[1] == [{"how": "slip", "at": m.notices[0]["at"], "by": "moderator"},
                                 {"how": "call", "at": m.notices[1]["at"], "by": "recorder"}]


@pytest.mark.parametrize("payload, code", [
    ({"how": "pigeon"}, "unknown_notice_way"),
    ({"how": "call", "invitees": [3]}, "no_such_invitee"),
    ({"how": "call", "invitees": [-1]}, "no_such_invitee"),
    ({"how": "call", "invitees": []}, "no_such_invitee"),
    ({"how": "call", "category": "property"}, "nobody_in_category"),
    ({"how": "call", "category": "registered", "invitees": [0]}, "notice_whom"),
    ({"how": "call", "note": "x" * 201}, "text_too_long"),
])
def test_bad_notices_are_refused_and_change_nothing(payload, code):
    room = room_before()
    assert room.refused(MOD, "record_notice", **payload).code == code
    assert room.replay().notices == []


def test_a_meeting_with_no_invited_has_nobody_to_tell():
    room = room_before(roster=[])
    assert room.refused(MOD, "record_notice", how="slip").code == "no_invitees"


def test_notices_are_recorded_during_the_meeting_too_but_not_after_the_close():
    room = room_before()
    room.mod("open_item", item=0)
    room.mod("record_notice", how="call", invitees=[0])
    room.mod("close_meeting")
    assert room.refused(MOD, "record_notice", how="call").code == "meeting_closed"


def test_a_phone_replies_only_for_the_invitee_whose_code_it_gave():
    room = room_before()
    events = room.run(code_phone(1), "reply", answer="coming")
    assert events[0].actor.role == "invitee" and events[0].actor.id == "1"
    assert room.refused(code_phone(1), "reply", answer="coming", invitee=0).code == "not_your_invitee"
    from support.meetings import GUEST_PHONE
    assert room.refused(GUEST_PHONE, "reply", answer="coming").code == "code_required"
    assert room.refused(MOD, "reply", answer="coming").code == "invitee_required"
    assert room.replay().replies[1]["answer"] == "coming" and 0 not in room.replay().replies


def test_replies_change_until_the_meeting_opens():
    room = room_before()
    room.run(code_phone(0), "reply", answer="coming")
    room.run(code_phone(0), "reply", answer="proxy", holder="王小明")
    room.mod("reply", invitee=1, answer="not_coming")  # told on the telephone
    m = room.replay()
    assert m.replies[0] == {"answer": "proxy", "holder": "王小明", "at": m.replies[0]["at"], "by": "invitee",
                            "changes": 1}
    assert m.replies[1]["by"] == "moderator"
    assert notice.reply_counts(m) == {"coming": 0, "not_coming": 1, "proxy": 1, "none": 1}
    room.mod("open_item", item=0)
    assert room.refused(code_phone(0), "reply", answer="coming").code == "replies_closed"
    assert room.refused(MOD, "reply", invitee=2, answer="coming").code == "replies_closed"


@pytest.mark.parametrize("payload, code", [
    ({"answer": "maybe"}, "unknown_reply"),
    ({"answer": "proxy"}, "empty_text"),
    ({"answer": "proxy", "holder": "x" * 41}, "text_too_long"),
    ({"answer": "proxy", "holder": "a\u202eb"}, "bad_characters"),
])
def test_bad_replies_are_refused(payload, code):
    room = room_before()
    assert room.refused(code_phone(0), "reply", **payload).code == code
    assert room.replay().replies == {}


def test_a_checked_in_phone_does_not_reply():
    room = room_before()
    pid = room.check_in("Walker")
    assert room.refused(phone(pid), "reply", answer="coming").code == "not_allowed"


def test_lead_time_counts_from_the_first_notice_to_the_scheduled_start():
    room = room_before(starts_at="2026-12-10 19:00")
    room.now = at("2026-12-07 09:30")
    room.mod("record_notice", how="posted")
    room.now = at("2026-12-08 10:00")
    room.mod("record_notice", how="call", invitees=[0])
    assert notice.lead(room.replay()) == {"to": "starts_at", "days": 3, "hours": 9, "seconds": 3 * 86400 + 9 * 3600 + 1800}


def test_lead_time_counts_to_the_opening_when_the_start_does_not_read_as_a_time():
    room = room_before(starts_at="下周三晚上")
    room.mod("record_notice", how="slip")
    assert notice.lead(room.replay()) is None  # not opened yet: nothing to count to
    room.later(26 * 3600)
    room.mod("open_item", item=0)
    assert notice.lead(room.replay()) == {"to": "opening", "days": 1, "hours": 2, "seconds": 26 * 3600}


def test_no_notice_no_lead_time():
    assert notice.lead(room_before(starts_at="2026-12-10 19:00").replay()) is None


def test_summary_counts_ways_told_and_replies():
    room = room_before(starts_at="2026-12-10 19:00")
    room.mod("record_notice", how="slip", invitees=[0, 1])
    room.mod("record_notice", how="call", invitees=[1])
    room.run(code_phone(0), "reply", answer="coming")
    s = notice.summary(room.replay())
    assert (s["invitees"], s["told"], s["notices"], s["ways"]) == (3, 2, 2, {"slip": 2, "call": 1})
    assert s["replies"] == {"coming": 1, "not_coming": 0, "proxy": 0, "none": 2}


# -- warnings about who is invited ------------------------------------------------------


def codes(room):
    return [w["code"] for w in warnings(room.replay())]


def test_an_owners_consultation_without_the_owners_committee_or_the_property_company():
    room = room_before(form="owners", roster=[{"name": "A", "category": "registered"},
                                              {"name": "B", "category": "property"}])
    assert warnings(room.replay()) == [{"code": "category_missing", "form": "owners", "category": "owners_committee"}]
    room = room_before(form="owners", roster=[{"name": "A", "category": "registered"},
                                              {"name": "B", "category": "property"},
                                              {"name": "C", "category": "owners_committee"}])
    assert codes(room) == []


def test_a_hearing_without_the_parties_concerned():
    assert codes(room_before(form="hearing")) == ["category_missing"]


def test_officials_outnumbering_residents():
    roster = [{"name": n, "category": c} for n, c in (("A", "street_office"), ("B", "party"), ("C", "committee"),
                                                      ("D", "registered"), ("E", "non_registered"))]
    room = room_before(form="dialogue", roster=roster)
    assert warnings(room.replay()) == [{"code": "officials_outnumber", "officials": 3, "residents": 2}]
    assert codes(room_before(form="dialogue")) == []  # two residents, one official


def test_a_topic_affecting_groups_nobody_invited_belongs_to():
    roster = [{"name": "A", "category": "registered", "group": "一组"},
              {"name": "B", "category": "registered", "group": "二组"}, {"name": "C", "category": "committee"}]
    room = room_before(roster=roster)
    room.run(Actor(FACILITATOR), "link_topic", item=1, topic={"id": "t1", "title": "修路", "groups": ["二组", "三组"]})
    assert warnings(room.replay()) == [{"code": "groups_not_invited", "item": 1, "title": "Greening the courtyard",
                                        "groups": ["三组"]}]


def test_a_typed_list_without_groups_says_nothing_of_groups_and_no_list_no_warnings():
    room = room_before()
    room.run(Actor(FACILITATOR), "link_topic", item=0, topic={"id": "t1", "title": "修路", "groups": ["三组"]})
    assert codes(room) == []
    assert codes(room_before(roster=[], form="owners")) == []
