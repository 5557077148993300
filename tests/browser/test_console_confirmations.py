"""The console prevents mistakes: removing a speaker, closing a poll and closing the meeting are asked
once more, and a "no" changes nothing; after the close nothing looks clickable that no longer
works; the action items' row fits a 1366 px laptop."""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Dialog, expect

from support.browser import chromium, open_page
from support.wire import until

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
QUESTION = "是否同意加装电梯"
ENDED = re.compile(r"\bended\b")


async def test_a_no_to_each_confirmation_changes_nothing_and_the_close_disables_the_controls(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    for command, payload in (("open_item", {"item": 0}),
                             ("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}),
                             ("add_speaker", {"name": "孙老师", "category": "property", "stance": "against"}),
                             ("open_poll", {"question": QUESTION})):
        assert (await mod.send(command, payload))["ok"], command
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], **LAPTOP)
        asked: list[str] = []
        answer = {"yes": False}

        async def on_dialog(dialog: Dialog) -> None:
            asked.append(dialog.message)
            await (dialog.accept() if answer["yes"] else dialog.dismiss())

        console.on("dialog", on_dialog)
        queue = console.locator("#mod-queue li")
        await expect(queue).to_have_count(2)
        poll = console.locator("#polls .poll:not(.closed)")
        await expect(poll.locator(".question")).to_have_text(QUESTION)

        # Each asked once more and refused.
        await queue.filter(has_text="孙老师").locator("button.remove").click()
        await until(lambda: len(asked) == 1, lambda: f"removing a speaker was not asked: {asked}")
        await poll.locator("button.close-poll").click()
        await until(lambda: len(asked) == 2, lambda: f"closing the poll was not asked: {asked}")
        await console.locator("#close-meeting").click()
        await until(lambda: len(asked) == 3, lambda: f"closing the meeting was not asked: {asked}")
        assert "孙老师" in asked[0] and QUESTION in asked[1], asked

        # A command after them, from the same console: had a refused one been sent, it came first.
        await queue.filter(has_text="钱大爷").locator("button.grant").click()
        await expect(console.locator("#mod-queue li")).to_have_count(1)
        view = (await mod.send("sync"))["view"]
        assert [r["who"]["name"] for r in view["queue"]] == ["孙老师"]
        assert view["speaker"]["who"]["name"] == "钱大爷"
        assert [p["open"] for p in view["polls"]] == [True]
        assert view["status"] != "closed"
        await expect(poll).to_be_visible()
        await expect(console.locator("body")).not_to_have_class(ENDED)

        # The action items' row at 1366 px: nothing runs past its edge.
        await console.locator("#add-action").click()
        row = console.locator("#outcome-form .action-row").first
        await expect(row).to_be_visible()
        assert await row.evaluate("""(row) => {
            const box = row.getBoundingClientRect();
            return row.scrollWidth <= row.clientWidth + 0.5
              && [...row.children].every((el) => el.getBoundingClientRect().right <= box.right + 0.5)
              && box.right <= document.documentElement.clientWidth;
        }"""), "the action items' row overflows"

        # Yes: the meeting closes, and the desk's, the outcome's and the polls' buttons are off.
        answer["yes"] = True
        await console.locator("#close-meeting").click()
        await expect(console.locator("body")).to_have_class(ENDED)
        await until(lambda: len(asked) == 4, lambda: f"closing the meeting was not asked: {asked}")
        for controls in ("#checkin-form button", "#outcome-form button", "#poll-form button", "#close-meeting"):
            buttons = console.locator(controls)
            assert await buttons.count() > 0, controls
            for i in range(await buttons.count()):
                await expect(buttons.nth(i)).to_be_disabled()
        # a button still shown in the polls' list would look clickable: none is shown, or it is off
        for button in await console.locator("#polls button:visible").all():
            await expect(button).to_be_disabled()
        assert console.yishi_errors == []  # type: ignore[attr-defined]
