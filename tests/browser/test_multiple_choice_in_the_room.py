"""Multiple choice in the room: the moderator asks which of four works to do first, at most two
each; a phone ticks two, is stopped at a third, confirms, and is told what it sent; the desk enters
the ballot of someone without a phone; the wall shows every option's count once revealed."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room

WORKS = ["加装电梯", "改造雨污管网", "增设充电桩", "修缮屋顶"]


async def test_each_ticks_at_most_two_and_the_wall_counts_every_option(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):

        await console.locator("#poll-question").fill("今年优先办理哪两件实事？")
        await console.locator("#poll-kind").select_option("multiple")
        await console.locator("#poll-options").fill("\n".join(WORKS))
        await console.locator("#poll-max").fill("2")
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        await expect(poll.locator(".meta")).to_contain_text("多选（每人最多 2 项）")

        block = phone.locator("#vote-polls .vote-poll").first
        for i in (0, 2, 3):  # the third is one too many
            await block.locator(f':scope > .choices button[data-option="{i}"]').tap()
        await expect(phone.locator("#notice")).to_contain_text("最多只能选 2 项")
        await expect(block.locator(':scope > .choices button[aria-pressed="true"]')).to_have_text(["加装电梯", "增设充电桩"])
        await expect(block.locator(".confirm-text")).to_have_text(
            "您选择的是：加装电梯、增设充电桩（2 项，最多可选 2 项）。确认投票吗？投出后不能更改。")
        await block.locator(".confirm").tap()
        await expect(block.locator(".voted")).to_have_text("您已投票：加装电梯、增设充电桩")
        await expect(block.locator(".counted")).to_contain_text("结果将由主持人公布")

        # 钱大爷 has no phone: he names two works at the desk
        await poll.locator(".desk-ballot summary").click()
        await poll.locator(".desk-ballot select.voter").select_option(label="钱大爷 · 户籍居民")
        for i in (1, 2):
            await poll.locator(f'.desk-ballot button[data-option="{i}"]').click()
        await poll.locator(".desk-ballot .enter-ballot").click()
        await expect(poll.locator(".rows .count")).to_have_text(["1", "1", "2", "0"])
        await expect(wall.locator("#poll-hidden")).to_contain_text("已投 2 /")

        await poll.locator("button.reveal").click()
        await expect(wall.locator("#poll .row .label")).to_have_text(WORKS)
        await expect(wall.locator("#poll .row .count")).to_have_text(["1", "1", "2", "0"])
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
