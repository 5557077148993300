"""Debian's Chromium through playwright, for the browser tests: launched headless, with generous
budgets for every wait (Chromium, the server and the test share CPUs that others may keep busy)."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Every wait is for something to show; reaching the budget fails the test with what never showed.
BROWSER_BUDGET_MS = 60_000

expect.set_options(timeout=BROWSER_BUDGET_MS)


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    # Never skipped: a machine without the browser must fail this test, not pass it silently.
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does it as root)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=BROWSER_BUDGET_MS)
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser: Browser, **context: Any) -> Page:
    """A page in a context of its own (its own storage, as another device would have)."""
    ctx: BrowserContext = await browser.new_context(**context)
    ctx.set_default_timeout(BROWSER_BUDGET_MS)
    ctx.set_default_navigation_timeout(BROWSER_BUDGET_MS)
    return await ctx.new_page()


async def open_page(browser: Browser, url: str, **context: Any) -> Page:
    """A page opened at `url` and connected to the server; errors its scripts throw are kept."""
    page = await open_fetching_page(browser, url, **context)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    return page


async def open_fetching_page(browser: Browser, url: str, **context: Any) -> Page:
    """A page without a socket (the office's, which fetches) opened at `url`: errors its scripts
    throw, and whatever its Content-Security-Policy blocks, are kept in `page.yishi_errors`."""
    page = await new_page(browser, **context)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Whatever the page's Content-Security-Policy blocks is an error too: something would not work.
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.yishi_errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    return page


LAPTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}


async def vote(poll: Page | Locator, option: int) -> None:
    """A phone's person taps an option and confirms it (the phone sends a ballot only once it is
    confirmed); `poll` is the phone's page (its first open poll) or one poll's block."""
    block = poll.locator("#vote-polls .vote-poll").first if isinstance(poll, Page) else poll
    await block.locator(f':scope > .choices button[data-option="{option}"]').tap()
    await block.locator(":scope > .confirm-row .confirm").tap()  # its own, not a proxy's ballot's


# Phones as the tests hold them: a common one, and the small cheap one many elderly attendees have.
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                         "device_scale_factor": 2}
SMALL_PHONE: dict[str, Any] = {**PHONE, "viewport": {"width": 360, "height": 740}}


async def phone_with_code(browser: Browser, join_url: str, code: str, **context: Any) -> Page:
    """A phone that opened the join page and checked in with the personal code on its slip."""
    phone = await open_page(browser, join_url, **(context or SMALL_PHONE))
    await phone.locator("#code-input").fill(code)
    await phone.locator("#code-submit").tap()
    await expect(phone.locator("#member")).to_be_visible()
    return phone


@contextlib.asynccontextmanager
async def poll_room(server: Any, screens: Any) -> AsyncIterator[tuple[Page, Page, Page]]:
    """A meeting with its first item open, as a poll finds it: the projector, the moderator's console
    and the first invitee's phone checked in with its code (wall, console, phone); 钱大爷, who has no
    phone, checked in at the desk for it to enter his ballot."""
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    assert (await mod.send("check_in", {"name": "钱大爷", "category": "registered"}))["ok"]
    async with chromium() as browser:
        wall = await open_page(browser, meeting["links"]["projector"], viewport={"width": 1920, "height": 1080})
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 768})
        await console.locator('#agenda li[data-key="0"] button.open').click()
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, key))[0], **PHONE)
        yield wall, console, phone
