"""The register on the facilitator's page: a faulty file refused row by row, the village register
imported, someone marked as deceased, a meeting convened from it by household, the register exported."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from playwright.async_api import expect

from support.browser import chromium, new_page

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
FAULTY = ("姓名,出生年份,户号,村民小组\n张三,1950,01,一组\n李四,2999,02,一组\n").encode("utf-8")


async def test_the_office_keeps_its_register_and_convenes_from_it(server: Any, tmp_path: Path) -> None:
    faulty = tmp_path / "faulty.csv"
    faulty.write_bytes(FAULTY)
    async with chromium() as browser:
        page = await new_page(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        notes: list[str] = []

        async def note(dialog: Any) -> None:
            notes.append(dialog.message)
            if "迁入的户号" in dialog.message:
                await dialog.accept("099001")
            elif "与户主的关系" in dialog.message:
                await dialog.accept("户主")
            else:
                await dialog.accept("2026年11月去世")

        page.on("dialog", note)
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        await expect(page.locator("#register-summary")).to_have_text("名册还是空的：请导入办公室的名册文件（.xlsx 或 .csv）。")

        await page.locator("#register-file").set_input_files(str(faulty))
        await page.locator("#register-import button[type=submit]").click()
        await expect(page.locator("#register-bad li")).to_have_text([f"第 3 行：出生年份 2999 不合理（应在 1890 到 {date.today().year} 之间）"])
        await expect(page.locator("#register-outcome")).to_contain_text("未导入任何内容")
        await expect(page.locator("#register-summary")).to_contain_text("名册还是空的")

        await page.locator("#register-file").set_input_files(str(REGISTERS / "village-register.xlsx"))
        await page.locator("#register-import button[type=submit]").click()
        await expect(page.locator("#register-outcome")).to_have_text(
            "已导入：新增 1121 人，更新 0 人，未变 0 人；文件中没有的 0 人予以保留；未导入的问题行 0 个。")
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人（共 1121 人），324 户，10 个小组")

        await page.locator("#register-people summary").click()
        await page.locator("#register-search").fill("010001")  # a household code
        rows = page.locator("#register-table tbody tr")
        await expect(page.locator("#register-count")).to_contain_text("找到")
        first = rows.first
        name = await first.locator("td").first.inner_text()
        await first.locator("button.status-deceased").click()
        await expect(page.locator("#register-summary")).to_contain_text("在册 1120 人（共 1121 人）")
        await expect(page.locator(f'#register-table tbody tr:has-text("{name}") td.status').first).to_contain_text("已去世")
        assert notes and name in notes[0]

        # someone of the same household marries into a new one: moved, not duplicated
        second = page.locator("#register-table tbody tr:not(.left)").first
        moved = await second.locator("td").first.inner_text()
        await second.locator("button.move").click()
        await page.locator("#register-search").fill("099001")
        await expect(page.locator("#register-table tbody tr")).to_have_count(1)
        await expect(page.locator("#register-table tbody tr td").first).to_have_text(moved)
        # 010001 had two: its head died, his widow moved; 099001 is new: still 324 households in all
        await expect(page.locator("#register-summary")).to_contain_text("在册 1120 人（共 1121 人），324 户")
        await page.locator("#register-search").fill("010001")
        await expect(page.locator("#register-table tbody tr")).to_have_count(1)  # only the deceased is left there

        # a households' assembly of the first group, drawn from the register as it is now
        form = page.locator("#create-form")
        await form.locator("input[name=title]").fill("第一村民小组户代表会议")
        await form.locator("select[name=form]").select_option("assembly")
        await page.locator("#agenda-rows .agenda-row").first.locator("[name=item-title]").fill("村道硬化")
        await page.locator("#convene-who").select_option("households")
        await expect(page.locator("#typed-roster")).to_be_hidden()
        await page.locator("#convene-group-list label", has_text="第一村民小组").locator("input").check()
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#created")).to_be_visible()
        moderator = await page.locator('#created-links a[data-link="moderator"]').get_attribute("href")

        async with page.expect_download() as download:
            await page.locator("#register-export-xlsx").click()
        saved = tmp_path / "register.xlsx"
        await (await download.value).save_as(saved)
        assert errors == []
    rows_out = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert len(rows_out) == 1 + 1120  # the deceased is not in the register's export of who is on it
    meeting_id, key = moderator.split("/m/")[1].split("/")[0], moderator.split("key=")[1]
    m = await server.yishi.meetings.state(meeting_id)
    group_one = {p.household for p in server.yishi.registries().state().active() if p.group == "第一村民小组"}
    assert m.convened["who"] == "households" and m.convened["groups"] == ["第一村民小组"]
    assert len(m.roster) == len(group_one) and m.form == "assembly"
    assert key


async def test_a_street_office_chooses_the_community_whose_register_it_keeps(server: Any) -> None:
    """One install, several communities: the page opens a community's register by its id, imports
    into it alone, and a meeting convened there draws only its people."""
    async with chromium() as browser:
        page = await new_page(browser, viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        empty = "名册还是空的：请导入办公室的名册文件（.xlsx 或 .csv）。"
        await expect(page.locator("#register-summary")).to_have_text(empty)

        await page.locator("#register-community-id").fill("heping-cun")
        await page.locator("#register-community button[type=submit]").click()
        await page.locator("#register-file").set_input_files(str(REGISTERS / "village-register.csv"))
        await page.locator("#register-import button[type=submit]").click()
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人（共 1121 人），324 户")

        await page.locator("#register-community-id").fill("")  # the install's first register: still empty
        await page.locator("#register-community button[type=submit]").click()
        await expect(page.locator("#register-summary")).to_have_text(empty)
        await expect(page.locator("#register-communities option")).to_have_count(1)
        assert await page.locator("#register-communities option").get_attribute("value") == "heping-cun"

        await page.reload()  # the choice is remembered on this computer... and a wrong id changes nothing
        await page.locator("#register-community-id").fill("heping-cun")
        await page.locator("#register-community button[type=submit]").click()
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人")
        await page.reload()
        await expect(page.locator("#register-community-id")).to_have_value("heping-cun")
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人")

        form = page.locator("#create-form")
        await form.locator("input[name=title]").fill("和平村户代表会议")
        await form.locator("select[name=form]").select_option("assembly")
        await page.locator("#agenda-rows .agenda-row").first.locator("[name=item-title]").fill("村道硬化")
        await page.locator("#convene-who").select_option("households")
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#created")).to_be_visible()
        moderator = await page.locator('#created-links a[data-link="moderator"]').get_attribute("href")
        assert errors == []
    m = await server.yishi.meetings.state(moderator.split("/m/")[1].split("/")[0])
    assert m.convened["community"] == "heping-cun" and len(m.roster) == 324
    assert server.yishi.registries().state().entries == {}


async def test_a_community_typed_while_the_page_loads_is_the_one_shown(server: Any) -> None:
    """The page's first load of the register answering while the facilitator types another
    community must not put the field back: the community they asked for is the one shown."""
    import asyncio

    village = "heping-cun"
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", "community": village},
                            headers={"Authorization": f"Bearer {server.token}"},
                            content=(REGISTERS / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
    async with chromium() as browser:
        page = await new_page(browser, viewport={"width": 1280, "height": 900})
        held: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        first = [True]

        async def slow_first(route: Any) -> None:
            if first[0] and "community=" not in route.request.url:  # the page's own first load
                first[0] = False
                await held
            await route.continue_()

        await page.route("**/api/register", slow_first)
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        await expect(page.locator("#meetings tbody tr")).to_have_count(1)
        await page.locator("#register-community-id").fill(village)
        held.set_result(None)  # the first load answers now, while the field holds what was typed
        await expect(page.locator("#register-summary")).to_have_text("名册还是空的：请导入办公室的名册文件（.xlsx 或 .csv）。")
        await expect(page.locator("#register-community-id")).to_have_value(village)
        await page.locator("#register-community button[type=submit]").click()
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人")
