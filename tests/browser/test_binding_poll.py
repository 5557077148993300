"""A binding vote as the room sees it: the chair states the rule, gives a reason when quorum is
missing, members vote on their phones, and the wall and the phones show the verdict with its counts."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import chromium, open_page, phone_with_code, vote

MEMBERS = [{"name": n, "category": "registered"} for n in ("张桂英", "周海燕", "李建国", "王秀兰")]


async def test_the_chair_states_the_rule_and_the_room_sees_the_verdict(server: Any) -> None:
    meeting = await server.create_meeting(title="居民代表会议", form="representatives", roster=MEMBERS)
    codes = await server.join_codes(meeting["id"], meeting["key"])
    async with chromium() as browser:
        wall = await open_page(browser, meeting["links"]["projector"], viewport={"width": 1920, "height": 1080})
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 768})
        reasons: list[str] = []

        async def give_reason(dialog: Any) -> None:
            reasons.append(dialog.message)
            await dialog.accept("两名代表因公外出")

        console.on("dialog", give_reason)
        await console.locator('#agenda li[data-key="0"] button.open').click()
        phones = [await phone_with_code(browser, meeting["links"]["join"], code) for code in codes[:2]]  # 2 of 4 present: a representatives' assembly needs 3

        await console.locator("#poll-hide").uncheck()  # these votes are shown as they come in
        await console.locator("#poll-question").fill("通过小区停车管理办法")
        await console.locator("#poll-rule").select_option("present")
        await console.locator("#poll-form button[type=submit]").click()
        binding = wall.locator("#poll-binding")
        await expect(binding.locator(".rule")).to_have_text("正式表决 · 到会有表决权人员过半数同意")
        assert reasons and "未达到法定人数：实到 2 人，需 3 人" in reasons[0]
        await expect(binding.locator(".override")).to_have_text("未达法定人数即表决，理由：两名代表因公外出")
        await expect(binding.locator(".base")).to_have_text("有表决权 4 人，到会 2 人")

        for phone in phones:
            await expect(phone.locator("#vote-polls .binding .rule")).to_contain_text("到会有表决权人员过半数同意")
            await vote(phone, 0)
            await expect(phone.locator("#vote-polls .voted")).to_have_text("您已投票：赞成")
        await console.locator("#polls .poll button.close-poll").click()

        # unanimous, but without quorum it decides nothing, and everyone can see why
        await expect(binding.locator(".verdict")).to_have_text("未通过")
        await expect(binding.locator('.checks li[data-what="quorum"]')).to_have_text("法定人数：实到 2 / 应到 4，需 3（未达到）")
        await expect(binding.locator('.checks li[data-what="approval"]')).to_have_text("同意 2 / 2，需 2（达到）")
        for phone in phones:
            await expect(phone.locator("#vote-polls .binding .verdict")).to_have_text("未通过")
            await expect(phone.locator('#vote-polls button[data-option="0"]')).to_be_hidden()
        await expect(console.locator("#polls .poll .binding .verdict")).to_have_attribute("data-passed", "false")

        # 李建国 arrives without a phone: the desk checks him in, quorum is there, no reason is asked
        await console.locator("#desk-search").fill("李建国")
        await console.locator("#desk-results button", has_text="李建国").click()
        await expect(console.locator("#quorum")).to_have_text("法定人数：实到 3 / 需 3 人（已达到）")
        await console.locator("#poll-question").fill("再次表决：通过小区停车管理办法")
        await console.locator("#poll-form button[type=submit]").click()  # the rule chosen stays chosen
        await expect(binding.locator(".rule")).to_have_text("正式表决 · 到会有表决权人员过半数同意")
        await expect(binding.locator(".override")).to_have_count(0)
        await vote(phones[0].locator('#vote-polls .vote-poll:not([data-poll="v1"])'), 0)
        await vote(phones[1].locator('#vote-polls .vote-poll:not([data-poll="v1"])'), 1)
        latest = console.locator('#polls .poll[data-poll="v2"]')
        await latest.locator(".desk-ballot summary").click()
        await latest.locator(".desk-ballot select.voter").select_option(label="李建国 · 户籍居民")
        await latest.locator('.desk-ballot button[data-option="0"]').click()
        await expect(latest.locator(".desk-ballot .desk-said")).to_contain_text("李建国 的选票：赞成。")  # said back first
        await latest.locator(".desk-ballot .enter-ballot").click()
        await expect(wall.locator('#poll .row[data-option="0"] .count')).to_have_text("2")
        await latest.locator("button.close-poll").click()
        await expect(binding.locator(".verdict")).to_have_text("通过")
        await expect(binding.locator('.checks li[data-what="quorum"]')).to_have_text("法定人数：实到 3 / 应到 4，需 3（达到）")
        await expect(binding.locator('.checks li[data-what="approval"]')).to_have_text("同意 2 / 3，需 2（达到）")
        # the reason asked once, for the first vote only; each close confirmed
        assert [r.split("\n")[-1] for r in reasons] == ["请填写仍要表决的理由（将写入会议纪要）：",
                                                       "结束表决“通过小区停车管理办法”？结束后不能再投票。",
                                                       "结束表决“再次表决：通过小区停车管理办法”？结束后不能再投票。"]
        assert wall.yishi_errors == [] and console.yishi_errors == []  # type: ignore[attr-defined]
