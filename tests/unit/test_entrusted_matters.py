"""A matter the township or a department entrusted to the consultation is reported back to it after
the meeting, and its reply recorded: each an attributed event; the minutes, the board and the
office's list show where it stands."""
from __future__ import annotations

from datetime import date

import pytest

from facilitation import board
from facilitation.errors import MeetingError
from facilitation.followup import matters
from facilitation.minutes import Identity, minutes
from facilitation.roles import FACILITATOR, Actor
from live.minutes.markdown import render_markdown
from support.meetings import MOD, Room, new_meeting

OFFICE = Actor(FACILITATOR)
TOWNSHIP = "幸福街道办事处"
IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
DAY = 86_400


AGENDA = [{"title": "老旧小区改造方案征求意见", "entrusted_by": f"  {TOWNSHIP} "}, {"title": "停车管理", "entrusted_by": ""}]


def closed(outcome: bool = True) -> Room:
    """Item 1 entrusted by the township (its outcome recorded unless `outcome` is False), item 2 not."""
    room = new_meeting(agenda_items=AGENDA)
    if outcome:
        room.mod("record_outcome", item=0, outcome="consensus", opinion="同意改造方案，增设无障碍坡道。")
    room.mod("close_meeting")
    return room


def test_reported_to_the_township_then_its_reply_recorded_and_the_office_sees_each_stage():
    room = closed()
    (waiting,) = matters(room.meeting)  # only the entrusted item
    assert (waiting["item"], waiting["entrusted_by"], waiting["state"]) == (0, TOWNSHIP, "to_report")

    room.later(2 * DAY)
    (e,) = room.run(OFFICE, "report_matter", item=0, text="居民同意改造方案，建议增设无障碍坡道。")
    assert (e.to, e.actor.role) == (TOWNSHIP, "facilitator")  # to the body that entrusted it
    (waiting,) = matters(room.meeting)
    assert waiting["state"] == "awaiting_reply" and waiting["since"] == room.now

    room.later(10 * DAY)
    (e,) = room.run(OFFICE, "record_reply", item=0, text="同意，纳入2027年改造计划。")
    assert e.by_body == TOWNSHIP
    (done,) = matters(room.meeting)
    assert done["state"] == "replied" and done["reports"][0]["reply"]["text"] == "同意，纳入2027年改造计划。"
    assert room.refused(OFFICE, "record_reply", item=0, text="再次答复").code == "already_replied"
    assert room.run(OFFICE, "report_matter", item=0, to="区住建局", text="抄报区住建局。")  # a second report, elsewhere
    assert matters(room.meeting)[0]["state"] == "awaiting_reply"
    assert room.replay().items[0].reports == room.meeting.items[0].reports  # the record rebuilds it


def test_the_minutes_and_the_board_show_the_report_and_the_reply():
    room = closed()
    room.run(OFFICE, "report_matter", item=0, text="居民同意改造方案。")
    room.run(OFFICE, "record_reply", item=0, text="同意，纳入改造计划。")
    model = minutes(room.meeting, IDENTITY)
    item = model["items"][0]
    assert item["entrusted_by"] == TOWNSHIP and item["reports"][0]["reply"]["by_body"] == TOWNSHIP
    assert model["items"][1]["entrusted_by"] is None and model["items"][1]["reports"] == []
    md = render_markdown(model, "zh-CN")
    assert f"本事项受{TOWNSHIP}委托协商。" in md
    assert f"报送{TOWNSHIP}：居民同意改造方案。" in md and f"{TOWNSHIP}答复：同意，纳入改造计划。" in md
    assert "Awaiting the reply." not in render_markdown(model, "en") and "Reply from" in render_markdown(model, "en")
    entry = board.entry(room.meeting, date(2027, 1, 1))
    assert entry is not None
    (report,) = entry["items"][0]["reports"]
    assert report["to"] == TOWNSHIP and report["reply"]["text"] == "同意，纳入改造计划。"


def test_nothing_is_reported_before_the_close_without_an_outcome_nor_by_the_meetings_staff():
    open_room = new_meeting(agenda_items=AGENDA)
    assert open_room.refused(OFFICE, "report_matter", item=0, text="报告").code == "meeting_not_closed"
    room = closed(outcome=False)
    assert room.refused(OFFICE, "report_matter", item=0, text="报告").code == "no_outcome_to_report"
    assert room.refused(OFFICE, "record_reply", item=0, text="答复").code == "not_reported"
    assert room.refused(OFFICE, "report_matter", item=5, text="报告").code == "no_such_item"
    assert room.refused(MOD, "report_matter", item=0, text="报告").code == "not_allowed"
    room = closed()
    room.run(OFFICE, "report_matter", item=0, text="报告")
    assert room.refused(MOD, "record_reply", item=0, text="答复").code == "not_allowed"  # nor the meeting's staff
    assert room.refused(OFFICE, "report_matter", item=1, text="报告").code == "no_outcome_to_report"


def test_an_agenda_item_may_name_who_entrusted_it_checked_as_any_text():
    with pytest.raises(MeetingError) as refused:
        new_meeting(agenda_items=[{"title": "a", "entrusted_by": "街道\x00办"}])
    assert (refused.value.code, refused.value.params) == ("bad_characters", {"field": "entrusted_by"})
    assert matters(new_meeting(agenda_items=AGENDA).meeting) == []  # listed once the meeting has closed
