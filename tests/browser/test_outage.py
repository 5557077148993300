"""When the server cannot be reached the page says so across the screen, and says it is back."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import SMALL_PHONE, chromium, open_page, phone_with_code



async def test_losing_the_server_is_shown_across_the_projector_and_the_phone(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        for url, context, smallest in ((meeting["links"]["projector"], {"viewport": {"width": 1920, "height": 1080}}, 40),
                                       (meeting["links"]["join"], SMALL_PHONE, 20)):
            page = await open_page(browser, url, **context)
            conn = page.locator("#conn")
            await page.context.set_offline(True)
            await expect(conn).to_have_attribute("data-state", "reconnecting")
            await expect(conn).to_have_text("连接中断，正在重新连接…")
            box = await conn.bounding_box()
            size = float(await conn.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
            width = (context["viewport"])["width"]  # type: ignore[index]
            assert box and box["width"] >= width * 0.99 and size >= smallest, (url, box, size)
            await page.context.set_offline(False)
            await expect(conn).to_have_attribute("data-state", "connected")
            assert (await conn.bounding_box() or {"width": 0})["width"] < width / 2


async def test_without_the_server_a_tap_is_refused_at_once_and_nothing_is_sent_later(server: Any, screens: Any) -> None:
    """A phone that lost the Wi-Fi: its buttons look off, a tap says so now (not "no answer" after
    a long wait), and nothing it tapped is sent behind its back once it is back."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, meeting["key"]))[0])
        stance = phone.locator('#stances button[data-stance="for"]')
        await expect(stance).to_be_visible()
        await expect(phone.locator("body")).to_have_attribute("data-conn", "online")
        assert float(await stance.evaluate("el => getComputedStyle(el).opacity")) == 1

        await phone.context.set_offline(True)
        await expect(phone.locator("body")).to_have_attribute("data-conn", "offline")
        assert float(await stance.evaluate("el => getComputedStyle(el).opacity")) < 0.6
        await stance.tap()
        notice = phone.locator("#notice")
        await expect(notice).to_have_text("未连接到服务器，正在重新连接；连上后请再试一次。")
        await expect(notice).to_have_attribute("data-kind", "error")

        await phone.context.set_offline(False)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(phone.locator("body")).to_have_attribute("data-conn", "online")
        # The refused tap was not queued: the queue is still empty once the phone is back.
        view = (await mod.send("sync"))["view"]
        assert view["queue"] == []
        await stance.tap()
        await expect(phone.locator("#queue-place")).to_contain_text("1")
        assert phone.yishi_errors == []  # type: ignore[attr-defined]
