"""The public board (公开栏) on a real server: anyone, with no key, sees every meeting held with each
action item's status and latest note as staff report them; the filters and the languages work; the
JSON twin says the same; no resident's name, key, code or roster is shown; text typed as markup
stays text."""
from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image

from support.wire import Running

RESIDENT = "张桂英"  # a registered resident on the roster: masked everywhere on the board
OFFICIAL = "周海燕"  # the property company's: keeps her name


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 200)).save(out, "PNG")
    return out.getvalue()


async def decided(server: Running, screens: Any, *, due: str = "2026-12-31", title: str = "3号楼加装电梯协商会",
                  opinion: str = f"同意加装，{RESIDENT}的意见已记录，由{OFFICIAL}牵头。") -> dict[str, Any]:
    """A closed meeting whose first item decided two actions (the first due on `due`)."""
    meeting = await server.create_meeting(title=title)
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": opinion, "actions": [
                               {"what": "提交加装电梯申请", "owner": OFFICIAL, "due": due},
                               {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}]}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


async def update(server: Running, meeting: dict[str, Any], action: str = "1.1", **body: Any) -> dict[str, Any]:
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/{action}", params={"key": meeting["key"]}, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def shown_ids(html: str) -> list[str]:
    return re.findall(r'<article class="meeting" id="meeting-\w+" data-meeting="(\w+)"', html)


