"""The phone tells its person when something is theirs to do, wherever they have scrolled: the
floor, a vote opening, an explanation of their objection — a banner, and the card in view."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import chromium, phone_with_code

# The phone's vibration, stubbed before the page's scripts run: each pattern asked for is kept.
VIBRATE = """window.vibrations = [];
Object.defineProperty(navigator, "vibrate", {configurable: true, value: (pattern) => { window.vibrations.push(pattern); return true; }});"""


async def vibrated(phone: Any, times: int) -> None:
    """The phone has vibrated `times` times, each time with a pattern."""
    await phone.wait_for_function("(n) => window.vibrations.length === n", arg=times)
    assert all(await phone.evaluate("window.vibrations.map((p) => Array.isArray(p) ? p.length > 0 : p > 0)"))


async def test_the_floor_a_vote_and_an_explanation_each_raise_the_banner(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, meeting["key"]))[0])
        await phone.add_init_script(VIBRATE)
        await phone.reload()  # the stub in place; the phone keeps its check-in
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        banner = phone.locator("#alert")
        await expect(banner).to_be_hidden()
        await expect(phone.locator("#member")).to_be_visible()
        assert await phone.evaluate("window.vibrations.length") == 0

        await phone.locator('#stances button[data-stance="for"]').tap()
        await expect(phone.locator("#queue-place")).to_contain_text("1")
        await expect(phone.locator("#alert-text")).to_have_text("下一位发言：您，请做好准备。")  # heard next
        await vibrated(phone, 1)
        await phone.locator("#alert-close").tap()
        await phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # reading the objections, far below
        assert (await mod.send("grant_floor", {}))["ok"]
        await expect(phone.locator("#alert-text")).to_have_text("轮到您发言了，请开始发言。")
        await expect(banner).to_be_in_viewport()
        await vibrated(phone, 2)
        await phone.locator("#alert-close").tap()
        await expect(banner).to_be_hidden()

        assert (await mod.send("open_poll", {"question": "是否加装电梯"}))["ok"]
        await expect(phone.locator("#alert-text")).to_have_text("意向投票开始：是否加装电梯（请在下方选择）")  # a straw poll: not 表决
        await expect(phone.locator("#vote")).to_be_in_viewport()
        await vibrated(phone, 3)
        # the card comes to rest below the banner, its question not hidden under it
        await phone.wait_for_function("""() => {
          const banner = document.getElementById("alert").getBoundingClientRect();
          const card = document.getElementById("vote").getBoundingClientRect();
          return card.top >= banner.bottom - 1;
        }""")
        close = phone.locator("#alert-close")
        assert (await close.bounding_box() or {"height": 99})["height"] < 60  # 知道了 on one line

        await phone.locator("#objection-reason").fill("一楼采光受影响。")
        await phone.locator("#objection-send").tap()
        await expect(phone.locator("#my-objections li.objection")).to_have_count(1)
        objection = (await mod.send("sync"))["view"]["objections"][0]["id"]
        await phone.evaluate("window.scrollTo(0, 0)")  # back at the top, the objection out of sight
        await expect(phone.locator("#objection")).not_to_be_in_viewport()
        assert (await mod.send("give_explanation", {"objection_id": objection, "text": "井道移位。"}))["ok"]
        await expect(phone.locator("#alert-text")).to_have_text("您提出的异议收到了解释说明，请查看并回复。")
        await expect(phone.locator("#objection")).to_be_in_viewport()
        await vibrated(phone, 4)
        assert phone.yishi_errors == []  # type: ignore[attr-defined]
