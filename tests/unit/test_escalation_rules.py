"""An item sent on to a representatives' meeting: its decision is written back once; a later,
different decision (a correction there) is written back again."""
from __future__ import annotations

from facilitation.roles import FACILITATOR, Actor
from support.meetings import new_meeting

OFFICE = Actor(FACILITATOR)


def sent_on():
    room = new_meeting()
    room.mod("record_outcome", item=0, outcome="none", opinion="分歧较大。")
    room.mod("close_meeting")
    room.run(OFFICE, "escalate_item", item=0, to_form="representatives", to_meeting="m2", reason="提交居民代表会议。")
    return room


def test_the_same_decision_is_written_back_once_a_changed_one_again():
    room = sent_on()
    told = {"item": 0, "meeting": "m2", "outcome": "consensus", "opinion": "同意。"}
    assert room.run(OFFICE, "decision_elsewhere", **told)
    assert room.refused(OFFICE, "decision_elsewhere", **told).code == "already_written_back"
    (corrected,) = room.run(OFFICE, "decision_elsewhere", **{**told, "outcome": "partial"})
    assert corrected.outcome == "partial"
    assert room.meeting.items[0].escalations[0]["decided"]["outcome"] == "partial"


def test_only_where_the_item_was_sent():
    room = sent_on()
    refused = room.refused(OFFICE, "decision_elsewhere", item=0, meeting="m9", outcome="consensus", opinion="")
    assert refused.code == "no_such_item"
