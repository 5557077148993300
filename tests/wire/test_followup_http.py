"""After the meeting, on a real server: staff update action items with photos over HTTP and over the
socket, the photos lose their camera's metadata and are shown to others only once an update names
them, the office lists what is still open across meetings, and an attacker on the hall's Wi-Fi
gets nowhere with forged files, keys or names."""
from __future__ import annotations

import io
import json
import sqlite3
from typing import Any

from urllib.parse import quote

from PIL import Image

from support.wire import Running, Screen, start_server, stop_server


def jpeg_with_location(size: tuple[int, int] = (1200, 900)) -> bytes:
    """A phone's photo: EXIF with the camera's make and where it was taken."""
    img = Image.new("RGB", size, (90, 140, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


async def decided(server: Running, screens: Any, due: str = "2026-12-31") -> dict[str, Any]:
    """A closed meeting whose first item decided two actions."""
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装电梯。", "actions": [
                               {"what": "提交加装电梯申请", "owner": "物业公司", "due": due},
                               {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}]}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


async def upload(server: Running, meeting: dict[str, Any], data: bytes, name: str = "现场.jpg", **auth: str) -> Any:
    async with server.http() as c:
        return await c.post(f"/api/meetings/{meeting['id']}/attachments", params={"name": name, **auth}, content=data)


async def test_three_updates_with_a_photo_and_the_record_names_who_did_each(server, screens):
    meeting = await decided(server, screens)
    mid, key = meeting["id"], meeting["key"]
    r = await upload(server, meeting, jpeg_with_location(), key=key)
    assert r.status_code == 201, r.text
    photo = r.json()
    assert photo["type"] == "image/jpeg" and photo["name"] == "现场.jpg"
    async with server.http() as c:
        # Until an update names it, the photo is the staff's draft: nobody else can fetch it.
        assert (await c.get(f"/meetings/{mid}/files/{photo['sha256']}")).status_code == 404
        assert (await c.get(f"/meetings/{mid}/files/{photo['sha256']}", params={"key": key})).status_code == 200

        first = await c.post(f"/api/meetings/{mid}/actions/1.1", params={"key": key}, json={
            "status": "in_progress", "percent": 30, "note": "已向街道提交申请。",
            "attachments": [{"sha256": photo["sha256"], "name": "提交回执.jpg"}]})
        assert first.status_code == 200, first.text
        assert first.json()["action"]["status"] == "in_progress" and first.json()["action"]["percent"] == 30
    recorder = await screens(mid, "recorder", key=meeting["recorder_key"])
    assert (await recorder.send("update_action", {"action": "1.1", "percent": 60, "note": "规划部门已受理。"}))["ok"]
    async with server.http() as c:
        done = await c.post(f"/api/meetings/{mid}/actions/1.1", headers={"Authorization": f"Bearer {server.token}"},
                            json={"status": "done", "note": "已获批，开工。"})
        assert done.status_code == 200 and done.json()["action"]["percent"] == 100
        history = done.json()["action"]["updates"]
        assert [(u["status"], u["percent"], u["by"]) for u in history] == [
            ("in_progress", 30, "moderator"), ("in_progress", 60, "recorder"), ("done", 100, "facilitator")]
        assert history[0]["attachments"][0]["name"] == "提交回执.jpg"

        shown = await c.get(f"/meetings/{mid}/files/{photo['sha256']}")  # named by an update: anyone may see it
        assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
        assert shown.headers["x-content-type-options"] == "nosniff" and shown.headers["content-disposition"].startswith("inline")
        img = Image.open(io.BytesIO(shown.content))
        assert not img.getexif() and "exif" not in img.info  # where it was taken is not published
        assert max(img.size) <= 2560

    # The record says who did each, in the database itself.
    rows = sqlite3.connect(server.data / "yishi.db").execute(
        "SELECT data FROM events WHERE meeting_id = ? AND type = 'ActionUpdated' ORDER BY seq", (mid,)).fetchall()
    assert [json.loads(d)["actor"]["role"] for (d,) in rows] == ["moderator", "recorder", "facilitator"]


