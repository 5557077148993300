"""A secret ballot in the room: the phone says so before anyone votes, confirms the choice, and
gives its receipt code; nobody sees a count until the close; then the phone finds its receipt in
the public list, counted as cast — and says so loudly when a receipt is not there."""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.async_api import expect

from support.browser import poll_room, vote


async def test_a_secret_ballot_gives_a_receipt_that_the_phone_finds_after_the_close(server: Any, screens: Any) -> None:
    async with poll_room(server, screens) as (wall, console, phone):
        mid = urlparse(wall.url).path.split("/")[2]
        mod = await screens(mid, "moderator", key=parse_qs(urlparse(console.url).query)["key"][0])
        assert (await mod.send("open_poll", {"question": "是否同意更换物业公司？", "secret": True}))["ok"]

        block = phone.locator("#vote-polls .vote-poll").first
        await expect(block.locator(".secrecy")).to_contain_text("无记名投票：您的选择与您的身份分开保存")
        await vote(phone, 1)
        await expect(block.locator(".voted")).to_have_text("您已投票：反对")
        await expect(block.locator(".counted")).to_contain_text("您的回执码：")
        receipt = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}", await block.locator(".counted").inner_text()).group(0)
        await expect(wall.locator("#poll-hidden")).to_contain_text("已投 1 /")
        await expect(wall.locator("#poll-secrecy")).to_have_text(
            "无记名投票：谁投了什么，任何人都无法对应。投票结束时开箱计票，并按回执码公布全部选票。")
        # a reload keeps what this phone sent and its receipt: the server could not say them again
        await phone.reload()
        await expect(block.locator(".voted")).to_have_text("您已投票：反对")
        await expect(block.locator(".counted")).to_contain_text(receipt)

        assert (await mod.send("close_poll", {"poll_id": "v1"}))["ok"]
        await expect(wall.locator("#poll .row .count")).to_have_text(["0", "1", "0"])
        line = phone.locator("#receipts .receipt")
        await expect(line).to_have_text(f"“是否同意更换物业公司？”：回执 {receipt} 在公开名单中，记为“反对”，与您所投一致。")
        await expect(line).not_to_have_class(re.compile("error"))

        # A receipt the list does not hold is said at once, in red, with what to do.
        kept = json.loads(await phone.evaluate(f"localStorage.getItem('yishi:{mid}:receipts')"))
        kept["v1"]["receipt"] = "22222222"
        await phone.evaluate(f"localStorage.setItem('yishi:{mid}:receipts', {json.dumps(json.dumps(kept))})")
        await phone.reload()
        await expect(line).to_have_text("“是否同意更换物业公司？”：公开名单中没有回执 2222-2222！请立即告知工作人员。")
        await expect(line).to_have_class(re.compile("error"))
        for page in (wall, console, phone):
            assert page.yishi_errors == [], page.url  # type: ignore[attr-defined]
