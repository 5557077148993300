"""The recorder's console (/m/{id}/record?key=): the record's tools (speech summaries, explanations,
check-in and entries for people without a phone), none of the chair's (polls, the floor, the queue's
order, the agenda, outcomes, approving opinions, closing). Debian's Chromium through playwright,
against a real server; the moderator and a phone are real socket.io clients.
"""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, Page, expect

from live.errors import message

from support.browser import chromium, new_page

SUMMARY = "住六楼，支持加装电梯，愿意多分摊费用。"
REASON = "一楼采光会受影响。"
EXPLANATION = "井道移到北侧，一楼不分摊费用。"
OPINION = "请先公示设计方案。"


async def console(browser: Browser, url: str, state: str = "connected") -> Page:
    page = await new_page(browser, viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.yishi_errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    await expect(page.locator("#conn")).to_have_attribute("data-state", state)
    return page


async def a_meeting_under_way(server: Any, screens: Any) -> tuple[dict[str, Any], Any]:
    """Item 0 open, 钱大爷 heard, 赵大妈 waiting, a poll open, an opinion and an objection from a phone."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    for command, payload in [
        ("open_item", {"item": 0}),
        ("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}),
        ("grant_floor", {}), ("end_speech", {}),
        ("add_speaker", {"name": "赵大妈", "category": "property", "stance": "against"}),
        ("open_poll", {"question": "是否同意加装电梯？"}),
    ]:
        assert (await mod.send(command, payload))["ok"], command
    guest = await screens(mid, "phone", token=None)
    checked = await guest.send("check_in", {"code": (await server.join_codes(mid, meeting["key"]))[0]})
    phone = await screens(mid, "phone", token=checked["token"])
    assert (await phone.send("submit_opinion", {"text": OPINION}))["ok"]
    assert (await phone.send("raise_objection", {"reason": REASON}))["ok"]
    return meeting, mod


async def test_the_recorders_console_has_the_records_tools_and_none_of_the_chairs(server: Any, screens: Any) -> None:
    meeting, mod = await a_meeting_under_way(server, screens)
    async with chromium() as browser:
        page = await console(browser, meeting["links"]["recorder"])
        await expect(page.locator("#console-role")).to_have_text("记录人控制台")
        await expect(page).to_have_title(re.compile(r"^记录人控制台 · "))
        await expect(page.locator("#mod-queue li .who")).to_have_text(["赵大妈"])  # the queue is shown…

        # …but none of the chair's controls: no polls, no floor or queue control, no agenda, outcome or close
        for chair in ("#poll-panel", "#poll-form", "#polls", "#grant-next", "#unheard-first", "#end-speech",
                      "#pause", "#extend", "#outcome-form", "#close-meeting", "#agenda button.open",
                      "#mod-queue li .buttons", "#opinions li button.approve"):
            await expect(page.locator(chair).first).to_be_hidden()
        assert await page.locator("button:visible", has_text=re.compile("表决|结束会议|发言权")).count() == 0

        # the record's tools: summarise the speech, explain the objection, enter for someone
        speech = page.locator("#speeches li").first
        await expect(speech.locator(".head")).to_contain_text("钱大爷")
        await speech.locator("textarea.summary").fill(SUMMARY)
        await speech.locator("button.save").click()
        await expect(speech).to_have_class(re.compile(r"\bdone\b"))
        objection = page.locator("#objections li", has_text=REASON)
        await objection.locator("textarea.explanation").fill(EXPLANATION)
        await objection.locator("button.save").click()
        await expect(objection.locator(".explanations")).to_contain_text(EXPLANATION)
        for tool in ("#checkin-form", "#add-speaker", "#behalf"):
            await expect(page.locator(tool)).to_be_visible()
        await expect(page.locator("#opinions li", has_text=OPINION)).to_be_visible()  # read, not approved here
        await expect(page.locator('#minutes a[data-format="md"]')).to_have_attribute(
            "href", re.compile(f"key={re.escape(meeting['recorder_key'])}$"))
        assert page.yishi_errors == []  # type: ignore[attr-defined]

        # Switching to English keeps the recorder's title.
        await page.locator("#lang-switch").click()
        await expect(page.locator("#console-role")).to_have_text("Recorder console")

    kinds = {r.type: r.data["actor"] for r in server.yishi.store.events(meeting["id"])
             if r.type in ("SpeechSummarised", "ExplanationGiven")}
    assert kinds == {"SpeechSummarised": {"role": "recorder"}, "ExplanationGiven": {"role": "recorder"}}
    view = (await mod.send("sync"))["view"]
    assert view["speeches"][0]["summary"] == SUMMARY
    assert view["polls"][0]["open"] and view["status"] == "open"


async def test_the_moderators_console_keeps_the_chairs_controls(server: Any, screens: Any) -> None:
    meeting, _ = await a_meeting_under_way(server, screens)
    async with chromium() as browser:
        page = await console(browser, meeting["links"]["moderator"])
        await expect(page.locator("#console-role")).to_have_text("主持人控制台")
        for chair in ("#poll-form", "#grant-next", "#end-speech", "#outcome-form", "#close-meeting",
                      "#mod-queue li .buttons", "#opinions li button.approve"):
            await expect(page.locator(chair).first).to_be_visible()
        await expect(page.locator("#polls .poll")).to_have_count(1)


async def test_a_console_opened_with_the_other_consoles_key_is_refused(server: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    async with chromium() as browser:
        for url in (f"{server.url}/m/{mid}/record?key={meeting['key']}",
                    f"{server.url}/m/{mid}/moderate?key={meeting['recorder_key']}"):
            page = await console(browser, url, state="refused")
            await expect(page.locator("#title")).to_have_text(message("bad_credentials", "zh-CN"))
