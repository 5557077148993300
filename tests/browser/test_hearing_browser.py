"""A hearing in a browser: an invitee registers to testify on her phone, another with the link on her
slip days before (and is withdrawn by the console), the console registers two more parties, steps through the stages and calls the three in order; the projector shows the stage,
the party speaking with whom it speaks for, and those still to come; the minutes' hearing record
lists each party with what the recorder noted of its testimony."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.a11y import Checks, Nu
from support.browser import PHONE, chromium, open_fetching_page, open_page, phone_with_code

ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "registered"},
          {"name": "李建国", "category": "registered"}]
NOTES = {"张桂英": "一层采光减少两小时，要求补偿", "幸福城建公司": "井道设在北侧，夜间不施工", "李建国": "费用按楼层系数分摊"}


async def test_the_console_runs_a_hearing_of_three_parties(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(form="hearing", roster=ROSTER, title="3号楼加装电梯听证会",
                                          starts_at="2099-12-10 19:00")
    mid, key = meeting["id"], meeting["key"]
    recorder = await screens(mid, "recorder", key=meeting["recorder_key"])
    async with chromium() as browser:
        wall = await open_page(browser, meeting["links"]["projector"], viewport={"width": 1920, "height": 1080})
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await expect(console.locator("#hearing-panel")).to_be_visible()
        phone = await phone_with_code(browser, meeting["links"]["join"], (await server.join_codes(mid, key))[0], **PHONE)

        # she registers on her phone
        card = phone.locator("#testify")
        await expect(card).to_be_visible()
        await card.locator('select[name="for_kind"]').select_option("building")
        await card.locator('input[name="speaks_for"]').fill("3号楼一层住户")
        await card.locator('select[name="side"]').select_option("against")
        await card.locator('textarea[name="summary"]').fill("一层采光受影响")
        await card.locator('button[type="submit"]').tap()
        await expect(phone.locator("#testify-status")).to_contain_text("您已登记为陈述人")
        await expect(console.locator('#parties li[data-party="h1"]')).to_contain_text("张桂英")

        # days before the meeting, the link on another slip registers its holder without checking in
        codes = await server.join_codes(mid, key)
        slip = await open_fetching_page(browser, f"{meeting['links']['join']}?code={codes[1]}", **PHONE)
        await expect(slip.locator("#answer-card")).to_be_visible()
        await slip.locator('#testify textarea[name="summary"]').fill("建议先做日照分析")
        await slip.locator('#testify button[type="submit"]').tap()
        await expect(slip.locator("#testify-status")).to_have_text("已登记，请按顺序陈述")
        await expect(slip.locator("#testify form")).to_be_hidden()
        await expect(slip.locator("#member")).to_be_hidden()
        await expect(console.locator('#parties li[data-party="h2"]')).to_contain_text("周海燕")
        # ...and withdraws by telephone: the console takes her off the list, with the reason
        console.once("dialog", lambda dialog: dialog.accept("改为提交书面意见"))
        await console.locator('#parties li[data-party="h2"] button[data-action="withdraw"]').click()
        await expect(console.locator('#parties li[data-party="h2"]')).to_have_count(0)

        # the console registers a company by name and an invitee from the list
        await console.locator("#party-invitee").select_option("")
        await console.locator("#party-name").fill("幸福城建公司")
        await console.locator("#party-category").select_option("unit")
        await console.locator("#party-for").select_option("organisation")
        await console.locator("#party-speaks-for").fill("幸福城建有限公司")
        await console.locator("#party-side").select_option("for")
        await console.locator("#party-summary").fill("施工方案与工期")
        await console.locator('#party-form button[type="submit"]').click()
        await expect(console.locator('#parties li[data-party="h3"]')).to_contain_text("幸福城建公司")
        await console.locator("#party-invitee").select_option("2")
        await console.locator("#party-for").select_option("concerned")
        await console.locator("#party-speaks-for").fill("")
        await console.locator("#party-side").select_option("other")
        await console.locator("#party-summary").fill("费用分摊")
        await console.locator('#party-form button[type="submit"]').click()
        await expect(console.locator("#parties li")).to_have_count(3)

        await console.locator('#agenda li[data-key="0"] button.open').click()
        for stage in ("宣布听证程序", "介绍方案", "陈述人陈述"):
            await console.locator("#hearing-next-stage").click()
            await expect(console.locator("#hearing-stage")).to_contain_text(stage)
        await expect(wall.locator("#hearing-stage")).to_contain_text("陈述人陈述")
        await expect(phone.locator('#testify form')).to_be_hidden()  # registration has closed

        for n, (name, line) in enumerate([("张桂英", "3号楼一层住户（代表楼栋居民） · 反对"),
                                          ("幸福城建公司", "幸福城建有限公司（代表组织） · 赞成"),
                                          ("李建国", "当事人 · 其他")], 1):
            await expect(console.locator("#hearing-call")).to_contain_text(name)
            await console.locator("#hearing-call").click()
            await expect(wall.locator("#speaker-name")).to_have_text(name)
            await expect(wall.locator("#speaker-meta")).to_contain_text(line)
            await expect(wall.locator("#countdown")).not_to_be_empty()
            if n < 3:
                await expect(wall.locator("#hearing-order")).to_contain_text(["幸福城建公司", "李建国"][n - 1])
            else:
                await expect(wall.locator("#hearing-order")).to_be_hidden()
            assert (await recorder.send("summarise_speech", {"speech_id": f"s{n}", "summary": NOTES[name]}))["ok"]
        await expect(console.locator("#hearing-call")).to_be_hidden()

        minutes = await browser.new_page()
        await minutes.goto(f"{server.url}/meetings/{mid}/minutes.html?key={key}")
        record = minutes.locator("section.hearing")
        await expect(record.locator("h2")).to_have_text("听证笔录")
        await expect(record.locator("h3")).to_have_text(
            ["1. 张桂英（户籍居民）", "周海燕（户籍居民）", "2. 幸福城建公司（驻社区单位）", "3. 李建国（户籍居民）", "询问"])
        await expect(record).to_contain_text("撤回登记：改为提交书面意见")
        for name, notes in NOTES.items():
            await expect(record).to_contain_text(f"记录：{notes}")
        await expect(record).to_contain_text("登记的陈述要点：一层采光受影响")
        for page in (wall, console, phone, slip):
            assert getattr(page, "yishi_errors", []) == []


async def test_the_hearing_panel_the_testify_cards_and_the_projector_pass_axe_and_the_html_checker(
        server: Any, screens: Any, tmp_path: Any) -> None:
    nu = Nu(tmp_path / "vnu.log")
    try:
        checks = Checks(nu)
        meeting = await server.create_meeting(form="hearing", roster=ROSTER, starts_at="2099-12-10 19:00")
        mid, key = meeting["id"], meeting["key"]
        codes = await server.join_codes(mid, key)
        mod = await screens(mid, "moderator", key=key)
        async with chromium() as browser:
            phones = {}
            for lang in ("zh-CN", "en"):
                phones[lang] = await phone_with_code(browser, f"{meeting['links']['join']}?lang={lang}", codes[0], **PHONE)
            await expect(phones["en"].locator("#testify form")).to_be_visible()
            slips = {lang: await open_fetching_page(browser, f"{meeting['links']['join']}?code={codes[1]}&lang={lang}", **PHONE)
                     for lang in ("zh-CN", "en")}
            for page in slips.values():
                await expect(page.locator("#testify form")).to_be_visible()
            for name, page in [("phone", p) for p in phones.values()] + [("slip", p) for p in slips.values()]:
                await checks.page(page, f"{name} before the hearing", "zh-CN" if page in (phones["zh-CN"], slips["zh-CN"]) else "en",
                                  "registration open")
            for payload in [{"name": "幸福城建公司", "category": "unit", "for_kind": "organisation", "speaks_for": "幸福城建有限公司",
                             "side": "for", "summary": "施工方案"}, {"invitee": 2, "for_kind": "concerned", "side": "other",
                                                                 "summary": "费用分摊"}]:
                assert (await mod.send("register_party", payload))["ok"]
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            for stage in ("explain", "plan", "testimony"):
                assert (await mod.send("begin_hearing_stage", {"stage": stage}))["ok"]
            assert (await mod.send("call_party", {}))["ok"]
            for lang in ("zh-CN", "en"):
                console = await open_page(browser, f"{meeting['links']['moderator']}&lang={lang}",
                                          viewport={"width": 1400, "height": 1000})
                await expect(console.locator("#parties li")).to_have_count(2)
                await checks.page(console, "console", lang, "a testimony under way")
                wall = await open_page(browser, f"{meeting['links']['projector']}?lang={lang}",
                                       viewport={"width": 1280, "height": 720})
                await expect(wall.locator("#hearing-stage")).to_be_visible()
                await checks.page(wall, "projector", lang, "a testimony under way")
        await checks.finish()
    finally:
        nu.stop()
