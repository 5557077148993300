"""While its decisions are posted (公示期), an invited resident — there or not — objects with their
personal code; the objection enters the explanation log, is explained, and the resident answers."""
from __future__ import annotations

from facilitation import events as ev
from facilitation.minutes import Identity, minutes
from facilitation.roles import GUEST, Actor
from facilitation.views import me_view, moderator_view
from support.meetings import new_meeting

DAY = 86_400
ROSTER = [{"name": "王秀英", "category": "registered"}, {"name": "李国强", "category": "registered"}]
IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)


def code(invitee: int) -> Actor:
    """A resident on the public page, whose personal code live/ found to be this invitee's."""
    return Actor(GUEST, None, invitee)


def closed(**create):
    room = new_meeting(roster=ROSTER, **create)
    room.mod("record_outcome", item=0, outcome="consensus", opinion="同意加装电梯。")
    room.mod("close_meeting")
    return room


def test_an_invitee_who_was_not_there_objects_on_the_third_day_and_is_named_as_such():
    room = closed()
    room.later(2 * DAY)
    (e,) = room.run(code(0), "object_in_publicity", item=0, reason="一楼采光受影响，没人问过我们。")
    assert (e.participant_id, e.invitee, e.during) == ("", 0, "publicity")
    assert e.actor == ev.By(ev.INVITEE, "0")
    (shown,) = moderator_view(room.meeting)["objections"]
    assert shown["who"]["name"] == "王秀英" and shown["during"] == "publicity"
    (public,) = minutes(room.meeting, IDENTITY, public=True)["items"][0]["objections"]
    assert public["during"] == "publicity" and public["objector"]["name"] != "王秀英"  # masked as every resident is


def test_the_period_is_the_meetings_days_from_the_close_and_then_it_is_over():
    room = closed()
    room.later(7 * DAY)  # the eighth day: a week has passed
    assert room.refused(code(0), "object_in_publicity", item=0, reason="太晚了吗").code == "publicity_over"
    longer = closed(notice_days=15)
    longer.later(10 * DAY)
    assert longer.run(code(0), "object_in_publicity", item=0, reason="还在公示期内")


def test_nothing_can_be_objected_this_way_before_the_close_nor_without_a_code():
    room = new_meeting(roster=ROSTER)
    assert room.refused(code(0), "object_in_publicity", item=0, reason="x").code == "meeting_not_closed"
    room.mod("close_meeting")
    assert room.refused(Actor(GUEST), "object_in_publicity", item=0, reason="x").code == "code_required"
    assert room.refused(code(0), "object_in_publicity", item=9, reason="x").code == "no_such_item"
    assert room.refused(code(5), "object_in_publicity", item=0, reason="x").code == "bad_code"


def test_someone_who_came_objects_as_themselves_and_their_phone_shows_it():
    room = new_meeting(roster=ROSTER)
    room.run(code(1), "check_in")
    pid = room.meeting.invitees_in[1]
    room.mod("close_meeting")
    (e,) = room.run(code(1), "object_in_publicity", item=0, reason="补充异议")
    assert e.participant_id == pid and e.invitee == 1
    assert [o["reason"] for o in me_view(room.meeting, pid)["objections"]] == ["补充异议"]


def test_the_objector_answers_the_explanation_with_their_code_and_no_one_else_can():
    room = closed()
    room.run(code(0), "object_in_publicity", item=0, reason="一楼采光受影响。")
    assert room.refused(code(0), "answer_in_publicity", objection_id="x1", response="answered").code == "not_explained_yet"
    room.mod("give_explanation", objection_id="x1", text="井道移到北侧，采光不受影响。")
    assert room.refused(code(1), "answer_in_publicity", objection_id="x1", response="answered").code == "not_your_objection"
    room.run(code(0), "answer_in_publicity", objection_id="x1", response="still_objects", comment="仍有顾虑。")
    assert room.meeting.objections["x1"].response == "still_objects"
    assert room.replay().objections == room.meeting.objections


def test_one_resident_has_at_most_five_objections_waiting_for_an_explanation():
    room = closed()
    for n in range(5):
        room.run(code(0), "object_in_publicity", item=0, reason=f"异议{n}")
    assert room.refused(code(0), "object_in_publicity", item=0, reason="第六条").code == "too_many_objections"
    assert room.run(code(1), "object_in_publicity", item=0, reason="另一位居民")
