"""The office's follow-up page (落实跟踪): staff open it with the facilitator's token, see every
meeting's open action items by due date with the overdue one flagged, report progress on one until
it is done (a photo, a percentage and a note, done), are told why a blocked without a reason is
refused, and read each action's history; in English too, on a phone, and without the server."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.async_api import Page, expect

from support.browser import LAPTOP, SMALL_PHONE, chromium, open_fetching_page as office
from support.wire import Running


async def decided(server: Running, screens: Any, due: str) -> dict[str, Any]:
    """A closed meeting whose first item decided two actions: one due `due`, one with no date."""
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装电梯。", "actions": [
                               {"what": "提交加装电梯申请", "owner": "物业公司", "due": due},
                               {"what": "公示施工方案", "owner": "居委会", "due": "下月底"}]}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


def photo(folder: Path) -> Path:
    path = folder / "现场照片.jpg"
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


async def days_late(server: Running, due: str) -> int:
    """How many days past `due` the server's today is (its calendar, Beijing time)."""
    async with server.http() as c:
        today = (await c.get("/api/actions", params={"token": server.token})).json()["today"]
    return (date.fromisoformat(today) - date.fromisoformat(due)).days


async def fits_the_width(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


async def test_staff_follow_an_action_through_to_done(server: Running, screens: Any, tmp_path: Path) -> None:
    late = await decided(server, screens, due="2020-01-31")
    soon = await decided(server, screens, due="2099-06-30")
    days = await days_late(server, "2020-01-31")
    async with chromium() as browser:
        page = await office(browser, f"{server.url}/office?token={server.token}&lang=zh-CN", **LAPTOP)
        rows = page.locator("#actions > li")
        # The API's order: the dated open ones by due date, the undated last.
        await expect(rows).to_have_count(4)
        assert [await r.get_attribute("data-action") for r in await rows.all()] == [
            f"{late['id']}/1.1", f"{soon['id']}/1.1", f"{late['id']}/1.2", f"{soon['id']}/1.2"]
        assert "token=" not in page.url  # kept by the browser, not left in the address bar

        await expect(page.locator("#counts")).to_have_text("4 项未完成，其中 1 项逾期")
        await expect(page.locator("#overdue-banner")).to_contain_text("1 项已逾期")
        row = page.locator(f'#actions > li[data-action="{late["id"]}/1.1"]')
        await expect(row).to_have_class(re.compile(r"\boverdue\b"))
        await expect(row.locator(".due .flag")).to_have_text(f"已逾期 {days} 天")
        await expect(page.locator(".flag")).to_have_count(1)
        await expect(row.locator(".meeting-title")).to_have_text("3号楼加装电梯协商会")
        await expect(row.locator(".meeting-date")).to_have_text("2026-12-05 19:00")
        await expect(row.locator(".item")).to_have_text("议题1：是否加装电梯")
        await expect(row.locator(".what")).to_have_text("提交加装电梯申请")
        await expect(row.locator(".owner")).to_have_text("物业公司")
        await expect(row.locator(".status")).to_have_text("未开始")
        await expect(row.locator(".percent")).to_have_text("0%")
        await fits_the_width(page)

        # 1. Under way, with a photo of the receipt.
        await row.locator(".update-box summary").click()
        form = row.locator("form.update")
        await form.get_by_label("更新后的状态").select_option("in_progress")
        await form.get_by_label("完成比例（0–100 %）").fill("30")
        await form.get_by_label("说明").fill("已向街道提交申请。")
        await form.get_by_label("照片或 PDF 文件（可多选）").set_input_files(str(photo(tmp_path)))
        await form.get_by_role("button", name="保存这次更新").click()
        await expect(row.locator(".status")).to_have_text("进行中")
        await expect(row.locator(".percent")).to_have_text("30%")
        await expect(row.locator(".last-note")).to_have_text("已向街道提交申请。")
        thumb = row.locator(".latest .photos img")
        await expect(thumb).to_have_count(1)
        await expect(thumb).to_have_attribute("alt", "照片：现场照片.jpg")
        src = await thumb.get_attribute("src")
        assert src and src.startswith(f"/meetings/{late['id']}/files/")
        assert (await page.request.get(f"{server.url}{src}")).status == 200
        await page.wait_for_function("img => img.complete && img.naturalWidth === 640", arg=await thumb.element_handle())

        # Blocked without saying why: refused, in words, and nothing changes.
        await form.get_by_label("更新后的状态").select_option("blocked")
        await form.get_by_role("button", name="保存这次更新").click()
        await expect(form.locator(".form-error")).to_have_text("请填写：说明。")
        await expect(row.locator(".status")).to_have_text("进行中")
        await expect(form.locator("p.hint").first).to_have_text("状态改为“受阻”或“已取消”时必须写明原因。")

        # 2. Further along.
        await form.get_by_label("更新后的状态").select_option("in_progress")
        await form.get_by_label("完成比例（0–100 %）").fill("60")
        await form.get_by_label("说明").fill("规划部门已受理。")
        await form.get_by_role("button", name="保存这次更新").click()
        await expect(row.locator(".percent")).to_have_text("60%")
        await expect(row.locator(".last-note")).to_have_text("规划部门已受理。")
        await expect(form.locator(".form-error")).to_be_hidden()

        # 3. Done: it leaves the open list, and nothing is overdue any more.
        await form.get_by_label("更新后的状态").select_option("done")
        await form.get_by_role("button", name="保存这次更新").click()
        await expect(rows).to_have_count(3)
        await expect(page.locator("#counts")).to_have_text("3 项未完成，其中 0 项逾期")
        await expect(page.locator("#overdue-banner")).to_be_hidden()
        await expect(page.locator(".flag")).to_have_count(0)

        # With the done ones shown: its status, its bar full, and its history, newest first.
        await page.get_by_label("也显示已办结和已取消的事项").check()
        await expect(rows).to_have_count(4)
        await expect(page.locator("#counts")).to_have_text("共 4 项；3 项未完成，其中 0 项逾期")
        await expect(rows.last).to_have_attribute("data-action", f"{late['id']}/1.1")
        await expect(row.locator(".status")).to_have_text("已办结")
        await expect(row.locator(".percent")).to_have_text("100%")
        await expect(row.locator(".history summary")).to_have_text("更新记录（3 条）")
        await row.locator(".history summary").click()
        entries = row.locator(".history li")
        await expect(entries.locator(".change")).to_have_text(["已办结 · 100%", "进行中 · 60%", "进行中 · 30%"])
        await expect(entries.locator(".by")).to_have_text(["社区工作人员（管理口令）"] * 3)
        await expect(entries.locator(".note")).to_have_text(["规划部门已受理。", "已向街道提交申请。"])
        await expect(entries.nth(2).locator("img")).to_have_count(1)

        # Someone else's update (the recorder's, from the console) shows on the next fetch, named as theirs.
        recorder = await screens(soon["id"], "recorder", key=soon["recorder_key"])
        assert (await recorder.send("update_action", {"action": "1.1", "percent": 10, "note": "已联系施工单位。"}))["ok"]
        await page.get_by_role("button", name="刷新").click()
        other = page.locator(f'#actions > li[data-action="{soon["id"]}/1.1"]')
        await expect(other.locator(".percent")).to_have_text("10%")
        await expect(other.locator(".history .by")).to_have_text(["记录人"])
        await fits_the_width(page)
        assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_in_english_on_a_small_phone_and_without_the_server(server: Running, screens: Any) -> None:
    late = await decided(server, screens, due="2020-01-31")
    days = await days_late(server, "2020-01-31")
    async with chromium() as browser:
        page = await office(browser, f"{server.url}/office?token={server.token}&lang=en", **SMALL_PHONE)
        await expect(page.locator("#counts")).to_have_text("2 open, 1 of them overdue")
        await expect(page.locator("#overdue-banner")).to_have_text("Reminder: 1 overdue. Follow them up and update their progress.")
        row = page.locator(f'#actions > li[data-action="{late["id"]}/1.1"]')
        await expect(row.locator(".flag")).to_have_text(f"Overdue by {days} days")
        await expect(page.locator(f'#actions > li[data-action="{late["id"]}/1.2"] .due')).to_have_text("下月底")
        await fits_the_width(page)

        await row.locator(".update-box summary").tap()
        form = row.locator("form.update")
        await form.get_by_label("Status after this update").select_option("blocked")
        await form.get_by_role("button", name="Save this update").tap()
        await expect(form.locator(".form-error")).to_have_text("Please fill in: note.")
        await fits_the_width(page)

        # The server out of reach: said so, and the list stays as it was.
        await page.context.set_offline(True)
        await page.get_by_role("button", name="Refresh").tap()
        await expect(page.locator("#offline")).to_contain_text("Cannot reach the server")
        await expect(page.locator("#actions > li")).to_have_count(2)
        await form.get_by_label("Note").fill("Waiting for the street office's stamp.")
        await form.get_by_role("button", name="Save this update").tap()
        await expect(form.locator(".form-error")).to_have_text(
            "Cannot reach the server: this update was not saved. Check the network and try again.")
        await page.context.set_offline(False)
        await page.get_by_role("button", name="Refresh").tap()
        await expect(page.locator("#offline")).to_be_hidden()
        await form.get_by_role("button", name="Save this update").tap()
        await expect(row.locator(".status")).to_have_text("Blocked")
        await expect(row.locator(".last-note")).to_have_text("Waiting for the street office's stamp.")

        # The switch to Chinese translates the page as it stands.
        await page.locator("#lang-switch").tap()
        await expect(row.locator(".status")).to_have_text("受阻")
        await expect(page.locator("#counts")).to_have_text("2 项未完成，其中 1 项逾期")
        await expect(form.get_by_label("更新后的状态")).to_have_value("blocked")
        assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_facilitators_page_links_to_it_with_the_overdue_count(server: Running, screens: Any) -> None:
    await decided(server, screens, due="2020-01-31")
    async with chromium() as browser:
        page = await office(browser, f"{server.url}/?token={server.token}&lang=zh-CN", **LAPTOP)
        link = page.locator("#followup-link")
        await expect(link).to_have_text("落实跟踪（1 项逾期）")
        await link.click()
        await expect(page).to_have_url(f"{server.url}/office")
        # The token the facilitator's page keeps is the one this page uses: nothing to type again.
        await expect(page.locator("#actions > li")).to_have_count(2)
        await expect(page.locator("#token-box")).to_be_hidden()

        stranger = await office(browser, f"{server.url}/office?lang=zh-CN", **LAPTOP)
        await expect(stranger.locator("#token-box")).to_be_visible()
        await expect(stranger.locator("#counts")).to_have_text("需要组织者令牌。")
        await stranger.get_by_label("管理口令").fill(server.token)
        await stranger.get_by_role("button", name="使用").click()
        await expect(stranger.locator("#actions > li")).to_have_count(2)
        await expect(stranger.locator("#token-box")).to_be_hidden()
        assert page.yishi_errors == [] and stranger.yishi_errors == []  # type: ignore[attr-defined]


async def test_an_objection_waiting_is_listed_with_its_wait_and_explained_from_the_page(server: Running, screens: Any) -> None:
    meeting = await decided(server, screens, "2099-01-31")
    codes = await server.join_codes(meeting["id"], meeting["key"])
    async with server.http() as c:
        r = await c.post(f"/meetings/{meeting['id']}/object", json={"code": codes[0], "item": 0, "reason": "一楼采光受影响。"})
        assert r.status_code == 200
    async with chromium() as browser:
        page = await office(browser, f"{server.url}/office?token={server.token}", locale="zh-CN")
        row = page.locator("#objections li.objection")
        await expect(row).to_have_count(1)
        await expect(row).to_contain_text("一楼采光受影响。")
        await expect(row).to_contain_text("公示期内提出")
        await expect(row.locator(".waited")).to_have_text(re.compile(r"已等待 \d+ (小时|天)"))
        await row.get_by_label("解释说明").fill("井道移到北侧，采光不受影响。")
        await row.get_by_role("button", name="提交解释").click()
        await expect(page.locator("#objections li.objection")).to_have_count(0)
        await expect(page.locator("#objections-empty")).to_be_visible()
        assert page.yishi_errors == []  # type: ignore[attr-defined]
    async with server.http() as c:
        mine = (await c.post(f"/meetings/{meeting['id']}/object", json={"code": codes[0]})).json()
        assert mine["objections"][0]["explanations"][0]["text"] == "井道移到北侧，采光不受影响。"
