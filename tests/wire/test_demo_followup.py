"""`yishi demo`'s data folder after the meeting: served by a real server, the public board shows the
finished consultation's decisions at every stage (one action done with its photo, one in progress,
one blocked, one overdue, the first item corrected by the office, reported back to the
sub-district office that entrusted it and replied to), its public minutes show an objection raised
in the publicity period by a resident who did not come, an explanation asked for by one who
spoke against and a multiple-choice poll whose count the moderator revealed, and the record names
who did each step."""
from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

from PIL import Image

from live.cli import _meetings_in
from live.demo import LIFT, PUBLICITY_OBJECTOR
from live.settings import Settings

from support.wire import start_server, stop_server

FINISHED = LIFT["title"] + "（已结束示例）"


async def test_the_demo_shows_decisions_at_every_stage_after_the_meeting(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _meetings_in(Settings(data=data, host="127.0.0.1", port=8000), demo=True)  # what `yishi demo` sets up
    running, srv, task = await start_server(data)
    try:
        async with running.http() as c:
            # the topics at every stage: the village's, and the lift's in the install's first community
            village = {t["title"]: t["status"] for t in (await c.get("/topics.json", params={"community": "xingfu-cun"})).json()["topics"]}
            assert sorted(village.values()) == ["accepted", "declined", "proposed", "scheduled", "scheduled", "scheduled"]
            lift = {t["title"]: t["status"] for t in (await c.get("/topics.json")).json()["topics"]}
            assert lift == {"幸福里小区3号楼加装电梯": "scheduled", "幸福里小区3号楼加装电梯（上次协商）": "decided"}
            board = (await c.get("/board.json")).json()
            (entry,) = [m for m in board["meetings"] if m["title"] == FINISHED]
            mid = entry["id"]
            assert entry["status"] == "closed"
            assert entry["actions"] == {"total": 4, "open": 3, "done": 1, "cancelled": 0, "overdue": 1}
            first, second = entry["items"][0], entry["items"][1]
            got = {a["id"]: a for item in entry["items"] for a in item["actions"]}
            assert (got["1.3"]["status"], got["1.3"]["percent"], got["1.3"]["updates"]) == ("done", 100, 3)
            assert (got["1.1"]["status"], got["1.1"]["percent"], got["1.1"]["overdue"]) == ("in_progress", 40, False)
            assert got["1.1"]["note"].startswith("已与设计单位签订委托合同")
            assert got["1.2"]["status"] == "blocked" and "正式方案" in got["1.2"]["note"] and not got["1.2"]["overdue"]
            assert (got["2.1"]["status"], got["2.1"]["overdue"], got["2.1"]["updates"]) == ("open", True, 0)
            assert date.fromisoformat(got["2.1"]["due_date"]) < date.fromisoformat(board["today"])
            # The first item as the sub-district office corrected it, with the outcome the meeting recorded.
            (correction,) = first["corrections"]
            assert correction["decided_by"] == "幸福街道办事处" and correction["was"] == "consensus"
            assert "业主共同决定" in correction["reason"] and first["opinion"].startswith("同意推进3号楼加装电梯的前期工作")
            assert second["outcome"] == "deferred" and not second["corrections"]

            # The photo is served to anyone, rewritten: where it was taken and the phone are gone.
            (photo,) = got["1.3"]["photos"]
            assert photo["name"] == "公开栏张贴照片.jpg"
            served = await c.get(photo["url"])
            assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
            with Image.open(io.BytesIO(served.content)) as img:
                assert img.size == (960, 720) and not dict(img.getexif())
            assert (data / "attachments" / mid / photo["sha256"]).is_file()

            page = (await c.get("/board", params={"lang": "zh-CN"})).text
            assert "经幸福街道办事处决定更正为" in page and "受阻" in page and "逾期" in page and "已完成" in page

            # The resident who did not come objected within the publicity period, was answered and replied.
            public = (await c.get(f"/meetings/{mid}/minutes.json", params={"public": "1"})).json()
            (late,) = [o for o in public["items"][0]["objections"] if o["during"] == "publicity"]
            assert late["objector"]["name"] == "郑**" and late["response"] == "answered"
            assert late["explanations"][0]["by"] == "王秀兰" and late["responses"][0]["comment"]
            closed_on = date.fromisoformat(public["meeting"]["ended_at"][:10])
            assert 0 <= (date.fromisoformat(late["raised_at"][:10]) - closed_on).days < 7
            # The printed minutes: the objection's reason labelled as such, the correction's as the correction's.
            md = (await c.get(f"/meetings/{mid}/minutes.md", params={"public": "1"})).text
            assert "  - 理由：我是3号楼一楼住户" in md and "  - 理由：一楼住户的采光和噪音补偿没有落实" in md
            assert "更正理由：加装电梯属于改建建筑物及其附属设施" in md and "更正理由：一楼" not in md
            assert "经幸福街道办事处决定更正为：协商一致。" in md

            # The third item's multiple-choice poll (at most two each), whose count the moderator revealed:
            # 8 ballots, one entered at the desk for 钱大爷; only the residents' category has three voters or
            # more, so the public minutes hide the other categories' cells.
            (works,) = [p for p in public["items"][2]["polls"] if p["kind"] == "multiple"]
            assert (works["question"], works["kind"], works["max_choices"], works["open"]) == \
                ("施工期间最需要保障的是哪几项？", "multiple", 2, False)
            assert works["options"] == ["老人出行通道", "消防通道畅通", "夜间停止施工", "临时停车位", "垃圾及时清运"]
            assert (works["counts"], works["hand_counts"], works["ballots"], works["staff_ballots"]) == \
                ([5, 4, 3, 1, 1], [0, 0, 0, 0, 0], 8, 1)
            cells = {row["category"]: row["counts"] for row in works["by_category"]}
            assert cells.pop("registered") == [3, 1, 3, 1, 1] and cells and all(c is None for c in cells.values())
            assert "多选（每人最多选 2 项）" in md and "| 老人出行通道 | 5 | 0 | 5 | 36% |" in md
            assert "其中 1 票由工作人员为没有手机的表决人代为登记。" in md

            # 刘志强, who spoke against, asked why; he was answered and still objects: the office still has it
            # (after 马玉珍, who still objects since the meeting).
            (asked,) = [o for o in public["items"][0]["objections"] if o["during"] == "request"]
            assert asked["basis"]["speeches"] and not asked["basis"]["polls"] and asked["response"] == "still_objects"
            assert "请求说明（发言表示反对）" in md and "  - 理由：我在会上发言反对" in md
            waiting = (await c.get("/api/objections", params={"token": running.token})).json()["objections"]
            assert [(o["who"], o["during"]) for o in waiting if o["meeting"]["id"] == mid] == [("马玉珍", "meeting"), ("刘志强", "request")]
            # The first item, entrusted by the sub-district office, was reported back and its reply is in.
            (report,) = first["reports"]
            assert (first["entrusted_by"], report["to"]) == ("幸福街道办事处", "幸福街道办事处")
            assert report["reply"]["text"].startswith("已收悉") and report["day"] < report["reply"]["day"]
            assert "本事项受幸福街道办事处委托协商。" in md and "幸福街道办事处答复：已收悉。" in md
            matters = (await c.get("/api/matters", params={"token": running.token})).json()["matters"]
            assert [(x["item"], x["state"]) for x in matters if x["meeting"]["id"] == mid] == [(0, "replied")]

            # The office's list has the three still open, the overdue one first.
            office = (await c.get("/api/actions", params={"token": running.token})).json()
            mine = [(r["id"], r["status"], r["overdue"]) for r in office["actions"] if r["meeting"]["id"] == mid]
            assert mine == [("2.1", "open", True), ("1.1", "in_progress", False), ("1.2", "blocked", False)]
    finally:
        await stop_server(srv, task)

    # Each step after the close is in the record as the one who would have taken it.
    rows = sqlite3.connect(data / "yishi.db").execute(
        "SELECT type, data FROM events WHERE meeting_id = ? AND seq > (SELECT seq FROM events WHERE meeting_id = ? "
        "AND type = 'MeetingClosed') ORDER BY seq", (mid, mid)).fetchall()
    actors = [(t, json.loads(d)["actor"]) for t, d in rows]
    invitee = {"role": "invitee", "id": str(PUBLICITY_OBJECTOR)}
    assert ("ObjectionRaised", invitee) in actors and ("ObjectionAnswered", invitee) in actors
    assert ("DecisionCorrected", {"role": "facilitator"}) in actors and ("ExplanationGiven", {"role": "recorder"}) in actors
    assert {a["role"] for t, a in actors if t == "ActionUpdated"} == {"recorder", "moderator"}
    liu = next(a for t, a in actors if t == "ObjectionRaised" and a["role"] == "participant")  # his own phone
    assert ("ObjectionAnswered", liu) in actors
    assert ("MatterReported", {"role": "facilitator"}) in actors and ("ReplyRecorded", {"role": "facilitator"}) in actors
    assert len(actors) == 14
    # The moderator revealed the multiple-choice poll's count after closing it, before the meeting
    # closed; no other poll of the meeting kept its count back.
    polls = [(t, json.loads(d).get("poll_id")) for t, d in sqlite3.connect(data / "yishi.db").execute(
        "SELECT type, data FROM events WHERE meeting_id = ? AND type IN ('PollOpened', 'PollClosed', "
        "'ResultsRevealed', 'MeetingClosed') ORDER BY seq", (mid,))]
    assert [t for t, poll in polls if poll in (works["id"], None)] == \
        ["PollOpened", "PollClosed", "ResultsRevealed", "MeetingClosed"]
    assert [t for t, _ in polls].count("ResultsRevealed") == 1 and polls[-1] == ("MeetingClosed", None)
