#!/usr/bin/env python3
"""Photograph the pages in their main states: docs/screenshots/*.png (and docs/projector.png).

Starts a server on 127.0.0.1 with a throwaway data folder, runs a sample consultation over the
real socket.io protocol (phones check in with their personal codes, the moderator opens an item,
grants the floor, opens and closes a poll, explains an objection, records the outcome, closes the
meeting) and photographs the projector, a phone, the moderator console and the facilitator page
with Debian's Chromium at each step. The photographed phone is driven through its own page (it
types its code, asks for the floor, votes, objects); everything else is sent over the socket.

Before each picture the page is reloaded (the projector and the console: a fresh snapshot of the
meeting) or watched live (the phone: its banners come from what changes), and the script waits
until the page is connected, shows the state, its images and fonts are loaded, its animations
have ended and it has stopped scrolling. No fixed waits.

    python scripts/screenshot.py                        # every picture in Chinese, a few in English
    python scripts/screenshot.py --only phone --lang en # one page, one language (all its states)
    python scripts/screenshot.py --out /tmp/pictures    # somewhere else (docs/projector.png is left alone)

docs/screenshots/README.md lists the pictures.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import socketio  # noqa: E402
import uvicorn  # noqa: E402
from playwright.async_api import Browser, Page, async_playwright  # noqa: E402

from live.app import Yishi  # noqa: E402
from live.bench.server import free_port  # noqa: E402
from live.demo import LIFT  # noqa: E402
from live.settings import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HERO = ROOT / "docs" / "projector.png"  # the README's picture: the projector at 1280x720 during a vote
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
BUDGET_MS = 60_000  # a page that never shows a state fails the run, saying which
SURFACES = ("projector", "phone", "console", "facilitator")
LANGS = {"zh": "zh-CN", "en": "en"}

PROJECTOR: dict[str, Any] = {"viewport": {"width": 1920, "height": 1080}}
PHONE: dict[str, Any] = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
                         "has_touch": True}
CONSOLE: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}

# Every picture: its page, and whether the default run also takes it in English.
SHOTS: dict[str, tuple[str, bool]] = {
    "projector-join": ("projector", False),
    "projector-speaker": ("projector", True),
    "projector-poll-open": ("projector", False),
    "projector-poll-closed": ("projector", True),
    "projector-opinions": ("projector", False),
    "projector-ended": ("projector", False),
    "phone-checkin": ("phone", False),
    "phone-waiting": ("phone", False),
    "phone-your-turn": ("phone", True),
    "phone-poll-open": ("phone", True),
    "phone-voted": ("phone", False),
    "phone-objection": ("phone", False),
    "phone-ended": ("phone", False),
    "console-floor": ("console", False),
    "console-polls": ("console", True),
    "console-record": ("console", False),
    "console-ended": ("console", False),
    "facilitator": ("facilitator", True),
}


# -- what is said in the meeting, in each language ------------------------------------------------

@dataclass(frozen=True)
class Script:
    meeting: dict[str, Any]
    walk_in: str
    phone: str  # the person whose phone is photographed
    first: str  # the first speaker
    others: list[tuple[str, str]]  # (name, stance) asking for the floor after the phone
    opinions: list[tuple[str, str]]  # (name, text), the first ones during the first item
    later_opinions: list[tuple[str, str]]  # during the second item
    summaries: list[str]  # of the speeches, in order
    poll: str
    ballots: list[tuple[str, int]]
    hands: list[int]
    objection: str
    explanation: str
    explained_by: str
    outcome: str
    actions: list[dict[str, str]]
    facilitator: dict[str, Any]  # the meeting created on the facilitator page


ZH = Script(
    meeting=dict(LIFT),
    walk_in="钱大爷",
    phone="刘志强",
    first="张桂英",
    others=[("吴工程师", "question"), ("赵丽", "for"), ("郑晓东", "other"), ("马玉珍", "question")],
    opinions=[("赵丽", "建议施工单位公开招标，并请业委会全程监督。"),
              ("孙德明", "电梯建成后的维保费用应提前约定，写进协议。")],
    later_opinions=[("周海燕", "施工期间请在楼前设置临时通道，方便老人出行。"),
                    ("马玉珍", "希望分摊方案考虑二楼住户的实际使用情况。")],
    summaries=["我住六楼，今年七十三岁，每天上下楼很困难，强烈希望加装电梯。",
               "我住一楼，担心电梯遮挡采光、运行噪音影响休息，希望先看设计方案。",
               "说明了井道位置选在楼梯间外侧，对一楼采光影响约一小时，噪音低于45分贝。"],
    poll="是否同意为3号楼加装电梯？",
    ballots=[("王秀兰", 0), ("李建国", 0), ("张桂英", 0), ("赵丽", 0), ("孙德明", 0), ("周海燕", 2), ("马玉珍", 0)],
    hands=[1, 0, 0],
    objection="一楼住户的采光和噪音补偿没有落实，不同意现在决定。",
    explanation="设计单位已调整井道位置，一楼住户不分摊费用，补偿方案下次会议公示。",
    explained_by="王秀兰",
    outcome="同意为3号楼加装电梯，由业委会牵头委托设计，补偿方案另行协商并公示。",
    actions=[{"what": "委托设计单位出具正式方案", "owner": "孙德明（业委会）", "due": "2026-12-31"},
             {"what": "拟定一楼住户补偿方案并公示", "owner": "王秀兰（居委会）", "due": "2027-01-15"}],
    facilitator={"title": "老旧小区停车位协商会", "place": "社区活动室", "starts_at": "2026-12-10T19:30",
                 "agenda": [("停车位分配办法", "小区现有车位80个，登记车辆120辆。"), ("收费标准", "")],
                 "roster": "张桂英, registered\n周海燕, property\n孙德明, owners_committee"},
)

EN = Script(
    meeting={
        "title": "Building 3, Xingfuli: residents' consultation on adding a lift",
        "form": "owners",
        "place": "Xingfuli community office, meeting room 2F",
        "starts_at": "2026-12-05 19:00",
        "language": "en",
        "speaking_seconds": 180,
        "moderator": "Wang Xiulan (community committee)",
        "recorder": "Chen Ming (community worker)",
        "agenda": [
            {"title": "Adding a lift to Building 3",
             "background": "Built in 1992: 6 floors, 24 households, 31 residents over 60. 18 households asked for a lift."},
            {"title": "Sharing the cost",
             "background": "About 580,000 yuan in all, 200,000 from a government subsidy; the rest shared by floor."},
            {"title": "Safety and access during the works", "background": "About 90 days; part of the lawn is fenced off."},
        ],
        "roster": [
            {"name": "Wang Xiulan", "category": "committee"}, {"name": "Li Jianguo", "category": "party"},
            {"name": "Zhang Guiying", "category": "registered"}, {"name": "Liu Zhiqiang", "category": "registered"},
            {"name": "Zhao Li", "category": "registered"}, {"name": "Sun Deming", "category": "owners_committee"},
            {"name": "Zhou Haiyan", "category": "property"}, {"name": "Engineer Wu", "category": "expert"},
            {"name": "Zheng Xiaodong", "category": "non_registered"}, {"name": "Ma Yuzhen", "category": "registered"},
        ],
    },
    walk_in="Grandpa Qian",
    phone="Liu Zhiqiang",
    first="Zhang Guiying",
    others=[("Engineer Wu", "question"), ("Zhao Li", "for"), ("Zheng Xiaodong", "other"), ("Ma Yuzhen", "question")],
    opinions=[("Zhao Li", "Put the works out to open tender, with the owners' committee watching every step."),
              ("Sun Deming", "Agree the lift's upkeep costs in writing before it is built.")],
    later_opinions=[("Zhou Haiyan", "Keep a safe path open in front of the building for older residents."),
                    ("Ma Yuzhen", "Second-floor households hardly use a lift: take that into account.")],
    summaries=["Lives on the 6th floor, aged 73, finds the stairs very hard every day: strongly for a lift.",
               "Lives on the ground floor, worried about daylight and noise; wants to see the design first.",
               "The shaft goes outside the stairwell: about one hour less daylight downstairs, under 45 dB."],
    poll="Do you agree to add a lift to Building 3?",
    ballots=[("Wang Xiulan", 0), ("Li Jianguo", 0), ("Zhang Guiying", 0), ("Zhao Li", 0), ("Sun Deming", 0),
             ("Zhou Haiyan", 2), ("Ma Yuzhen", 0)],
    hands=[1, 0, 0],
    objection="Nothing has been agreed on making up for the daylight and noise downstairs: too early to decide.",
    explanation="The shaft has been moved; ground-floor households pay nothing, and a compensation plan is posted before the next meeting.",
    explained_by="Wang Xiulan",
    outcome="Agreed to add a lift; the owners' committee commissions the design, compensation to be agreed and posted.",
    actions=[{"what": "Commission the final design", "owner": "Sun Deming (owners' committee)", "due": "2026-12-31"},
             {"what": "Draft and post the ground-floor compensation plan", "owner": "Wang Xiulan", "due": "2027-01-15"}],
    facilitator={"title": "Parking spaces in the old estate: residents' consultation", "place": "Community activity room",
                 "starts_at": "2026-12-10T19:30",
                 "agenda": [("Allocating the parking spaces", "80 spaces, 120 registered cars."), ("Parking fees", "")],
                 "roster": "Zhang Guiying, registered\nZhou Haiyan, property\nSun Deming, owners_committee"},
)

SCRIPTS = {"zh": ZH, "en": EN}


# -- the pictures -------------------------------------------------------------------------------

SETTLE_JS = """async (budgetMs) => {
  const deadline = performance.now() + budgetMs;
  const late = [];
  const within = (what, promise) => Promise.race([promise, new Promise((done) =>
    setTimeout(() => { late.push(what); done(); }, Math.max(0, deadline - performance.now())))]);
  await within("fonts", document.fonts.ready);
  const shown = [...document.images].filter((i) => i.src && i.checkVisibility());
  await within("images", Promise.all(shown.map((i) => i.complete ? null : new Promise((done) => {
    i.addEventListener("load", done, { once: true });
    i.addEventListener("error", done, { once: true });
  }))));
  const broken = shown.filter((i) => !i.naturalWidth).map((i) => i.id || i.src);
  // CSS transitions (the bars) and animations (the phone's banner flashing twice) under way that end.
  const ending = document.getAnimations().filter((a) => a.playState === "running"
    && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await within("animations", Promise.all(ending.map((a) => a.finished.catch(() => null))));
  // A smooth scroll (the phone scrolls to what is now its person's to do) has come to rest.
  let last = null;
  for (let still = 0; still < 6;) {
    if (performance.now() > deadline) { late.push("scrolling"); break; }
    await new Promise((done) => requestAnimationFrame(done));
    const at = `${scrollX},${scrollY}`;
    still = at === last ? still + 1 : 0;
    last = at;
  }
  return { broken, late };
}"""


@dataclass
class Camera:
    out: Path
    lang: str  # "zh" or "en"
    wanted: set[str]  # the names to take in this language
    taken: list[Path] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def wants(self, name: str) -> bool:
        return name in self.wanted

    def path(self, name: str) -> Path:
        return self.out / (f"{name}.png" if self.lang == "zh" else f"{name}-{self.lang}.png")

    async def shoot(self, name: str, page: Page, *, ready: str | list[str] | None = None, scroll: str | None = None,
                    block: str = "start", reload: bool = True, path: Path | None = None) -> None:
        """Photograph `page` showing `ready` (selectors that must all match a visible element),
        scrolled to `scroll` (at the top of the window, or as `block` says), else at its top."""
        if path is None and not self.wants(name):
            return
        if reload:
            await page.reload()
        await settle(page, [ready] if isinstance(ready, str) else ready or [], name)
        if scroll:
            await page.locator(scroll).first.evaluate("(el, block) => el.scrollIntoView({ block })", block)
            await settle(page, [], name)
        elif reload:  # the browser keeps the scroll position across a reload
            await page.evaluate("scrollTo(0, 0)")
            await settle(page, [], name)
        target_path = path or self.path(name)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(target_path))
        shrink(target_path)
        self.taken.append(target_path)
        shown = target_path.relative_to(ROOT) if target_path.is_relative_to(ROOT) else target_path
        print(f"  {shown}  ({time.monotonic() - self.since:.1f} s)", flush=True)
        self.since = time.monotonic()


async def settle(page: Page, ready: list[str], name: str) -> None:
    if await page.locator("#conn").count():
        await wait_visible(page, "#conn[data-state=connected]", name)
    for selector in ready:
        await wait_visible(page, selector, name)
    # What an action said ("sent", "meeting created") goes away by itself; a refusal is a failure.
    notice = page.locator("#notice")
    if await notice.count():
        if await notice.get_attribute("data-kind") == "error" and await notice.is_visible():
            raise RuntimeError(f"{name}: the page says {await notice.text_content()!r} ({page.url})")
        await notice.wait_for(state="hidden", timeout=BUDGET_MS)
    settled = await page.evaluate(SETTLE_JS, BUDGET_MS)
    if settled["broken"]:
        raise RuntimeError(f"{name}: images that did not load: {settled['broken']}")
    if settled["late"]:
        raise RuntimeError(f"{name}: still not settled after {BUDGET_MS // 1000} s: {settled['late']} ({page.url})")


async def wait_visible(page: Page, selector: str, name: str) -> None:
    try:
        await page.locator(selector).first.wait_for(state="visible", timeout=BUDGET_MS)
    except Exception as e:
        raise RuntimeError(f"{name}: the page never showed {selector!r} ({page.url})") from e


def shrink(path: Path) -> None:
    """With Pillow installed: 256 colours, undithered (the pages are flat colours and text: the
    pictures look the same at about 40 % of the size), optimised."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        image = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, optimize=True)


# -- the meeting over the socket ----------------------------------------------------------------

class Room:
    """The meeting as the moderator's console and the other attendees' phones send it."""

    def __init__(self, url: str, made: dict[str, Any]) -> None:
        self.url = url
        self.id: str = made["id"]
        self.key: str = made["key"]
        self.links: dict[str, str] = made["links"]
        self.mod: socketio.AsyncClient | None = None
        self.phones: dict[str, socketio.AsyncClient] = {}
        self.people: dict[str, str] = {}  # name -> participant id

    async def connect(self, auth: dict[str, Any]) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        await sio.connect(self.url, auth={"meeting": self.id, **auth}, transports=["websocket"], wait_timeout=60)
        return sio

    async def start(self) -> None:
        self.mod = await self.connect({"role": "moderator", "key": self.key})

    async def send(self, sio: socketio.AsyncClient, event: str, data: dict[str, Any]) -> dict[str, Any]:
        ack = await sio.call(event, data, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"{event} {data} refused: {ack}")
        return ack

    async def chair(self, event: str, **data: Any) -> dict[str, Any]:
        assert self.mod is not None
        return await self.send(self.mod, event, data)

    async def by(self, name: str, event: str, **data: Any) -> dict[str, Any]:
        return await self.send(self.phones[name], event, data)

    async def view(self) -> dict[str, Any]:
        assert self.mod is not None
        return (await self.mod.call("sync", {}, timeout=60))["view"]

    async def codes(self) -> dict[str, str]:
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as http:
            r = await http.get(f"/api/meetings/{self.id}/codes", params={"key": self.key})
        r.raise_for_status()
        return {c["name"]: c["code"] for c in r.json()["codes"]}

    async def check_in(self, name: str, code: str) -> None:
        phone = await self.connect({"role": "phone", "token": None})
        ack = await self.send(phone, "check_in", {"code": code})
        self.phones[name] = phone
        self.people[name] = ack["participant_id"]

    async def close(self) -> None:
        for sio in [*self.phones.values(), self.mod]:
            if sio is not None and sio.connected:
                await sio.disconnect()


async def create(url: str, token: str, spec: dict[str, Any]) -> Room:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        r = await http.post("/api/meetings", json=spec, headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    room = Room(url, r.json())
    await room.start()
    return room


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={LANGS[lang]}"


async def open_page(browser: Browser, url: str, context: dict[str, Any], lang: str) -> Page:
    ctx = await browser.new_context(**context, locale=LANGS[lang])
    ctx.set_default_timeout(BUDGET_MS)
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.yishi_errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    await wait_visible(page, "#conn[data-state=connected]", url)
    return page


async def meeting(browser: Browser, url: str, token: str, cam: Camera, hero: Path | None) -> None:
    """One meeting from the first check-ins to the close, photographed on the way."""
    s = SCRIPTS[cam.lang]
    room = await create(url, token, s.meeting)
    try:
        await _meeting(browser, room, s, cam, hero)
    finally:
        await room.close()


async def _meeting(browser: Browser, room: Room, s: Script, cam: Camera, hero: Path | None) -> None:
    lang = cam.lang
    codes = await room.codes()
    screen = await open_page(browser, with_lang(room.links["projector"], lang), PROJECTOR, lang)
    console = await open_page(browser, with_lang(room.links["moderator"], lang), CONSOLE, lang)
    phone = await open_page(browser, with_lang(room.links["join"], lang), PHONE, lang)

    # Check-in: the others from their phones, one walk-in at the desk; the photographed phone types its code.
    for person in s.meeting["roster"]:
        if person["name"] != s.phone:
            await room.check_in(person["name"], codes[person["name"]])
    await room.chair("check_in", name=s.walk_in, category="registered", role="attendee")
    await phone.locator("#code-input").fill(codes[s.phone])
    await cam.shoot("phone-checkin", phone, ready="#code-submit:enabled", reload=False)
    await phone.locator("#code-submit").tap()
    await wait_visible(phone, "#member", "check-in")
    await cam.shoot("phone-waiting", phone, ready="#me-name", reload=False)
    await cam.shoot("projector-join", screen, ready="#qr")

    # The first item: hands go up, the floor is given.
    await room.chair("open_item", item=0)
    await room.by(s.first, "raise_hand", stance="for", kind="speech")
    await wait_visible(phone, "#stances button[data-stance=against]", "the phone's stances")
    await phone.locator("#stances button[data-stance=against]").tap()
    await wait_visible(phone, "#withdraw", "the phone's place in the queue")
    for name, stance in s.others:
        await room.by(name, "raise_hand", stance=stance, kind="speech")
    await room.chair("grant_floor")
    await cam.shoot("projector-speaker", screen, ready=["#speaker-name", "#queue li"])
    await cam.shoot("console-floor", console, ready=["#speaker-name", "#mod-queue li"])
    # The phone is heard next, then has the floor: its banner says so.
    await room.chair("grant_floor")
    await cam.shoot("phone-your-turn", phone, ready=["#queue-place.speaking", "#alert"], reload=False)
    for name, text in s.opinions:
        await room.by(name, "submit_opinion", text=text)
    await room.chair("grant_floor")  # the engineer answers
    for o in (await room.view())["all_opinions"]:
        await room.chair("moderate_opinion", opinion_id=o["id"], visible=True)
    await room.chair("end_speech")
    for speech, summary in zip((await room.view())["speeches"], s.summaries):
        await room.chair("summarise_speech", speech_id=speech["id"], summary=summary)

    # A straw poll: the phones vote, hands are counted for those without one.
    await room.chair("open_poll", question=s.poll, kind="yes_no_abstain")
    poll_id = (await room.view())["polls"][-1]["id"]
    await cam.shoot("phone-poll-open", phone, ready=["#vote-polls button[data-option]", "#alert"], reload=False)
    for name, choice in s.ballots:
        await room.by(name, "cast_ballot", poll_id=poll_id, choice=choice)
    await room.chair("add_hand_count", poll_id=poll_id, counts=s.hands)
    await cam.shoot("projector-poll-open", screen, ready="#poll .row")
    if hero is not None:
        await screen.set_viewport_size({"width": 1280, "height": 720})
        await cam.shoot("hero", screen, ready="#poll .row", path=hero)
        await screen.set_viewport_size(PROJECTOR["viewport"])
    await cam.shoot("console-polls", console, ready="#polls .poll .rows .row", scroll="#poll-panel")
    await phone.locator("#alert-close").tap()  # the person has seen the banner
    await phone.locator('#vote-polls button[data-option="1"]').tap()
    # the choice is said back and sent once confirmed
    await phone.locator("#vote-polls .vote-poll > .confirm-row .confirm").first.tap()
    await cam.shoot("phone-voted", phone, ready="#vote-polls .voted", scroll="#vote", reload=False)
    await room.chair("close_poll", poll_id=poll_id)
    await cam.shoot("projector-poll-closed", screen, ready="#poll.closed")

    # The phone objects; the moderator explains; the phone's banner says an explanation came.
    await wait_visible(phone, "#objection-reason", "the objection form")
    await phone.locator("#objection-reason").fill(s.objection)
    await phone.locator("#objection-send").tap()
    await wait_visible(phone, "#my-objections li", "the phone's objection")
    objection = (await room.view())["objections"][-1]["id"]
    await room.chair("give_explanation", objection_id=objection, text=s.explanation, by=s.explained_by)
    await cam.shoot("phone-objection", phone, ready=["#my-objections .explanations li:not(.waiting)", "#alert"],
                    reload=False)
    await phone.locator("#my-objections li button.answered").first.tap()

    # The outcome of the first item; the second opens and more opinions reach the wall.
    await room.chair("record_outcome", item=0, outcome="consensus", opinion=s.outcome, actions=s.actions)
    await cam.shoot("console-record", console, ready=["#agenda li .outcome", "#objections .response[data-response=answered]"],
                    scroll=":is(.panel:has(#outcome-form), #outcome-form)")
    await room.chair("open_item", item=1)
    for name, text in s.later_opinions:
        await room.by(name, "submit_opinion", text=text)
    for o in (await room.view())["all_opinions"]:
        if o["visible"] is None:
            await room.chair("moderate_opinion", opinion_id=o["id"], visible=True)
    await cam.shoot("projector-opinions", screen, ready="#opinions li")

    # The close.
    await room.chair("close_meeting")
    await cam.shoot("projector-ended", screen, ready="#closed")
    await cam.shoot("console-ended", console, ready="#closed")
    await cam.shoot("phone-ended", phone, ready="#closed")
    for page in (screen, console, phone):
        if page.yishi_errors:  # type: ignore[attr-defined]
            print(f"  errors on {page.url}: {page.yishi_errors}", file=sys.stderr)  # type: ignore[attr-defined]
        await page.context.close()


async def facilitator(browser: Browser, url: str, token: str, cam: Camera) -> None:
    """The facilitator page right after creating a meeting: its links and the join QR code."""
    if not cam.wants("facilitator"):
        return
    f = SCRIPTS[cam.lang].facilitator
    ctx = await browser.new_context(**CONSOLE, locale=LANGS[cam.lang])
    ctx.set_default_timeout(BUDGET_MS)
    page = await ctx.new_page()
    await page.goto(f"{url}/?token={token}&lang={LANGS[cam.lang]}")
    await page.wait_for_function("document.querySelector('#create-form button[type=submit]')?.textContent.trim()")
    form = page.locator("#create-form")
    await form.locator("input[name=title]").fill(f["title"])
    await form.locator("input[name=place]").fill(f["place"])
    await form.locator("input[name=starts_at]").fill(f["starts_at"])
    rows = page.locator("#agenda-rows .agenda-row")
    for i, (title, background) in enumerate(f["agenda"]):
        if await rows.count() <= i:
            await page.locator("#add-item").click()
        await rows.nth(i).locator("input").first.fill(title)
        if background:
            await rows.nth(i).locator("textarea").first.fill(background)
    await form.locator("textarea[name=roster]").fill(f["roster"])
    await form.locator("button[type=submit]").click()
    await cam.shoot("facilitator", page, ready=["#created", "#created-qr"], scroll="#created",
                    block="center", reload=False)
    await ctx.close()


# -- the server and the run ---------------------------------------------------------------------

async def run(out: Path, only: str | None, lang: str | None) -> list[Path]:
    surfaces = [only] if only else list(SURFACES)
    langs = [lang] if lang else list(SCRIPTS)
    hero = HERO if out == OUT and lang in (None, "zh") and only in (None, "projector") else None
    taken: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="yishi-screenshots-") as data:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = Settings(data=Path(data), host="127.0.0.1", port=port, public_url=url)
        ws = "websockets-sansio" if settings.fanout == "direct" else "auto"  # as `yishi serve`
        server = uvicorn.Server(uvicorn.Config(Yishi(settings).asgi(), host="127.0.0.1", port=port, log_level="warning",
                                               ws=ws, ws_per_message_deflate=False, lifespan="on"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        try:
            async with async_playwright() as p:
                for code in langs:
                    # Without --lang: every picture in Chinese, those marked in English too.
                    wanted = {n for n, (where, en) in SHOTS.items() if where in surfaces and (lang or code == "zh" or en)}
                    cam = Camera(out, code, wanted)
                    print(f"{code}:", flush=True)
                    # The browser's own words (a file field's button) in the language too, where
                    # Chromium has it (Debian's chromium-l10n).
                    browser = await p.chromium.launch(executable_path=CHROMIUM, timeout=BUDGET_MS,
                                                      args=[*CHROMIUM_ARGS, f"--lang={LANGS[code]}"])
                    try:
                        if wanted - {"facilitator"}:
                            await meeting(browser, url, settings.token, cam, hero if code == "zh" else None)
                        await facilitator(browser, url, settings.token, cam)
                    finally:
                        await browser.close()
                    taken += cam.taken
        finally:
            server.should_exit = True
            await task
    return taken


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=SURFACES, help="photograph one page only")
    parser.add_argument("--lang", choices=list(SCRIPTS),
                        help="one language, every picture in it (default: every picture in Chinese, a few in English)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the folder for the pictures (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    start = time.monotonic()
    taken = asyncio.run(run(args.out.resolve(), args.only, args.lang))
    print(f"{len(taken)} pictures in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
