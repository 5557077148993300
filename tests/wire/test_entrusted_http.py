"""Matters entrusted by the township, on a real server: the office reports one back after the
meeting and enters the reply; the office's list, the minutes and the board follow each step;
nobody but the office can do either."""
from __future__ import annotations

from support.wire import Running

TOWNSHIP = "幸福街道办事处"
AGENDA = [{"title": "老旧小区改造方案征求意见", "background": "街道委托社区征求居民意见。", "entrusted_by": TOWNSHIP},
          {"title": "停车管理", "background": ""}]


async def closed_meeting(server: Running, screens) -> dict:
    meeting = await server.create_meeting(agenda=AGENDA)
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意改造方案。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


async def test_the_office_reports_the_matter_back_and_enters_the_reply(server, screens):
    meeting = await closed_meeting(server, screens)
    mid = meeting["id"]
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as c:
        (waiting,) = [x for x in (await c.get("/api/matters", headers=office)).json()["matters"] if x["meeting"]["id"] == mid]
        assert (waiting["item"], waiting["entrusted_by"], waiting["state"]) == (0, TOWNSHIP, "to_report")

        r = await c.post(f"/api/meetings/{mid}/items/1/reports", headers=office,
                         json={"text": "居民同意改造方案，<b>建议</b>增设无障碍坡道。"})
        assert r.status_code == 200 and r.json()["ok"], r.text
        (waiting,) = [x for x in (await c.get("/api/matters", headers=office)).json()["matters"] if x["meeting"]["id"] == mid]
        assert waiting["state"] == "awaiting_reply" and waiting["reports"][0]["to"] == TOWNSHIP

        r = await c.post(f"/api/meetings/{mid}/items/1/replies", headers=office, json={"text": "同意，纳入2027年改造计划。"})
        assert r.status_code == 200, r.text
        again = await c.post(f"/api/meetings/{mid}/items/1/replies", headers=office, json={"text": "再答复"})
        assert (again.status_code, again.json()["code"]) == (400, "already_replied")

        md = (await c.get(f"/meetings/{mid}/minutes.md", params={"key": meeting["key"]})).text
        assert f"本事项受{TOWNSHIP}委托协商。" in md and f"{TOWNSHIP}答复：同意，纳入2027年改造计划。" in md
        html = (await c.get(f"/meetings/{mid}/minutes.html", params={"key": meeting["key"]})).text
        assert "&lt;b&gt;建议&lt;/b&gt;" in html and "<b>建议</b>" not in html  # the office's text, escaped
        board = (await c.get("/board", params={"meeting": mid, "lang": "zh-CN"})).text
        assert f"本事项受{TOWNSHIP}委托协商。" in board and f"{TOWNSHIP}答复：同意，纳入2027年改造计划。" in board
        assert "&lt;b&gt;建议&lt;/b&gt;" in board and "<b>建议</b>" not in board
        entry = next(e for e in (await c.get("/board.json")).json()["meetings"] if e["id"] == mid)
        assert entry["items"][0]["reports"][0]["reply"]["text"] == "同意，纳入2027年改造计划。"
        model = (await c.get(f"/meetings/{mid}/minutes.json", params={"key": meeting["key"]})).json()
        assert model["items"][0]["reports"][0]["to"] == TOWNSHIP


async def test_only_the_office_reports_and_nothing_is_recorded_otherwise(server, screens):
    meeting = await closed_meeting(server, screens)
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    before = (await mod.send("sync"))["seq"]
    async with server.http() as c:
        for headers in ({}, {"Authorization": f"Bearer {meeting['key']}"}, {"Authorization": "Bearer forged"}):
            r = await c.post(f"/api/meetings/{mid}/items/1/reports", headers=headers, json={"text": "伪造的报送"})
            assert (r.status_code, r.json()["code"]) == (401, "unauthorised")
        assert (await c.get("/api/matters")).status_code == 401
        office = {"Authorization": f"Bearer {server.token}"}
        for path, body, code in [("items/1/replies", {"text": "答复"}, "not_reported"),
                                 ("items/2/reports", {"text": "报送"}, "no_outcome_to_report"),
                                 ("items/1/reports", {"text": ""}, "empty_text"),
                                 ("items/1/reports", {"text": "长" * 5000}, "text_too_long"),
                                 ("items/9/reports", {"text": "报送"}, "no_such_item")]:
            r = await c.post(f"/api/meetings/{mid}/{path}", headers=office, json=body)
            assert (r.status_code, r.json()["code"]) == (400, code), (path, r.text)
    assert (await mod.send("sync"))["seq"] == before
