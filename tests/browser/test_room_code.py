"""A phone that cannot scan the QR code: it reads the short address and the meeting's code off the
projector, types them on the start page, and arrives at the meeting's join page; a wrong code is
said so in the phone's language."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from live.room_codes import code_of

from support.browser import SMALL_PHONE, chromium, new_page, open_page

TITLE = "3号楼加装电梯协商会"


async def test_a_phone_types_the_code_from_the_projector_and_checks_in(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport={"width": 1280, "height": 720})
        start = await screen.locator("#start-url").text_content()
        code = await screen.locator("#room-code").text_content()
        assert start == f"{server.url.removeprefix('http://')}/j" and code == code_of(meeting["id"])
        await expect(screen.locator("#no-scan")).to_be_visible()
        await expect(screen.locator("#no-scan")).to_contain_text("扫不了码？用手机浏览器打开")

        phone = await new_page(browser, **SMALL_PHONE, locale="zh-CN")
        await phone.goto(f"http://{start}")
        await expect(phone.locator("h1")).to_have_text("加入会议")
        await phone.locator("#room-code").fill(code.lower())
        await phone.locator("#room-code-submit").tap()
        await expect(phone).to_have_url(meeting["links"]["join"])
        await expect(phone.locator("#title")).to_have_text(TITLE)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await phone.locator("#walkin-name").fill("钱大爷")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("钱大爷")
        await expect(screen.locator("#attendance-total")).to_have_text("1")


async def test_a_wrong_code_is_said_so_in_the_phones_language(server: Any) -> None:
    meeting = await server.create_meeting()
    wrong = "XXXXX" if code_of(meeting["id"]) != "XXXXX" else "YYYYY"
    async with chromium() as browser:
        for locale, said, again in (("zh-CN", f"没有正在进行的会议使用会议码 {wrong}，请核对后重新输入。", "进入会议"),
                                    ("en-GB", f"No meeting under way has the code {wrong}. Please check it and type it again.",
                                     "Go to the meeting")):
            phone = await new_page(browser, **SMALL_PHONE, locale=locale)
            await phone.goto(f"{server.url}/j")
            await phone.locator("#room-code").fill(wrong.lower())
            await phone.locator("#room-code-submit").tap()
            await expect(phone.locator(".said")).to_have_text(said)
            await expect(phone.locator("#room-code")).to_have_value(wrong)
            await expect(phone.locator("#room-code-submit")).to_have_text(again)


async def test_the_console_shows_the_code_to_read_out_to_the_room(server: Any) -> None:
    """The moderator can tell someone at the back the code and the address without the projector."""
    meeting = await server.create_meeting()
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 768})
        room = console.locator("#room")
        await expect(room).to_be_visible()
        await expect(room.locator("#room-code")).to_have_text(code_of(meeting["id"]))
        await expect(room).to_contain_text("会议码")
        await expect(room.locator("#start-url")).to_have_text(f"{server.url.removeprefix('http://')}/j")
        assert console.yishi_errors == []  # type: ignore[attr-defined]
