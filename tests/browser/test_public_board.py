"""The public board (公开栏) in a browser: read on a small phone (360 px) without scrolling sideways, in
large enough type, with the photos; printed for the notice board with the date and a QR code of
its own address and without the navigation."""
from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image
from playwright.async_api import expect

from support.browser import SMALL_PHONE, chromium, new_page

# What stretches a narrow page: long text with nowhere to break, a long file name, a long address.
LONG_TITLE = "幸福里社区三号楼一单元二单元三单元加装电梯及地下车库出入口改造专题协商会议" * 2
LONG_NOTE = "已完成井道施工图设计并报送街道办事处规划建设科审核" * 6 + "http://example.invalid/" + "x" * 120


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


async def a_decided_meeting(server: Any, screens: Any) -> dict[str, Any]:
    meeting = await server.create_meeting(title=LONG_TITLE)
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装。" * 30, "actions": [
                               {"what": "提交加装电梯申请" * 5, "owner": "物业服务中心", "due": "2020-01-31"},
                               {"what": "公示施工方案", "owner": "居委会", "due": "2099-12-31"}]}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    async with server.http() as c:
        uploaded = await c.post(f"/api/meetings/{meeting['id']}/attachments",
                                params={"key": meeting["key"], "name": "现场照片" * 20 + ".jpg"}, content=photo())
        assert uploaded.status_code == 201, uploaded.text
        r = await c.post(f"/api/meetings/{meeting['id']}/actions/1.1", params={"key": meeting["key"]}, json={
            "status": "in_progress", "percent": 45, "note": LONG_NOTE,
            "attachments": [{"sha256": uploaded.json()["sha256"], "name": "现场照片" * 8 + ".jpg"}]})
        assert r.status_code == 200, r.text
    return meeting


async def test_the_board_on_a_small_phone_and_on_paper(server: Any, screens: Any) -> None:
    meeting = await a_decided_meeting(server, screens)
    async with chromium() as browser:
        phone = await new_page(browser, **SMALL_PHONE, locale="zh-CN")
        errors: list[str] = []
        phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        phone.on("pageerror", lambda e: errors.append(str(e)))
        await phone.goto(f"{server.url}/board")
        await expect(phone.locator("h1")).to_have_text("公开栏")
        action = phone.locator('[data-action="1.1"]')
        await expect(action.locator(".badge.status")).to_have_text("进行中")
        await expect(action.locator(".badge.overdue")).to_have_text("逾期")
        await action.locator(".photos img").scroll_into_view_if_needed()  # loaded lazily, as it comes into view
        await expect(action.locator(".photos img")).to_be_visible()
        await phone.wait_for_function("""() => { const img = document.querySelector('[data-action="1.1"] .photos img');
            return img.complete && img.naturalWidth > 0; }""")

        # Nothing wider than the screen: no scrolling sideways.
        width = await phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] == 360, width
        # Large enough to read: body text 18 px, nothing a reader needs under 16 px.
        sizes = await phone.evaluate("""() => [...document.querySelectorAll('main p, main dd, main dt, main h3, main a')]
            .filter(e => e.offsetParent !== null).map(e => parseFloat(getComputedStyle(e).fontSize))""")
        assert sizes and min(sizes) >= 16, sorted(sizes)[:5]
        await expect(phone.locator("#filters")).to_be_visible()
        await expect(phone.locator("#board-qr")).to_be_hidden()  # on the screen the page itself is there
        # A filter is a link: tapping one shows only what it names.
        await phone.locator('#filters a[data-status="overdue"]').tap()
        await expect(phone).to_have_url(f"{server.url}/board?status=overdue")
        await expect(phone.locator(".chosen")).to_have_text("显示：已逾期")
        await expect(phone.locator("article.meeting")).to_have_count(1)

        # On paper: the heading with the date, the QR code of the board's address, no navigation.
        await phone.emulate_media(media="print")
        await expect(phone.locator("#board-qr")).to_be_visible()
        await expect(phone.locator("#board-qr img")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
        await expect(phone.locator("#board-qr figcaption")).to_contain_text(f"{server.url}/board?status=overdue")
        await expect(phone.locator("#as-of")).to_be_visible()
        await expect(phone.locator("#as-of")).to_contain_text("截至")
        for hidden in ("header.bar", "#filters", ".links", ".photos"):
            await expect(phone.locator(hidden).first).to_be_hidden()
        await expect(phone.locator(".photos-online").first).to_have_text("现场照片1张，扫描二维码查看。")
        body = await phone.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        assert body >= 16, body  # 12 pt is 16 px
        pdf = await phone.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        assert errors == [], errors

        # In English, from the browser's language.
        english = await new_page(browser, **SMALL_PHONE, locale="en-GB")
        await english.goto(f"{server.url}/board")
        await expect(english.locator("h1")).to_have_text("Public board")
        await expect(english.locator('[data-action="1.1"] .badge.status')).to_have_text("in progress")
        await expect(english.locator(f'[data-meeting="{meeting["id"]}"] .links a.public')).to_have_attribute(
            "href", f"/meetings/{meeting['id']}/public")
        width = await english.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
