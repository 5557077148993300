"""A written proxy held by someone without a phone: the desk enters, on the moderator's console,
the absent member's ballot as well as the holder's own, in any kind of poll (a phone offers a
proxy's ballot only where one choice is asked). The console says whose ballot it is before it is
entered; it counts once for the member, and the minutes state the proxy."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import chromium, open_page

MEMBERS = [{"name": n, "category": "registered"} for n in ("张桂英", "周海燕", "李建国", "王秀兰")]
WORKS = ["加装电梯", "改造雨污管网", "增设充电桩"]
READ_BACK = "请向本人复述，本人确认后再录入；录入后不能更改。"


async def test_the_desk_enters_the_absent_members_ballot_for_its_holder(server: Any) -> None:
    meeting = await server.create_meeting(title="居民代表会议", form="representatives", roster=MEMBERS)
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 900})
        await console.locator('#agenda li[data-key="0"] button.open').click()
        # 王秀兰 came without a phone, with 李建国's written proxy
        await console.locator("#desk-search").fill("王秀兰")
        await console.locator("#desk-results button", has_text="王秀兰").click()
        await expect(console.locator("#attendance-total")).to_have_text("1")
        await console.locator("#proxy-box summary").click()
        await console.locator("#proxy-principal").select_option(label="李建国 · 户籍居民")
        await console.locator("#proxy-holder").select_option(label="王秀兰 · 户籍居民")
        await console.locator("#proxy-form button[type=submit]").click()
        await expect(console.locator("#proxies li")).to_have_count(1)

        await console.locator("#poll-question").fill("今年优先办理哪两件实事？")
        await console.locator("#poll-kind").select_option("multiple")
        await console.locator("#poll-options").fill("\n".join(WORKS))
        await console.locator("#poll-max").fill("2")
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        desk = poll.locator(".desk-ballot")
        await desk.locator("summary").click()
        whose = desk.locator(".desk-whose")
        await expect(whose).to_be_hidden()  # nobody chosen yet
        await desk.locator("select.voter").select_option(label="王秀兰 · 户籍居民")
        await expect(whose).to_be_visible()
        await expect(whose.locator("select.whose option")).to_have_text(["本人的选票", "受 李建国 委托，代其表决"])

        # the member's ballot first
        await whose.locator("select.whose").select_option(label="受 李建国 委托，代其表决")
        for i in (0, 1):
            await desk.locator(f'button[data-option="{i}"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(
            f"李建国 的选票（由受托人 王秀兰 代为表决）：加装电梯、改造雨污管网（2 项，最多可选 2 项）。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(poll.locator(".rows .count")).to_have_text(["1", "1", "0"])
        await expect(poll.locator(".progress")).to_contain_text("已投票 1 /")

        # then her own
        await desk.locator("select.voter").select_option(label="王秀兰 · 户籍居民")
        await expect(whose.locator("select.whose")).to_have_value("")
        await desk.locator('button[data-option="2"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(
            f"王秀兰 的选票：增设充电桩（1 项，最多可选 2 项）。{READ_BACK}")
        await desk.locator(".enter-ballot").click()
        await expect(poll.locator(".rows .count")).to_have_text(["1", "1", "1"])
        # the member's and her own, of the one here and the one she holds a proxy for
        await expect(poll.locator(".progress")).to_have_text("已投票 2 / 可投票到会 2 人")

        # the member's ballot cannot be entered twice
        await desk.locator("select.voter").select_option(label="王秀兰 · 户籍居民")
        await whose.locator("select.whose").select_option(label="受 李建国 委托，代其表决")
        await desk.locator(".enter-ballot").click()  # a blank ballot, said back as one, refused
        await expect(console.locator("#notice")).to_have_text("您已经投过票了。")
        await expect(poll.locator(".rows .count")).to_have_text(["1", "1", "1"])
        assert console.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as http:
        md = (await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"]})).text
    assert "李建国：委托 王秀兰 代为表决" in md
    assert "其中 2 票由工作人员为没有手机的表决人代为登记。" in md
