"""An item put on the agenda during the meeting (临时动议) from the moderator's console: it goes last,
marked as added, the projector and the phones show it once opened, and the record keeps why."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room


async def test_the_chair_adds_an_item_during_the_meeting_and_opens_it(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        box = console.locator("#add-item")
        await box.locator("summary").click()
        await box.locator("input[name=title]").fill("小区停车位分配")
        await box.locator("textarea[name=background]").fill("多位居民会上提出，地面车位不足。")
        await box.locator("input[name=reason]").fill("居民临时提议")
        await box.locator("button[type=submit]").click()
        added = console.locator('#agenda li[data-key="2"]')
        await expect(added.locator(".title")).to_have_text("3. 小区停车位分配（临时动议）")
        await expect(box).not_to_have_attribute("open", "")  # folded again, emptied for the next one
        await expect(box.locator("input[name=title]")).to_have_value("")
        await expect(console.locator('#agenda li[data-key="0"] .title')).to_have_text("1. 是否加装电梯")

        await box.locator("summary").click()  # a title is needed: the browser says so, nothing is sent
        await box.locator("button[type=submit]").click()
        await expect(console.locator("#agenda li")).to_have_count(3)

        await added.locator("button.open").click()
        await expect(wall.locator("#item")).to_contain_text("小区停车位分配")
        await expect(phone.locator("#item")).to_contain_text("小区停车位分配")
        await expect(wall.locator("#background")).to_contain_text("地面车位不足")
        meeting_id = console.url.split("/m/")[1].split("/")[0]
    item = (await server.yishi.meetings.state(meeting_id)).items[2]
    assert item.added_at is not None and item.added_reason == "居民临时提议"
