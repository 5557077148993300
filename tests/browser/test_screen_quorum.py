"""The projector's quorum line changes from not met to met as people check in, in both languages."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import chromium, open_page

ROSTER = [{"name": n, "category": "registered"} for n in ("张桂英", "周海燕", "李建国")]


async def _check_in(server: Any, screens: Any, meeting: dict[str, Any], invitee: int) -> None:
    guest = await screens(meeting["id"], "phone", token=None)
    code = (await server.join_codes(meeting["id"], meeting["key"]))[invitee]
    checked = await guest.send("check_in", {"code": code})
    assert checked.get("token"), checked


async def test_the_projector_shows_the_quorum_reached_as_people_check_in(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(form="assembly", roster=ROSTER)
    mid = meeting["id"]
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"])
        quorum = screen.locator("#quorum")
        await expect(quorum).to_have_text("法定人数：实到 0 / 需 2 人（未达到）")
        await _check_in(server, screens, meeting, 0)
        await expect(quorum).to_have_text("法定人数：实到 1 / 需 2 人（未达到）")
        await _check_in(server, screens, meeting, 1)
        await expect(quorum).to_have_text("法定人数：实到 2 / 需 2 人（已达到）")
        await expect(quorum).to_have_class("quorum met")
        assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_projector_shows_the_quorum_in_english(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(form="assembly", roster=ROSTER, language="en")
    mid = meeting["id"]
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"])
        quorum = screen.locator("#quorum")
        await expect(quorum).to_have_text("Quorum: 0 present / 2 needed (not met)")
        await _check_in(server, screens, meeting, 0)
        await _check_in(server, screens, meeting, 1)
        await expect(quorum).to_have_text("Quorum: 2 present / 2 needed (met)")


async def test_the_projector_shows_no_quorum_for_a_consultation(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"])
        await expect(screen.locator("#attendance-total")).to_have_text("0")
        await expect(screen.locator("#quorum")).to_be_hidden()


async def test_after_the_close_the_projector_no_longer_invites_anyone_to_join_or_queue(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"])
        await expect(screen.locator("#qr")).to_be_visible()
        mod = await screens(meeting["id"], "moderator", key=meeting["key"])
        assert (await mod.send("open_item", {"item": 0}))["ok"]  # the queue is on the wall once an item is open
        await expect(screen.locator("#queue-title")).to_be_visible()
        assert (await mod.send("close_meeting", {}))["ok"]
        await expect(screen.locator("#closed")).to_be_visible()
        for gone in ("#qr", "#join-url", "#queue-title", "#queue"):
            await expect(screen.locator(gone)).to_be_hidden()
        await expect(screen.locator("#attendance-total")).to_be_visible()  # who came stays on the wall
