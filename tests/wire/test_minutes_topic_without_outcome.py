"""An item that takes up a topic says where it came from in the minutes even before (or without)
an outcome: the topic's source and proposer, in every format."""
from __future__ import annotations

import io
from typing import Any

import docx


async def test_the_topic_is_reported_on_an_item_with_no_outcome(server: Any) -> None:
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as http:
        r = await http.post("/api/topics", headers=office, json={
            "title": "小区东门加装减速带", "kind": "urgent", "source": "committee", "proposer": "幸福里社区居委会"})
        tid = r.json()["topic"]
        assert (await http.post(f"/api/topics/{tid}/accept", headers=office)).status_code == 200
        meeting = (await http.post("/api/meetings", headers=office, json={
            "title": "居民议事会", "form": "council", "language": "zh-CN", "agenda": [{"title": "减速带"}]})).json()
        r = await http.post(f"/api/topics/{tid}/schedule", headers=office, json={"meeting": meeting["id"], "item": 0})
        assert r.status_code == 200, r.text
        got = {fmt: (await http.get(f"/meetings/{meeting['id']}/minutes.{fmt}",
                                    params={"key": meeting["key"], "lang": "zh-CN"})) for fmt in ("md", "html", "docx")}
    line = next(line for line in got["md"].text.splitlines() if "幸福里社区居委会" in line and "议题由" in line)
    assert "未记录协商结果" in got["md"].text and line.startswith("议题由")
    assert f'<p class="reported">{line.strip()}</p>' in got["html"].text
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(got["docx"].content)).paragraphs)
    assert line.strip() in words
