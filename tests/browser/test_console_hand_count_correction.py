"""Correcting a show of hands from the moderator's console: the poll's card offers the hands counted
so far, staff type the corrected totals and the reason, and the count shows them, the phones'
ballots untouched; also after the poll closed, until the meeting closes. A ranking has no hands to
correct. The minutes list every correction; refusals are said in the console's language."""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Locator, expect

from support.browser import poll_room, vote

PLANS = ["方案一", "方案二"]


async def correct(poll: Locator, counts: list[int], reason: str = "") -> None:
    box = poll.locator(".hand-correct")
    for i, n in enumerate(counts):
        await box.locator(f'.corrected input[data-option="{i}"]').fill(str(n))
    await box.locator(".correct-reason").fill(reason)
    await box.locator("button.correct-hands").click()


async def test_the_hands_are_corrected_while_open_and_after_the_close(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        console.on("dialog", lambda dialog: dialog.accept())  # closing the vote, and the meeting, confirmed
        await console.locator("#poll-question").fill("停车方案")
        await console.locator("#poll-kind").select_option("single")
        await console.locator("#poll-options").fill("\n".join(PLANS))
        await console.locator("#poll-hide").uncheck()
        await console.locator("#poll-form button[type=submit]").click()
        poll = console.locator("#polls .poll").first
        await poll.locator(".hand-count summary").click()
        await poll.locator('.hands input[data-option="0"]').fill("5")
        await poll.locator('.hands input[data-option="1"]').fill("3")
        await poll.locator("button.add-hands").click()
        await vote(phone, 0)
        await expect(poll.locator(".rows .count")).to_have_text(["6", "3"])

        box = poll.locator(".hand-correct")
        await box.locator("summary").click()
        await expect(box.locator(".now")).to_contain_text("目前计入的举手数：方案一 5 · 方案二 3。")
        for i, n in enumerate(["5", "3"]):
            await expect(box.locator(f'.corrected input[data-option="{i}"]')).to_have_value(n)
        await correct(poll, [5, 3])  # nothing changed: refused, and said why
        await expect(console.locator("#notice")).to_have_text("举手数与已登记的相同，无需更正。")

        await correct(poll, [4, 3], "第一排有人举了两次手")
        await expect(console.locator("#notice")).to_have_text("举手数已更正。")
        await expect(poll.locator(".rows .count")).to_have_text(["5", "3"])  # the phone's ballot stays
        await expect(poll.locator(".total")).to_have_text("共 8 票：手机 1，举手 7")
        await expect(box.locator(".now")).to_contain_text("目前计入的举手数：方案一 4 · 方案二 3。")
        await expect(box.locator(".correct-reason")).to_have_value("")

        # found when the result is read out: corrected after the close
        await poll.locator("button.close-poll").click()
        await expect(poll.locator(".meta")).to_contain_text("已结束")
        await expect(poll.locator(".hand-count")).to_be_hidden()  # no more hands are added
        await correct(poll, [4, 2], "重新点数")
        await expect(poll.locator(".rows .count")).to_have_text(["5", "2"])

        # in English, a correction that changes nothing is refused in English
        await console.locator("#lang-switch").click()
        await expect(box.locator("summary")).to_have_text("Correct the hand count")
        await expect(box.locator(".now")).to_contain_text("Hands counted so far: 方案一 4 · 方案二 2.")
        await box.locator("button.correct-hands").click()
        await expect(console.locator("#notice")).to_have_text("These are the hands already counted: nothing to correct.")

        # an order of preference is not shown by hands: nothing to add or correct
        await console.locator("#poll-question").fill("两个方案的先后")
        await console.locator("#poll-kind").select_option("ranking")
        await console.locator("#poll-options").fill("\n".join(PLANS))
        await console.locator("#poll-form button[type=submit]").click()
        ranking = console.locator("#polls .poll").first
        await expect(ranking.locator(".question")).to_have_text("两个方案的先后")
        await expect(ranking.locator(".desk-ballot")).to_be_visible()
        await expect(ranking.locator(".hand-count")).to_be_hidden()
        await expect(ranking.locator(".hand-correct")).to_be_hidden()

        minutes = await console.locator('#minutes a[data-format="md"]').get_attribute("href")
        async with server.http() as http:
            md = (await http.get(str(minutes))).text
        assert "举手数已更正：原为 方案一 5、方案二 3，改为 方案一 4、方案二 3，原因：第一排有人举了两次手" in md
        assert "举手数已更正：原为 方案一 4、方案二 3，改为 方案一 4、方案二 2，原因：重新点数" in md

        # the meeting closed: its count can no longer be corrected, and the form is gone
        await console.locator("#close-meeting").click()
        await expect(console.locator("body")).to_have_class(re.compile(r"\bended\b"))
        await expect(box).to_be_hidden()
        for page in (wall, console, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
