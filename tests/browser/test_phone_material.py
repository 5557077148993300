"""The agenda and each item's background on the phone (议程与材料): readable before the meeting
starts and during it, the item under discussion marked; gone once the meeting closed."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import PHONE, chromium, phone_with_code


async def test_the_phone_shows_the_agenda_and_its_material_before_and_during_the_meeting(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=[{"title": "是否加装电梯", "background": "6层24户，已有18户签字同意。\n设计方案见公告栏。"},
                                                  {"title": "费用分摊"}])
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, key))[0], **PHONE)
        box = phone.locator("#material")
        await expect(box).to_be_visible()
        await box.locator("summary").click()
        items = box.locator("#material-list > li")
        await expect(items).to_have_count(2)
        await expect(items.nth(0).locator("strong")).to_have_text("是否加装电梯")
        await expect(items.nth(0).locator("p")).to_have_text("6层24户，已有18户签字同意。\n设计方案见公告栏。")
        await expect(items.nth(1).locator("p")).to_have_count(0)  # no background given: none shown
        await expect(phone.locator("#material-list > li.current")).to_have_count(0)  # nothing opened yet

        assert (await mod.send("open_item", {"item": 1}))["ok"]
        await expect(items.nth(1)).to_have_class("current")
        await expect(items.nth(1)).to_contain_text("（正在讨论）")
        assert (await mod.send("add_item", {"title": "停车位", "background": "<b>会上提出</b>"}))["ok"]
        await expect(items).to_have_count(3)
        await expect(items.nth(2).locator("p")).to_have_text("<b>会上提出</b>")  # shown as typed, never as markup

        assert (await mod.send("close_meeting", {}))["ok"]
        await expect(box).to_be_hidden()
