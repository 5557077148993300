"""The notice before the meeting on a real server: staff record who was told and how, invitees
reply from their phones with their own codes (never another's), staff enter a reply given by
telephone, replies change until the meeting opens, every event names who did it, and a restart
keeps it all; the printable notice, for staff and for the notice board."""
from __future__ import annotations

import json
import re
import sqlite3
from html import unescape

from support.wire import Screen, start_server, stop_all, stop_server

ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "property"},
          {"name": "李建国", "category": "registered"}]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def actors(data, meeting_id):
    rows = sqlite3.connect(data / "yishi.db").execute(
        "SELECT type, data FROM events WHERE meeting_id = ? AND type IN ('InviteesNotified', 'ReplyGiven') ORDER BY seq",
        (meeting_id,)).fetchall()
    return [(t, json.loads(d)["actor"]) for t, d in rows]


async def test_notices_and_replies_before_the_meeting_and_after_a_restart(tmp_path):
    data = tmp_path / "data"
    running, srv, task = await start_server(data)
    opened: list[Screen] = []
    try:
        meeting = await running.create_meeting(roster=ROSTER)
        mid, key = meeting["id"], meeting["key"]
        codes = await running.join_codes(mid, key)
        mod = await Screen(running.url, {"meeting": mid, "role": "moderator", "key": key}).connect()
        opened.append(mod)
        view = (await mod.send("sync"))["view"]
        assert view["notice"]["not_told"] == 3 and view["notice"]["open_for_replies"]
        # an owners' consultation without the owners' committee: said, not refused
        assert [w["code"] for w in view["notice"]["warnings"]] == ["category_missing"]

        assert (await mod.send("record_notice", {"how": "slip", "category": "registered"}))["ok"]
        assert (await mod.send("record_notice", {"how": "call", "invitees": [1], "note": "电话通知"}))["ok"]
        bad = await mod.send("record_notice", {"how": "carrier pigeon"})
        assert bad["code"] == "unknown_notice_way" and "留言" not in bad["error"] and bad["error"]
        view = await mod.wait_for(lambda v: v["notice"]["not_told"] == 0)
        assert [p["told"]["how"] for p in view["notice"]["people"]] == ["slip", "call", "slip"]

        async with running.http() as c:
            said = await c.post(f"/api/meetings/{mid}/reply", json={"code": codes[0], "answer": "coming"})
            assert said.status_code == 200, said.text
            assert said.json()["reply"]["answer"] == "coming" and said.json()["name"] == "张桂英"
            # a code replies for its own holder only: naming another invitee is refused
            forged = await c.post(f"/api/meetings/{mid}/reply", json={"code": codes[0], "answer": "not_coming", "invitee": 2})
            assert (forged.status_code, forged.json()["code"]) == (400, "bad_payload")
            wrong = await c.post(f"/api/meetings/{mid}/reply", json={"code": "000000001", "answer": "coming"})
            assert (wrong.status_code, wrong.json()["code"]) == (400, "bad_code")
            # the holder's name is checked like any text, and shown escaped
            changed = await c.post(f"/api/meetings/{mid}/reply",
                                   json={"code": codes[0], "answer": "proxy", "holder": "<b>王小明</b>"})
            assert changed.json()["reply"] == {**changed.json()["reply"], "answer": "proxy", "holder": "<b>王小明</b>",
                                               "changes": 1}
            empty = await c.post(f"/api/meetings/{mid}/reply", json={"code": codes[2], "answer": "proxy"})
            assert empty.json()["code"] == "empty_text"
            asked = await c.post(f"/api/meetings/{mid}/reply", json={"code": codes[0]})
            assert asked.json()["reply"]["answer"] == "proxy" and asked.json()["open"]

            # the office's list: names, who was told, replies
            listed = (await c.get(f"/api/meetings/{mid}/notices", params={"key": key})).json()
            assert [(p["name"], (p["reply"] or {}).get("answer")) for p in listed["people"]] == [
                ("张桂英", "proxy"), ("周海燕", None), ("李建国", None)]
            assert (await c.get(f"/api/meetings/{mid}/notices")).status_code == 403
            assert (await c.get(f"/api/meetings/{mid}/notices", params={"key": "nope"})).status_code == 403

        # staff enter the reply 周海燕 gave on the telephone
        assert (await mod.send("reply", {"invitee": 1, "answer": "not_coming"}))["ok"]
        view = await mod.wait_for(lambda v: v["notice"]["replies"]["not_coming"] == 1)
        assert view["notice"]["replies"] == {"coming": 0, "not_coming": 1, "proxy": 1, "none": 1}
        # a phone on the socket without a code cannot reply
        guest = await Screen(running.url, {"meeting": mid, "role": "phone"}).connect()
        opened.append(guest)
        assert (await guest.send("reply", {"answer": "coming", "invitee": 2}))["code"] == "code_required"

        assert (await mod.send("open_item", {"item": 0}))["ok"]
        async with running.http() as c:
            late = await c.post(f"/api/meetings/{mid}/reply", json={"code": codes[2], "answer": "coming"})
            assert (late.status_code, late.json()["code"]) == (400, "replies_closed")
        assert (await mod.send("reply", {"invitee": 2, "answer": "coming"}))["code"] == "replies_closed"
        # told during the meeting: still recorded
        assert (await mod.send("record_notice", {"how": "message_group", "invitees": [2]}))["ok"]
    finally:
        await stop_all(opened, (srv, task))

    assert actors(data, mid) == [
        ("InviteesNotified", {"role": "moderator"}), ("InviteesNotified", {"role": "moderator"}),
        ("ReplyGiven", {"role": "invitee", "id": "0"}), ("ReplyGiven", {"role": "invitee", "id": "0"}),
        ("ReplyGiven", {"role": "moderator"}), ("InviteesNotified", {"role": "moderator"})]

    running, srv, task = await start_server(data)  # the same folder again
    try:
        mod = await Screen(running.url, {"meeting": mid, "role": "moderator", "key": key}).connect()
        notice = (await mod.send("sync"))["view"]["notice"]
        assert notice["replies"] == {"coming": 0, "not_coming": 1, "proxy": 1, "none": 1}
        assert len(notice["notices"]) == 3 and not notice["open_for_replies"]
        async with running.http() as c:
            minutes = (await c.get(f"/meetings/{mid}/minutes.json", params={"key": key})).json()
        n = minutes["meeting"]["notice"]
        assert (n["invitees"], n["told"], n["ways"]) == (3, 3, {"slip": 2, "call": 1, "message_group": 1})
        assert n["replies"] == {"coming": 0, "not_coming": 1, "proxy": 1, "none": 1}
        assert n["lead"]["to"] == "starts_at"  # 2026-12-05 19:00, before this test's clock: counted as 0
    finally:
        await stop_all([mod], (srv, task))