async def test_forged_files_are_refused_and_change_nothing(server, screens):
    meeting = await decided(server, screens)
    key = meeting["key"]
    png = io.BytesIO()
    Image.new("RGB", (20, 20)).save(png, "PNG")
    bomb = png.getvalue()[:16] + (100_000).to_bytes(4, "big") * 2 + png.getvalue()[24:]  # claims 10^10 pixels
    for data, status in [(b"<html><script>alert(1)</script></html>", 415), (b"\xff\xd8\xff\xe0not a photo", 400),
                         (bomb, 400), (b"%PDF-1.4 cut short", 400), (b"", 400), (b"\xff\xd8\xff" + b"0" * (11 << 20), 413)]:
        r = await upload(server, meeting, data, name="x.jpg", key=key)
        assert (r.status_code, r.json()["code"]) == (status, "bad_file"), (data[:20], r.text)
        assert "JPEG" in r.json()["error"] or "照片" in r.json()["error"]
    assert not (server.data / "attachments" / meeting["id"]).exists() or not any(
        p for p in (server.data / "attachments" / meeting["id"]).iterdir() if not p.name.startswith("."))

    # Without the meeting's key, with another meeting's key, or a photo of another meeting: refused.
    other = await decided(server, screens)
    theirs = (await upload(server, other, jpeg_with_location((50, 50)), key=other["key"])).json()
    assert (await upload(server, meeting, jpeg_with_location((50, 50)))).status_code == 403
    assert (await upload(server, meeting, jpeg_with_location((50, 50)), key=other["key"])).status_code == 403
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": key},
                         json={"note": "x", "attachments": [{"sha256": theirs["sha256"], "name": "a.jpg"}]})
        assert (r.status_code, r.json()["code"]) == (400, "bad_attachment")
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": "guess"}, json={"note": "x"})
        assert (r.status_code, r.json()["code"]) == (403, "bad_credentials")
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": key, "lang": "en"},
                         json={"status": "blocked"})
        assert r.json()["code"] == "empty_text"
        assert (await c.get(f"/meetings/{meeting['id']}/files/{'0' * 64}")).status_code == 404
        assert (await c.get(f"/meetings/{meeting['id']}/files/..%2F..%2Fyishi.db")).status_code == 404
        view = (await c.get(f"/api/actions", headers={"Authorization": f"Bearer {server.token}"})).json()
        assert all(not a["updates"] for a in view["actions"])  # nothing above was recorded


async def test_a_long_file_name_is_kept_by_its_end_on_upload_and_in_the_update(server, screens):
    meeting = await decided(server, screens)
    long = "二〇二六年十二月加装电梯工程施工许可证及附件扫描件" * 3 + ".jpg"
    photo = (await upload(server, meeting, jpeg_with_location((60, 40)), name=long, key=meeting["key"])).json()
    assert len(photo["name"]) == 40 and photo["name"].endswith("扫描件.jpg")
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": meeting["key"]},
                         json={"note": "许可证已办。", "attachments": [{"sha256": photo["sha256"], "name": long}]})
        assert r.status_code == 200, r.text
        assert r.json()["action"]["updates"][0]["attachments"][0]["name"] == photo["name"]


async def test_a_phone_cannot_update_an_action(server, screens):
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    code = (await server.join_codes(meeting["id"], meeting["key"]))[0]
    phone = await screens(meeting["id"], "phone", token=None)
    assert (await phone.send("check_in", {"code": code}))["ok"]
    for event, payload in [("open_item", {"item": 0}), ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "",
                           "actions": [{"what": "修路", "owner": "", "due": ""}]}), ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    refused = await phone.send("update_action", {"action": "1.1", "status": "done", "note": "我修好了"})
    assert refused["code"] == "not_allowed"


async def test_the_office_sees_every_open_action_by_due_date_with_the_overdue_flagged(server, screens):
    late = await decided(server, screens, due="2020-01-31")
    soon = await decided(server, screens, due="2099-06-30")
    async with server.http() as c:
        assert (await c.get("/api/actions")).status_code == 401
        office = (await c.get("/api/actions", headers={"Authorization": f"Bearer {server.token}"})).json()
        got = [(a["meeting"]["id"], a["id"], a["overdue"]) for a in office["actions"]]
        assert got == [(late["id"], "1.1", True), (soon["id"], "1.1", False),
                       (late["id"], "1.2", False), (soon["id"], "1.2", False)]  # undated last
        assert office["overdue"] == 1 and office["actions"][0]["item_title"]
        r = await c.post(f"/api/meetings/{late['id']}/actions/1.1", params={"key": late["key"]},
                         json={"status": "cancelled", "note": "改由业主自行申请。"})
        assert r.status_code == 200
        office = (await c.get("/api/actions", params={"token": server.token})).json()
        assert office["overdue"] == 0 and len(office["actions"]) == 3
        everything = (await c.get("/api/actions", params={"token": server.token, "all": "1"})).json()
        assert everything["actions"][-1]["status"] == "cancelled" and len(everything["actions"]) == 4


async def test_updates_and_photos_survive_a_restart(tmp_path, screens):
    running, srv, task = await start_server(tmp_path / "data")
    try:
        meeting = await server_meeting(running)
        photo = (await upload(running, meeting, jpeg_with_location((80, 60)), key=meeting["key"])).json()
        async with running.http() as c:
            r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": meeting["key"]},
                             json={"percent": 10, "attachments": [{"sha256": photo["sha256"], "name": "p.jpg"}]})
            assert r.status_code == 200
    finally:
        await stop_server(srv, task)
    running, srv, task = await start_server(tmp_path / "data")
    try:
        async with running.http() as c:
            office = (await c.get("/api/actions", params={"token": running.token})).json()
            assert office["actions"][0]["percent"] == 10
            assert (await c.get(f"/meetings/{meeting['id']}/files/{photo['sha256']}")).status_code == 200
    finally:
        await stop_server(srv, task)


