"""The public board (公开栏): every meeting held, each item's outcome and opinion, each action item as it
stands, masked as the public minutes are; the filters by follow-up status and by year."""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from facilitation import agenda, board
from facilitation import events as ev
from facilitation.meeting import Meeting
from support.meetings import Room, phone

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-11-20 20:30 in Beijing: 12:30 UTC, the same day in both
HELD = datetime(2026, 11, 20, 20, 30, tzinfo=SHANGHAI).timestamp()
TODAY = date(2026, 12, 6)
PHOTO = {"sha256": "ab" * 32, "type": "image/jpeg", "size": 120_000, "name": "张桂英家门口.jpg"}
PDF = {"sha256": "cd" * 32, "type": "application/pdf", "size": 9_000, "name": "批复.pdf"}
ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "property"}]


def meeting(meeting_id: str = "m1", *, at: float = HELD, starts_at: str = "", title: str = "加装电梯协商会",
            open_item: bool = True, roster: list[dict[str, str]] | None = None) -> Room:
    room = Room(meeting_id, now=at)
    created = agenda.create_meeting(room.meeting, title=title, form="owners", place="幸福里社区居委会", starts_at=starts_at,
                                    agenda=[{"title": "是否加装电梯"}, {"title": "费用分摊"}], moderator="王秀兰",
                                    roster=ROSTER if roster is None else roster)
    room.apply([dataclasses.replace(e, actor=ev.By(ev.FACILITATOR)) for e in created])
    if open_item:
        room.mod("open_item", item=0)
    return room


def decided(meeting_id: str = "m1", *, due: str = "2026-12-31", close: bool = True, **kw: object) -> Room:
    """A meeting whose first item decided two actions (the second undated) and whose second had no outcome."""
    room = meeting(meeting_id, **kw)  # type: ignore[arg-type]
    room.mod("record_outcome", item=0, outcome="consensus", opinion="同意加装，由周海燕牵头。", actions=[
        {"what": "提交加装电梯申请", "owner": "周海燕", "due": due},
        {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}])
    if close:
        room.mod("close_meeting")
    return room


def test_an_entry_has_each_item_its_outcome_opinion_and_actions_as_they_stand():
    room = decided()
    room.later(86_400)
    room.mod("update_action", action="1.1", status="in_progress", percent=40, note="已向街道提交。", attachments=[PHOTO])
    room.later(86_400)
    room.mod("update_action", action="1.1", percent=60, attachments=[PDF])  # no note: the latest note stays
    e = board.entry(room.meeting, TODAY)
    assert e is not None
    assert (e["title"], e["form"], e["place"], e["status"]) == ("加装电梯协商会", "owners", "幸福里社区居委会", "closed")
    assert (e["date"], e["day"], e["year"]) == ("2026-11-20", "2026-11-20", 2026)  # no start typed: the day it opened
    assert e["links"] == {"public": "/meetings/m1/public", "verify": "/meetings/m1/verify"}
    first, second = e["items"]
    assert (first["number"], first["outcome"], first["opinion"]) == (1, "consensus", "同意加装，由周海燕牵头。")
    assert (second["title"], second["outcome"], second["opinion"], second["actions"]) == ("费用分摊", None, "", [])
    a, b = first["actions"]
    assert (a["id"], a["what"], a["owner"], a["due"], a["due_date"]) == ("1.1", "提交加装电梯申请", "周海燕", "2026-12-31",
                                                                         "2026-12-31")
    assert (a["status"], a["percent"], a["overdue"], a["updates"]) == ("in_progress", 60, False, 2)
    assert (a["note"], a["note_on"], a["updated_on"]) == ("已向街道提交。", "2026-11-21", "2026-11-22")
    assert [p["url"] for p in a["photos"]] == [f"/meetings/m1/files/{'ab' * 32}"]
    assert [d["name"] for d in a["documents"]] == ["批复.pdf"]
    assert (b["status"], b["percent"], b["due_date"], b["note"], b["note_on"], b["photos"]) == ("open", 0, None, "", None, [])
    assert e["actions"] == {"total": 2, "open": 2, "done": 0, "cancelled": 0, "overdue": 0}


def test_a_resident_named_anywhere_is_masked_and_officials_keep_their_names():
    room = meeting(title="张桂英家门口停车问题协商会")
    walk_in = room.check_in("李秀英")
    room.run(phone(walk_in), "submit_opinion", text="我是李秀英")
    room.mod("record_outcome", item=0, outcome="partial", opinion="张桂英、李秀英的意见已记录；周海燕负责落实。", actions=[
        {"what": "与张桂英协商车位", "owner": "周海燕", "due": "2026-12-31"}])
    room.mod("close_meeting")
    room.mod("update_action", action="1.1", note="已上门与张桂英、李秀英沟通。", attachments=[PHOTO])
    e = board.entry(room.meeting, TODAY)
    said = json.dumps(e, ensure_ascii=False)
    assert "张桂英" not in said and "李秀英" not in said
    assert e["title"] == "张**家门口停车问题协商会"
    item = e["items"][0]
    assert item["opinion"] == "张**、李**的意见已记录；周海燕负责落实。"  # the property company's manager keeps her name
    assert (item["actions"][0]["what"], item["actions"][0]["owner"]) == ("与张**协商车位", "周海燕")
    assert item["actions"][0]["note"] == "已上门与张**、李**沟通。"
    assert item["actions"][0]["photos"][0]["name"] == "张**家门口.jpg"
    # Nothing of the roster, the check-ins, the keys or codes: only what the board shows.
    assert set(e) == {"id", "title", "date", "day", "year", "form", "place", "status", "actions", "items", "links",
                      "publicity"}
    assert "registered" not in said and "roster" not in said


