"""The moderator console shows what staff entered for someone without a phone: a request to speak,
a check-in, a written opinion, an objection and the objector's answer entered on the console carry
the note "由工作人员代为登记" ("entered by staff on behalf" in English), and what people did on
their own phones does not. Debian's Chromium through playwright, against a real server; the
phone is a real socket.io client.
"""
from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from support.browser import chromium, open_page

NOTE = {"zh-CN": "由工作人员代为登记", "en": "entered by staff on behalf"}
OWN_OPINION = "<b>晚上</b>请增加照明。"  # typed on her phone, markup and all: shown as text
SAID_OPINION = "车位费不要涨。"
OWN_REASON = "夜间巡逻安排不了。"
SAID_REASON = "外来车辆乱停没人管。"


async def own_phone(server: Any, screens: Any, meeting: dict[str, Any], invitee: int) -> tuple[Any, str]:
    """A phone that checks itself in with its personal code, then comes back with its token."""
    meeting_id = meeting["id"]
    guest = await screens(meeting_id, "phone", token=None)
    code = (await server.join_codes(meeting_id, meeting["key"]))[invitee]
    ack = await guest.send("check_in", {"code": code})
    assert ack["ok"], ack
    await guest.close()
    return await screens(meeting_id, "phone", token=ack["token"]), ack["participant_id"]


async def test_the_console_marks_what_staff_entered_for_someone(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    zhang, _ = await own_phone(server, screens, meeting, 0)  # 张桂英, on her own phone
    async with chromium() as browser:
        page = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await page.locator('#agenda li[data-key="0"] button.open').click()
        await expect(page.locator('#agenda li[data-key="0"]')).to_have_class(re.compile(r"\bcurrent\b"))

        # her hand from her phone; 钱大爷, with no phone, added by name on the console
        assert (await zhang.send("raise_hand", {"stance": "for"}))["ok"]
        await page.locator("#speaker-participant").select_option("")
        await page.locator("#speaker-new-name").fill("钱大爷")
        await page.locator("#speaker-category").select_option("registered")
        await page.locator("#speaker-stance").select_option("against")
        await page.locator("#add-speaker button[type=submit]").click()
        queue = page.locator("#mod-queue li")
        await expect(queue.locator(".who")).to_have_text(["张桂英", "钱大爷"])
        await expect(queue.filter(has_text="钱大爷").locator(".entered")).to_have_text(NOTE["zh-CN"])
        await expect(queue.filter(has_text="张桂英").locator(".entered")).to_be_hidden()

        # who is here: he was checked in by the console as he was added, she checked herself in
        await page.locator("#participants").locator("xpath=..").locator("summary").click()
        people = page.locator("#participants li")
        await expect(people.filter(has_text="钱大爷").locator(".entered")).to_have_text(NOTE["zh-CN"])
        await expect(people.filter(has_text="张桂英").locator(".entered")).to_be_hidden()

        # the floor goes to him: the speaker, then his speech in the record, keep the note
        await queue.filter(has_text="钱大爷").locator("button.grant").click()
        await expect(page.locator("#speaker-name")).to_have_text("钱大爷")
        await expect(page.locator("#speaker-meta")).to_contain_text(NOTE["zh-CN"])
        await page.locator("#end-speech").click()
        await page.locator("#grant-next").click()
        await expect(page.locator("#speaker-name")).to_have_text("张桂英")
        await expect(page.locator("#speaker-meta")).not_to_contain_text(NOTE["zh-CN"])
        await page.locator("#end-speech").click()
        speeches = page.locator("#speeches li")
        await expect(speeches).to_have_count(2)
        await expect(speeches.filter(has_text="钱大爷").locator(".entered")).to_have_text(NOTE["zh-CN"])
        await expect(speeches.filter(has_text="张桂英").locator(".entered")).to_be_hidden()

        # written opinions: hers from her phone, his recorded on the console
        assert (await zhang.send("submit_opinion", {"text": OWN_OPINION}))["ok"]
        await page.locator("#behalf-participant").select_option(label="钱大爷 · 户籍居民")
        await page.locator("#behalf-text").fill(SAID_OPINION)
        await page.locator("#behalf-opinion").click()
        opinions = page.locator("#opinions li")
        await expect(opinions.locator(".text")).to_have_text([SAID_OPINION, OWN_OPINION])  # newest first
        await expect(opinions.filter(has_text=SAID_OPINION).locator(".entered")).to_have_text(NOTE["zh-CN"])
        await expect(opinions.filter(has_text=OWN_OPINION).locator(".entered")).to_be_hidden()
        assert await page.locator("#opinions b").count() == 0  # her markup stayed text

        # objections: hers from her phone, answered there; his recorded on the console, answered for him
        assert (await zhang.send("raise_objection", {"reason": OWN_REASON}))["ok"]
        await page.locator("#behalf-participant").select_option(label="钱大爷 · 户籍居民")
        await page.locator("#behalf-text").fill(SAID_REASON)
        await page.locator("#behalf-objection").click()
        objections = page.locator("#objections > li")
        await expect(objections.locator(".reason")).to_have_text([SAID_REASON, OWN_REASON])
        his, hers = objections.filter(has_text=SAID_REASON), objections.filter(has_text=OWN_REASON)
        await expect(his.locator(".meta .entered")).to_have_text(NOTE["zh-CN"])
        await expect(hers.locator(".meta .entered")).to_be_hidden()
        for objection in (his, hers):
            await objection.locator("textarea.explanation").fill("下周给出书面规定。")
            await objection.locator("button.save").click()
            await expect(objection.locator(".explanations li")).to_have_count(1)
        await his.locator("button.still").click()
        await expect(his.locator(".response")).to_have_attribute("data-response", "still_objects")
        await expect(his.locator(".response .entered")).to_have_text(NOTE["zh-CN"])
        oid = await hers.get_attribute("data-objection")
        assert (await zhang.send("answer_objection", {"objection_id": oid, "response": "answered"}))["ok"]
        await expect(hers.locator(".response")).to_have_attribute("data-response", "answered")
        await expect(hers.locator(".response .entered")).to_be_hidden()

        # the same notes in English, and still on nothing she did herself
        await page.locator("#lang-switch").click()
        await expect(opinions.filter(has_text=SAID_OPINION).locator(".entered")).to_have_text(NOTE["en"])
        await expect(his.locator(".meta .entered")).to_have_text(NOTE["en"])
        await expect(people.filter(has_text="钱大爷").locator(".entered")).to_have_text(NOTE["en"])
        await expect(page.locator(".entered:visible")).to_have_count(5)  # check-in, speech, opinion, objection, answer
        await expect(page.locator(".entered:visible", has_text=NOTE["zh-CN"])).to_have_count(0)
        assert page.yishi_errors == []  # type: ignore[attr-defined]
