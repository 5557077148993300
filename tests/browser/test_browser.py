"""The pages in a real browser (Debian's Chromium through playwright) against a real server.

The projector's QR code is decoded from a screenshot, the phone follows it, and a meeting is run
from the moderator console to its minutes.
"""
from __future__ import annotations

import asyncio
import io
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import numpy as np
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, Page, expect

from live.errors import message

from support.browser import PHONE, chromium, new_page, open_page, vote

SUMMARY = "住六楼，行动不便，支持加装电梯，愿意多分摊费用。"
REASON = "一楼采光会受影响，补偿方案还没有定。"
EXPLANATION = "设计单位已调整井道位置，一楼住户不分摊费用，补偿方案下次会议公示。"
QUESTION = "是否同意为3号楼加装电梯"


def on_loopback(url: str, server_url: str) -> str:
    """The QR code may carry the machine's LAN address; the test browser talks to loopback."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=urlsplit(server_url).netloc))


def decode_qr(png: bytes) -> list[str]:
    pixels = np.array(Image.open(io.BytesIO(png)).convert("L"))
    return [b.text for b in zxingcpp.read_barcodes(pixels)]


async def smallest_text(page: Page) -> float:
    """The smallest font size (px) of any text the page shows."""
    return float(await page.evaluate("""() => Math.min(...[...document.querySelectorAll('body *')]
        .filter((el) => el.checkVisibility() && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((el) => parseFloat(getComputedStyle(el).fontSize)))"""))


async def accept_dialogs(page: Page) -> None:
    async def accept(dialog: Any) -> None:
        await dialog.accept()

    page.on("dialog", accept)


async def test_a_meeting_runs_from_the_qr_code_to_the_minutes(server: Any) -> None:
    meeting = await server.create_meeting()
    links = meeting["links"]
    async with chromium() as browser:
        screen = await open_page(browser, links["projector"], viewport={"width": 1280, "height": 720})
        await expect(screen.locator("#title")).to_have_text("3号楼加装电梯协商会")
        await screen.wait_for_function("document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0")
        codes = decode_qr(await screen.screenshot())
        assert codes == [links["join"]]

        moderator = await open_page(browser, links["moderator"], viewport={"width": 1400, "height": 1000})
        await accept_dialogs(moderator)
        await moderator.locator('#agenda li[data-key="0"] button.open').click()
        await expect(screen.locator("#item")).to_contain_text("是否加装电梯")

        phone = await open_page(browser, on_loopback(codes[0], server.url), **PHONE)
        await phone.locator("#walkin-name").fill("钱大爷")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("钱大爷")
        await expect(screen.locator("#attendance-total")).to_have_text("1")
        await phone.locator('#stances button[data-stance="for"]').tap()
        await expect(phone.locator("#queue-place")).to_contain_text("1")
        await expect(screen.locator("#queue")).to_contain_text("钱大爷")

        await moderator.locator("#mod-queue li", has_text="钱大爷").locator("button.grant").click()
        await expect(screen.locator("#speaker-name")).to_have_text("钱大爷")
        await expect(screen.locator("#countdown")).to_have_text(re.compile(r"^[23]:\d\d$"))
        await expect(phone.locator("#queue-place")).to_have_text("请您发言")

        speech = moderator.locator("#speeches li").first
        await speech.locator("textarea.summary").fill(SUMMARY)
        await speech.locator("button.save").click()
        await expect(speech).to_have_class(re.compile(r"\bdone\b"))

        await phone.locator("#objection-reason").fill(REASON)
        await phone.locator("#objection-send").tap()
        await expect(phone.locator("#my-objections li.objection")).to_contain_text(REASON)
        objection = moderator.locator("#objections li", has_text=REASON)
        await objection.locator("textarea.explanation").fill(EXPLANATION)
        await objection.locator("button.save").click()
        mine = phone.locator("#my-objections li.objection")
        await expect(mine.locator(".explanations")).to_contain_text(EXPLANATION)
        await mine.locator("button.answered").tap()
        await expect(objection.locator(".response")).to_have_attribute("data-response", "answered")

        await moderator.locator("#poll-question").fill(QUESTION)
        await moderator.locator("#poll-kind").select_option("yes_no_abstain")
        await expect(moderator.locator("#poll-hide")).to_be_checked()  # the moderator reveals the results, by default
        await moderator.locator("#poll-form button[type=submit]").click()
        await expect(screen.locator("#poll-question")).to_contain_text(QUESTION)
        # while people vote the wall says how many have voted, of how many, and never how
        await expect(screen.locator("#poll-hidden")).to_have_text(re.compile(r"^已投 0 / [1-9]\d*$"))
        await expect(screen.locator("#poll-rows")).to_be_hidden()
        # a tap chooses; the phone says the choice again and sends it once confirmed
        await phone.locator('#vote-polls button[data-option="1"]').tap()
        await expect(phone.locator("#vote-polls .confirm-text")).to_have_text("您选择的是：反对。确认投票吗？投出后不能更改。")
        await phone.locator("#vote-polls .change").tap()
        await expect(phone.locator("#vote-polls .confirm-row")).to_be_hidden()
        await expect(moderator.locator("#polls .poll .total")).to_have_text(re.compile("^共 0 票"))  # nothing was sent
        await vote(phone, 0)
        await expect(phone.locator("#vote-polls .voted")).to_have_text("您已投票：赞成")
        await expect(phone.locator("#vote-polls .counted")).to_have_text("已计入。目前已有 1 人投票，结果将由主持人公布。")
        await expect(screen.locator("#poll-hidden")).to_have_text(re.compile(r"^已投 1 / [1-9]\d*$"))
        console_poll = moderator.locator("#polls .poll").first
        await expect(console_poll.locator(".rows .count")).to_have_text(["1", "0", "0"])  # the moderator sees it all along
        await expect(console_poll.locator(".kept")).to_be_visible()
        # the moderator also sees the ballots per category, and who has not voted yet
        await expect(console_poll.locator(".by-category caption")).to_have_text("各类别的手机投票")
        await expect(console_poll.locator(".by-category tr")).to_have_count(2)  # the header, the phone's category
        await console_poll.locator("button.reveal").click()
        await expect(screen.locator('#poll .row[data-option="0"] .count')).to_have_text("1")
        await expect(screen.locator("#poll-total")).to_contain_text("1")
        await expect(screen.locator("#poll-hidden")).to_be_hidden()
        # the phone now shows the count that includes its ballot
        await expect(phone.locator("#vote-polls .counted")).to_have_text("已计入。目前共 1 票：赞成 1 · 反对 0 · 弃权 0")
        await expect(console_poll.locator("button.reveal")).to_be_hidden()

        await moderator.locator("#close-meeting").click()
        await expect(screen.locator("#closed")).to_be_visible()
        await expect(phone.locator("#closed")).to_be_visible()
        await expect(phone.locator("#my-objections")).to_contain_text(EXPLANATION)  # still there after the close
        await expect(phone.locator("#public-minutes")).to_have_attribute("href", f"/meetings/{meeting['id']}/public")
        for page in (screen, moderator, phone):
            assert page.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as http:
        r = await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"]})
    assert r.status_code == 200, f"minutes.md answered {r.status_code}"
    minutes = r.text
    for expected in (SUMMARY, REASON, EXPLANATION, QUESTION, "钱大爷"):
        assert expected in minutes
    # the poll's result: the "for" option's row carries the one ballot (in either language)
    assert re.search(r"^\|\s*(赞成|yes|for)\s*\|.*\b1\b", minutes, re.M | re.I), "the poll result is not in the minutes"


async def test_a_phone_keeps_its_identity_on_reload_and_shows_refusals(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    async with chromium() as browser:
        phone = await open_page(browser, meeting["links"]["join"], **PHONE)
        code = (await server.join_codes(meeting["id"], meeting["key"]))[0]  # 张桂英's slip
        await phone.locator("#code-input").fill(code)
        await phone.locator("#code-submit").tap()
        await expect(phone.locator("#me-name")).to_have_text("张桂英")
        token = await phone.evaluate(f"localStorage.getItem('yishi:{meeting['id']}:token')")
        assert token
        assert await smallest_text(phone) >= 18  # many attendees are elderly

        # No item is open yet: no stance buttons to tap and no objection to send (both would only be
        # refused); the phone says when they come.
        await expect(phone.locator("#stances")).to_be_hidden()
        await expect(phone.locator("#queue-place")).to_have_text("主持人开始议题后即可申请发言。")
        await expect(phone.locator("#objection-form")).to_be_hidden()
        await expect(phone.locator("#own-later")).to_have_text("主持人开始议题后，可以在这里写书面意见或提出异议。")
        # An item open: an objection without a reason is refused by the server, and the phone says why.
        assert (await mod.send("open_item", {"item": 0}))["ok"]
        await phone.locator("#objection-send").tap()
        await expect(phone.locator("#notice")).to_have_text(message("empty_text", "zh-CN", {"field": "reason"}))
        await expect(phone.locator("#notice")).to_have_attribute("data-kind", "error")

        await phone.reload()
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(phone.locator("#me-name")).to_have_text("张桂英")
        await expect(phone.locator("#checkin")).to_be_hidden()
        assert await phone.evaluate(f"localStorage.getItem('yishi:{meeting['id']}:token')") == token

        # Switching the language relabels the page and the server answers in the new language too.
        await phone.locator("#lang-switch").tap()
        await expect(phone.locator("#objection-send")).to_have_text("Raise objection")
        await expect(phone.locator("#conn")).to_have_attribute("data-state", "connected")
        await phone.locator("#objection-send").tap()
        await expect(phone.locator("#notice")).to_have_text(message("empty_text", "en", {"field": "reason"}))
        await phone.reload()
        await expect(phone.locator("#objection-send")).to_have_text("Raise objection")  # remembered
        assert phone.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_facilitator_creates_a_meeting_from_the_page(server: Any) -> None:
    async with chromium() as browser:
        page = await open_facilitator(browser, f"{server.url}/?token={server.token}&lang=zh-CN")
        assert "token" not in page.url  # kept in localStorage, not in the address bar
        assert await page.evaluate("localStorage.getItem('yishi:facilitator-token')") == server.token
        form = page.locator("#create-form")
        await form.locator("input[name=title]").fill("老旧小区停车位协商会")
        await form.locator("select[name=form]").select_option("hearing")
        await expect(form.locator("select[name=form] option:checked")).to_have_text("民主听证会")
        await form.locator("input[name=place]").fill("社区活动室")
        await form.locator("input[name=starts_at]").fill("2026-12-10T19:30")
        await page.locator("#add-item").click()
        rows = page.locator("#agenda-rows .agenda-row")
        await rows.nth(0).locator("[name=item-title]").fill("停车位分配办法")
        await rows.nth(0).locator("textarea").fill("小区现有车位80个，登记车辆120辆。")
        await rows.nth(1).locator("[name=item-title]").fill("收费标准")
        await form.locator("textarea[name=roster]").fill("张桂英, registered\n周海燕，property")
        await form.locator("select[name=floor_policy]").select_option("unheard_categories")
        await form.get_by_label("发布单位（公示署名）").fill("幸福里社区居民委员会")
        await form.get_by_label("公示期（天）").fill("10")
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#created")).to_be_visible()
        moderator_link = await page.locator('#created-links a[data-link="moderator"]').get_attribute("href")
        assert moderator_link and "/moderate?key=" in moderator_link
        recorder_link = await page.locator('#created-links a[data-link="recorder"]').get_attribute("href")
        assert recorder_link and "/record?key=" in recorder_link and recorder_link.split("/m/")[1].split("/")[0] == \
            moderator_link.split("/m/")[1].split("/")[0]
        await expect(page.locator("#created-links dt")).to_have_text(["主持人链接", "记录人链接", "投影页面", "参会人扫码页面"])
        await expect(page.locator("#meetings tbody")).to_contain_text("老旧小区停车位协商会")
        await expect(page.locator("#created .hint")).to_contain_text("只显示这一次")
        # The join QR code is on the page too (for a console that cannot print it), and it reads.
        qr = page.locator("#created-qr")
        await expect(qr).to_have_attribute("src", re.compile(r"/m/[0-9a-f]+/qr\.svg$"))
        assert await qr.evaluate("img => img.complete && img.naturalWidth > 0")
        read = zxingcpp.read_barcodes(Image.open(io.BytesIO(await qr.screenshot())).convert("L"))
        assert read and read[0].text.endswith("/join") and "/m/" in read[0].text
        # The list has no console links (their keys are stored hashed): a lost one is issued anew,
        # after a confirmation, and the old one stops working.
        row = page.locator("#meetings tbody tr", has_text="老旧小区停车位协商会")
        await expect(row.locator('a[data-link="projector"]')).to_be_visible()
        await expect(row.locator('a[data-link="recorder"]')).to_have_count(0)
        page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        await row.locator('button[data-reissue="recorder"]').click()
        new_recorder = row.locator('a[data-link="recorder"]')
        await expect(new_recorder).to_have_attribute("href", re.compile(r"/record\?key="))
        new_recorder_link = await new_recorder.get_attribute("href")
        assert new_recorder_link != recorder_link
        async with server.http() as http:
            key = recorder_link.split("key=")[1]
            mid = recorder_link.split("/m/")[1].split("/")[0]
            assert (await http.get(f"/api/meetings/{mid}", params={"key": key})).json()["masked"] is True
            new_key = new_recorder_link.split("key=")[1]
            assert (await http.get(f"/api/meetings/{mid}", params={"key": new_key})).json()["masked"] is False

    meeting_id = moderator_link.split("/m/")[1].split("/")[0]
    async with server.http() as http:
        view = (await http.get(f"/api/meetings/{meeting_id}", params={"key": moderator_link.split("key=")[1]})).json()
    assert (view["form"], view["place"], view["starts_at"]) == ("hearing", "社区活动室", "2026-12-10 19:30")
    assert view["floor"]["policy"] == "unheard_categories"  # chosen over the hearing's own (for and against in turn)
    assert [a["title"] for a in view["agenda"]] == ["停车位分配办法", "收费标准"]
    assert view["invited"] == {"total": 2, "in": 0}  # the room's view counts the invited, never lists them
    async with server.http() as http:  # the public minutes are signed by the body typed, posted for the days typed
        public = (await http.get(f"/meetings/{meeting_id}/minutes.json", params={"public": "1"})).json()
    assert (public["meeting"]["issuer"], public["meeting"]["notice_days"]) == ("幸福里社区居民委员会", 10)
    async with server.http() as http:
        desk = (await http.get(f"/api/meetings/{meeting_id}/codes", params={"key": moderator_link.split("key=")[1]})).json()
    assert [(r["name"], r["category"]) for r in desk["codes"]] == [("张桂英", "registered"), ("周海燕", "property")]


async def test_the_facilitator_page_asks_for_a_token_it_does_not_have(server: Any) -> None:
    async with chromium() as browser:
        page = await open_facilitator(browser, f"{server.url}/?token=wrong")
        await expect(page.locator("#token-box")).to_be_visible()
        await page.locator("#token").fill(server.token)
        await page.locator("#token-form button").click()
        await expect(page.locator("#token-box")).to_be_hidden()


async def open_facilitator(browser: Browser, url: str) -> Page:
    page = await new_page(browser, viewport={"width": 1280, "height": 900})
    await page.goto(url)
    await expect(page.locator("#create-form button[type=submit]")).not_to_have_text("")  # catalogue loaded
    return page


async def test_the_moderator_acts_for_people_without_a_phone(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        page = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await accept_dialogs(page)  # "close the vote?"
        await page.locator('#agenda li[data-key="0"] button.open').click()
        await expect(page.locator('#agenda li[data-key="0"]')).to_have_class(re.compile(r"\bcurrent\b"))

        # check in from the invited list, then a walk-in
        await page.locator("#checkin-invitee").select_option(label="张桂英 · 户籍居民")
        await page.locator("#checkin-form button[type=submit]").click()
        await expect(page.locator("#attendance-total")).to_have_text("1")
        await page.locator("#checkin-name").fill("钱大爷")
        await page.locator("#checkin-category").select_option("registered")
        await page.locator("#checkin-form button[type=submit]").click()
        await expect(page.locator("#attendance-total")).to_have_text("2")

        # a raised hand from someone checked in, and one from someone new
        await page.locator("#speaker-participant").select_option(label="张桂英 · 户籍居民")
        await page.locator("#speaker-stance").select_option("for")
        await page.locator("#add-speaker button[type=submit]").click()
        await page.locator("#speaker-participant").select_option("")
        await page.locator("#speaker-new-name").fill("赵大妈")
        await page.locator("#speaker-category").select_option("property")
        await page.locator("#speaker-stance").select_option("against")
        await page.locator("#add-speaker button[type=submit]").click()
        queue = page.locator("#mod-queue li .who")
        await expect(queue).to_have_text(["张桂英", "赵大妈"])
        await page.locator("#mod-queue li").first.locator("button.down").click()
        await expect(queue).to_have_text(["赵大妈", "张桂英"])
        await expect(page.locator("#attendance-total")).to_have_text("3")

        await page.locator("#grant-next").click()
        await expect(page.locator("#speaker-name")).to_have_text("赵大妈")
        await page.locator("#pause").click()
        await expect(page.locator("#countdown")).to_have_class(re.compile(r"\bpaused\b"))
        await page.locator("#resume").click()
        await expect(page.locator("#countdown")).not_to_have_class(re.compile(r"\bpaused\b"))
        await page.locator("#extend").click()
        await expect(page.locator("#countdown")).to_have_text(re.compile(r"^[34]:\d\d$"))  # 180 s + 60 s
        await page.locator("#end-speech").click()
        await expect(page.locator("#speaker-name")).to_have_text("暂无人发言")
        await page.locator("#mod-queue li", has_text="张桂英").locator("button.remove").click()  # confirmed
        await expect(queue).to_have_count(0)

        # a single-choice poll counted by show of hands
        await page.locator("#poll-question").fill("停车方案")
        await page.locator("#poll-kind").select_option("single")
        await page.locator("#poll-options").fill("方案一\n方案二")
        await page.locator("#poll-form button[type=submit]").click()
        poll = page.locator("#polls .poll").first
        await poll.locator(".hand-count summary").click()
        await poll.locator('.hands input[data-option="0"]').fill("5")
        await poll.locator('.hands input[data-option="1"]').fill("3")
        await poll.locator("button.add-hands").click()
        await expect(poll.locator(".rows .count")).to_have_text(["5", "3"])
        await expect(poll.locator(".rows .label")).to_have_text(["方案一", "方案二"])
        await expect(poll.locator(".progress")).to_have_text("已投票 8 / 可投票到会 3 人")  # hands of people without a check-in
        await poll.locator("button.close-poll").click()
        await expect(poll).to_have_class(re.compile(r"\bclosed\b"))

        # an opinion and an objection said out loud, recorded for 钱大爷; his answer to the explanation
        await page.locator("#behalf-participant").select_option(label="钱大爷 · 户籍居民")
        await page.locator("#behalf-text").fill("停车费不要涨。")
        await page.locator("#behalf-opinion").click()
        opinion = page.locator("#opinions li", has_text="停车费不要涨。")
        await opinion.locator("button.approve").click()
        await expect(opinion).to_have_attribute("data-visible", "true")
        await page.locator("#behalf-participant").select_option(label="钱大爷 · 户籍居民")
        await page.locator("#behalf-text").fill("没有听取老年住户的意见。")
        await page.locator("#behalf-objection").click()
        objection = page.locator("#objections li", has_text="没有听取老年住户的意见。")
        await objection.locator("textarea.explanation").fill("下周上门走访老年住户。")
        await objection.locator("button.save").click()
        await objection.locator("button.still").click()
        await expect(objection.locator(".response")).to_have_attribute("data-response", "still_objects")

        # the outcome: no consensus, put to the residents' assembly, with an action item
        await page.locator("#outcome-kind").select_option("none")
        await page.locator("#outcome-opinion").fill("意见分歧较大，提交居民会议表决。")
        await page.locator("#add-action").click()
        action = page.locator("#actions .action-row").first
        await action.locator("input[name=what]").fill("召开居民会议")
        await action.locator("input[name=owner]").fill("居委会")
        await action.locator("input[name=due]").fill("2026-12-31")
        await page.locator("#outcome-form button[type=submit]").click()
        await expect(page.locator('#agenda li[data-key="0"] .outcome')).to_have_text("未达成一致（提交居民会议决定）")
        assert page.yishi_errors == []  # type: ignore[attr-defined]

    async with server.http() as http:
        view = (await http.get(f"/api/meetings/{meeting['id']}", params={"key": meeting["key"]})).json()
    outcome = view["agenda"][0]["outcome"]
    assert outcome["outcome"] == "none" and outcome["opinion"] == "意见分歧较大，提交居民会议表决。"
    assert outcome["actions"] == [{"what": "召开居民会议", "owner": "居委会", "due": "2026-12-31"}]
    assert view["polls"][0]["counts"] == [5, 3] and view["polls"][0]["open"] is False
    assert [(o["text"], o["who"]["name"]) for o in view["opinions"]] == [("停车费不要涨。", "钱大爷")]


async def test_a_screen_that_lost_the_network_catches_up_when_it_returns(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    moderator = await screens(meeting["id"], "moderator", key=meeting["key"])
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport={"width": 1280, "height": 720})
        await expect(screen.locator("#conn")).to_have_text("已连接")
        await screen.context.set_offline(True)
        await expect(screen.locator("#conn")).to_have_attribute("data-state", "reconnecting")
        await expect(screen.locator("#conn")).to_have_text("连接中断，正在重新连接…")
        assert (await moderator.send("open_item", {"item": 1}))["ok"]  # happens while the screen is away
        assert (await moderator.send("add_speaker", {"name": "钱大爷", "category": "registered", "stance": "for"}))["ok"]
        await screen.context.set_offline(False)
        await expect(screen.locator("#conn")).to_have_attribute("data-state", "connected")
        await expect(screen.locator("#item")).to_have_text("议题2：费用分摊")
        await expect(screen.locator("#queue")).to_contain_text("钱大爷")


async def test_a_console_with_a_wrong_key_says_so(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        page = await new_page(browser)
        await page.goto(f"{server.url}/m/{meeting['id']}/moderate?key=wrong")
        await expect(page.locator("#conn")).to_have_attribute("data-state", "refused")
        await expect(page.locator("#title")).to_have_text(message("bad_credentials", "zh-CN"))
