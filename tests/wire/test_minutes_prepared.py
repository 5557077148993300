"""Closing a meeting prepares its PDF and Word minutes, so the first download need not wait."""
from __future__ import annotations

from support.wire import until

PREPARED = {("pdf", False), ("pdf", True), ("docx", False), ("docx", True)}
PREPARE_BUDGET_S = 180  # generous: four renders one after another, on a machine whose CPUs are busy


async def test_closing_a_meeting_prepares_the_pdf_and_word_minutes(server, screens):
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    assert (await mod.send("close_meeting"))["ok"]
    cache = server.yishi.minutes.cache

    def prepared():
        return {(key[3], key[4]) for key in cache._files if key[0] == meeting["id"]}

    await until(lambda: prepared() == PREPARED, lambda: f"prepared only {prepared()}", PREPARE_BUDGET_S)
    async with server.http() as c:
        r = await c.get(f"/meetings/{meeting['id']}/minutes.pdf", params={"key": meeting["key"]})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert any(body == r.content for key, body in cache._files.items() if key[3] == "pdf" and not key[4])
