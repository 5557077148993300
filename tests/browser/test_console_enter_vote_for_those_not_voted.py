"""Who has not voted yet, on the moderator's console, each with a button that opens the desk's ballot
for them: how the votes of people without a phone are taken one by one, as in a roll call. Each
entered vote takes its person off the list; a refusal is said in the console's language."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import poll_room, vote


async def test_each_name_not_yet_voted_opens_the_ballot_for_that_person(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        # 孙阿姨 has no phone either: checked in at the desk
        await console.locator("#checkin-name").fill("孙阿姨")
        await console.locator("#checkin-category").select_option("registered")
        await console.locator("#checkin-form button[type=submit]").click()
        await expect(console.locator("#attendance-total")).to_have_text("3")

        await console.locator("#poll-question").fill("是否同意在3号楼加装电梯")
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        waiting = poll.locator(".not-voted")
        await expect(waiting.locator("summary")).to_have_text("尚未投票：3 人")
        await waiting.locator("summary").click()
        names = waiting.locator(".names li")
        await expect(names.locator(".name")).to_have_text(["钱大爷（户籍居民）", "张桂英（户籍居民）", "孙阿姨（户籍居民）"])
        await expect(names.locator("button.enter-for")).to_have_text(["代录"] * 3)

        # 钱大爷 says 弃权: his name's button opens the desk's ballot with him chosen
        await names.filter(has_text="钱大爷").locator("button.enter-for").click()
        desk = poll.locator(".desk-ballot")
        await expect(desk).to_have_attribute("open", "")
        await expect(desk.locator("select.voter option:checked")).to_have_text("钱大爷 · 户籍居民")
        await expect(desk.locator('.desk-choices button[data-option="0"]')).to_be_focused()
        await desk.locator('button[data-option="2"]').click()
        await expect(desk.locator(".desk-said")).to_contain_text("钱大爷 的选票：弃权。")
        await desk.locator(".enter-ballot").click()
        await expect(waiting.locator("summary")).to_have_text("尚未投票：2 人")
        await expect(names.locator(".name")).to_have_text(["张桂英（户籍居民）", "孙阿姨（户籍居民）"])

        await vote(phone, 0)  # 张桂英 on her own phone
        await expect(names.locator(".name")).to_have_text(["孙阿姨（户籍居民）"])

        # in English, the last one; then the list is gone: everyone has voted
        await console.locator("#lang-switch").click()
        await expect(waiting.locator("summary")).to_have_text("Not voted yet: 1")
        await expect(names.locator("button.enter-for")).to_have_text(["Enter vote"])
        await expect(names.locator("button.enter-for")).to_have_attribute("aria-label", "Enter vote for 孙阿姨")
        await names.locator("button.enter-for").click()
        await desk.locator('button[data-option="0"]').click()
        await expect(desk.locator(".desk-said")).to_have_text(
            "孙阿姨's ballot: For. Read it back to them and enter it once they agree; it cannot be changed once entered.")
        await desk.locator(".enter-ballot").click()
        await expect(console.locator("#notice")).to_have_text("Ballot entered.")
        await expect(waiting).to_be_hidden()
        await expect(poll.locator(".rows .count")).to_have_text(["2", "0", "1"])

        # 钱大爷 cannot be entered twice: the refusal, in English, and the count as it was
        await desk.locator("select.voter").select_option(label="钱大爷 · registered resident")
        await desk.locator('button[data-option="1"]').click()
        await desk.locator(".enter-ballot").click()
        await expect(console.locator("#notice")).to_have_text("You have already voted in this poll.")
        await expect(console.locator("#notice")).to_have_attribute("data-kind", "error")
        await expect(poll.locator(".rows .count")).to_have_text(["2", "0", "1"])
        await expect(desk.locator(".desk-said")).to_contain_text("钱大爷's ballot: Against.")  # left as it was, to see
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
