"""The forms of consultation on the facilitator's page: the office says its community is a village
and edits the villagers' assembly's template (its agenda steps and a quorum above the law's; one
below it refused with the reason), creates a meeting of that form without typing any item, and the
console shows the template's steps, names the form 村民会议 and offers only its poll kinds; a
phone's check-in offers the villagers' categories."""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from support.browser import LAPTOP, PHONE, chromium, new_page, open_page

STEPS = ["宣读村民会议议程", "村委会报告村道改造方案", "村民讨论", "表决"]


async def test_a_villages_template_makes_the_meeting_the_console_and_phone_show(server: Any) -> None:
    async with chromium() as browser:
        page = await new_page(browser, **LAPTOP)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        await page.locator("#register-community-id").fill("heping-cun")
        await page.locator("#register-community button[type=submit]").click()

        panel = page.locator("#forms")
        await expect(panel.locator("#forms-state")).to_have_text("默认模板")
        await panel.locator("#forms-wording").select_option("village")
        await expect(page.locator("#notice")).to_have_text("社区类型已保存")
        await panel.locator("#forms-form").select_option("assembly")
        editor = panel.locator("#forms-editor")
        await expect(editor.locator("[name=agenda]")).to_have_value("报告事项\n审议讨论\n表决\n宣布结果")
        await expect(editor).to_contain_text("法律规定的最低要求：受邀人员过半数到会")

        await editor.locator("[name=quorum]").select_option("")  # below the law's: refused, with the reason
        await panel.locator("#forms-edit button[type=submit]").click()
        await expect(page.locator("#notice")).to_have_text("法律规定了这种形式的法定人数：社区可以提高，不能降低。")
        await expect(panel.locator("#forms-state")).to_have_text("默认模板")

        await editor.locator("[name=agenda]").fill("\n".join(STEPS))
        await editor.locator("[name=quorum]").select_option("two_thirds")
        for kind in ("rating", "evaluation"):  # every kind is offered until the community narrows them
            await editor.locator(f'input[name=poll_kind][value="{kind}"]').uncheck()
        await panel.locator("#forms-edit button[type=submit]").click()
        await expect(panel.locator("#forms-state")).to_have_text("本社区已修改此模板")

        create = page.locator("#create-form")
        await create.locator("[name=title]").fill("和平村村民会议")
        await create.locator("[name=form]").select_option("assembly")
        await expect(create.locator("[name=speaking_seconds]")).to_have_attribute("placeholder", "不填则按模板：300 秒")
        await create.locator("[name=roster]").fill("\n".join(f"村民{i}, registered" for i in range(9)))
        await create.locator("button[type=submit]").click()
        moderator = page.locator('#created-links a[data-link="moderator"]')
        await expect(moderator).to_be_visible()
        console_url, join_url = await moderator.get_attribute("href"), await page.locator(
            '#created-links a[data-link="join"]').get_attribute("href")
        assert errors == []

        console = await open_page(browser, console_url, **LAPTOP)
        await expect(console.locator("#agenda > li .title, #agenda > li strong").first).to_be_visible()
        for step in STEPS:
            await expect(console.locator("#agenda")).to_contain_text(step)
        await expect(console.locator("#meta")).to_contain_text("村民会议")
        await expect(console.locator("#meta")).not_to_contain_text("居民会议")
        # the poll kinds the assembly's template offers, and no others
        await console.wait_for_function("() => document.querySelector('#poll-kind option[value=rating]').hidden")
        offered = await console.eval_on_selector_all("#poll-kind option", "os => os.filter(o => !o.hidden).map(o => o.value)")
        assert "rating" not in offered and "evaluation" not in offered and {"yes_no_abstain", "single"} <= set(offered)

        phone = await open_page(browser, join_url, **PHONE)
        options = phone.locator("#walkin-category option")
        await expect(options.filter(has_text=re.compile("^户籍村民$"))).to_have_count(1)
        await expect(options.filter(has_text="村民小组")).to_have_count(1)
        await expect(options.filter(has_text="居民小组")).to_have_count(0)
        assert getattr(console, "yishi_errors") == [] and getattr(phone, "yishi_errors") == []
