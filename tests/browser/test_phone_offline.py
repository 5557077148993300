"""A phone that loses the Wi-Fi in the middle of a vote: what it would send looks off, a tap says at
once that it is not connected, in a notice that the bar saying the connection is lost does not
cover, and what only opens or closes something on the phone itself goes on working.

Debian's Chromium against a real server; the moderator is a socket.io client.
"""
from __future__ import annotations

from typing import Any

from playwright.async_api import Locator, Page, expect

from support.browser import SMALL_PHONE, chromium, phone_with_code

QUESTION = "是否同意为3号楼加装电梯"
OFFLINE = "未连接到服务器，正在重新连接；连上后请再试一次。"


async def opacity(button: Locator) -> float:
    return float(await button.evaluate("el => getComputedStyle(el).opacity"))


async def on_top(page: Page, selector: str) -> bool:
    """Whether the middle of the element is what a finger there would touch (nothing covers it)."""
    return bool(await page.evaluate("""(selector) => {
      const el = document.querySelector(selector);
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return el.contains(hit);
    }""", selector))


async def test_a_phone_without_the_server_says_so_at_once_above_the_lost_connection_bar(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("add_speaker", {"name": "赵大妈", "category": "property", "stance": "against"}))["ok"]
    assert (await mod.send("grant_floor"))["ok"]
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, meeting["key"]))[0],
                                      **SMALL_PHONE)
        assert (await mod.send("open_poll", {"question": QUESTION}))["ok"]
        yes = phone.locator('#vote-polls button[data-option="0"]')
        confirm = phone.locator("#vote-polls .confirm")
        reply = phone.locator("#reply")
        await expect(yes).to_be_visible()
        await expect(reply).to_be_visible()
        await expect(phone.locator("#alert")).to_be_visible()  # the vote has opened

        await phone.context.set_offline(True)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "reconnecting")
        await expect(phone.locator("body")).to_have_attribute("data-conn", "offline")
        assert await opacity(yes) == 1  # choosing stays possible: only sending waits for the connection
        assert await opacity(phone.locator("#alert-close")) == 1  # it only puts the banner away
        await phone.locator("#alert-close").tap()
        await expect(phone.locator("#alert")).to_be_hidden()
        assert await opacity(reply) == 1  # it only opens the reply's stances on the phone
        await reply.tap()
        await expect(phone.locator("#reply-stances")).to_be_visible()
        assert await opacity(phone.locator('#reply-stances button[data-stance="for"]')) < 0.6
        assert await opacity(phone.locator("#reply-cancel")) == 1
        await phone.locator("#reply-cancel").tap()
        await expect(phone.locator("#reply-stances")).to_be_hidden()

        await yes.tap()
        await expect(confirm).to_be_visible()
        assert await opacity(confirm) < 0.6
        await confirm.tap()
        notice = phone.locator("#notice")
        await expect(notice).to_have_text(OFFLINE)
        await expect(notice).to_be_visible()
        assert await on_top(phone, "#notice"), "the notice is under the bar saying the connection is lost"
        assert await on_top(phone, "#conn")
        await expect(confirm).to_be_enabled()  # not waiting for an answer that cannot come

        await phone.context.set_offline(False)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(phone.locator("body")).to_have_attribute("data-conn", "online")
        assert await opacity(confirm) == 1
        assert (await mod.send("sync"))["view"]["polls"][0]["counts"] == [0, 0, 0]  # the tap offline was not sent
        await confirm.tap()  # the choice is still there, waiting for its confirmation
        await expect(phone.locator("#vote-polls .voted")).to_have_text("您已投票：赞成")
        assert phone.yishi_errors == []  # type: ignore[attr-defined]
