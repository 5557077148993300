"""The notice before the meeting in a browser: the printed notice has the agenda and a QR code
that reads as the join address; days before the meeting, an invitee opening the link on their slip
replies (and changes the reply) without checking in, and the console shows it; staff record who
was told; the office's page shows the same, with the warning about who is invited."""
from __future__ import annotations

import io
from typing import Any

import zxingcpp
from PIL import Image
from playwright.async_api import expect

from support.browser import PHONE, chromium, new_page, open_fetching_page, open_page

ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "property"},
          {"name": "李建国", "category": "registered"}]


async def test_notice_printed_replies_from_a_slips_link_and_the_console_and_office_see_them(server: Any) -> None:
    meeting = await server.create_meeting(roster=ROSTER, starts_at="2099-12-10 19:00",
                                          agenda=[{"title": "是否加装电梯", "background": "6层24户，北侧单元"},
                                                  {"title": "费用分摊", "background": "按楼层系数分摊"}])
    mid, key = meeting["id"], meeting["key"]
    codes = await server.join_codes(mid, key)
    async with chromium() as browser:
        sheet = await new_page(browser, viewport={"width": 800, "height": 1130})
        await sheet.goto(f"{server.url}/m/{mid}/notice?key={key}")
        for words in ("会议通知", "是否加装电梯", "6层24户，北侧单元", "费用分摊", "按楼层系数分摊", "2099-12-10 19:00"):
            await expect(sheet.locator("body")).to_contain_text(words)
        png = await sheet.locator("#join-qr").screenshot()
        read = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
        assert [b.text for b in read] == [meeting["links"]["join"]]
        assert (await sheet.pdf(format="A4"))[:4] == b"%PDF"  # it prints

        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await expect(console.locator("#notice-panel")).to_be_visible()
        # an owners' consultation with no owners' committee invited: a warning, not a refusal
        await expect(console.locator('#notice-warnings li[data-code="category_missing"]')).to_contain_text("业主委员会")
        await expect(console.locator("#notice-told")).to_contain_text("未通知 3 人")

        phone = await open_fetching_page(browser, f"{meeting['links']['join']}?code={codes[0]}", **PHONE)
        await expect(phone.locator("#answer-card")).to_be_visible()
        await expect(phone.locator("#answer-hello")).to_contain_text("张桂英")
        assert "code=" not in phone.url
        await expect(phone.locator("#checkin")).to_be_hidden()
        await phone.locator('#answer-card [data-answer="not_coming"]').tap()
        await expect(phone.locator("#answer-saved")).to_contain_text("我不能参加")
        await expect(console.locator('#notice-people li[data-invitee="0"] .reply')).to_have_text(" · 不参加")
        # changed: she sends her son with a written proxy
        await phone.locator("#answer-holder").fill("王小明")
        await phone.locator('#answer-card [data-answer="proxy"]').tap()
        await expect(console.locator('#notice-people li[data-invitee="0"] .reply')).to_have_text(" · 委托 王小明 参加")
        await expect(console.locator("#notice-replies")).to_contain_text("委托他人 1")
        await expect(phone.locator("#member")).to_be_hidden()  # replying is not checking in

        # the desk records that 周海燕 was called
        await console.locator("#notice-whom").select_option("1")
        await console.locator("#notice-how").select_option("call")
        await console.locator('#notice-form button[type="submit"]').click()
        await expect(console.locator('#notice-people li[data-invitee="1"] .told')).to_contain_text("电话")
        await expect(console.locator("#notice-told")).to_contain_text("已通知 1/3 人")

        office = await open_fetching_page(browser, f"{server.url}/?token={server.token}", viewport={"width": 1400, "height": 1000},
                                        locale="zh-CN")
        await office.locator(f'#meetings button[data-notice="{mid}"]').click()
        await expect(office.locator("#notice-box-people tr")).to_have_count(3)
        await expect(office.locator('#notice-box-people tr[data-invitee="0"]')).to_contain_text("委托 王小明 参加")
        await expect(office.locator('#notice-box-warnings li[data-code="category_missing"]')).to_be_visible()
        for page in (sheet, console, phone, office):
            assert getattr(page, "yishi_errors", []) == []
