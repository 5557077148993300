"""Democratic evaluation (民主评议) in the room: the moderator asks residents to rate the committee's
officials and the property service; a phone rates two and leaves one unrated, confirms; the desk
enters the ratings of someone without a phone; the wall shows each one's satisfaction rate."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room

EVALUATED = ["王秀兰（主任）", "陈明（委员）", "物业服务"]


async def test_a_phone_rates_the_officials_and_the_wall_shows_the_rates(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):

        await console.locator("#poll-question").fill("2026年度社区工作民主评议")
        await console.locator("#poll-kind").select_option("evaluation")
        await console.locator("#poll-options").fill("\n".join(EVALUATED))
        await console.locator("#poll-hide").uncheck()  # the rates show as ballots come in
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        await expect(poll.locator(".meta")).to_contain_text("民主评议")

        block = phone.locator("#vote-polls .vote-poll").first
        rows = block.locator(".rate-row")
        await expect(rows).to_have_count(3)
        await rows.nth(0).locator('button[data-rating="0"]').tap()  # 满意
        await rows.nth(2).locator('button[data-rating="1"]').tap()  # 基本满意
        await rows.nth(2).locator('button[data-rating="2"]').tap()  # changed: 不满意
        await expect(rows.nth(2).locator('button[aria-pressed="true"]')).to_have_text("不满意")
        await expect(block.locator(".confirm-text")).to_have_text(
            "您的评议：王秀兰（主任）：满意、陈明（委员）：未评、物业服务：不满意。确认投票吗？投出后不能更改。")
        await block.locator(".confirm").tap()
        await expect(block.locator(".voted")).to_contain_text("您已投票：王秀兰（主任）：满意")

        await poll.locator(".desk-ballot summary").click()
        await poll.locator(".desk-ballot select.voter").select_option(label="钱大爷 · 户籍居民")
        desk = poll.locator(".desk-ballot .rate-row")
        await desk.nth(0).locator('button[data-rating="1"]').click()
        await desk.nth(1).locator('button[data-rating="0"]').click()
        await desk.nth(2).locator('button[data-rating="0"]').click()
        await poll.locator(".desk-ballot .enter-ballot").click()

        table = wall.locator("#poll-evaluated table.evaluation")
        await expect(table.locator("tr").nth(1).locator("td")).to_have_text(["1", "1", "0", "0", "100.0%"])
        await expect(table.locator("tr").nth(3).locator("td")).to_have_text(["1", "0", "1", "0", "50.0%"])
        await expect(table.locator("tr").nth(2).locator("td")).to_have_text(["1", "0", "0", "1", "100.0%"])
        await expect(poll.locator("table.evaluation tr").nth(3).locator("td").last).to_have_text("50.0%")
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
