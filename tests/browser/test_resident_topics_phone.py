"""A resident on a phone-sized public topics page: a wrong code is refused in the page's language,
their code is typed once and kept, they co-sign a petition and see its progress rise and that they
signed, a reload still knows them, "not me" forgets them; another resident's slip QR opens the page
already knowing them, and their signature accepts the petition; a topic proposed from the phone.
The office's register panel prints the slips."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from support.browser import PHONE, chromium, open_fetching_page

HEPING = "heping"
CSV = "\n".join([
    "姓名,性别,出生年份,户号,与户主关系,村民小组,户籍,居民代表",
    "王建国,男,1960,0101,户主,一组,户籍,是", "李秀英,女,1962,0101,配偶,一组,户籍,否",
    "张伟,男,1975,0102,户主,一组,户籍,否", "刘芳,女,1978,0102,配偶,一组,户籍,否",
    "陈静,女,1985,0201,户主,二组,户籍,否", "杨洋,男,1983,0201,配偶,二组,户籍,否",
    "赵磊,男,1990,0202,户主,二组,户籍,否", "黄丽,女,1991,0202,配偶,二组,户籍,否",
    "周强,男,1970,0203,户主,二组,户籍,否", "吴敏,女,1972,0203,配偶,二组,户籍,否",
    "孙杰,男,1988,0204,户主,二组,户籍,否",
])


async def test_a_resident_signs_from_their_phone_and_is_known_again_after_a_reload(server: Any) -> None:
    office = {"Authorization": f"Bearer {server.token}"}
    at = {"community": HEPING}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "h.csv", **at}, headers=office, content=CSV.encode())
        assert r.status_code == 200, r.text
        r = await http.post("/api/topics", params=at, headers=office, json={
            "title": "村道安装路灯", "kind": "planning", "source": "residents", "proposer": "村民 王建国等",
            "petition": "residents"})
        assert r.status_code == 201, r.text
        codes = {e["name"]: e for e in (await http.get("/api/register/codes", params=at, headers=office)).json()["codes"]}

    url = f"{server.url}/topics?community={HEPING}&lang=zh-CN"
    async with chromium() as browser:
        phone = await open_fetching_page(browser, url, **PHONE)
        road = phone.locator('article[data-topic="t1"]')
        await expect(road.locator(".petition")).to_contain_text("0")
        form = phone.locator("#resident-code-form")
        await expect(form).to_be_visible()
        await expect(road.locator(".sign")).to_be_hidden()

        await phone.locator("#resident-code").fill("000 000 000 000")
        await form.locator("button[type=submit]").click()
        await expect(phone.locator("#resident-message")).to_contain_text("这不是本社区的居民码")

        await phone.locator("#resident-code").fill(codes["李秀英"]["shown"])
        await form.locator("button[type=submit]").click()
        await expect(phone.locator("#resident-name")).to_contain_text("李秀英")
        await expect(form).to_be_hidden()
        await road.locator(".sign-button").click()
        await expect(road.locator(".signed")).to_have_text("✓ 您已联名")
        await expect(road.locator(".petition")).to_contain_text("1")
        assert await road.locator(".progress .fill").evaluate("el => el.style.width") == "50%"

        await phone.reload()
        await expect(phone.locator("#resident-name")).to_contain_text("李秀英")
        await expect(road.locator(".signed")).to_be_visible()
        await expect(road.locator(".petition")).to_contain_text("1")

        # a topic proposed from the phone, under the resident's own name
        await phone.locator("#resident-propose summary").click()
        proposal = phone.locator("#resident-propose-form")
        await proposal.locator("[name=title]").fill("<b>修建</b>健身步道")
        await proposal.locator("[name=kind]").select_option("other")
        await proposal.locator("[name=background]").fill("老人晚上散步没有地方。")
        await expect(proposal.locator("option.representatives")).to_be_hidden()  # she is no representative
        await proposal.locator("button[type=submit]").click()
        await expect(phone.locator('article[data-topic="t2"] h2')).to_have_text("<b>修建</b>健身步道")

        await phone.locator("#resident-forget").click()
        await expect(form).to_be_visible()
        await phone.reload()
        await expect(form).to_be_visible()
        await expect(road.locator(".sign")).to_be_hidden()
        assert phone.yishi_errors == []  # type: ignore[attr-defined]

        # another resident scans their slip: the page knows them at once, and the address forgets the code
        other = await open_fetching_page(browser, codes["陈静"]["link"], **PHONE, locale="zh-CN")  # the phone's language
        await expect(other.locator("#resident-name")).to_contain_text("陈静")
        assert "code" not in other.url
        road = other.locator('article[data-topic="t1"]')
        await road.locator(".sign-button").click()
        await expect(road.locator(".signed")).to_be_visible()
        await expect(road.locator(".topic-status")).to_have_text("已受理，将协商")
        await expect(road.locator(".petition")).to_contain_text("2")
        assert other.yishi_errors == []  # type: ignore[attr-defined]

        # the office prints the slips from the register panel
        desk = await open_fetching_page(browser, f"{server.url}/?token={server.token}&lang=zh-CN",
                                        viewport={"width": 1280, "height": 900})
        await desk.locator("#register-community-id").fill(HEPING)
        await desk.locator("#register-community button[type=submit]").click()
        await desk.locator("#resident-slips-group").select_option("二组")
        async with desk.expect_popup() as opened:
            await desk.locator("#resident-slips button").click()
        slips = await opened.value
        await expect(slips.locator(".slip")).to_have_count(7)
        await expect(slips.locator(".slip", has_text="陈静")).to_contain_text(codes["陈静"]["shown"])