async def test_wrong_codes_are_rate_limited_and_odd_bodies_refused(server):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    async with server.http() as c:
        wifi = {"X-Forwarded-For": "10.0.0.9"}
        flood = [await c.post(f"/api/meetings/{mid}/reply", json={"code": "1", "answer": "coming"}, headers=wifi)
                 for _ in range(12)]
        assert [r.status_code for r in flood][-2:] == [429, 429] and flood[-1].json()["code"] == "too_fast"
        for body in (b"[1, 2]", b"not json", b'{"code": 5}', b'{"code": "1", "answer": ["coming"]}', b"{" * 5000):
            r = await c.post(f"/api/meetings/{mid}/reply", content=body, headers={"Content-Type": "application/json"})
            assert r.status_code in (400, 413) and r.json()["code"] in ("bad_payload", "too_large"), body[:20]
        assert (await c.post("/api/meetings/nope/reply", json={"code": "1"})).status_code == 404


async def test_the_printed_notice_for_staff_and_for_the_notice_board(server):
    meeting = await server.create_meeting(
        title="3号楼加装电梯协商会", place="幸福里社区居委会会议室",
        agenda=[{"title": "是否加装电梯", "background": "6层24户，<script>alert(1)</script>"}, {"title": "费用分摊"}])
    mid, key = meeting["id"], meeting["key"]
    async with server.http() as c:
        assert (await c.get(f"/m/{mid}/notice")).status_code == 403
        staff = await c.get(f"/m/{mid}/notice", params={"key": key})
        assert staff.status_code == 200 and staff.headers["cache-control"] == "no-store"
        text = text_of(staff.text)
        for words in ("会议通知", "Meeting notice", "3号楼加装电梯协商会", "2026-12-05 19:00", "是否加装电梯", "费用分摊",
                      "业主协商", f"/m/{mid}/join", "幸福里社区居委会", "委托书"):
            assert words in text, words
        assert "<script>alert(1)</script>" not in staff.text and "&lt;script&gt;" in staff.text
        assert 'src="data:image/svg+xml;base64,' in staff.text
        assert not re.search(r'(src|href)="(https?:)?//', staff.text)  # nothing fetched from elsewhere
        public = await c.get(f"/meetings/{mid}/notice")
        assert public.status_code == 200 and "是否加装电梯" in public.text
        assert (await c.get("/meetings/nope/notice")).status_code == 404
        english = await c.get(f"/meetings/{mid}/notice", params={"lang": "en"})
        assert english.status_code == 200 and '<html lang="en">' in english.text


