"""Topics on the facilitator's page: a residents' petition entered from its paper sheet until it
reaches a tenth of the village's adult registered residents (a duplicate and an outsider refused
with the reason, shown beside the sheet), then put on a meeting's agenda; another topic declined
with the reason; the public page linked for the community shown."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from facilitation.convening import adult
from support.browser import chromium, new_page

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"


async def test_the_office_takes_a_petition_from_paper_to_a_meetings_agenda(server: Any) -> None:
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", "community": "heping-cun"}, headers=office,
                            content=(REGISTERS / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
        meeting = (await http.post("/api/meetings", headers=office, json={
            "title": "村民代表会议", "form": "representatives", "agenda": [{"title": "村务公开"}, {"title": "村道硬化"}]})).json()
    register = server.yishi.registries("heping-cun").state()
    year = date.today().year
    names = Counter(e.person.name for e in register.entries.values())
    unique = [e.person.name for e in register.entries.values() if adult(e.person, year) and names[e.person.name] == 1]
    needed = -(-sum(adult(e.person, year) for e in register.entries.values()) // 10)

    async with chromium() as browser:
        page = await new_page(browser, viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda dialog: dialog.accept("村集体用地已列入规划，明年再议。"))
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        await page.locator("#register-community-id").fill("heping-cun")
        await page.locator("#register-community button[type=submit]").click()
        await expect(page.locator("#register-summary")).to_contain_text("在册 1121 人")
        await expect(page.locator("#topics-public")).to_have_attribute("href", "/topics?community=heping-cun")

        for title, petition in (("村道硬化和路灯安装", "residents"), ("修建篮球场", "")):
            await page.locator("#topic-new summary").click()
            form = page.locator("#topic-form")
            await form.locator("[name=title]").fill(title)
            await form.locator("[name=kind]").select_option("planning")
            await form.locator("[name=source]").select_option("residents")
            await form.locator("[name=proposer]").fill("村民 张建国等")
            await form.locator("[name=groups]").fill("第一村民小组、第二村民小组")
            await form.locator("[name=petition]").select_option(petition)
            await form.locator("button[type=submit]").click()
            await expect(page.locator("#topic-list li.topic", has_text=title)).to_be_visible()

        road = page.locator('#topic-list li[data-topic="t1"]')
        await expect(road.locator(".progress-text")).to_have_text(f"联名 0 / {needed} 人")
        await road.locator(".sheet-box summary").click()
        await road.locator("textarea.sheet").fill("\n".join([*unique[:needed - 1], unique[0], "不存在的人"]))
        await road.locator("button.enter-sheet").click()
        road = page.locator('#topic-list li[data-topic="t1"]')
        await expect(road.locator(".progress-text")).to_have_text(f"联名 {needed - 1} / {needed} 人")
        await expect(road.locator(".sheet-results li")).to_have_text([
            f"第 {needed} 行：{unique[0]} 已在这份联名上签过名。", f"第 {needed + 1} 行：不存在的人 不在本社区名册中。"])
        await road.locator("textarea.sheet").fill(unique[needed - 1])
        await road.locator("button.enter-sheet").click()
        await expect(road.locator(".badge.status")).to_have_text("已受理")

        await road.locator("select.meeting").select_option(meeting["id"])
        await road.locator("input.item").fill("2")
        await road.locator("button.schedule").click()
        await expect(road.locator(".badge.status")).to_have_text("已列入议程")

        court = page.locator('#topic-list li[data-topic="t2"]')
        await court.locator("button.decline").click()
        await expect(court.locator(".badge.status")).to_have_text("不予受理")
        await expect(court.locator(".reason")).to_have_text("理由：村集体用地已列入规划，明年再议。")

        public = await new_page(browser, viewport={"width": 390, "height": 844})
        await public.goto(f"{server.url}/topics?community=heping-cun&lang=zh-CN")
        await expect(public.locator('[data-topic="t1"] .topic-status')).to_have_text("已列入会议议程")
        await expect(public.locator('[data-topic="t2"] .declined')).to_contain_text("明年再议")
        assert errors == []
