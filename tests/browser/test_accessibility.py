"""Every page, in every state a meeting passes through and in both languages, checked by axe-core
(no critical or serious violation) and the Nu HTML checker (no error, on the HTML as served and
on the DOM after the scripts ran): tests/support/a11y.py.

A meeting is driven over the real socket.io protocol from the moderator's socket; each test opens
one kind of page in Chinese and in English, waits for each state to show on it, and checks it.
One test per kind of page, so that a failure names whose page it is. One Nu checker (Java) serves
the module, started with its first test, which is the longest, so that the checker is ready by
its end.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from support.a11y import Checks, Nu
from support.browser import PHONE, chromium, new_page, open_page, vote
from support.wire import Running

# A test checks a dozen pages and more in each state: a budget above the suite's 120 s for one test,
# for a machine others keep busy.
pytestmark = pytest.mark.timeout(300)
LANGS = ("zh-CN", "en")
SAMPLES = Path(__file__).resolve().parents[2] / "live" / "samples"
CONSOLE = {"viewport": {"width": 1400, "height": 1000}}
PROJECTOR = {"viewport": {"width": 1280, "height": 720}}
WALK_IN = "钱大爷"


@pytest.fixture(scope="module")
def nu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nu]:
    """One Nu checker for the module's tests (started at once: Java takes seconds to listen)."""
    service = Nu(tmp_path_factory.mktemp("vnu") / "vnu.log")
    yield service
    service.stop()


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


async def opened(browser: Browser, url: str, connected: bool = True, **context: Any) -> tuple[Page, str]:
    """A page and the HTML the server sent for it."""
    if connected:
        page = await open_page(browser, url, **context)
        served = await page.evaluate("fetch(location.href, {cache: 'no-store'}).then((r) => r.text())")
    else:
        page = await new_page(browser, **context)
        response = await page.goto(url)
        assert response is not None
        served = await response.text()
    return page, served


async def offline_and_back(pages: list[Page], check: Any, state: str) -> None:
    """The pages without the server, checked as `state` (the bar across the screen, the buttons
    off), then connected again."""
    for page in pages:
        await page.context.set_offline(True)
    for page in pages:
        await expect(page.locator("#conn")).to_have_attribute("data-state", "reconnecting")
        await expect(page.locator("body")).to_have_attribute("data-conn", "offline")
    await check(state)
    for page in pages:
        await page.context.set_offline(False)
    for page in pages:
        await expect(page.locator("#conn")).to_have_attribute("data-state", "connected")


