"""A topic's way through the pages, from a villager's phone to the minutes: a villager proposes it
on the public topics page with their resident code; the office enters the paper sheet of
co-signatures on its page (a duplicate and an outsider refused, with the reasons beside the sheet);
another villager's signature from their phone reaches a tenth of the adult villagers of the sample
register and the topic is accepted; a villager gives an opinion in advance and another agrees with
it; the office puts the topic on the representatives' meeting's agenda; the console prints the
notice, records who was told and shows the topic's opinions when the item opens; the chair records
the outcome and closes; the minutes page reports the topic, the petition, the opinions and the
notice."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from facilitation.convening import adult
from support.browser import PHONE, chromium, new_page, open_fetching_page, open_page

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
VILLAGE = "heping-cun"
TITLE = "村东主路硬化和路灯安装"


async def test_a_villagers_topic_through_the_pages_to_the_minutes(server: Any) -> None:
    office = {"Authorization": f"Bearer {server.token}"}
    at = {"community": VILLAGE}
    year = date.today().year
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", **at}, headers=office,
                            content=(REGISTERS / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
        codes = {c["person"]: c for c in (await http.get("/api/register/codes", params=at, headers=office)).json()["codes"]}
    register = server.yishi.registries(VILLAGE).state()
    names = Counter(e.person.name for e in register.entries.values())
    adults = [e for e in register.entries.values() if e.status == "active" and adult(e.person, year)]
    unique = [e for e in adults if names[e.person.name] == 1 and e.id in codes]
    needed = -(-len(adults) // 10)
    proposer, last, agreeing = unique[0], unique[-1], next(e for e in unique[1:-1] if e.person.representative)

    async with chromium() as browser:
        # 1. The villager proposes it from the QR on their resident slip.
        phone = await open_fetching_page(browser, codes[proposer.id]["link"], **PHONE, locale="zh-CN")
        await expect(phone.locator("#resident-name")).to_contain_text(proposer.person.name)
        await phone.locator("#resident-propose summary").click()
        proposal = phone.locator("#resident-propose-form")
        await proposal.locator("[name=title]").fill(TITLE)
        await proposal.locator("[name=kind]").select_option("planning")
        await proposal.locator("[name=background]").fill("雨天泥泞，夜间无照明。")
        await proposal.locator("[name=petition]").select_option("residents")
        await proposal.locator("button[type=submit]").click()
        topic = phone.locator('article[data-topic="t1"]')
        await expect(topic.locator("h2")).to_have_text(TITLE)

        # 2. The office enters the paper sheet: all but one signature, a duplicate, an outsider.
        desk = await open_fetching_page(browser, f"{server.url}/?token={server.token}&lang=zh-CN",
                                        viewport={"width": 1280, "height": 900})
        desk.on("dialog", lambda dialog: dialog.accept())
        await desk.locator("#register-community-id").fill(VILLAGE)
        await desk.locator("#register-community button[type=submit]").click()
        await expect(desk.locator("#register-summary")).to_contain_text("在册 1121 人")
        row = desk.locator('#topic-list li[data-topic="t1"]')
        await expect(row.locator(".meta")).to_contain_text(proposer.person.name)
        on_paper = [e.person.name for e in unique[1:needed]]
        await row.locator(".sheet-box summary").click()
        await row.locator("textarea.sheet").fill("\n".join([*on_paper, on_paper[0], "外村人"]))
        await row.locator("button.enter-sheet").click()
        await expect(row.locator(".sheet-results li")).to_have_text([
            f"第 {len(on_paper) + 1} 行：{on_paper[0]} 已在这份联名上签过名。",
            f"第 {len(on_paper) + 2} 行：外村人 不在本社区名册中。"])
        await expect(row.locator(".progress-text")).to_have_text(f"联名 {needed - 1} / {needed} 人")

        # 3. The last signature from another villager's phone accepts it.
        other = await open_fetching_page(browser, codes[last.id]["link"], **PHONE, locale="zh-CN")
        road = other.locator('article[data-topic="t1"]')
        await road.locator(".sign-button").click()
        await expect(road.locator(".topic-status")).to_have_text("已受理，将协商")

        # 4. Opinions in advance: the office opens the period; a villager writes; a representative agrees.
        await desk.reload()
        row = desk.locator('#topic-list li[data-topic="t1"]')
        box = row.locator(".opinions-box")
        await box.locator("summary").click()
        await box.locator("input.until").fill((date.today() + timedelta(days=10)).isoformat())
        await box.locator("form.open-opinions button[type=submit]").click()
        await expect(box.locator(".period")).to_contain_text("正在征求意见")
        await other.reload()
        road = other.locator('article[data-topic="t1"]')
        await road.locator(".give-opinion textarea").fill("路灯要装到村小学门口。")
        await road.locator(".give-opinion button[type=submit]").click()
        said = road.locator("li.statement", has_text="路灯要装到村小学门口。")
        await expect(said).to_be_visible()
        third = await open_fetching_page(browser, codes[agreeing.id]["link"], **PHONE, locale="zh-CN")
        lamp = third.locator('article[data-topic="t1"] li.statement', has_text="路灯要装到村小学门口。")
        await lamp.locator("button.agree").click()
        await expect(lamp.locator(".counts")).to_have_text("赞同 1 · 反对 0")

        # 5. The representatives' meeting, convened from the register; the office schedules the topic.
        async with server.http() as http:
            r = await http.post("/api/meetings", headers=office, json={
                "title": "和平村村民代表会议", "form": "representatives", "place": "村委会会议室", "language": "zh-CN",
                "agenda": [{"title": TITLE}], "moderator": "村委会主任",
                "convene": {"who": "representatives", "community": VILLAGE}})
            assert r.status_code == 201, r.text
            meeting = r.json()
        await desk.reload()
        row = desk.locator('#topic-list li[data-topic="t1"]')
        await row.locator("select.meeting").select_option(meeting["id"])
        await row.locator("button.schedule").click()
        await expect(row.locator(".status")).to_have_text("已列入议程")

        # 6. The console: the notice printed, everyone told by slip, the topic's opinions at the item.
        console = await open_page(browser, f"{server.url}/m/{meeting['id']}/moderate?key={meeting['key']}&lang=zh-CN",
                                  viewport={"width": 1280, "height": 900})
        console.on("dialog", lambda dialog: dialog.accept())
        async with console.expect_popup() as opened:
            await console.locator("#notice-print").click()
        notice = await opened.value
        await expect(notice.locator("body")).to_contain_text(TITLE)
        await expect(notice.locator("body")).to_contain_text("村委会会议室")
        await console.locator("#notice-how").select_option("slip")
        await console.locator('#notice-form button[type="submit"]').click()
        await expect(console.locator("#notice-told")).to_contain_text("已通知")
        await console.locator("#agenda li").first.locator("button.open").click()
        opinions = console.locator("#advance-opinions")
        await expect(opinions.locator("h3")).to_have_text(f"会前征求意见：{TITLE}")
        await expect(opinions.locator("li.statement", has_text="路灯要装到村小学门口。")).to_contain_text("赞同 1 · 反对 0")
        await console.locator("#outcome-kind").select_option("consensus")
        await console.locator("#outcome-opinion").fill("同意实施，明年春耕前完工。")
        await console.locator("#outcome-form button[type=submit]").click()
        await expect(console.locator('#agenda li[data-key="0"] .outcome')).to_contain_text("协商一致")
        await console.locator("#close-meeting").click()
        await expect(console.locator("#close-meeting")).to_be_disabled()  # closed

        # 7. The minutes page reports each step.
        minutes = await new_page(browser)
        await minutes.goto(f"{server.url}/meetings/{meeting['id']}/minutes.html?key={meeting['key']}&lang=zh-CN")
        body = minutes.locator("body")
        for said in (f"议题由居民提出（{proposer.person.name}）", f"{needed}名居民联名提出", "会前征求意见",
                     "路灯要装到村小学门口。", "会前已通知应参会的", "同意实施，明年春耕前完工。"):
            await expect(body).to_contain_text(said)
        for page in (phone, other, third, desk, console):
            assert page.yishi_errors == []  # type: ignore[attr-defined]
