"""The publicity period on a real server, as a resident uses it: an invitee who did not come opens
the page with no script, objects with the code on their slip, the organisers explain on the
console, the resident reads it and answers; wrong codes and floods get nowhere."""
from __future__ import annotations

import re
import sqlite3
import json as jsonlib
from html import unescape

from support.wire import Running


async def closed_meeting(server: Running, screens, **create):
    meeting = await server.create_meeting(**create)
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}), ("record_outcome", {"item": 0, "outcome": "consensus",
                                                                           "opinion": "同意加装电梯。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting, mod


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


async def test_a_resident_objects_with_their_code_reads_the_explanation_and_answers(server, screens):
    meeting, mod = await closed_meeting(server, screens)
    mid = meeting["id"]
    codes = await server.join_codes(mid, meeting["key"])
    async with server.http() as c:
        page = await c.get(f"/meetings/{mid}/object")
        assert page.status_code == 200 and "公示期：" in text_of(page.text) and 'name="code"' in page.text
        assert "<script" not in page.text.split("</head>")[1]  # works on a phone without scripts

        sent = await c.post(f"/meetings/{mid}/object", data={"code": codes[0], "item": "0",
                                                              "reason": "一楼采光受影响，<b>没人问过我们</b>。"})
        assert sent.status_code == 200, sent.text
        assert "您的异议已登记" in sent.text and "&lt;b&gt;没人问过我们&lt;/b&gt;" in sent.text  # escaped
        assert codes[0] not in str(sent.url)  # the code never goes into an address

    view = (await mod.send("sync"))["view"]
    (objection,) = view["objections"]
    assert objection["who"]["name"] == "张桂英" and objection["during"] == "publicity"
    assert (await mod.send("give_explanation", {"objection_id": objection["id"], "text": "井道移到北侧，采光不受影响。"}))["ok"]

    async with server.http() as c:
        mine = await c.post(f"/meetings/{mid}/object", json={"code": codes[0]})
        (shown,) = mine.json()["objections"]
        assert shown["explanations"][0]["text"] == "井道移到北侧，采光不受影响。"
        page = await c.post(f"/meetings/{mid}/object", data={"code": codes[0], "item": "0", "reason": ""})
        assert "井道移到北侧" in page.text and 'value="still_objects"' in page.text
        answered = await c.post(f"/meetings/{mid}/object/answer", data={
            "code": codes[0], "objection_id": objection["id"], "response": "answered", "comment": "可以接受。"})
        assert answered.status_code == 200 and "您的回复已登记" in answered.text
        other = await c.post(f"/meetings/{mid}/object/answer", json={
            "code": codes[1], "objection_id": objection["id"], "response": "still_objects"})
        assert (other.status_code, other.json()["code"]) == (400, "not_your_objection")
        minutes = (await c.get(f"/meetings/{mid}/minutes.json", params={"key": meeting["key"]})).json()
        (listed,) = minutes["items"][0]["objections"]
        assert listed["during"] == "publicity" and listed["response"] == "answered"
        assert listed["objector"]["name"] == "张桂英"

    rows = sqlite3.connect(server.data / "yishi.db").execute(
        "SELECT type, data FROM events WHERE meeting_id = ? AND type IN ('ObjectionRaised', 'ObjectionAnswered')",
        (mid,)).fetchall()
    assert [(t, jsonlib.loads(d)["actor"]) for t, d in rows] == [
        ("ObjectionRaised", {"role": "invitee", "id": "0"}), ("ObjectionAnswered", {"role": "invitee", "id": "0"})]


async def test_wrong_codes_and_a_meeting_not_yet_closed_are_refused_in_the_residents_language(server, screens):
    meeting = await server.create_meeting()
    async with server.http() as c:
        codes = await server.join_codes(meeting["id"], meeting["key"])
        early = await c.post(f"/meetings/{meeting['id']}/object", json={"code": codes[0], "item": 0, "reason": "x"})
        assert (early.status_code, early.json()["code"]) == (400, "meeting_not_closed")
        wrong = await c.post(f"/meetings/{meeting['id']}/object?lang=en", data={"code": "123456789", "item": "0", "reason": "x"})
        assert wrong.status_code == 400 and "code" in text_of(wrong.text).lower()
        # From one address on the hall's Wi-Fi (the server behind a proxy on its own machine says which):
        # ten tries, then one every five seconds; the laptop itself is not held back.
        wifi = {"X-Forwarded-For": "10.0.0.7"}
        flood = [await c.post(f"/meetings/{meeting['id']}/object", json={"code": "1", "reason": "x"}, headers=wifi)
                 for _ in range(12)]
        assert [r.status_code for r in flood][-2:] == [429, 429] and flood[-1].json()["code"] == "too_fast"
        neighbour = await c.post(f"/meetings/{meeting['id']}/object", json={"code": "1"}, headers={"X-Forwarded-For": "10.0.0.8"})
        assert neighbour.status_code == 400
        missing = await c.post("/meetings/nope/object", json={"code": codes[0]})
        assert missing.status_code == 404


async def test_the_board_links_to_the_page_while_the_decisions_are_posted_and_the_page_says_when_it_ended(server, screens):
    current, _ = await closed_meeting(server, screens)
    meetings = server.yishi.meetings
    real = meetings.clock
    meetings.clock = lambda: real() - 20 * 86_400  # a meeting held and closed twenty days ago
    try:
        old, _ = await closed_meeting(server, screens)
    finally:
        meetings.clock = real
    codes = await server.join_codes(old["id"], old["key"])
    async with server.http() as c:
        board = (await c.get("/board.json")).json()
        links = {e["id"]: e["links"] for e in board["meetings"]}
        assert links[current["id"]]["object"] == f"/meetings/{current['id']}/object"
        assert "object" not in links[old["id"]]  # its week of publicity is over
        assert f"/meetings/{current['id']}/object" in (await c.get("/board")).text
        page = await c.get(f"/meetings/{old['id']}/object")
        assert "公示期已于" in page.text and 'id="raise"' not in page.text and 'id="look"' in page.text
        late = await c.post(f"/meetings/{old['id']}/object", json={"code": codes[0], "item": 0, "reason": "太晚了"})
        assert (late.status_code, late.json()["code"]) == (400, "publicity_over")

