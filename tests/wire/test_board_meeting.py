"""One meeting's entry on the public board (`/board.json?meeting=<id>`, `/board?meeting=<id>`), as
the phone of a closed meeting reads it: that meeting alone, read without reading any other; an id
that is no meeting's, or not an id at all, and a meeting not yet held give an empty list, never an
error; an update shows on the next look."""
from __future__ import annotations

import re
from typing import Any

from support.wire import Running


async def closed(server: Running, screens: Any, title: str) -> dict[str, Any]:
    """A closed meeting whose first item decided two actions."""
    meeting = await server.create_meeting(title=title)
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装。", "actions": [
                               {"what": "提交加装电梯申请", "owner": "物业公司", "due": "2026-12-31"},
                               {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}]}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


async def test_one_meetings_entry_alone_and_nothing_for_any_other_id(server, screens):
    first = await closed(server, screens, "停车位协商会")
    second = await closed(server, screens, "绿化改造协商会")
    announced = await server.create_meeting(title="尚未召开的会议")  # created, never opened: not on the board
    meetings = server.yishi.meetings
    async with server.http() as c:
        every = (await c.get("/board.json")).json()
        assert [m["id"] for m in every["meetings"]] == [second["id"], first["id"]]

        for wanted in (first, second):
            got = (await c.get("/board.json", params={"meeting": wanted["id"]})).json()
            assert got["ok"] and got["filters"] == {"status": "all", "year": None, "meeting": wanted["id"]}
            (entry,) = got["meetings"]
            # the same entry the whole board holds for it
            assert entry == next(m for m in every["meetings"] if m["id"] == wanted["id"])
            assert [a["status"] for a in entry["items"][0]["actions"]] == ["open", "open"]

        # Only the meeting asked for is read: another one, out of the cache, stays out of it.
        meetings.evict(second["id"])
        got = (await c.get("/board.json", params={"meeting": first["id"]})).json()
        assert [m["id"] for m in got["meetings"]] == [first["id"]]
        assert second["id"] not in meetings._states

        # A meeting not yet held, ids that are no meeting's or no id at all: an empty list, no error.
        # (an id of digits only reads the same in capitals: then capitals of another id stand in)
        capitals = first["id"].upper() if first["id"].upper() != first["id"] else "ABCDEF12"
        for asked in [announced["id"], "00000000", "nope", capitals, "", "../" + first["id"],
                      first["id"] + "\x00", "f" * 65, "<script>"]:
            r = await c.get("/board.json", params={"meeting": asked})
            assert r.status_code == 200, (asked, r.text)
            assert r.json()["ok"] and r.json()["meetings"] == [] and r.json()["years"] == [], asked
            assert asked not in meetings._states or asked == announced["id"]  # no state made up for a stranger
        assert "00000000" not in meetings._states and "nope" not in meetings._states

        # An update shows on the next look (the entry kept is the one of the record's last event).
        r = await c.post(f"/api/meetings/{first['id']}/actions/1.1", params={"key": first["key"]},
                         json={"status": "in_progress", "percent": 60, "note": "已向街道提交申请。"})
        assert r.status_code == 200, r.text
        got = (await c.get("/board.json", params={"meeting": first["id"]})).json()
        action = got["meetings"][0]["items"][0]["actions"][0]
        assert (action["status"], action["percent"], action["note"]) == ("in_progress", 60, "已向街道提交申请。")


async def test_the_page_for_one_meeting(server, screens):
    first = await closed(server, screens, "停车位协商会")
    second = await closed(server, screens, "绿化改造协商会")
    async with server.http() as c:
        page = await c.get("/board", params={"meeting": first["id"], "lang": "en"})
        assert page.status_code == 200
        html = page.text
        assert re.findall(r'data-meeting="(\w+)"', html) == [first["id"]] and "绿化改造协商会" not in html
        assert 'id="filters"' not in html  # the filters choose among every meeting: not offered here
        # the language switch and the page's own address (its QR code) keep the meeting
        assert f'href="/board?meeting={first["id"]}&amp;lang=zh-CN"' in html
        assert f"/board?meeting={first['id']}&amp;lang=en</span>" in html
        nothing = (await c.get("/board", params={"meeting": "no such id", "lang": "en"})).text
        assert 'id="empty"' in nothing and "data-meeting=" not in nothing
        whole = (await c.get("/board")).text
        assert 'id="filters"' in whole and second["id"] in whole