class Room:
    """The meeting, driven from the moderator's socket through the states every page is checked in."""

    def __init__(self, server: Running, screens: Any) -> None:
        self.server = server
        self.screens = screens

    async def create(self) -> dict[str, Any]:
        self.meeting = await self.server.create_meeting()
        self.id = self.meeting["id"]
        self.mod = await self.screens(self.id, "moderator", key=self.meeting["key"])
        self.codes = await self.server.join_codes(self.id, self.meeting["key"])
        return self.meeting

    async def ok(self, event: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        ack = await self.mod.send(event, data or {})
        assert ack["ok"], (event, ack)
        return ack

    async def people(self) -> None:
        """Joining: an invitee checks in with their code, a walk-in giving an invitee's name waits for the desk."""
        self.phone = await self.screens(self.id, "phone", token=None)  # acts as its person once checked in
        ack = await self.phone.send("check_in", {"code": self.codes[0]})
        assert ack["ok"], ack
        held = await (await self.screens(self.id, "phone", token=None)).send(
            "check_in", {"name": "周海燕", "category": "property", "role": "attendee"})
        assert held["ok"], held

    async def floor(self) -> None:
        """An item open; someone speaking, the checked-in phone waiting, with an opinion and an objection."""
        await self.ok("open_item", {"item": 0})
        await self.ok("add_speaker", {"name": WALK_IN, "category": "registered", "stance": "for"})
        assert (await self.phone.send("raise_hand", {"stance": "against"}))["ok"]
        assert (await self.phone.send("submit_opinion", {"text": "希望尽快动工。"}))["ok"]
        assert (await self.phone.send("raise_objection", {"reason": "一楼采光受影响。"}))["ok"]
        await self.ok("grant_floor")

    async def poll(self, *, ballot: bool = True) -> None:
        """A binding vote open (quorum overridden, as the chair may), with the socket phone's ballot
        in it unless not `ballot`."""
        await self.ok("open_poll", {"question": "是否同意加装电梯", "kind": "yes_no_abstain", "rule": "cast",
                                    "quorum_override": "业主大会授权本次协商会表决"})
        self.poll_id = (await self.mod.send("sync"))["view"]["polls"][-1]["id"]
        if ballot:
            assert (await self.phone.send("cast_ballot", {"poll_id": self.poll_id, "choice": 0}))["ok"]

    async def close_poll(self) -> None:
        await self.ok("close_poll", {"poll_id": self.poll_id})

    async def end(self) -> None:
        await self.ok("record_outcome", {"item": 0, "outcome": "partial", "opinion": "原则同意，费用另议。",
                                         "actions": [{"what": "公示设计方案", "owner": "居委会", "due": "12月底"}]})
        await self.ok("close_meeting")


async def test_moderator_and_recorder_consoles_slips_minutes_and_verification(
        server: Running, screens: Any, nu: Nu, tmp_path: Path) -> None:
    checks = Checks(nu)
    room = Room(server, screens)
    meeting = await room.create()
    links = meeting["links"]
    async with chromium() as browser:
        consoles: list[tuple[str, str, Page]] = []
        for name, link in (("moderator console", links["moderator"]), ("recorder console", links["recorder"])):
            for lang in LANGS:
                page, served = await opened(browser, with_lang(link, lang), **CONSOLE)
                checks.html(name, "as served", lang, served)
                consoles.append((name, lang, page))

        async def check(state: str, *shown: str) -> None:
            for name, lang, page in consoles:
                for selector in shown:
                    await expect(page.locator(selector).first).to_be_attached()
                await checks.page(page, name, lang, state)

        await room.people()
        await check("joining (one in, a walk-in held)", "#held-list li", "#participants li")
        await room.floor()
        await check("the floor (one speaking, one waiting)", "#mod-queue li", "#speeches li", "#opinions li", "#objections li")
        await offline_and_back([page for _, _, page in consoles], check, "the server lost (the floor)")
        await room.poll()
        await check("a vote open", "#polls .poll:not(.closed)")
        await room.close_poll()
        await check("the vote closed", "#polls .poll.closed")
        await room.end()
        await check("ended", "body.ended")

        key = meeting["key"]
        for lang in LANGS:
            for what, url in (("voting slips", f"/m/{room.id}/slips?key={key}"),
                              ("minutes (staff)", f"/meetings/{room.id}/minutes.html?key={key}"),
                              ("minutes (public)", f"/meetings/{room.id}/minutes.html?public=1"),
                              ("public minutes page", f"/meetings/{room.id}/public"),
                              ("printed notice (staff)", f"/m/{room.id}/notice?key={key}"),
                              ("printed notice (public)", f"/meetings/{room.id}/notice"),
                              ("verification page", f"/meetings/{room.id}/verify?format=html")):
                page, served = await opened(browser, with_lang(f"{server.url}{url}", lang), connected=False, **CONSOLE)
                await checks.page(page, what, lang, "ended", served)
            # The verification page's answer to a minutes file sent with its form.
            minutes = tmp_path / "minutes.json"
            async with server.http() as http:
                minutes.write_bytes((await http.get(f"/meetings/{room.id}/minutes.json", params={"public": 1})).content)
            await page.locator("input[type=file]").set_input_files(str(minutes))
            async with page.expect_navigation() as answer:
                await page.locator("form button[type=submit]").click()
            await expect(page.locator("#file")).to_be_visible()
            await checks.page(page, "verification page", lang, "a minutes file checked", await (await answer.value).text())
    await checks.finish()


async def test_projector(server: Running, screens: Any, nu: Nu) -> None:
    checks = Checks(nu)
    room = Room(server, screens)
    meeting = await room.create()
    async with chromium() as browser:
        screens_ = []
        for lang in LANGS:
            page, served = await opened(browser, with_lang(meeting["links"]["projector"], lang), **PROJECTOR)
            checks.html("projector", "as served", lang, served)
            screens_.append((lang, page))

        async def check(state: str, *shown: str) -> None:
            for lang, page in screens_:
                for selector in shown:
                    await expect(page.locator(selector).first).to_be_visible()
                await checks.page(page, "projector", lang, state)

        await room.people()
        await check("joining (one in)", "#attendance-total:text-is('1')")
        await room.floor()
        await check("the floor (one speaking, one waiting)", "#queue li.next", "#speaker:not(.empty)")
        await room.poll()
        await check("a vote open", "#poll:not(.closed)")
        await room.close_poll()
        await check("the vote closed", "#poll.closed")
        await room.end()
        await check("ended", "#closed")
    await checks.finish()


async def test_phone(server: Running, screens: Any, nu: Nu) -> None:
    checks = Checks(nu)
    room = Room(server, screens)
    meeting = await room.create()
    async with chromium() as browser:
        phones = []
        for lang in LANGS:
            page, served = await opened(browser, with_lang(meeting["links"]["join"], lang), **PHONE)
            checks.html("phone", "as served", lang, served)
            phones.append((lang, page))

        async def check(state: str, *shown: str, only: str | None = None) -> None:
            for lang, page in phones:
                if only in (None, lang):
                    for selector in shown:
                        await expect(page.locator(selector).first).to_be_visible()
                    await checks.page(page, "phone", lang, state)

        await check("check-in", "#code-submit:enabled")
        # A walk-in giving an invitee's name waits for the desk.
        for lang in LANGS:
            page, served = await opened(browser, with_lang(meeting["links"]["join"], lang), **PHONE)
            await page.locator("#walkin-name").fill("张桂英")
            await page.locator("#walkin-category").select_option("registered")
            await page.locator("#walkin-submit").tap()
            await expect(page.locator("#held")).to_be_visible()
            await checks.page(page, "phone", lang, "a walk-in held for the desk")
            await page.context.close()
        for (lang, page), code in zip(phones, room.codes):
            await page.locator("#code-input").fill(code)
            await page.locator("#code-submit").tap()
        await check("checked in, waiting for an item", "#member")
        await room.ok("open_item", {"item": 0})
        for _, page in phones:
            await page.locator('#stances button[data-stance="for"]').tap()
            await expect(page.locator("#withdraw")).to_be_visible()
        await check("an item open, the floor asked for", "#withdraw")
        await offline_and_back([page for _, page in phones], check, "the server lost (the floor asked for)")
        await room.ok("grant_floor")
        await check("the floor granted", "#queue-place.speaking", only=LANGS[0])
        await check("someone else speaking, next in the queue", "#queue-place.next", only=LANGS[1])
        await room.ok("grant_floor")
        await check("the floor granted", "#queue-place.speaking", only=LANGS[1])
        await room.poll(ballot=False)
        await check("a vote open", "#vote-polls button")
        await vote(phones[0][1], 0)
        await check("a vote open, voted", "#vote-polls .voted", only=LANGS[0])
        await room.close_poll()
        await check("the vote closed", "#vote-polls .binding .verdict")
        await room.end()
        # with what became of the decisions: the outcome, the action item, the publicity period
        await check("ended", "#closed", "#progress .action", "#progress-object")
    await checks.finish()


async def test_public_board_objection_and_office_pages(server: Running, screens: Any, nu: Nu) -> None:
    """After a meeting: the public board (/board), a resident's objection page during the publicity
    period, and the office's follow-up page with the meeting's action item."""
    checks = Checks(nu)
    room = Room(server, screens)
    await room.create()
    await room.people()
    await room.floor()
    await room.end()
    async with server.http() as http:  # a residents' petition and a declined proposal on the topics page
        office = {"Authorization": f"Bearer {server.token}"}
        await http.post("/api/topics", headers=office, json={"title": "村道硬化", "kind": "planning", "source": "residents",
                                                           "proposer": "村民", "petition": "residents",
                                                           "groups": ["第一村民小组"], "background": "雨天泥泞。"})
        declined = (await http.post("/api/topics", headers=office, json={"title": "修建篮球场", "kind": "other",
                                                                        "source": "parties", "proposer": "物业"})).json()
        await http.post(f"/api/topics/{declined['topic']}/decline", headers=office, json={"reason": "明年再议"})
        # a resident known by their code (居民码) on the topics page, and the slips the office prints
        await http.post("/api/register/people", headers=office, json={"fields": {
            "name": "李秀英", "birth_year": "1962", "household": "0101", "group": "一组", "registered": "是"}})
        code = (await http.get("/api/register/codes", headers=office)).json()["codes"][0]["code"]
    async with chromium() as browser:
        for lang in LANGS:
            for what, url in (("public board", "/board"), ("objection page", f"/meetings/{room.id}/object"),
                              ("topics page", "/topics")):
                page, served = await opened(browser, with_lang(f"{server.url}{url}", lang), connected=False, **PHONE)
                await checks.page(page, what, lang, "after a meeting", served)
            page, served = await opened(browser, f"{server.url}/topics?lang={lang}#code={code}", connected=False, **PHONE)
            await expect(page.locator("#resident-known")).to_be_visible()
            await page.locator("#resident-propose summary").click()
            await checks.page(page, "topics page", lang, "a resident known by their code", served)
            page, served = await opened(browser, f"{server.url}/register/slips?token={server.token}&lang={lang}",
                                        connected=False, **CONSOLE)
            await checks.page(page, "resident code slips", lang, "one resident", served)
            page, served = await opened(browser, f"{server.url}/office?token={server.token}&lang={lang}", connected=False,
                                        **CONSOLE)
            await expect(page.locator("#actions li").first).to_be_visible()
            await checks.page(page, "office's follow-up page", lang, "an action item to follow", served)
    await checks.finish()


async def test_facilitator_page(server: Running, nu: Nu) -> None:
    """The facilitator's page: before and after creating a meeting (its links and QR code), the register."""
    checks = Checks(nu)
    async with chromium() as browser:
        for lang in LANGS:
            page, served = await opened(browser, f"{server.url}/?token={server.token}&lang={lang}", connected=False,
                                        viewport={"width": 1280, "height": 900})
            await expect(page.locator("#create-form button[type=submit]")).not_to_have_text("")
            await expect(page.locator("#register-summary")).not_to_have_text("")
            await checks.page(page, "facilitator page", lang, "before a meeting", served)
            if lang == LANGS[0]:
                asking = await new_page(browser, viewport={"width": 1280, "height": 900})
                await asking.goto(f"{server.url}/?token=wrong&lang={lang}")
                await expect(asking.locator("#token-box")).to_be_visible()
                await checks.page(asking, "facilitator page", lang, "asking for the token")

            form = page.locator("#create-form")
            # Without the server: the bar across the page, its buttons off.
            await page.context.set_offline(True)
            await form.locator("input[name=title]").fill("老旧小区停车位协商会")
            await form.locator("button[type=submit]").click()
            await expect(page.locator("#offline")).to_be_visible()
            await checks.page(page, "facilitator page", lang, "the server lost")
            await page.context.set_offline(False)
            await expect(page.locator("#offline")).to_be_hidden()

            await form.locator("input[name=title]").fill("老旧小区停车位协商会")
            await page.locator("#agenda-rows .agenda-row [name=item-title]").first.fill("停车位分配办法")
            await form.locator("textarea[name=roster]").fill("张桂英, registered")
            await form.locator("button[type=submit]").click()
            await expect(page.locator("#created")).to_be_visible()
            await page.wait_for_function("document.querySelector('#created-qr').complete")
            await expect(page.locator("#meetings tbody tr")).not_to_have_count(0)
            await checks.page(page, "facilitator page", lang, "a meeting created (links and QR code)")

            if lang == LANGS[0]:
                await page.locator("#register-file").set_input_files(str(SAMPLES / "building-owners.csv"))
                await page.locator("#register-import button[type=submit]").click()
                await expect(page.locator("#register-outcome")).not_to_have_text("")
            await page.locator("#register-people summary").click()
            await page.locator("#register-search").fill("3号楼")
            await expect(page.locator("#register-table tbody tr")).not_to_have_count(0)
            await checks.page(page, "facilitator page", lang, "the register, searched")
    await checks.finish()


async def test_start_and_missing_pages(server: Running, nu: Nu) -> None:
    """The start page (/j), a wrong code, and the page for a meeting or an address that does not exist."""
    checks = Checks(nu)
    async with chromium() as browser:
        for lang in LANGS:
            page, served = await opened(browser, f"{server.url}/j?lang={lang}", connected=False, **PHONE)
            await checks.page(page, "start page /j", lang, "empty", served)
            await page.locator("#room-code").fill("zzzzz")
            async with page.expect_navigation() as answer:
                await page.locator("#room-code-submit").tap()
            await expect(page.locator(".said")).to_be_visible()
            await checks.page(page, "start page /j", lang, "a wrong code", await (await answer.value).text())
            for what, url in (("no such meeting", "/m/0000000000/join"), ("no such address", "/nothing-here"),
                              ("no such meeting's verification", "/meetings/0000000000/verify?format=html")):
                page, served = await opened(browser, f"{server.url}{url}?lang={lang}", connected=False, **PHONE)
                await checks.page(page, f"missing page ({what})", lang, "shown", served)
    await checks.finish()
