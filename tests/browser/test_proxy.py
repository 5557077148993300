"""A written proxy as the room uses it: the desk records it, the quorum counts the absent member,
the holder's phone votes for them, and the minutes state it."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import chromium, open_page, phone_with_code, vote

MEMBERS = [{"name": n, "category": "registered"} for n in ("张桂英", "周海燕", "李建国", "王秀兰")]


async def test_the_desk_records_a_proxy_and_the_holder_votes_for_the_absent_member(server: Any) -> None:
    meeting = await server.create_meeting(title="居民代表会议", form="representatives", roster=MEMBERS)
    codes = await server.join_codes(meeting["id"], meeting["key"])
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 900})
        answers = [False, True]  # "close the vote?": no the first time (still open), yes the second
        asked: list[str] = []

        async def close_vote(dialog: Any) -> None:
            asked.append(dialog.message)
            await (dialog.accept() if answers.pop(0) else dialog.dismiss())

        console.on("dialog", close_vote)
        await console.locator('#agenda li[data-key="0"] button.open').click()
        phones = [await phone_with_code(browser, meeting["links"]["join"], code) for code in codes[:2]]
        await expect(console.locator("#quorum")).to_have_text("法定人数：实到 2 / 需 3 人（未达到）")

        await console.locator("#proxy-box summary").click()
        await console.locator("#proxy-principal").select_option(label="李建国 · 户籍居民")
        await console.locator("#proxy-holder").select_option(label="张桂英 · 户籍居民")
        await console.locator("#proxy-note").fill("委托书已查验")
        await console.locator("#proxy-form button[type=submit]").click()
        await expect(console.locator("#proxies li")).to_have_text(["李建国 委托 张桂英（委托书已查验）撤回"])
        await expect(console.locator("#quorum")).to_have_text("法定人数：实到 3 / 需 3 人（已达到）")

        await console.locator("#poll-question").fill("通过小区停车管理办法")
        await console.locator("#poll-rule").select_option("present")
        await console.locator("#poll-form button[type=submit]").click()
        zhang, zhou = phones
        await expect(zhang.locator("#vote-polls .proxy-ballot .for")).to_have_text("受 李建国 委托代为表决：")
        await expect(zhou.locator("#vote-polls .proxy-ballot")).to_have_count(0)
        await vote(zhang.locator("#vote-polls .vote-poll").first, 0)
        # the member's ballot is said back and confirmed, as one's own is
        await zhang.locator('#vote-polls .proxy-ballot button[data-option="0"]').tap()
        await expect(zhang.locator("#vote-polls .proxy-ballot .confirm-text")).to_have_text(
            "受 李建国 委托，您选择的是：赞成。确认代为投票吗？投出后不能更改。")
        await expect(zhang.locator("#vote-polls .proxy-ballot .status")).to_be_hidden()  # nothing sent yet
        await zhang.locator("#vote-polls .proxy-ballot .confirm").tap()
        await expect(zhang.locator("#vote-polls .proxy-ballot .status")).to_have_text("已代 李建国 投票：赞成")
        await vote(zhou.locator("#vote-polls .vote-poll").first, 1)
        poll = console.locator("#polls .poll").first
        await expect(poll.locator('.row[data-option="0"] .count')).to_have_text("2")
        await expect(poll.locator(".progress")).to_have_text("已投票 3 / 可投票到会 3 人")  # the proxy counts
        await poll.locator("button.close-poll").click()  # dismissed: nothing happens
        await expect(poll.locator(".progress")).to_have_text("已投票 3 / 可投票到会 3 人")
        await poll.locator("button.close-poll").click()
        assert asked == ["结束表决“通过小区停车管理办法”？结束后不能再投票。"] * 2
        await expect(poll.locator(".binding .verdict")).to_have_text("通过")
        await expect(poll.locator('.binding .checks li[data-what="approval"]')).to_have_text("同意 2 / 3，需 2（达到）")
        assert console.yishi_errors == [] and zhang.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as http:
        md = (await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"]})).text
    assert "李建国：委托 张桂英 代为表决（委托书已查验）" in md
