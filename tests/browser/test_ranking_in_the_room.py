"""A ranking in the room: the moderator asks residents to put three compensation schemes in order,
counted by instant runoff; a phone taps them in its order, sees each option's place, confirms;
the desk enters the order someone without a phone gives; the wall shows each round once revealed."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room

PLANS = ["一次性补偿", "分摊减免", "绿化补偿"]


async def test_a_phone_ranks_the_plans_and_the_wall_shows_every_round(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):

        await console.locator("#poll-question").fill("三个补偿方案，您的先后？")
        await console.locator("#poll-kind").select_option("ranking")
        await console.locator("#poll-options").fill("\n".join(PLANS))
        await console.locator("#poll-method").select_option("instant_runoff")
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        await expect(poll.locator(".meta")).to_contain_text("排序投票（即时决选法）")

        block = phone.locator("#vote-polls .vote-poll").first
        for i in (2, 0):
            await block.locator(f':scope > .choices button[data-option="{i}"]').tap()
        await expect(block.locator(':scope > .choices button[data-option="2"]')).to_have_attribute("data-rank", "1")
        await expect(block.locator(':scope > .choices button[data-option="0"]')).to_have_attribute("data-rank", "2")
        await expect(block.locator(".confirm-text")).to_have_text("您的排序：绿化补偿 > 一次性补偿。确认投票吗？投出后不能更改。")
        await block.locator(".confirm").tap()
        await expect(block.locator(".voted")).to_have_text("您已投票：绿化补偿 > 一次性补偿")

        # 钱大爷 says his order at the desk: 分摊减免, then 一次性补偿
        await poll.locator(".desk-ballot summary").click()
        await poll.locator(".desk-ballot select.voter").select_option(label="钱大爷 · 户籍居民")
        for i in (1, 0):
            await poll.locator(f'.desk-ballot button[data-option="{i}"]').click()
        await expect(poll.locator('.desk-ballot button[data-option="0"]')).to_have_attribute("data-rank", "2")
        await poll.locator(".desk-ballot .enter-ballot").click()
        await expect(poll.locator(".rows .count")).to_have_text(["0", "1", "1"])  # first preferences
        await expect(poll.locator(".ranked p").first).to_have_text("第1轮：一次性补偿 0 票、分摊减免 1 票、绿化补偿 1 票；淘汰 一次性补偿")

        await poll.locator("button.reveal").click()  # during the vote: the moderator's call
        ranked = wall.locator("#poll-ranked p")
        await expect(ranked.first).to_contain_text("第1轮：")
        # 1:1 in the last round, equal in the first round and in Borda points: a tie, said as one
        await expect(ranked.last).to_have_text("并列第一：分摊减免、绿化补偿")
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