def test_an_action_is_overdue_from_the_day_after_it_was_due_until_done_or_cancelled():
    room = decided(due="2026-12-05")
    assert board.entry(room.meeting, date(2026, 12, 5))["items"][0]["actions"][0]["overdue"] is False
    e = board.entry(room.meeting, TODAY)
    assert e["items"][0]["actions"][0]["overdue"] is True and e["actions"]["overdue"] == 1
    room.mod("update_action", action="1.1", due="2027-01-15", note="街道要求补材料，延期。")
    assert board.entry(room.meeting, TODAY)["actions"]["overdue"] == 0  # the new due date counts
    room.mod("update_action", action="1.1", due="2026-12-01", note="提前")
    room.mod("update_action", action="1.1", status="done", note="已办结。")
    e = board.entry(room.meeting, TODAY)
    assert (e["items"][0]["actions"][0]["status"], e["items"][0]["actions"][0]["percent"]) == ("done", 100)
    assert e["actions"]["overdue"] == 0


def test_a_meeting_not_held_is_left_out():
    assert board.entry(Meeting(id="nothing"), TODAY) is None  # never created
    announced = meeting("m2", open_item=False)
    assert board.entry(announced.meeting, TODAY) is None  # created, nothing opened yet
    announced.mod("close_meeting")  # closed without opening an item: it was held, and it is on the board
    assert board.entry(announced.meeting, TODAY) is not None
    under_way = meeting("m3")
    got = board.entries([Meeting(id="nothing"), meeting("m4", open_item=False).meeting, under_way.meeting], TODAY)
    assert [e["id"] for e in got] == ["m3"] and got[0]["status"] == "open"


def filtered() -> list[dict[str, object]]:
    """Four meetings: one still open, one done (a cancelled action aside), one overdue, one without actions."""
    open_one = decided("open", at=HELD - 30 * 86_400)
    done = decided("done", at=HELD - 20 * 86_400)
    done.mod("update_action", action="1.1", status="done", note="已办结。")
    done.mod("update_action", action="1.2", status="cancelled", note="不再需要。")
    late = decided("late", due="2026-12-01", at=HELD - 10 * 86_400, starts_at="2025年11月10日 19:00")
    quiet = meeting("quiet")
    quiet.mod("record_outcome", item=0, outcome="deferred", opinion="下次再议。")
    return board.entries([open_one.meeting, done.meeting, late.meeting, quiet.meeting], TODAY)


@pytest.mark.parametrize("status, year, ids", [
    ("all", None, ["quiet", "done", "open", "late"]),
    ("open", None, ["open", "late"]),
    ("done", None, ["done"]),
    ("overdue", None, ["late"]),
    ("all", 2025, ["late"]),
    ("open", 2026, ["open"]),
    ("overdue", 2026, []),
])
def test_the_filters_by_follow_up_and_by_year(status, year, ids):
    assert [e["id"] for e in board.select(filtered(), status, year)] == ids


def test_newest_first_by_the_date_typed_else_the_day_it_opened():
    found = filtered()
    assert [(e["id"], e["date"], e["day"]) for e in found] == [
        ("quiet", "2026-11-20", "2026-11-20"), ("done", "2026-10-31", "2026-10-31"),
        ("open", "2026-10-21", "2026-10-21"), ("late", "2025年11月10日 19:00", "2025-11-10")]
    assert board.years(found) == [2026, 2025]


def test_the_day_it_opened_is_beijings():
    after_midnight = datetime(2026, 11, 21, 0, 30, tzinfo=SHANGHAI).timestamp()  # 16:30 UTC on the 20th
    assert board.entry(meeting(at=after_midnight).meeting, TODAY)["date"] == "2026-11-21"
    assert board.entry(meeting(at=after_midnight).meeting, TODAY, timezone="UTC")["date"] == "2026-11-20"


@pytest.mark.parametrize("text, status", [("open", "open"), ("done", "done"), ("overdue", "overdue"), ("all", "all"),
                                          ("", "all"), (None, "all"), ("OPEN", "all"), ("<script>", "all")])
def test_an_unknown_status_filter_shows_everything(text, status):
    assert board.status_filter(text) == status


@pytest.mark.parametrize("text, year", [("2026", 2026), (" 2025 ", 2025), ("", None), (None, None), ("26", None),
                                        ("２０２６", None), ("0999", None), ("99999", None), ("2026a", None)])
def test_a_year_filter_is_four_digits_or_nothing(text, year):
    assert board.year_filter(text) == year
