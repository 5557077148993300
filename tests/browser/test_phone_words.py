"""The phone in plain words, showing what applies now: the point of order said as what it is, a
straw poll not called a vote, who may speak and vote under the 参会人 / 列席旁听 choice; the open
poll above the floor; opinions and objections offered only once an item is open, and a line
saying so before. In Chinese and in English."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from support.browser import chromium, open_page, phone_with_code

STATIC = Path(__file__).resolve().parents[2] / "static"
WORDS = {lang: json.loads((STATIC / "i18n" / f"{lang}.json").read_text("utf-8")) for lang in ("zh-CN", "en")}
SAID = {
    "zh-CN": {"point_of_order": "对会议程序提出意见（程序动议）", "straw": "意向投票", "binding": "表决"},
    "en": {"point_of_order": "A point about how the meeting is run (point of order)", "straw": "Show of preference",
           "binding": "Vote"},
}


async def top(page: Page, selector: str) -> float:
    box = await page.locator(selector).bounding_box()
    assert box, f"{selector} is not on the screen"
    return float(box["y"])


async def test_plain_words_and_the_open_poll_first_in_both_languages(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    codes = await server.join_codes(mid, key)
    async with chromium() as browser:
        phones: dict[str, Page] = {}
        for lang, code in zip(("zh-CN", "en"), codes):
            join = f"{meeting['links']['join']}{'&' if '?' in meeting['links']['join'] else '?'}lang={lang}"
            # Before checking in: the walk-in's choice of role says who may speak and vote.
            guest = await open_page(browser, join)
            hint = guest.locator("#role-hint")
            await expect(hint).to_be_visible()
            await expect(hint).to_have_text(WORDS[lang]["checkin.role_hint"])
            for must in (("参会人", "列席旁听", "发言", "投票") if lang == "zh-CN" else ("attendee", "observer", "speak", "vote")):
                assert must in (await hint.text_content() or ""), (lang, must)
            await guest.context.close()

            phone = phones[lang] = await phone_with_code(browser, join, code)
            # No item open: nothing to write or object to yet, and a line says when that comes.
            await expect(phone.locator("#own-later")).to_have_text(WORDS[lang]["own.after_item"])
            for hidden in ("#opinion-form", "#objection-form", "#objection-send", "#stances", "#point-of-order"):
                await expect(phone.locator(hidden)).to_be_hidden()

        assert (await mod.send("open_item", {"item": 0}))["ok"]
        for lang, phone in phones.items():
            await expect(phone.locator("#objection-form")).to_be_visible()
            await expect(phone.locator("#opinion-form")).to_be_visible()
            await expect(phone.locator("#own-later")).to_be_hidden()
            await expect(phone.locator("#point-of-order")).to_have_text(SAID[lang]["point_of_order"])

        # A straw poll asks a preference; its card comes above the floor while it is open.
        assert (await mod.send("open_poll", {"question": "是否加装电梯"}))["ok"]
        for lang, phone in phones.items():
            await expect(phone.locator("#vote")).to_be_visible()
            await expect(phone.locator("#vote-title")).to_have_text(SAID[lang]["straw"])
            await expect(phone.locator("#alert-text")).to_have_text(WORDS[lang]["alert.preference"].format(question="是否加装电梯"))
            await expect(phone.locator("#floor")).to_be_visible()
            assert await top(phone, "#vote") < await top(phone, "#floor"), lang
            assert await top(phone, "#vote") < await top(phone, "#now"), lang
        poll = (await mod.send("sync"))["view"]["polls"][-1]["id"]
        assert (await mod.send("close_poll", {"poll_id": poll}))["ok"]
        for phone in phones.values():
            await expect(phone.locator("#vote")).to_be_hidden()

        # A binding vote (with its rule) is a vote: 表决.
        assert (await mod.send("open_poll", {"question": "是否同意加装电梯", "kind": "yes_no_abstain", "rule": "cast",
                                             "quorum_override": "业主大会授权本次协商会表决"}))["ok"]
        for lang, phone in phones.items():
            await expect(phone.locator("#vote-polls .vote-poll .binding")).to_be_visible()
            await expect(phone.locator("#vote-title")).to_have_text(SAID[lang]["binding"])
            await expect(phone.locator("#alert-text")).to_have_text(WORDS[lang]["alert.poll"].format(question="是否同意加装电梯"))
            assert await top(phone, "#vote") < await top(phone, "#floor"), lang

        # The language switched on the page: the words follow.
        zh = phones["zh-CN"]
        await zh.locator("#lang-switch").tap()
        await expect(zh.locator("#vote-title")).to_have_text(SAID["en"]["binding"])
        await expect(zh.locator("#point-of-order")).to_have_text(SAID["en"]["point_of_order"])
        for phone in phones.values():
            assert phone.yishi_errors == []  # type: ignore[attr-defined]
