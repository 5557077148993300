"""When the server cannot be reached the page says so across the screen, and says it is back."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import SMALL_PHONE, chromium, open_page



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
