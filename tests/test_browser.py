"""The pages in a real browser (Debian's Chromium through playwright) against a real server.

The projector's QR code is decoded from a screenshot, the phone follows it, and a meeting is run
from the moderator console to its minutes.
"""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import numpy as np
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from live.errors import message

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SUMMARY = "住六楼，行动不便，支持加装电梯，愿意多分摊费用。"
REASON = "一楼采光会受影响，补偿方案还没有定。"
EXPLANATION = "设计单位已调整井道位置，一楼住户不分摊费用，补偿方案下次会议公示。"
QUESTION = "是否同意为3号楼加装电梯"


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    # Never skipped: a machine without the browser must fail this test, not pass it silently.
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does it as root)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def open_page(browser: Browser, url: str, **context: Any) -> Page:
    ctx: BrowserContext = await browser.new_context(**context)
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.yishi_errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    return page


def on_loopback(url: str, server_url: str) -> str:
    """The QR code may carry the machine's LAN address; the test browser talks to loopback."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=urlsplit(server_url).netloc))


def decode_qr(png: bytes) -> list[str]:
    pixels = np.array(Image.open(io.BytesIO(png)).convert("L"))
    return [b.text for b in zxingcpp.read_barcodes(pixels)]


async def accept_dialogs(page: Page) -> None:
    async def accept(dialog: Any) -> None:
        await dialog.accept()

    page.on("dialog", accept)


async def test_a_meeting_runs_from_the_qr_code_to_the_minutes(server: Any) -> None:
    meeting = await server.create_meeting()
    links = meeting["links"]
    async with chromium() as browser:
        screen = await open_page(browser, links["projector"], viewport={"width": 1280, "height": 720})
        await expect(screen.locator("#title")).to_have_text("3号楼加装电梯协商会")
        await screen.wait_for_function("document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0")
        codes = decode_qr(await screen.screenshot())
        assert codes == [links["join"]]

        moderator = await open_page(browser, links["moderator"], viewport={"width": 1400, "height": 1000})
        await accept_dialogs(moderator)
        await moderator.locator('#agenda li[data-key="0"] button.open').click()
        await expect(screen.locator("#item")).to_contain_text("是否加装电梯")

        phone = await open_page(browser, on_loopback(codes[0], server.url), **PHONE)
        await phone.locator("#walkin-name").fill("钱大爷")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("钱大爷")
        await expect(screen.locator("#attendance-total")).to_have_text("1")
        await phone.locator('#stances button[data-stance="for"]').tap()
        await expect(phone.locator("#queue-place")).to_contain_text("1")
        await expect(screen.locator("#queue")).to_contain_text("钱大爷")

        await moderator.locator("#mod-queue li", has_text="钱大爷").locator("button.grant").click()
        await expect(screen.locator("#speaker-name")).to_have_text("钱大爷")
        await expect(screen.locator("#countdown")).to_have_text(re.compile(r"^[23]:\d\d$"))
        await expect(phone.locator("#queue-place")).to_have_text("请您发言")

        speech = moderator.locator("#speeches li").first
        await speech.locator("textarea.summary").fill(SUMMARY)
        await speech.locator("button.save").click()
        await expect(speech).to_have_class(re.compile(r"\bdone\b"))

        await phone.locator("#objection-reason").fill(REASON)
        await phone.locator("#objection-send").tap()
        await expect(phone.locator("#my-objections li.objection")).to_contain_text(REASON)
        objection = moderator.locator("#objections li", has_text=REASON)
        await objection.locator("textarea.explanation").fill(EXPLANATION)
        await objection.locator("button.save").click()
        mine = phone.locator("#my-objections li.objection")
        await expect(mine.locator(".explanations")).to_contain_text(EXPLANATION)
        await mine.locator("button.answered").tap()
        await expect(objection.locator(".response")).to_have_attribute("data-response", "answered")

        await moderator.locator("#poll-question").fill(QUESTION)
        await moderator.locator("#poll-kind").select_option("yes_no_abstain")
        await moderator.locator("#poll-form button[type=submit]").click()
        await expect(screen.locator("#poll-question")).to_contain_text(QUESTION)
        await expect(screen.locator('#poll .row[data-option="0"] .count')).to_have_text("0")
        await phone.locator('#vote-polls button[data-option="0"]').tap()
        await expect(phone.locator("#vote-polls .voted")).to_have_text("您已投票：赞成")
        await expect(screen.locator('#poll .row[data-option="0"] .count')).to_have_text("1")
        await expect(screen.locator("#poll-total")).to_contain_text("1")

        await moderator.locator("#close-meeting").click()
        await expect(screen.locator("#closed")).to_be_visible()
        await expect(phone.locator("#closed")).to_be_visible()
        await expect(phone.locator("#my-objections")).to_contain_text(EXPLANATION)  # still there after the close
        for page in (screen, moderator, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as http:
        r = await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"]})
    assert r.status_code == 200, f"minutes.md answered {r.status_code}"
    minutes = r.text
    for expected in (SUMMARY, REASON, EXPLANATION, QUESTION, "钱大爷"):
        assert expected in minutes
    # the poll's result: the "for" option's row carries the one ballot (in either language)
    assert re.search(r"^\|\s*(赞成|yes|for)\s*\|.*\b1\b", minutes, re.M | re.I), "the poll result is not in the minutes"


async def test_a_phone_keeps_its_identity_on_reload_and_shows_refusals(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        phone = await open_page(browser, meeting["links"]["join"], **PHONE)
        await accept_dialogs(phone)  # "check in as 张桂英?"
        await phone.locator("#roster button", has_text="张桂英").tap()
        await expect(phone.locator("#me-name")).to_have_text("张桂英")
        token = await phone.evaluate(f"localStorage.getItem('yishi:{meeting['id']}:token')")
        assert token

        # No item is open yet: the server refuses, and the phone says why.
        await phone.locator('#stances button[data-stance="question"]').tap()
        await expect(phone.locator("#notice")).to_have_text(message("no_current_item", "zh-CN"))
        await expect(phone.locator("#notice")).to_have_attribute("data-kind", "error")

        await phone.reload()
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(phone.locator("#me-name")).to_have_text("张桂英")
        await expect(phone.locator("#checkin")).to_be_hidden()
        assert await phone.evaluate(f"localStorage.getItem('yishi:{meeting['id']}:token')") == token

        # Switching the language relabels the page and the server answers in the new language too.
        await phone.locator("#lang-switch").tap()
        await expect(phone.locator('#stances button[data-stance="for"]')).to_have_text("For")
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await phone.locator('#stances button[data-stance="for"]').tap()
        await expect(phone.locator("#notice")).to_have_text(message("no_current_item", "en"))
        await phone.reload()
        await expect(phone.locator('#stances button[data-stance="for"]')).to_have_text("For")  # remembered
        assert phone.yishi_errors == []  # type: ignore[attr-defined]
