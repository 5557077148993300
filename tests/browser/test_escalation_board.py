"""A no-consensus item goes on to a representatives' meeting; once that meeting has decided, a
resident reading the public board on a phone sees the decision on the original item, and the
representatives' item says where it came from."""
from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import expect

from support.browser import SMALL_PHONE, chromium, new_page
from support.wire import HTTP_BUDGET_S


async def test_the_representatives_decision_shows_on_the_original_item(server: Any, screens: Any) -> None:
    source = await server.create_meeting()
    mod = await screens(source["id"], "moderator", key=source["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "none", "opinion": "分歧较大。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{source['id']}/items/1/escalate", headers={"Authorization": f"Bearer {server.token}"},
                         json={"to_form": "representatives", "reason": "按章程提交居民代表会议。"})
        assert r.status_code == 201, r.text
        target = r.json()
    reps = await screens(target["id"], "moderator", key=target["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装，费用按楼层分摊。"}),
                           ("close_meeting", {})]:
        assert (await reps.send(event, payload))["ok"], event

    async with chromium() as browser:
        phone = await new_page(browser, **SMALL_PHONE, locale="zh-CN")

        async def decided() -> None:
            while True:  # the decision is written back once the representatives' meeting has closed
                await phone.goto(f"{server.url}/board")
                if await phone.locator(".sent-on strong").count():
                    return
                await asyncio.sleep(0.1)

        await asyncio.wait_for(decided(), HTTP_BUDGET_S)
        sent = phone.locator(".sent-on")
        await expect(sent).to_contain_text("已提交居民代表会议审议")
        await expect(sent.locator("strong")).to_have_text("其决定：协商一致。")
        await expect(sent).to_contain_text("同意加装，费用按楼层分摊。")
        await expect(phone.locator(".origin a")).to_have_attribute("href", f"/meetings/{source['id']}/public")
        assert await phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
