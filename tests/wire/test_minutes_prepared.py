"""Closing a meeting prepares its PDF and Word minutes, so the first download need not wait."""
from __future__ import annotations

import asyncio


async def test_closing_a_meeting_prepares_the_pdf_and_word_minutes(server, screens):
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    assert (await mod.send("close_meeting"))["ok"]
    cache = server.yishi.minutes.cache
    for _ in range(300):
        prepared = {(key[3], key[4]) for key in cache._files if key[0] == meeting["id"]}
        if prepared == {("pdf", False), ("pdf", True), ("docx", False), ("docx", True)}:
            break
        await asyncio.sleep(0.05)
    assert prepared == {("pdf", False), ("pdf", True), ("docx", False), ("docx", True)}
    async with server.http() as c:
        r = await c.get(f"/meetings/{meeting['id']}/minutes.pdf", params={"key": meeting["key"]})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert any(body == r.content for key, body in cache._files.items() if key[3] == "pdf" and not key[4])
