"""Dissent to the end, and matters reported back, as people do them in Chromium: a resident who
voted no asks the organisers why from their phone, reads the explanation and answers it, after the
meeting has closed; the office sees the request among the objections; the facilitator names the
township that entrusted an item when creating the meeting, and after the close the office reports
it back and enters the township's reply on its page."""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from support.browser import LAPTOP, PHONE, chromium, open_fetching_page as office, open_page, phone_with_code, vote
from support.wire import Running

WHY = "为什么不等补偿方案出来再决定？"
TOWNSHIP = "幸福街道办事处"


async def test_one_who_voted_no_asks_why_after_the_close_and_answers_the_explanation(server: Running, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, key))[0], **PHONE)
        await expect(phone.locator("#ask")).to_be_hidden()  # nothing voted against yet
        assert (await mod.send("open_poll", {"question": "是否同意加装电梯？"}))["ok"]
        await vote(phone, 1)  # no
        ask = phone.locator("#ask")
        await expect(ask).to_be_visible()
        await expect(ask.locator("#ask-item option")).to_have_text(["议题1：是否加装电梯"])
        for event, payload in [("close_poll", {"poll_id": "v1"}),
                               ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装电梯。"}),
                               ("close_meeting", {})]:
            assert (await mod.send(event, payload))["ok"], event
        await expect(phone.locator("#closed")).to_be_visible()
        await expect(ask).to_be_visible()  # after the close too, while the decisions are posted

        await ask.locator("#ask-reason").fill(WHY)
        await ask.locator("#ask-send").tap()
        await expect(phone.locator("#notice")).to_contain_text("组织方会作出说明")
        await expect(ask).to_be_hidden()  # once per item
        mine = phone.locator("#my-objections > li")
        await expect(mine).to_have_count(1)
        await expect(mine.locator(".reason")).to_have_text(f"请求说明：{WHY}")

        # The office sees it among the objections waiting on the organisers, and explains it there.
        page = await office(browser, f"{server.url}/office?token={server.token}&lang=zh-CN", **LAPTOP)
        waiting = page.locator("#objections > li")
        await expect(waiting).to_have_count(1)
        await expect(waiting.locator(".reason")).to_contain_text(f" (投反对票或发言反对后请求说明): {WHY}")
        await waiting.locator("textarea[name=text]").fill("补偿方案将在业主表决前公示。")
        await waiting.locator("button[type=submit]").click()
        await expect(page.locator("#objections-empty")).to_be_visible()

        await expect(mine.locator(".explanations")).to_contain_text("补偿方案将在业主表决前公示。")
        await mine.locator(".answered").tap()
        await expect(mine.locator(".response")).to_be_visible()
        assert phone.yishi_errors == [] and page.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as c:
        model = (await c.get(f"/meetings/{mid}/minutes.json", params={"key": key})).json()
    (asked,) = model["items"][0]["objections"]
    assert (asked["during"], asked["basis"]["polls"], asked["response"]) == ("request", ["v1"], "answered")


async def test_the_office_reports_an_entrusted_matter_back_and_enters_the_reply(server: Running, screens: Any) -> None:
    async with chromium() as browser:
        # The facilitator names the township on the agenda item it entrusted.
        page = await office(browser, f"{server.url}/?token={server.token}&lang=zh-CN", **LAPTOP)
        await expect(page.locator("#create-form button[type=submit]")).not_to_have_text("")  # its words loaded
        await page.locator("#create-form [name=title]").fill("老旧小区改造协商会")
        row = page.locator("#agenda-rows .agenda-row").first
        await row.locator("[name=item-title]").fill("改造方案征求意见")
        await row.locator("[name=item-entrusted]").fill(TOWNSHIP)
        await page.locator("#create-form [name=roster]").fill("王秀英, registered")
        await page.locator("#create-form button[type=submit]").click()
        link = page.locator('.created [data-link="moderator"]')
        await expect(link).to_be_visible()
        moderator_url = await link.get_attribute("href")
        assert moderator_url is not None
        mid = moderator_url.split("/m/")[1].split("/")[0]
        key = moderator_url.split("key=")[1].split("&")[0]
        mod = await screens(mid, "moderator", key=key)
        for event, payload in [("open_item", {"item": 0}),
                               ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意改造方案。"}),
                               ("close_meeting", {})]:
            assert (await mod.send(event, payload))["ok"], event

        page = await office(browser, f"{server.url}/office?token={server.token}&lang=zh-CN", **LAPTOP)
        matter = page.locator(f'#matters > li[data-id="{mid}/0"]')
        await expect(matter.locator(".waited")).to_contain_text("待报送")
        await expect(matter).to_contain_text(f"委托单位：{TOWNSHIP}")
        await expect(matter.locator("[name=to]")).to_have_value(TOWNSHIP)
        await matter.locator("textarea[name=text]").fill("居民同意改造方案，建议增设无障碍坡道。")
        await matter.locator("button[type=submit]").click()
        await expect(page.locator("#notice")).to_have_text("报送已登记。")
        await expect(matter.locator(".waited")).to_contain_text("已报送，待答复")
        await expect(matter).to_contain_text(f"报送{TOWNSHIP}：居民同意改造方案")
        await matter.locator("textarea[name=text]").fill("同意，纳入明年改造计划。")
        await matter.locator("button[type=submit]").click()
        await expect(matter.locator(".waited")).to_have_text("已答复")
        await expect(matter).to_contain_text(f"{TOWNSHIP}答复：同意，纳入明年改造计划。")
        assert page.yishi_errors == []  # type: ignore[attr-defined]

        # A resident's phone on the meeting's link reads it under the progress on the decisions.
        phone = await open_page(browser, f"{server.url}/m/{mid}/join", **PHONE)
        decided = phone.locator('#progress .decided[data-item="1"]')
        await expect(decided.locator(".reported")).to_contain_text(f"已报送{TOWNSHIP}")
        await expect(decided.locator(".replied")).to_have_text(
            re.compile(f"{TOWNSHIP}答复：同意，纳入明年改造计划。$"))
        assert phone.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as c:
        md = (await c.get(f"/meetings/{mid}/minutes.md", params={"key": key})).text
    assert f"本事项受{TOWNSHIP}委托协商。" in md and f"{TOWNSHIP}答复：同意，纳入明年改造计划。" in md
