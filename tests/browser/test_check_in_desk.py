"""Checking in as people in the room do it: the slip's QR code, a typed code, a walk-in held for the
desk because their name is an invitee's, and the desk confirming, refusing and taking back."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from support.browser import PHONE, chromium, open_page



def answer_prompts(page: Page, text: str) -> None:
    async def answer(dialog: Any) -> None:
        await dialog.accept(text)

    page.on("dialog", answer)


async def test_the_slips_qr_link_checks_its_holder_in_and_leaves_no_code_in_the_address(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        r = await http.get(f"/api/meetings/{meeting['id']}/codes", params={"key": meeting["key"]})
    zhou = r.json()["codes"][1]  # 周海燕's slip
    assert zhou["name"] == "周海燕"
    async with chromium() as browser:
        phone = await open_page(browser, zhou["link"], **PHONE)
        await expect(phone.locator("#me-name")).to_have_text("周海燕")
        assert "code=" not in phone.url  # whoever reloads the page later must not become her
        assert await phone.locator("#checkin").is_hidden()


async def test_a_wrong_code_is_refused_in_the_phones_language(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        phone = await open_page(browser, meeting["links"]["join"], **PHONE)
        await phone.locator("#code-input").fill("123 456 789")
        await phone.locator("#code-submit").tap()
        await expect(phone.locator("#notice")).to_have_attribute("data-kind", "error")
        await expect(phone.locator("#notice")).to_contain_text("签到码")
        await expect(phone.locator("#member")).to_be_hidden()


async def test_a_walk_in_with_an_invitees_name_waits_for_the_desk_which_confirms_or_refuses(server: Any) -> None:
    meeting = await server.create_meeting()
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        answer_prompts(console, "不是本人，本人在外地。")

        # someone types 张桂英, whose slip is at home: held, not counted, told where to go
        phone = await open_page(browser, meeting["links"]["join"], **PHONE)
        await phone.locator("#walkin-name").fill("张桂英")
        await phone.locator("#walkin-category").select_option("registered")
        await phone.locator("#walkin-submit").tap()
        await expect(phone.locator("#held")).to_be_visible()
        await expect(phone.locator("#held-name")).to_have_text("张桂英")
        await expect(phone.locator("#member")).to_be_hidden()
        await expect(console.locator("#held-list li")).to_have_count(1)
        await expect(console.locator("#attendance-total")).to_have_text("0")  # not counted while held
        await expect(console.locator("#quorum")).to_be_hidden()  # an owners' consultation has no quorum rule

        # the desk sees her and confirms her as the invitee 张桂英: her phone can now take part
        held = console.locator("#held-list li", has_text="张桂英")
        await held.locator("select.as").select_option(label="张桂英 · 户籍居民")
        await held.locator("button.confirm").click()
        await expect(console.locator("#desk-held")).to_be_hidden()
        await expect(phone.locator("#member")).to_be_visible()
        await expect(phone.locator("#me-name")).to_have_text("张桂英")
        await expect(console.locator("#attendance-total")).to_have_text("1")

        # a second walk-in under the same name is held again; the desk refuses it with a reason
        other = await open_page(browser, meeting["links"]["join"], **PHONE)
        await other.locator("#walkin-name").fill("张桂英")
        await other.locator("#walkin-category").select_option("registered")
        await other.locator("#walkin-submit").tap()
        await expect(other.locator("#held")).to_be_visible()
        await console.locator("#held-list li", has_text="张桂英").locator("button.refuse").click()
        await expect(other.locator("#checkin")).to_be_visible()
        await expect(other.locator("#notice")).to_contain_text("不是本人，本人在外地。")
        assert await other.evaluate(f"localStorage.getItem('yishi:{meeting['id']}:token')") is None
        await console.locator("#participants").locator("xpath=..").locator("summary").click()  # the list of who is here
        refused = console.locator("#participants li.gone")
        await expect(refused).to_have_count(1)
        await expect(refused).to_contain_text("已拒绝")

        # a check-in taken back at the desk: the phone is told why and can check in again
        first = console.locator("#participants li:not(.gone)", has_text="张桂英")
        await first.locator("button.withdraw").click()
        await expect(phone.locator("#checkin")).to_be_visible()
        await expect(phone.locator("#notice")).to_contain_text("不是本人")
        await expect(console.locator("#attendance-total")).to_have_text("0")
        assert phone.yishi_errors == [] and console.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_printed_slips_carry_each_invitees_code_and_a_qr_of_their_own_link(server: Any) -> None:
    import io

    import numpy as np
    import zxingcpp
    from PIL import Image

    meeting = await server.create_meeting(roster=[{"name": "张桂英", "category": "registered"},
                                                  {"name": "<b>周海燕</b>", "category": "property"}])
    async with server.http() as http:
        codes = (await http.get(f"/api/meetings/{meeting['id']}/codes", params={"key": meeting["key"]})).json()["codes"]
        refused = await http.get(f"/m/{meeting['id']}/slips", params={"key": "forged"})
    assert refused.status_code == 403 and "张桂英" not in refused.text
    async with chromium() as browser:
        page = await open_slips(browser, f"{server.url}/m/{meeting['id']}/slips?key={meeting['key']}")
        slips = page.locator(".slip")
        await expect(slips).to_have_count(2)
        await expect(slips.nth(1).locator(".name")).to_have_text("<b>周海燕</b>")  # a name is text, never markup
        for i, entry in enumerate(codes):
            await expect(slips.nth(i).locator(".code strong")).to_have_text(entry["shown"])
            png = await slips.nth(i).locator("img.qr").screenshot()
            pixels = np.array(Image.open(io.BytesIO(png)).convert("L"))
            assert [b.text for b in zxingcpp.read_barcodes(pixels)] == [entry["link"]]


async def open_slips(browser: Any, url: str) -> Page:
    from support.browser import new_page

    page = await new_page(browser, viewport={"width": 1000, "height": 1400})
    await page.goto(url)
    return page


async def test_the_desk_finds_one_of_a_villages_thousand_invitees_by_name_and_checks_them_in(server: Any) -> None:
    import csv
    from pathlib import Path

    village = Path(__file__).resolve().parents[1] / "fixtures" / "registers" / "village-register.csv"
    with village.open(encoding="utf-8-sig") as f:
        roster = [{"name": row["姓名"], "category": "registered"} for row in csv.DictReader(f)]
    assert len(roster) > 1000
    wanted = next(r["name"] for r in roster if sum(x["name"] == r["name"] for x in roster) == 1)
    meeting = await server.create_meeting(title="第一村民小组村民会议", form="assembly", roster=roster)
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 768})
        # a thousand names are found by search, not put in a list rebuilt with every change
        await expect(console.locator("#checkin-invitee option")).to_have_count(1)
        await console.locator("#desk-search").fill(wanted)
        found = console.locator("#desk-results button", has_text=wanted)
        await expect(found).to_have_count(1)
        await found.click()
        await expect(console.locator("#attendance-total")).to_have_text("1")
        await expect(console.locator("#quorum")).to_contain_text(f"实到 1 / 需 {len(roster) // 2 + 1} 人")
        await expect(console.locator("#desk-search")).to_have_value("")
        # once in, the name is no longer offered
        await console.locator("#desk-search").fill(wanted)
        await expect(console.locator("#desk-none")).to_be_visible()
        await expect(console.locator("#desk-results button")).to_have_count(0)
        assert console.yishi_errors == []  # type: ignore[attr-defined]