async def test_a_topic_on_the_agenda_affecting_groups_nobody_invited_belongs_to_is_warned_of(server):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
    at = {"community": "heping-cun"}
    auth = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", **at}, headers=auth,
                            content=(samples / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
        made = await http.post("/api/meetings", headers=auth, json={
            "title": "第一、二组户代表会", "form": "group", "agenda": [{"title": "村道硬化"}],
            "convene": {"who": "households", "groups": ["第一村民小组", "第二村民小组"], "community": "heping-cun"}})
        assert made.status_code == 201, made.text
        mid = made.json()["id"]
        topic = (await http.post("/api/topics", params=at, headers=auth, json={
            "title": "村道硬化", "kind": "planning", "source": "committee", "proposer": "村委会",
            "groups": ["第二村民小组", "第三村民小组"]})).json()["topic"]
        assert (await http.post(f"/api/topics/{topic}/accept", params=at, headers=auth)).status_code == 200
        scheduled = await http.post(f"/api/topics/{topic}/schedule", params=at, headers=auth, json={"meeting": mid, "item": 0})
        assert scheduled.status_code == 200, scheduled.text
        notices = (await http.get(f"/api/meetings/{mid}/notices", headers=auth)).json()
        # the whole village, one per household: each invitee keeps their group from the register
        whole = (await http.post("/api/meetings", headers=auth, json={
            "title": "户代表会议", "form": "council", "agenda": [{"title": "修桥"}],
            "convene": {"who": "households", "community": "heping-cun"}})).json()["id"]
        bridge = (await http.post("/api/topics", params=at, headers=auth, json={
            "title": "修桥", "kind": "planning", "source": "committee", "proposer": "村委会",
            "groups": ["第三村民小组", "第十一村民小组"]})).json()["topic"]
        assert (await http.post(f"/api/topics/{bridge}/accept", params=at, headers=auth)).status_code == 200
        assert (await http.post(f"/api/topics/{bridge}/schedule", params=at, headers=auth,
                                json={"meeting": whole, "item": 0})).status_code == 200
        village = (await http.get(f"/api/meetings/{whole}/notices", headers=auth)).json()
    assert [w for w in notices["warnings"] if w["code"] == "groups_not_invited"] == [
        {"code": "groups_not_invited", "item": 0, "title": "村道硬化", "groups": ["第三村民小组"]}]
    assert [w for w in village["warnings"] if w["code"] == "groups_not_invited"] == [
        {"code": "groups_not_invited", "item": 0, "title": "修桥", "groups": ["第十一村民小组"]}]
