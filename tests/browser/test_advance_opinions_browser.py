"""Opinions gathered in advance, in the browser: the office opens a topic for opinions and enters
one received on paper, a resident on a phone-sized public page agrees with it using their kept
code (and cannot agree with their own), the office reads the summary by category and hides an
abusive opinion, which leaves the public page; the topic put on a meeting's agenda, the console
shows the summary when its item opens, and follows a stance changed meanwhile."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from playwright.async_api import expect

from support.browser import PHONE, chromium, open_fetching_page, open_page

VILLAGE = "heping-yijian"
CSV = "\n".join([
    "姓名,性别,出生年份,户号,与户主关系,村民小组,户籍,居民代表",
    "王建国,男,1960,0101,户主,一组,户籍,是", "李秀英,女,1962,0101,配偶,一组,户籍,否",
    "张伟,男,1975,0102,户主,一组,户籍,否", "刘芳,女,1978,0102,配偶,一组,户籍,否",
])


async def test_the_office_gathers_opinions_a_phone_agrees_and_the_office_sees_the_summary(server: Any) -> None:
    office = {"Authorization": f"Bearer {server.token}"}
    at = {"community": VILLAGE}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "h.csv", **at}, headers=office, content=CSV.encode())
        assert r.status_code == 200, r.text
        r = await http.post("/api/topics", params=at, headers=office, json={
            "title": "村道安装路灯", "kind": "planning", "source": "committee", "proposer": "村委会"})
        assert r.status_code == 201, r.text
        codes = {e["name"]: e for e in (await http.get("/api/register/codes", params=at, headers=office)).json()["codes"]}

    async with chromium() as browser:
        desk = await open_fetching_page(browser, f"{server.url}/?token={server.token}&lang=zh-CN",
                                        viewport={"width": 1280, "height": 900})
        desk.on("dialog", lambda dialog: dialog.accept("含有人身攻击"))
        await desk.locator("#register-community-id").fill(VILLAGE)
        await desk.locator("#register-community button[type=submit]").click()
        road = desk.locator('#topic-list li[data-topic="t1"]')
        box = road.locator(".opinions-box")
        await box.locator("summary").click()
        await expect(box.locator(".period")).to_have_text("尚未征求意见。")
        await box.locator("input.until").fill((date.today() + timedelta(days=10)).isoformat())
        await box.locator("form.open-opinions button[type=submit]").click()
        await expect(box.locator(".period")).to_contain_text("正在征求意见")

        # from paper, by the name on the register
        for who, text in (("张伟", "路灯装在村道两侧，每隔三十米一盏"), ("刘芳", "某某就是个骗子")):
            await box.locator("input.who").fill(who)
            await box.locator("select.channel").select_option("paper")
            await box.locator("textarea.text").fill(text)
            await box.locator("button.enter").click()
            await expect(box.locator("li.statement", has_text=text)).to_be_visible()
        await box.locator("input.who").fill("不存在的人")
        await box.locator("textarea.text").fill("x")
        await box.locator("button.enter").click()
        await expect(desk.locator("#notice")).to_contain_text("不存在的人 不在本社区名册中")

        # a resident's phone, known by the code on their slip, agrees
        phone = await open_fetching_page(browser, codes["李秀英"]["link"].replace("?", "?lang=zh-CN&", 1), **PHONE)
        await expect(phone.locator("#resident-name")).to_contain_text("李秀英")
        article = phone.locator('article[data-topic="t1"]')
        lamp = article.locator("li.statement", has_text="路灯装在村道两侧")
        await expect(lamp.locator(".meta")).to_contain_text("张** · 书面")
        await lamp.locator("button.agree").click()
        await expect(lamp.locator(".counts")).to_have_text("赞同 1 · 反对 0")
        await expect(lamp.locator("button.agree")).to_have_attribute("aria-pressed", "true")
        # and gives her own, which she cannot agree with herself
        await article.locator(".give-opinion textarea").fill("希望晚上十点后调暗")
        await article.locator(".give-opinion button[type=submit]").click()
        own = article.locator("li.statement", has_text="希望晚上十点后调暗")
        await expect(own.locator(".meta")).to_contain_text("李** · 网上")
        await own.locator("button.agree").click()
        await expect(article.locator(".opinion-message")).to_have_text("不能对自己的意见表态。")
        assert phone.yishi_errors == []  # type: ignore[attr-defined]

        # the office's summary, by category; the abusive one hidden with its reason
        await box.locator("summary").click()
        await box.locator("summary").click()
        lamp = box.locator("li.statement", has_text="路灯装在村道两侧")
        await expect(lamp.locator(".meta")).to_contain_text("张伟 · 户籍居民 · 书面 · 赞同 1 · 反对 0")
        await expect(lamp.locator(".by-category")).to_have_text("户籍居民：赞同 1，反对 0")
        await expect(lamp.locator(".tag")).to_have_text("表态的各类别均多数赞同")
        await expect(box.locator(".channels")).to_have_text("网上 1 条，书面 2 条，电话 0 条")
        await box.locator("li.statement", has_text="骗子").locator("button.hide-opinion").click()
        await expect(box.locator(".hidden-statements li")).to_have_text("刘芳：“某某就是个骗子”（隐藏理由：含有人身攻击）")
        await expect(box.locator("li.statement", has_text="骗子")).to_have_count(0)
        await phone.reload()
        await expect(article.locator("li.statement")).to_have_count(2)
        await expect(phone.locator("body")).not_to_contain_text("骗子")
        assert desk.yishi_errors == []  # type: ignore[attr-defined]

        # on a meeting's agenda: the console shows the summary for the item that takes the topic up
        async with server.http() as http:
            meeting = (await http.post("/api/meetings", headers=office, json={
                "title": "村民代表会议", "form": "representatives", "agenda": [{"title": "村务公开"}, {"title": "路灯"}]})).json()
            assert (await http.post("/api/topics/t1/accept", params=at, headers=office)).status_code == 200
            r = await http.post("/api/topics/t1/schedule", params=at, headers=office, json={"meeting": meeting["id"], "item": 1})
            assert r.status_code == 200, r.text
        console = await open_page(browser, f"{server.url}/m/{meeting['id']}/moderate?key={meeting['key']}&lang=zh-CN",
                                  viewport={"width": 1280, "height": 900})
        summary = console.locator("#advance-opinions")
        await expect(summary).to_be_hidden()
        await console.locator("#agenda li").nth(1).locator("button.open").click()
        await expect(summary.locator("h3")).to_have_text("会前征求意见：村道安装路灯")
        lamp = summary.locator("li.statement", has_text="路灯装在村道两侧")
        await expect(lamp).to_contain_text("张伟 · 书面 · 赞同 1 · 反对 0")
        await expect(lamp.locator(".tag")).to_have_text("表态的各类别均多数赞同")
        await expect(summary).to_contain_text("另有 1 条不当言论已隐藏。")
        await expect(summary).not_to_contain_text("骗子")
        # she changes her mind before the period ends: the meeting's copy follows
        await article.locator("li.statement", has_text="路灯装在村道两侧").locator("button.disagree").click()
        await expect(lamp).to_contain_text("张伟 · 书面 · 赞同 0 · 反对 1")
        assert console.yishi_errors == []  # type: ignore[attr-defined]
