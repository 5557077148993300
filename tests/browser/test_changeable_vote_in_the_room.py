"""A poll whose votes may be changed until it closes: the console opens it so, the phone says so
when it asks to confirm, offers to change the vote once sent, and the count follows the last one;
a poll without it says a vote cannot be changed and offers nothing of the kind."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room


async def test_a_vote_changed_before_the_close_counts_as_changed(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        await console.locator("#poll-question").fill("是否同意延长施工时间？")
        await console.locator("#poll-hide").uncheck()
        await console.locator("#poll-changeable").check()
        await console.locator("#poll-form button[type=submit]").click()
        block = phone.locator("#vote-polls .vote-poll").first
        await block.locator(':scope > .choices button[data-option="0"]').tap()
        await expect(block.locator(".confirm-text")).to_have_text("您选择的是：赞成。确认投票吗？投票结束前还可以更改。")
        await block.locator(".confirm-row .confirm").tap()
        await expect(block.locator(".voted")).to_have_text("您已投票：赞成")
        await expect(wall.locator("#poll .row .count")).to_have_text(["1", "0", "0"])

        await block.locator(".change-vote").tap()
        await expect(block.locator(".voted")).to_be_hidden()
        await block.locator(':scope > .choices button[data-option="1"]').tap()
        await expect(block.locator(".confirm-text")).to_have_text("您选择的是：反对。确认投票吗？投票结束前还可以更改。")
        await block.locator(".confirm-row .confirm").tap()
        await expect(block.locator(".voted")).to_have_text("您已投票：反对")
        await expect(wall.locator("#poll .row .count")).to_have_text(["0", "1", "0"])
        await phone.reload()  # the server says the last vote
        await expect(block.locator(".voted")).to_have_text("您已投票：反对")
        await expect(block.locator(".change-vote")).to_be_visible()
        await expect(console.locator("#poll-changeable")).not_to_be_checked()  # never carried to the next poll

        # an ordinary poll: confirmed once and for all
        await console.locator("#poll-question").fill("是否同意公示方案？")
        await console.locator("#poll-form button[type=submit]").click()
        second = phone.locator("#vote-polls .vote-poll").nth(1)
        await second.locator(':scope > .choices button[data-option="0"]').tap()
        await expect(second.locator(".confirm-text")).to_have_text("您选择的是：赞成。确认投票吗？投出后不能更改。")
        await second.locator(".confirm-row .confirm").tap()
        await expect(second.locator(".voted")).to_have_text("您已投票：赞成")
        await expect(second.locator(".change-vote")).to_be_hidden()
        for page in (wall, console, phone):
            assert page.yishi_errors == [], page.url  # type: ignore[attr-defined]
