"""Without the server, the facilitator's page and the moderator's console say so across the screen,
their buttons look off and send nothing, and both come back by themselves once the server answers."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from support.browser import chromium, open_fetching_page, open_page

DESK = {"viewport": {"width": 1280, "height": 900}}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


async def across_the_screen(page: Page, selector: str, width: int) -> None:
    box = await page.locator(selector).bounding_box()
    assert box and box["width"] >= width * 0.99, (selector, box)
    size = float(await page.locator(selector).evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
    assert size >= 20, (selector, size)


async def looks_off(page: Page, selector: str) -> bool:
    return bool(float(await page.locator(selector).evaluate("(el) => getComputedStyle(el).opacity")) < 0.6)


async def test_the_facilitators_page_without_the_server_and_back(server: Any) -> None:
    async with chromium() as browser:
        page = await open_fetching_page(browser, f"{server.url}/?token={server.token}&lang=zh-CN", **DESK)
        await expect(page.locator("#meetings tbody tr")).to_have_count(1)  # "no meetings yet"
        submit = page.locator("#create-form button[type=submit]")
        await expect(submit).not_to_have_text("")
        bar = page.locator("#offline")
        await expect(bar).to_have_count(0)
        assert not await looks_off(page, "#create-form button[type=submit]")

        form = page.locator("#create-form")
        await form.locator("input[name=title]").fill("老旧小区停车位协商会")
        await page.locator("#agenda-rows .agenda-row [name=item-title]").first.fill("停车位分配办法")
        await form.locator("textarea[name=roster]").fill("张桂英, registered")
        await page.context.set_offline(True)
        await submit.click()
        await expect(bar).to_be_visible()
        await expect(bar).to_have_text("无法连接服务器：页面上显示的可能不是最新情况，现在也保存不了。服务器恢复后，页面会自动恢复。")
        await across_the_screen(page, "#offline", DESK["viewport"]["width"])
        await expect(page.locator("body")).to_have_attribute("data-conn", "offline")
        await expect(submit).to_have_attribute("aria-disabled", "true")
        assert await looks_off(page, "#create-form button[type=submit]")
        # a second tap is answered at once, and nothing is kept to send later (playwright waits for an
        # aria-disabled button to be enabled: the tap is forced, as a finger's would be)
        await submit.click(force=True)
        await expect(page.locator("#notice")).to_have_text("无法连接服务器。")
        await expect(page.locator("#created")).to_be_hidden()

        await page.context.set_offline(False)
        await expect(bar).to_be_hidden()
        await expect(page.locator("body")).to_have_attribute("data-conn", "online")
        await expect(submit).not_to_have_attribute("aria-disabled", "true")
        assert not await looks_off(page, "#create-form button[type=submit]")
        async with server.http() as http:
            listed = (await http.get("/api/meetings", headers={"Authorization": f"Bearer {server.token}"})).json()
        assert listed["meetings"] == []  # the taps without the server sent nothing
        await submit.click()
        await expect(page.locator("#created")).to_be_visible()
        await expect(page.locator("#meetings tbody tr[data-meeting]")).to_have_count(1)
        assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_console_without_the_server_and_back(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}))["ok"]
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], **LAPTOP)
        grant = console.locator("#grant-next")
        await expect(grant).to_be_enabled()
        assert not await looks_off(console, "#grant-next")

        await console.context.set_offline(True)
        conn = console.locator("#conn")
        await expect(conn).to_have_attribute("data-state", "reconnecting")
        await expect(conn).to_have_text("连接中断，正在重新连接…")
        await across_the_screen(console, "#conn", LAPTOP["viewport"]["width"])
        await expect(console.locator("body")).to_have_attribute("data-conn", "offline")
        assert await looks_off(console, "#grant-next")
        await grant.click()
        await expect(console.locator("#notice")).to_have_text("未连接到服务器，正在重新连接；连上后请再试一次。")

        await console.context.set_offline(False)
        await expect(conn).to_have_attribute("data-state", "connected")
        await expect(console.locator("body")).to_have_attribute("data-conn", "online")
        assert not await looks_off(console, "#grant-next")
        assert (await mod.send("sync"))["view"]["speaker"] is None  # the refused tap was not sent later
        await grant.click()
        await expect(console.locator("#mod-queue li")).to_have_count(0)
        assert (await mod.send("sync"))["view"]["speaker"]["who"]["name"] == "钱大爷"
        assert console.yishi_errors == []  # type: ignore[attr-defined]


async def test_a_register_file_sent_as_the_server_goes_says_so(server: Any) -> None:
    """The register's import and export send their own requests: without the server they say it
    could not be reached (they threw before, and nothing on the page said anything)."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "live" / "samples" / "village-register.csv"
    async with chromium() as browser:
        page = await open_fetching_page(browser, f"{server.url}/?token={server.token}&lang=zh-CN", **DESK)
        await expect(page.locator("#meetings tbody tr")).to_have_count(1)
        await page.locator("#register-file").set_input_files(str(sample))
        await page.context.set_offline(True)
        await page.locator("#register-import button[type=submit]").click()
        await expect(page.locator("#notice")).to_have_text("无法连接服务器。")
        await expect(page.locator("#register-result")).to_be_hidden()
        await page.context.set_offline(False)
        async with server.http() as http:
            register = (await http.get("/api/register", headers={"Authorization": f"Bearer {server.token}"})).json()
        assert register["summary"]["people"] == 0  # nothing was imported
        assert page.yishi_errors == []  # type: ignore[attr-defined]
