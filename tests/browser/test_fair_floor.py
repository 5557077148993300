"""A fair floor on the pages: the moderator chooses the queue's standing order on the console and
every row says why it is there; the console's live balance marks the categories not yet heard; a
phone is told when it is next and can reply directly to the speech under way; the projector shows
the next two speakers and, when the moderator asks for it, a bar per category.

Debian's Chromium through playwright against a real server; the moderator's socket (a real
socket.io client) stands for the desk adding speakers without a phone.
"""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from support.browser import LAPTOP, PHONE, chromium, new_page, open_page, phone_with_code

NOT_YET_IN_CATEGORY = "本类别尚未发言"
# The phone's vibration, counted (a headless browser has no motor to feel).
COUNT_VIBRATIONS = """
window.yishiVibrations = [];
Object.defineProperty(Navigator.prototype, "vibrate", {
  configurable: true, value: (pattern) => { window.yishiVibrations.push(pattern); return true; },
});
"""


async def phone_feeling_vibrations(browser: Any, join_url: str, code: str) -> Any:
    """A phone checked in with its code, whose vibrations are counted in `window.yishiVibrations`."""
    page = await new_page(browser, **PHONE)
    await page.add_init_script(COUNT_VIBRATIONS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.yishi_errors = errors  # type: ignore[attr-defined]
    await page.goto(join_url)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    await page.locator("#code-input").fill(code)
    await page.locator("#code-submit").tap()
    await expect(page.locator("#member")).to_be_visible()
    return page


async def test_the_floor_is_fair_and_the_room_sees_it(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    links = meeting["links"]
    codes = await server.join_codes(mid, meeting["key"])  # 张桂英 (户籍居民), 周海燕 (物业服务企业)
    mod = await screens(mid, "moderator", key=meeting["key"])
    # 钱大爷 (户籍居民) has been heard: his category has had the floor.
    for command, payload in [("open_item", {"item": 0}),
                             ("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}),
                             ("grant_floor", {}), ("end_speech", {})]:
        assert (await mod.send(command, payload))["ok"], command
    qian = next(p["id"] for p in (await mod.send("sync"))["view"]["participants"] if p["name"] == "钱大爷")

    async with chromium() as browser:
        console = await open_page(browser, links["moderator"], viewport={"width": 1400, "height": 1000})
        screen = await open_page(browser, links["projector"], viewport={"width": 1280, "height": 720})
        zhang = await phone_with_code(browser, links["join"], codes[0], **PHONE)
        zhou = await phone_feeling_vibrations(browser, links["join"], codes[1])

        # In the order of asking: 钱大爷 again, 孙老师 (专家), 周海燕 from her phone (物业), 吴阿姨 (户籍).
        assert (await mod.send("add_speaker", {"participant_id": qian, "stance": "for"}))["ok"]
        assert (await mod.send("add_speaker", {"name": "孙老师", "category": "expert", "stance": "against"}))["ok"]
        await zhou.locator('#stances button[data-stance="question"]').tap()
        await expect(zhou.locator("#queue-place")).to_have_text("您排在第 3 位")
        assert (await mod.send("add_speaker", {"name": "吴阿姨", "category": "registered", "stance": "for"}))["ok"]
        queue = console.locator("#mod-queue li")
        await expect(queue.locator(".who")).to_have_text(["钱大爷", "孙老师", "周海燕", "吴阿姨"])
        await expect(console.locator("#policy-select")).to_have_value("first_come")
        await expect(queue.locator(".reason-tag:visible")).to_have_count(0)

        # The moderator puts the categories not yet heard first: the queue re-orders, each row says why.
        await console.locator("#policy-select").select_option("unheard_categories")
        await expect(console.locator("#policy-hint")).to_contain_text("所属类别还没有人发过言的排在最前")
        await expect(queue.locator(".who")).to_have_text(["孙老师", "周海燕", "吴阿姨", "钱大爷"])
        await expect(queue.locator(".reason-tag:visible")).to_have_text([NOT_YET_IN_CATEGORY, NOT_YET_IN_CATEGORY, "尚未发言"])
        await expect(queue.nth(3).locator(".reason-tag")).to_be_hidden()  # 钱大爷: the order he asked in
        await expect(zhou.locator("#queue-place")).to_have_text("您排在第 2 位")
        await expect(zhou.locator("#queue-why")).to_have_text(f"排在这里的原因：{NOT_YET_IN_CATEGORY}")

        # The live balance: categories present that have not spoken stand out, in words.
        balance = console.locator("#balance-categories")
        for unheard in ("property", "expert"):
            row = balance.locator(f'tr[data-category="{unheard}"]')
            await expect(row).to_have_class(re.compile(r"\bunheard\b"))
            await expect(row.locator(".unheard-tag")).to_have_text("未发言")
        registered = balance.locator('tr[data-category="registered"]')
        await expect(registered).not_to_have_class(re.compile(r"\bunheard\b"))
        await expect(registered.locator(".speakers")).to_have_text("1/3")  # 钱大爷 of 张桂英, 钱大爷, 吴阿姨
        await expect(registered.locator(".waiting")).to_have_text("2")
        people = console.locator("#balance-people tr")
        await expect(people.last).to_contain_text("钱大爷")  # who asked but has not been heard comes first
        await expect(console.locator('#balance-people tr[data-person] .unheard-tag:visible')).to_have_count(3)

        # The projector: the next two, large, near the speaker.
        await expect(screen.locator("#queue li.next .who")).to_have_text("孙老师")
        await expect(screen.locator("#queue li.then .who")).to_have_text("周海燕")
        await expect(screen.locator("#queue li.next .place")).to_have_text("下一位")
        await expect(screen.locator("#queue li.then .place")).to_have_text("再下一位")
        await expect(screen.locator("#queue li.next .meta")).to_contain_text(NOT_YET_IN_CATEGORY)
        big = float(await screen.locator("#queue li.next .who").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
        assert big >= 36, big  # read from the back row
        await expect(screen.locator("#balance-box")).to_be_hidden()

        # 孙老师 has the floor: 周海燕 is heard next, and her phone says so.
        await expect(zhou.locator("#alert")).to_be_hidden()
        assert await zhou.evaluate("window.yishiVibrations") == []
        await console.locator("#grant-next").click()
        await expect(screen.locator("#speaker-name")).to_have_text("孙老师")
        await expect(zhou.locator("#alert-text")).to_have_text("下一位发言：您，请做好准备。")
        assert await zhou.evaluate("window.yishiVibrations") == [[200, 100, 200]]  # felt in a pocket too
        await expect(zhou.locator("#alert")).to_be_in_viewport()
        await expect(zhou.locator("#queue-place")).to_have_text("您排在第 1 位：下一位发言就是您")
        await expect(zhou.locator("#reply-box")).to_be_hidden()  # waiting already: one request at a time
        await expect(balance.locator('tr[data-category="expert"]')).not_to_have_class(re.compile(r"\bunheard\b"))
        # the time each category has spoken, 孙老师's running speech counted into the experts'
        await expect(balance.locator('tr[data-category="expert"] .seconds')).to_have_text(re.compile(r"^\d+:[0-5]\d$"))
        await expect(console.locator('#balance-people tr:has-text("孙老师") .seconds')).to_have_text(re.compile(r"^\d+:[0-5]\d$"))

        # A limit set on the console: the speaker's time against it counts down beside the timer.
        await console.locator("#limit-category_seconds").fill("5")
        await console.locator("#limits-save").click()
        left = console.locator('#speaker-limits li[data-limit="category_seconds"]')
        await expect(left).to_have_text(re.compile(r"^本类别累计发言时间：还剩 (5:00|4:[0-5]\d)$"))
        assert (await mod.send("sync"))["view"]["floor"]["limits"] == {"category_seconds": 300, "reply_seconds": 60}
        # ...and on the projector, under the timer, large enough for the back row
        wall_left = screen.locator('#speaker-limits li[data-limit="category_seconds"]')
        await expect(wall_left).to_have_text(re.compile(r"^本类别累计发言时间：还剩 (5:00|4:[0-5]\d)$"))
        size = float(await wall_left.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
        root = float(await screen.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))
        assert size >= root * 1.2, (size, root)  # what the room reads is 1rem or larger; this larger still
        # Past the limit (one second for the category): flagged on the console and the projector, never cut off.
        ack = await mod.send("set_floor_policy", {"policy": "unheard_categories", "limits": {"category_seconds": 1}})
        assert ack["ok"], ack
        await expect(left).to_have_attribute("data-over", "true")
        await expect(left).to_have_class(re.compile(r"\bover\b"))
        await expect(left).to_have_text(re.compile(r"^本类别累计发言时间：已超出 \d+:[0-5]\d$"))
        await expect(wall_left).to_have_class(re.compile(r"\bover\b"))
        await expect(wall_left).to_have_text(re.compile(r"^本类别累计发言时间：已超出 \d+:[0-5]\d$"))
        await expect(screen.locator("#speaker-name")).to_have_text("孙老师")  # still speaking

        # 张桂英 answers 孙老师 directly from her phone: heard next, tagged as a reply.
        await expect(zhang.locator("#reply")).to_be_visible()
        await zhang.locator("#reply").tap()
        await expect(zhang.locator("#reply-hint")).to_contain_text("直接回应孙老师")
        await expect(zhang.locator("#stances")).to_be_hidden()  # the ordinary request steps aside meanwhile
        await zhang.locator('#reply-stances button[data-stance="against"]').tap()
        await expect(queue.first.locator(".who")).to_have_text("张桂英")
        await expect(queue.first.locator(".reason-tag")).to_have_text("直接回应")
        await expect(screen.locator("#queue li.next .who")).to_have_text("张桂英")
        await expect(screen.locator("#queue li.next .meta")).to_contain_text("直接回应")
        await expect(screen.locator("#queue li.then .who")).to_have_text("周海燕")
        await expect(zhang.locator("#alert-text")).to_have_text("下一位发言：您，请做好准备。")
        await expect(zhang.locator("#reply-box")).to_be_hidden()
        await expect(zhou.locator("#queue-place")).to_have_text("您排在第 2 位")
        await expect(zhou.locator("#alert")).to_be_hidden()  # no longer next: the banner does not say so
        reply = next(r for r in (await mod.send("sync"))["view"]["queue"] if r["kind"] == "reply")
        assert (reply["who"]["name"], reply["stance"], reply["reason"]) == ("张桂英", "against", "reply")

        # The moderator shows the balance on the projector: a bar per category, the unheard marked.
        await console.locator("#show-balance").check()
        bars = screen.locator("#balance-rows")
        await expect(screen.locator("#balance-box")).to_be_visible()
        property_row = bars.locator('.row[data-category="property"]')
        await expect(property_row).to_have_class(re.compile(r"\bunheard\b"))
        await expect(property_row.locator(".unheard-tag")).to_have_text("尚未发言")
        await expect(property_row).to_contain_text("物业服务企业")
        await expect(property_row.locator(".count")).to_contain_text("0/1 人发过言")
        await expect(bars.locator('.row[data-category="expert"] .count')).to_contain_text("1/1 人发过言")
        await expect(bars.locator('.row[data-category="registered"] .count')).to_contain_text("1/3 人发过言")
        await expect(bars.locator(".row.unheard")).to_have_count(1)
        await expect(bars.locator(".row .fill").first).to_have_attribute("style", re.compile(r"width:"))
        assert (await mod.send("sync"))["view"]["floor"]["show_balance"] is True

        for page in (console, screen, zhang, zhou):
            assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_recorder_sees_the_balance_but_not_the_chairs_floor_rules(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        page = await open_page(browser, meeting["links"]["recorder"], viewport={"width": 1400, "height": 1000})
        await expect(page.locator("#balance-panel")).to_be_visible()
        for chair in ("#policy-select", "#show-balance", "#limits-form", "#unheard-first"):
            await expect(page.locator(chair)).to_be_hidden()
        assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_every_floor_control_on_the_console_has_a_label(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        page = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await expect(page.locator("#policy-hint")).to_have_text("按申请发言的先后顺序。")
        unlabelled = await page.evaluate("""() => [...document.querySelectorAll(
            '#policy-box select, #limits-form input, #balance-panel input')]
            .filter((el) => !el.labels || !el.labels.length || !el.labels[0].textContent.trim()).map((el) => el.id)""")
        assert unlabelled == []
        await expect(page.locator("#limit-reply_seconds")).to_have_value("60")
        assert page.yishi_errors == []  # type: ignore[attr-defined]


async def test_a_forms_order_and_limits_and_the_creators_own_make_the_meeting(server: Any) -> None:
    """The office sets the council's order of the floor and a limit in the forms panel; the create
    form shows that limit greyed in its blank input, takes two more typed, and the console of the
    meeting made has them all."""
    async with chromium() as browser:
        page = await new_page(browser, **LAPTOP)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{server.url}/?token={server.token}&lang=zh-CN")
        await page.locator("#register-community-id").fill("heping-cun")
        await page.locator("#register-community button[type=submit]").click()
        panel = page.locator("#forms")
        await expect(panel.locator("#forms-state")).to_have_text("默认模板")
        await panel.locator("#forms-form").select_option("council")
        editor = panel.locator("#forms-editor")
        await expect(editor.locator("[name=floor_policy]")).to_have_value("first_come")
        await editor.locator("[name=floor_policy]").select_option("unheard_categories")
        await editor.get_by_label("每人累计发言时间（分钟）").fill("5")
        await panel.locator("#forms-edit button[type=submit]").click()
        await expect(panel.locator("#forms-state")).to_have_text("本社区已修改此模板")
        await expect(editor.locator("[name=limit_person_seconds]")).to_have_value("5")

        create = page.locator("#create-form")
        await create.locator("[name=title]").fill("和平村村道协商会")
        await create.locator("[name=form]").select_option("council")
        limits = create.locator("#create-limits")
        await expect(limits.locator("[name=limit_person_seconds]")).to_have_attribute("placeholder", "5")
        await expect(limits.locator("[name=limit_person_seconds]")).to_have_value("")
        await limits.get_by_label("赞成方、反对方各自累计发言时间（分钟）").fill("10")
        await limits.get_by_label("直接回应时长（秒）").fill("30")
        await create.locator("[name=roster]").fill("张桂英, registered")
        await create.locator("button[type=submit]").click()
        moderator = page.locator('#created-links a[data-link="moderator"]')
        await expect(moderator).to_be_visible()
        assert errors == []

        console = await open_page(browser, await moderator.get_attribute("href"), viewport={"width": 1400, "height": 1000})
        await expect(console.locator("#policy-select")).to_have_value("unheard_categories")
        await expect(console.locator("#limit-person_seconds")).to_have_value("5")
        await expect(console.locator("#limit-side_seconds")).to_have_value("10")
        await expect(console.locator("#limit-reply_seconds")).to_have_value("30")
        await expect(console.locator("#limit-category_seconds")).to_have_value("0")
        assert console.yishi_errors == []  # type: ignore[attr-defined]
