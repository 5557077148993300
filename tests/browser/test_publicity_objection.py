"""The publicity period (公示期) on a small phone with scripts turned off: an invited resident objects
to a decision with the personal code on their slip, later reads the organisers' explanation with
the code alone and says they still object; the moderator's console has both; a wrong code is
refused in words; the page never scrolls sideways at 360 px."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from support.browser import SMALL_PHONE, chromium, new_page
from support.wire import Running

REASON = "一楼采光会受影响，会上没有说明补偿怎么算。"
EXPLANATION = "井道移到楼梯间北侧，一楼采光基本不受影响；补偿标准另行公示。"
COMMENT = "北侧也挡我家厨房，仍希望先看设计图。"
WRONG_CODE = "这个签到码不属于本次会议。请核对数字，或到签到台办理。"


async def fits_the_width(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


async def test_a_resident_objects_on_a_small_phone_reads_the_explanation_and_still_objects(
        server: Running, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装电梯。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    code = (await server.join_codes(mid, meeting["key"]))[0]  # 张桂英's slip

    async with chromium() as browser:
        # An old phone with scripts off: the page needs none.
        phone = await new_page(browser, **SMALL_PHONE, java_script_enabled=False, locale="zh-CN")
        await phone.goto(f"{server.url}/meetings/{mid}/object")
        await expect(phone.locator("h1")).to_have_text("对会议决定提出异议")
        await expect(phone.locator("#period")).to_contain_text("公示期：")
        await fits_the_width(phone)

        await phone.locator("#code").fill(code)
        await phone.locator("#item").select_option("0")
        await phone.locator("#reason").fill(REASON)
        await phone.locator("#raise-submit").tap()
        await expect(phone.locator("#done")).to_contain_text("您的异议已登记")
        objection = phone.locator("#mine .objection")
        await expect(objection).to_have_count(1)
        await expect(objection).to_contain_text(REASON)
        await expect(objection.locator(".waiting")).to_have_text("组织方尚未解释。")
        assert code not in phone.url  # the code goes in the form's body, never in the address
        await fits_the_width(phone)

        # The organisers explain on the console.
        (raised,) = (await mod.send("sync"))["view"]["objections"]
        assert raised["during"] == "publicity" and raised["who"]["name"] == "张桂英"
        assert (await mod.send("give_explanation", {"objection_id": raised["id"], "text": EXPLANATION}))["ok"]

        # Days later the resident sends the code alone and reads the answer.
        await phone.goto(f"{server.url}/meetings/{mid}/object")
        await phone.locator("#code").fill(code)
        await phone.locator("#raise-submit").tap()
        await expect(objection.locator(".explanation")).to_contain_text(EXPLANATION)
        await expect(phone.locator("#done")).to_have_count(0)  # nothing new was raised
        await fits_the_width(phone)
        await objection.get_by_label("仍有异议").check()
        await objection.locator("textarea[name=comment]").fill(COMMENT)
        await objection.get_by_role("button", name="提交回复").tap()
        await expect(phone.locator("#done")).to_contain_text("您的回复已登记")
        await expect(phone.locator("#mine .objection input[value=still_objects]")).to_be_checked()
        await fits_the_width(phone)

        answered = await mod.wait_for(lambda v: v["objections"] and v["objections"][0]["response"] == "still_objects")
        (shown,) = answered["objections"]
        assert shown["id"] == raised["id"] and shown["responses"][-1]["comment"] == COMMENT

        # Someone else's digits, or a typo: refused in words, and nothing of the resident's shown.
        await phone.goto(f"{server.url}/meetings/{mid}/object")
        await phone.locator("#code").fill("000000000")
        await phone.locator("#reason").fill("随便试试。")
        await phone.locator("#raise-submit").tap()
        await expect(phone.locator("#said")).to_have_text(WRONG_CODE)
        await expect(phone.locator("#mine")).to_have_count(0)
        await fits_the_width(phone)

    (still,) = (await mod.send("sync"))["view"]["objections"]
    assert still["response"] == "still_objects" and len(still["explanations"]) == 1