async def test_anyone_sees_each_action_with_its_status_progress_and_latest_note(server, screens):
    meeting = await decided(server, screens)
    mid = meeting["id"]
    async with server.http() as c:
        uploaded = await c.post(f"/api/meetings/{mid}/attachments", params={"key": meeting["key"], "name": "现场.png"},
                                content=photo())
        assert uploaded.status_code == 201, uploaded.text
    sha = uploaded.json()["sha256"]
    await update(server, meeting, status="in_progress", percent=40, note=f"已上门与{RESIDENT}沟通，申请已提交街道。",
                 attachments=[{"sha256": sha, "name": f"{RESIDENT}家门口.png"}])
    codes = await server.join_codes(mid, meeting["key"])
    async with server.http() as c:
        page = await c.get("/board", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        html = page.text
        assert shown_ids(html) == [mid]
        assert "<h1>公开栏</h1>" in html and "3号楼加装电梯协商会" in html and "业主协商" in html
        assert "协商一致" in html and f"同意加装，张**的意见已记录，由{OFFICIAL}牵头。" in html
        action = html.split('data-action="1.1"', 1)[1].split("</li>", 1)[0]
        assert '<span class="badge status">进行中</span>' in action and "进度 40%" in action
        assert "已上门与张**沟通，申请已提交街道。" in action and "最新进展" in action
        assert f'href="/meetings/{mid}/files/{sha}"' in action and 'alt="照片1: 张**家门口.png"' in action
        assert "逾期" not in action
        assert '<span class="badge status">待办</span>' in html.split('data-action="1.2"', 1)[1]
        assert f'href="/meetings/{mid}/public"' in html and f'href="/meetings/{mid}/verify"' in html
        # Nothing a resident or the staff keeps private: names, keys, personal codes, the roster.
        for secret in [RESIDENT, meeting["key"], meeting["recorder_key"], server.token, *codes]:
            assert secret not in html, secret
        assert "<script" not in html  # the page runs no script
        # The photo the board links to is there for anyone.
        assert (await c.get(f"/meetings/{mid}/files/{sha}")).status_code == 200

        data = (await c.get("/board.json")).json()
        assert data["ok"] and data["filters"] == {"status": "all", "year": None} and data["years"] == [2026]
        (entry,) = data["meetings"]
        got = entry["items"][0]["actions"][0]
        assert (got["status"], got["percent"], got["note"]) == ("in_progress", 40, "已上门与张**沟通，申请已提交街道。")
        assert got["photos"] == [{"sha256": sha, "name": "张**家门口.png", "type": "image/png",
                                  "url": f"/meetings/{mid}/files/{sha}"}]
        raw = (await c.get("/board.json")).text
        for secret in [RESIDENT, meeting["key"], meeting["recorder_key"], server.token, *codes]:
            assert secret not in raw, secret


async def test_the_filters_by_follow_up_and_year_and_the_json_twin_matches_the_page(server, screens):
    late = await decided(server, screens, due="2020-01-31", title="停车位协商会")
    done = await decided(server, screens, title="绿化改造协商会")
    await update(server, done, status="done", note="已办结。")
    await update(server, done, action="1.2", status="cancelled", note="方案已在会上公示，不再另行公示。")
    announced = await server.create_meeting(title="尚未召开的会议")  # created, never opened: not on the board
    async with server.http() as c:
        for query, ids in [({}, [done["id"], late["id"]]), ({"status": "open"}, [late["id"]]),
                           ({"status": "overdue"}, [late["id"]]), ({"status": "done"}, [done["id"]]),
                           ({"year": "2026"}, [done["id"], late["id"]]), ({"year": "2025"}, []),
                           ({"status": "done", "year": "2026"}, [done["id"]]), ({"status": "nonsense"}, [done["id"], late["id"]])]:
            page = await c.get("/board", params=query)
            twin = (await c.get("/board.json", params=query)).json()
            assert page.status_code == 200 and shown_ids(page.text) == ids, query
            assert [m["id"] for m in twin["meetings"]] == ids, query
            assert twin["filters"]["status"] == (query.get("status") if query.get("status") in ("open", "done", "overdue")
                                                 else "all")
            assert announced["id"] not in page.text and "尚未召开的会议" not in page.text
        overdue = (await c.get("/board", params={"status": "overdue"})).text
        assert '<a href="/board?status=overdue" data-status="overdue" aria-current="page">已逾期</a>' in overdue
        assert '<span class="badge overdue">逾期</span>' in overdue
        assert "显示：已逾期" in overdue  # said in the heading, so a printed copy says what it shows
        nothing = (await c.get("/board", params={"year": "2025"})).text
        assert "没有符合所选条件的协商会议。" in nothing
        twin = (await c.get("/board.json", params={"status": "overdue"})).json()
        assert twin["meetings"][0]["actions"] == {"total": 2, "open": 2, "done": 0, "cancelled": 0, "overdue": 1}
        assert twin["meetings"][0]["items"][0]["actions"][0]["overdue"] is True


async def test_the_board_reads_in_english(server, screens):
    meeting = await decided(server, screens)
    await update(server, meeting, status="blocked", note="等待规划部门批复。")
    async with server.http() as c:
        for asked in [{"params": {"lang": "en"}}, {"headers": {"Accept-Language": "en-GB,en;q=0.9"}}]:
            html = (await c.get("/board", **asked)).text
            assert '<html lang="en">' in html and "<h1>Public board</h1>" in html
            assert "owners&#39; consultation" in html and "consensus" in html and "Consultation opinion" in html
            assert '<span class="badge status">blocked</span>' in html and "0% done" in html
            assert "Latest progress" in html and "等待规划部门批复。" in html  # the note as it was typed
        chinese = (await c.get("/board", params={"lang": "zh-CN"}, headers={"Accept-Language": "en"})).text
        assert '<html lang="zh-CN">' in chinese and "受阻" in chinese
        # The language switch keeps the filters chosen.
        html = (await c.get("/board", params={"lang": "en", "status": "open"})).text
        assert 'href="/board?status=open&amp;lang=zh-CN"' in html


async def test_text_typed_as_markup_is_shown_as_text(server, screens):
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    meeting = await decided(server, screens, title=f"标题{attack}", opinion=f"意见{attack}")
    await update(server, meeting, note=f"进展{attack}")
    async with server.http() as c:
        html = (await c.get("/board")).text
        assert "<script>alert" not in html and "<img src=x" not in html and "onerror=alert(2)>" not in html
        escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&amp;"
        assert html.count(escaped) == 3  # the title, the opinion and the note
        twin = (await c.get("/board.json")).json()
        assert twin["meetings"][0]["title"] == f"标题{attack}"  # the JSON carries the text as typed


async def test_the_public_minutes_link_to_the_board(server, screens):
    meeting = await decided(server, screens)
    async with server.http() as c:
        html = (await c.get(f"/meetings/{meeting['id']}/public")).text
        assert '<a href="/board">公开栏</a>' in html
        html = (await c.get(f"/meetings/{meeting['id']}/public", params={"lang": "en"})).text
        assert '<a href="/board?lang=en">Public board</a>' in html
