"""After the meeting, a participant's own phone link says what became of the decisions (落实进展):
each item's outcome as it stands, the consultation opinion, and each action item with its owner,
due date, status, how far along (a bar and the number), overdue said in words, the latest note
and its photos; the publicity period's end with the way to object; a link to the meeting on the
public board. Staff update an action over HTTP and the phone shows it without a reload; offline
it keeps what it showed. Read at 360 px and 150 % type without scrolling sideways, in Chinese and
English.

Debian's Chromium against a real server; the moderator is a socket.io client, staff use HTTP.
"""
from __future__ import annotations

import io
from typing import Any

from PIL import Image
from playwright.async_api import Page, expect

from support.browser import PHONE, chromium, open_page, phone_with_code

OPINION = "同意加装电梯，费用按楼层分摊。"
CORRECTED = "同意加装电梯，费用分摊另行表决。"
FIRST, SECOND = "提交加装电梯申请", "公示施工方案"
NOTE = "已向街道提交申请，规划部门已受理。"
WARN = "rgb(176, 0, 32)"  # --warn: the red of what went wrong


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 140, 200)).save(out, "PNG")
    return out.getvalue()


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


async def sideways(page: Page) -> int:
    """How far the page scrolls sideways (0: nothing wider than the screen)."""
    return int(await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


async def test_the_phone_shows_the_progress_on_the_decisions_after_the_close(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    async with chromium() as browser:
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, key))[0], **PHONE)
        read: list[str] = []  # the phone's look-ups of the board
        phone.on("request", lambda r: read.append(r.url) if "/board.json" in r.url else None)
        progress = phone.locator("#progress")

        assert (await mod.send("record_outcome", {"item": 0, "outcome": "consensus", "opinion": OPINION, "actions": [
            {"what": FIRST, "owner": "物业公司", "due": "2099-12-31"},
            {"what": SECOND, "owner": "居委会", "due": "2020-01-31"}]}))["ok"]
        await expect(phone.locator("#now")).to_be_visible()
        await expect(progress).to_be_hidden()
        assert read == []  # nothing is read while the meeting is under way

        assert (await mod.send("close_meeting"))["ok"]
        await expect(phone.locator("#closed")).to_be_visible()
        await expect(progress).to_be_visible()
        assert read and all(url.endswith(f"/board.json?meeting={mid}") for url in read)
        await expect(progress.locator("h2")).to_have_text("落实进展")
        # below the closed banner, above the member's own part
        order = await phone.evaluate("""() => ['#closed', '#progress', '#member'].map(
            (s) => document.querySelector(s).getBoundingClientRect().top)""")
        assert order == sorted(order), order

        first_item = progress.locator('.decided[data-item="1"]')
        await expect(first_item.locator("h3")).to_have_text("议题1：是否加装电梯")
        await expect(first_item.locator(".outcome")).to_have_text("协商一致")
        await expect(first_item.locator(".opinion")).to_have_text(OPINION)
        await expect(first_item).to_contain_text("协商意见")
        await expect(progress.locator('.decided[data-item="2"] .outcome')).to_have_text("未记录协商结果")
        first, second = progress.locator('[data-action="1.1"]'), progress.locator('[data-action="1.2"]')
        await expect(first.locator(".what")).to_have_text(FIRST)
        await expect(first).to_contain_text("责任人：物业公司")
        await expect(first).to_contain_text("完成时限：2099-12-31")
        for action in (first, second):
            await expect(action.locator(".status")).to_have_text("未开始")
            await expect(action.locator(".percent")).to_have_text("已完成 0%")
            await expect(action).to_contain_text("尚未报告进展")
        # Overdue: said in words, in red (not by colour alone); the one due later is not.
        await expect(second.locator(".overdue")).to_have_text("已逾期")
        assert await second.locator(".overdue").evaluate("el => getComputedStyle(el).color") == WARN
        await expect(first.locator(".overdue")).to_have_count(0)
        # The publicity period runs from today: its dates and the way to object; the board's own page.
        objecting = phone.locator("#progress-object")
        await expect(objecting).to_be_visible()
        await expect(objecting).to_contain_text("公示期：")
        await expect(objecting.locator("a")).to_have_text("对决定有异议？在公示期内提出")
        await expect(objecting.locator("a")).to_have_attribute("href", f"/meetings/{mid}/object")
        await expect(progress.locator(f'a[href="/board?meeting={mid}"]')).to_have_text("在公开栏查看")

        # Staff report progress with a photo over HTTP: the phone shows it without a reload.
        async with server.http() as c:
            up = await c.post(f"/api/meetings/{mid}/attachments", params={"key": key, "name": "现场.png"}, content=photo())
            assert up.status_code == 201, up.text
            sha = up.json()["sha256"]
            r = await c.post(f"/api/meetings/{mid}/actions/1.1", headers={"Authorization": f"Bearer {server.token}"},
                             json={"status": "in_progress", "percent": 60, "note": NOTE,
                                   "attachments": [{"sha256": sha, "name": "现场.png"}]})
            assert r.status_code == 200, r.text
        await expect(first.locator(".percent")).to_have_text("已完成 60%")
        await expect(first.locator(".status")).to_have_text("进行中")
        await expect(first.locator(".note")).to_have_text(NOTE)
        await expect(first.locator(".label")).to_contain_text("最新进展（")
        assert await first.locator(".meter span").evaluate("el => el.style.width") == "60%"
        image = first.locator(".photos img")
        await expect(image).to_have_attribute("src", f"/meetings/{mid}/files/{sha}")
        await expect(image).to_have_attribute("loading", "lazy")
        await expect(image).to_have_attribute("alt", "照片1：现场.png")
        await expect(first.locator(".photos a")).to_have_attribute("href", f"/meetings/{mid}/files/{sha}")
        await expect(second.locator(".percent")).to_have_text("已完成 0%")

        # A decision corrected by the office: the outcome as it now stands, and the correction.
        async with server.http() as c:
            r = await c.post(f"/api/meetings/{mid}/items/1/corrections", headers={"Authorization": f"Bearer {server.token}"},
                             json={"outcome": "partial", "opinion": CORRECTED, "reason": "费用分摊须另行表决。",
                                   "decided_by": "街道办事处"})
            assert r.status_code == 200, r.text
        await expect(first_item.locator(".outcome")).to_have_text("部分一致")
        await expect(first_item).to_contain_text("已更正，理由：费用分摊须另行表决。")
        await expect(first_item.locator(".opinion")).to_have_text(CORRECTED)

        # Offline: what was shown stays; back online, the update made meanwhile shows.
        await phone.context.set_offline(True)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "reconnecting")
        async with server.http() as c:
            r = await c.post(f"/api/meetings/{mid}/actions/1.2", params={"key": key},
                             json={"status": "blocked", "note": "等待施工单位报价。"})
            assert r.status_code == 200, r.text
        await expect(first.locator(".note")).to_have_text(NOTE)
        await expect(second.locator(".status")).to_have_text("未开始")
        await phone.context.set_offline(False)
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(second.locator(".status")).to_have_text("受阻")
        await expect(second.locator(".note")).to_have_text("等待施工单位报价。")
        await expect(second.locator(".overdue")).to_have_text("已逾期")

        # A small phone with its type at 150 %: large type, nothing wider than the screen.
        await phone.set_viewport_size({"width": 360, "height": 740})
        assert await sideways(phone) == 0
        size = float(await first.locator(".note").evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
        assert size >= 18, size
        await phone.add_style_tag(content="html { font-size: 30px !important; }")
        await expect(first.locator(".note")).to_have_css("font-size", "30px")
        assert await sideways(phone) == 0
        assert phone.yishi_errors == []  # type: ignore[attr-defined]

        # In English, on another phone (not checked in: the board's entry is public).
        english = await open_page(browser, with_lang(meeting["links"]["join"], "en"), **PHONE)
        en = english.locator("#progress")
        await expect(en.locator("h2")).to_have_text("Progress on the decisions")
        await expect(en.locator('[data-action="1.1"] .status')).to_have_text("In progress")
        await expect(en.locator('[data-action="1.1"] .percent')).to_have_text("60% done")
        await expect(en.locator('[data-action="1.2"] .status')).to_have_text("Blocked")
        await expect(en.locator('[data-action="1.2"] .overdue')).to_have_text("Overdue")
        await expect(en.locator('[data-action="1.1"]')).to_contain_text("Latest progress (")
        await expect(en.locator('.decided[data-item="1"] .outcome')).to_have_text("Partial consensus")
        await expect(en).to_contain_text("Consultation opinion")
        await expect(en.locator("#progress-object a")).to_have_text("Object to a decision? Raise it within the publicity period")
        await expect(en.locator(f'a[href="/board?meeting={mid}"]')).to_have_text("See it on the public board")
        # the language switch puts the section in the other language at once
        await english.locator("#lang-switch").tap()
        await expect(en.locator("h2")).to_have_text("落实进展")
        await expect(en.locator('[data-action="1.1"] .percent')).to_have_text("已完成 60%")
        assert english.yishi_errors == []  # type: ignore[attr-defined]