async def server_meeting(running: Running) -> dict[str, Any]:
    meeting = await running.create_meeting()
    mod = await Screen(running.url, {"meeting": meeting["id"], "role": "moderator", "key": meeting["key"]}).connect()
    try:
        for event, payload in [("open_item", {"item": 0}), ("record_outcome", {"item": 0, "outcome": "consensus",
                               "opinion": "", "actions": [{"what": "修路", "owner": "", "due": "2030-01-01"}]}),
                               ("close_meeting", {})]:
            assert (await mod.send(event, payload))["ok"], event
    finally:
        await mod.close()
    return meeting


async def test_the_office_corrects_a_decision_and_the_minutes_and_the_board_show_both(server, screens):
    meeting = await decided(server, screens)
    mid = meeting["id"]
    correction = {"outcome": "none", "opinion": "暂缓加装，重新征询一楼住户意见。",
                  "reason": "未按规定征求一楼住户书面意见。", "decided_by": "幸福街道党工委"}
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{mid}/items/1/corrections", params={"key": meeting["key"]}, json=correction)
        assert r.status_code == 401  # the meeting's own moderator cannot correct its decision
        office = {"Authorization": f"Bearer {server.token}"}
        r = await c.post(f"/api/meetings/{mid}/items/1/corrections", headers=office, json=correction)
        assert r.status_code == 200, r.text
        r = await c.post(f"/api/meetings/{mid}/items/9/corrections", headers=office, json=correction)
        assert (r.status_code, r.json()["code"]) == (400, "no_such_item")
        md = (await c.get(f"/meetings/{mid}/minutes.md", params={"public": "1"})).text
        assert "经幸福街道党工委决定更正为：未达成一致" in md and "未按规定征求一楼住户书面意见" in md
        assert "**协商一致**" in md  # what the meeting recorded is still there
        board = (await c.get("/board.json")).json()
        (item, *_) = next(e for e in board["meetings"] if e["id"] == mid)["items"]
        assert item["outcome"] == "none" and item["corrections"][0]["was"] == "consensus"
        page = (await c.get("/board")).text
        assert "幸福街道党工委" in page and "未按规定征求一楼住户书面意见" in page


async def test_the_office_sees_every_objection_waiting_and_explains_it(server, screens):
    meeting = await decided(server, screens)
    mid = meeting["id"]
    codes = await server.join_codes(mid, meeting["key"])
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as c:
        assert (await c.post(f"/meetings/{mid}/object", json={"code": codes[0], "item": 0, "reason": "采光受影响。"})).status_code == 200
        assert (await c.get("/api/objections")).status_code == 401
        (waiting,) = (await c.get("/api/objections", headers=office)).json()["objections"]
        assert (waiting["meeting"]["id"], waiting["who"], waiting["during"], waiting["explained"]) == (mid, "张桂英", "publicity", 0)
        assert waiting["waited_seconds"] >= 0
        r = await c.post(f"/api/meetings/{mid}/objections/{waiting['id']}/explanations", headers=office,
                         json={"text": "井道移到北侧。", "by": "社区居委会"})
        assert r.status_code == 200, r.text
        assert (await c.get("/api/objections", headers=office)).json()["objections"] == []
        r = await c.post(f"/api/meetings/{mid}/objections/x9/explanations", headers=office, json={"text": "x"})
        assert (r.status_code, r.json()["code"]) == (400, "no_such_objection")
        r = await c.post(f"/api/meetings/{mid}/objections/{waiting['id']}/explanations", params={"key": meeting["key"]},
                         json={"text": "x"})
        assert r.status_code == 401


async def test_a_residents_name_in_a_photos_file_name_is_masked_for_the_public(server, screens):
    meeting = await decided(server, screens)
    photo = (await upload(server, meeting, jpeg_with_location((60, 40)), name="张桂英家门口.jpg", key=meeting["key"])).json()
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": meeting["key"]},
                         json={"note": "现场照片", "attachments": [{"sha256": photo["sha256"], "name": photo["name"]}]})
        assert r.status_code == 200
        public = await c.get(f"/meetings/{meeting['id']}/files/{photo['sha256']}")
        staff = await c.get(f"/meetings/{meeting['id']}/files/{photo['sha256']}", params={"key": meeting["key"]})
    assert quote("张桂英") not in public.headers["content-disposition"]
    assert quote("张桂英") in staff.headers["content-disposition"]
