"""The projector as the room sees it: type large enough for the back row, the screen used for what
is happening now, and no entry cut in half. A meeting runs over the real socket.io protocol (the
moderator's socket adds the speakers and opinions) while Debian's Chromium shows the projector at
the sizes of the halls' projectors and laptops (1920 x 1080, 1280 x 720, 1024 x 768)."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from support.browser import chromium, open_page

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}
XGA = {"width": 1024, "height": 768}
BACK_ROW_PX = 40  # the least a person at the back of the hall reads at 1920 x 1080

BACKGROUND = ("3号楼建于1998年，6层24户，没有电梯。住在五、六楼的多为七十岁以上的老人，上下楼困难。"
              "街道已同意补贴工程费用的40%，其余由业主按楼层分摊。")
AGENDA = [{"title": "是否加装电梯", "background": BACKGROUND}, {"title": "费用分摊"}]
SPEAKERS = ["钱大爷", "孙老师", "吴阿姨", "郑建华", "冯秀英", "陈志强", "褚卫东", "卫红梅", "蒋国庆", "沈丽华", "韩梅", "杨立新"]
OPINIONS = [
    "电梯要尽快装，我母亲已经半年没下过楼了。",
    "一楼的采光问题必须先解决，设计方案要公示，听取一楼住户意见后再定，不能只听高层住户的。补偿标准也要写清楚，不要事后扯皮。",
    "费用按楼层分摊合理。",
    "希望施工期间安排好临时通道，老人出行不受影响。",
    "建议请第三方机构评估噪音影响，并在合同里写明每天施工的时间段，节假日不施工，噪声超标要停工整改。",
    "支持加装。",
    "物业要承担以后的维护保养，维护费用每年公示一次。",
    "施工队要有资质，合同请大家都看一看。",
]
QUESTION = "是否同意为3号楼加装电梯"

# The font size (px) of each visible element that holds text of its own, but the operator's
# corner (connection, language) and the whole join address, which nobody reads from a seat.
READ_FROM_THE_ROOM = """() => [...document.querySelectorAll('body *')]
    .filter((el) => el.checkVisibility() && !el.closest('.corner, #join-url')
        && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => [el.id || el.className || el.tagName, el.textContent.trim().slice(0, 20),
                  parseFloat(getComputedStyle(el).fontSize)])"""

# Every visible entry of a list lies wholly inside the list's box (none clipped at its edge).
WHOLE_ENTRIES = """([list, entries]) => {
    const box = document.querySelector(list).getBoundingClientRect();
    const shown = [...document.querySelectorAll(entries)].filter((el) => el.checkVisibility());
    return shown.length > 0 && shown.every((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    });
}"""


async def px(page: Page, selector: str) -> list[float]:
    """The computed font size of each visible element `selector` finds."""
    return [float(size) for size in await page.locator(selector).evaluate_all(
        "(els) => els.filter((el) => el.checkVisibility()).map((el) => parseFloat(getComputedStyle(el).fontSize))")]


async def moderator(server: Any, screens: Any, meeting: dict[str, Any]) -> Any:
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])

    async def send(command: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        ack: dict[str, Any] = await mod.send(command, payload or {})
        assert ack["ok"], (command, ack)
        return ack

    return send


async def add_speakers(send: Any, names: list[str]) -> None:
    for i, name in enumerate(names):
        await send("add_speaker", {"name": name, "category": ("registered", "property", "expert")[i % 3],
                                   "stance": ("for", "against", "question")[i % 3]})


async def show_opinions(send: Any, texts: list[str]) -> None:
    """Opinions from the people checked in, each approved for the wall, in the order given."""
    people = [p["id"] for p in (await send("sync"))["view"]["participants"]]
    for i, text in enumerate(texts):
        await send("submit_opinion", {"participant_id": people[i % len(people)], "text": text})
    for opinion in (await send("sync"))["view"]["all_opinions"]:
        await send("moderate_opinion", {"opinion_id": opinion["id"], "visible": True})


async def at_least_40_px(screen: Page) -> None:
    """Every text the room reads, at least BACK_ROW_PX."""
    shown = await screen.evaluate(READ_FROM_THE_ROOM)
    assert shown, "no text on the screen"
    smallest = min(shown, key=lambda e: e[2])
    assert smallest[2] >= BACK_ROW_PX, smallest


async def leading_bar(page: Page, poll: str) -> float:
    """The width (px) of the widest bar of the poll's rows in `poll`."""
    return float(await page.locator(f"{poll} .rows .fill").evaluate_all(
        "(els) => Math.max(0, ...els.map((el) => el.getBoundingClientRect().width))"))


async def test_at_1920_by_1080_everything_the_room_reads_is_at_least_40_px(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=FULL_HD)
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1366, "height": 768})
        await expect(screen.locator("#agenda li[data-item]")).to_have_count(2)
        await send("open_item", {"item": 0})
        await add_speakers(send, SPEAKERS[:5])
        await send("grant_floor")
        await show_opinions(send, OPINIONS[:3])
        await expect(screen.locator("#speaker-name")).to_have_text("钱大爷")
        await expect(screen.locator("#background")).to_have_text(BACKGROUND)
        await expect(screen.locator("#opinions li").first).to_contain_text(OPINIONS[2])
        for selector in ("#speaker-name", "#countdown", "#queue .who", "#background", "#opinions .text", "#opinions .who", "#item"):
            sizes = await px(screen, selector)
            assert sizes and min(sizes) >= BACK_ROW_PX, (selector, sizes)
        smallest = min(await screen.evaluate(READ_FROM_THE_ROOM), key=lambda e: e[2])
        assert smallest[2] >= BACK_ROW_PX, smallest

        await send("end_speech")
        opened = await send("open_poll", {"question": QUESTION, "kind": "yes_no_abstain"})
        await expect(screen.locator("#poll-question")).to_contain_text(QUESTION)
        for selector in ("#poll-question", "#poll .row .label", "#poll .row .count", "#poll-total"):
            sizes = await px(screen, selector)
            assert sizes and min(sizes) >= BACK_ROW_PX, (selector, sizes)
        smallest = min(await screen.evaluate(READ_FROM_THE_ROOM), key=lambda e: e[2])
        assert smallest[2] >= BACK_ROW_PX, smallest

        # A closed poll keeps its question and its bars on the wall and on the console: the moment
        # the room looks at the result.
        view = (await send("sync"))["view"]
        poll = view["polls"][-1]["id"]
        assert opened["ok"]
        for voter, choice in zip(view["participants"], (0, 0, 1)):  # entered at the desk
            await send("cast_ballot", {"poll_id": poll, "choice": choice, "participant_id": voter["id"]})
        await send("close_poll", {"poll_id": poll})
        await expect(screen.locator("#poll-question")).to_have_text(f"表决结果：{QUESTION}")
        await expect(screen.locator("#poll-question")).to_be_visible()
        await expect(screen.locator("#poll .row")).to_have_count(3)
        await expect(screen.locator("#poll .row").first).to_be_visible()
        assert min(await px(screen, "#poll .row .label")) >= BACK_ROW_PX
        assert await leading_bar(screen, "#poll") > 0
        await at_least_40_px(screen)
        closed = console.locator("#polls .poll.closed")
        await expect(closed.locator(".question")).to_be_visible()
        await expect(closed.locator(".question")).to_have_text(QUESTION)
        await expect(closed.locator(".rows .row").first).to_be_visible()
        assert await leading_bar(console, "#polls .poll.closed") > 0
        assert console.yishi_errors == []  # type: ignore[attr-defined]
        assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_wall_shows_whole_opinions_newest_first_and_counts_the_rest(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    await send("open_item", {"item": 0})
    await add_speakers(send, SPEAKERS[:4])
    await show_opinions(send, OPINIONS)
    async with chromium() as browser:
        for viewport in (FULL_HD, HD):
            screen = await open_page(browser, meeting["links"]["projector"], viewport=viewport)
            cards = screen.locator("#opinions li:visible")
            await expect(cards.first.locator(".text")).to_have_text(OPINIONS[-1])  # the newest first
            more = screen.locator("#opinions-more")
            await expect(more).to_be_visible()  # eight opinions and a background: not all of them fit
            await screen.wait_for_function(WHOLE_ENTRIES, arg=["#opinions", "#opinions li"])
            shown = await cards.count()
            assert shown >= 1
            await expect(more).to_have_text(f"还有 {len(OPINIONS) - shown} 条意见未显示")
            # in the order they came, newest first: the ones shown are the newest
            await expect(cards.locator(".text")).to_have_text(OPINIONS[::-1][:shown])
            if viewport == FULL_HD:
                assert min(await px(screen, "#opinions .text")) >= BACK_ROW_PX
            assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_at_1280_by_720_the_queue_shows_the_names_that_fit_and_counts_the_rest(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    await send("open_item", {"item": 0})
    await add_speakers(send, SPEAKERS)
    await send("grant_floor")  # 钱大爷 speaks, eleven wait
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=HD)
        await expect(screen.locator("#queue li.next .who")).to_have_text("孙老师")
        await expect(screen.locator("#queue li.then .who")).to_have_text("吴阿姨")
        more = screen.locator("#queue li.more")
        await expect(more).to_be_visible()
        await screen.wait_for_function(WHOLE_ENTRIES, arg=["#queue", "#queue li"])
        assert await screen.locator("#queue").evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
        names = screen.locator("#queue li:visible .who")
        shown = await names.count()
        assert 2 <= shown < 11
        await expect(names).to_have_text(SPEAKERS[1:1 + shown])  # in the order heard, none skipped
        await expect(more).to_have_text(f"还有 {11 - shown} 人排队")
        assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_the_start_shows_the_meeting_and_the_open_item_its_background(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=FULL_HD)
        # Before the first item: the title, place and time, the agenda and a large join panel.
        await expect(screen.locator("body")).to_have_attribute("data-layout", "start")
        await expect(screen.locator("#meeting-meta")).to_contain_text("地点：社区居委会会议室")
        await expect(screen.locator("#meeting-meta")).to_contain_text("时间：2026-12-05 19:00")
        await expect(screen.locator("#agenda li .title")).to_have_text(["是否加装电梯", "费用分摊"])
        await expect(screen.locator("#room-code")).to_be_visible()
        qr = await screen.locator("#qr").bounding_box()
        assert qr and qr["height"] >= FULL_HD["height"] / 3, qr
        await expect(screen.locator("#floor")).to_be_hidden()  # nobody can ask for the floor yet
        title = await px(screen, "#title")
        assert title[0] >= 2 * BACK_ROW_PX, title
        await at_least_40_px(screen)
        await expect(screen.locator("#background-box")).to_be_hidden()

        await send("open_item", {"item": 0})
        await expect(screen.locator("body")).to_have_attribute("data-layout", "item")
        await expect(screen.locator("#background")).to_be_visible()
        await expect(screen.locator("#background")).to_have_text(BACKGROUND)
        assert (await px(screen, "#background"))[0] >= BACK_ROW_PX
        # all of it, in whole lines: nothing held back by the clamp, the box a whole number of lines
        await screen.wait_for_function("""() => {
            const p = document.querySelector('#background');
            const line = parseFloat(getComputedStyle(p).lineHeight);
            const lines = p.clientHeight / line;
            return p.scrollHeight < p.clientHeight + line / 2 && lines >= 2 && Math.abs(lines - Math.round(lines)) < 0.01;
        }""")

        await send("open_item", {"item": 1})  # an item without background
        await expect(screen.locator("#item")).to_have_text("议题2：费用分摊")
        await expect(screen.locator("#background-box")).to_be_hidden()
        assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_after_the_close_the_outcomes_replace_the_join_panel_and_the_queue(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    await send("open_item", {"item": 0})
    await add_speakers(send, SPEAKERS[:3])
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=HD)
        for there in ("#qr", "#room-code", "#queue", "#queue-title"):
            await expect(screen.locator(there)).to_be_visible()
        await send("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装电梯，设计方案公示后开工。",
                                      "actions": [{"what": "公示设计方案", "owner": "居委会", "due": "2027-01-15"}]})
        await send("close_meeting")
        await expect(screen.locator("#closed")).to_be_visible()
        for gone in ("#qr", "#scan", "#no-scan", "#room-code", "#join-url", "#queue", "#queue-title", "#speaker"):
            await expect(screen.locator(gone)).to_be_hidden()
        first = screen.locator('#outcomes li[data-item="0"]')
        await expect(first.locator(".verdict")).to_have_text("协商一致")
        await expect(first.locator(".opinion")).to_have_text("同意加装电梯，设计方案公示后开工。")
        await expect(first.locator(".actions")).to_contain_text("公示设计方案")
        await expect(screen.locator('#outcomes li[data-item="1"] .verdict')).to_have_text("未记录协商结果")
        await screen.wait_for_function(WHOLE_ENTRIES, arg=["#outcomes", "#outcomes > li"])
        await expect(screen.locator("#attendance-total")).to_have_text("3")  # who came stays on the wall
        assert screen.yishi_errors == []  # type: ignore[attr-defined]
        # At 1920 x 1080, what the room reads after the close is as large as during the meeting.
        wall = await open_page(browser, meeting["links"]["projector"], viewport=FULL_HD)
        await expect(wall.locator('#outcomes li[data-item="0"] .verdict')).to_have_text("协商一致")
        await at_least_40_px(wall)
        assert wall.yishi_errors == []  # type: ignore[attr-defined]


async def test_at_1024_by_768_nothing_runs_off_the_screen(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA, language="en")
    send = await moderator(server, screens, meeting)
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=XGA)

        async def within_the_width() -> None:
            # Nothing wider than the page, and no visible text reaching past its right edge.
            assert await screen.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
            beyond = await screen.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter((el) => el.checkVisibility() && el.getBoundingClientRect().right > innerWidth + 0.5)
                .map((el) => el.id || el.className || el.tagName)""")
            assert beyond == []

        await expect(screen.locator("#agenda li[data-item]")).to_have_count(2)
        await within_the_width()
        await send("open_item", {"item": 0})
        await add_speakers(send, SPEAKERS)
        await send("grant_floor")
        await show_opinions(send, OPINIONS)
        await expect(screen.locator("#queue li.more")).to_be_visible()
        await expect(screen.locator("#opinions-more")).to_be_visible()
        await screen.wait_for_function(WHOLE_ENTRIES, arg=["#opinions", "#opinions li"])
        await within_the_width()
        await send("end_speech")
        await send("open_poll", {"question": QUESTION, "kind": "single", "options": ["方案一：在北侧加装", "方案二：在南侧加装", "暂不加装"]})
        await expect(screen.locator("#poll .row")).to_have_count(3)
        await within_the_width()
        await send("close_meeting")
        await expect(screen.locator("#outcomes > li")).to_have_count(2)
        await within_the_width()
        assert screen.yishi_errors == []  # type: ignore[attr-defined]


async def test_every_option_of_a_vote_is_on_the_wall_beside_the_speaker(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(agenda=AGENDA)
    send = await moderator(server, screens, meeting)
    await send("open_item", {"item": 0})
    await add_speakers(send, SPEAKERS[:2])
    await send("grant_floor")
    async with chromium() as browser:
        screen = await open_page(browser, meeting["links"]["projector"], viewport=HD)
        for count in (9, 12):
            options = [f"方案{n}：{'北侧' if n % 2 else '南侧'}加装" for n in range(1, count + 1)]
            opened = await send("open_poll", {"question": f"{QUESTION}（{count}个方案）", "kind": "single", "options": options})
            await expect(screen.locator("#poll .row")).to_have_count(count)
            await expect(screen.locator("#speaker-name")).to_have_text("钱大爷")
            for box in ("#stage", "#poll"):
                await screen.wait_for_function(WHOLE_ENTRIES, arg=[box, "#poll .row, #poll-question, #poll-total"])
            assert await screen.locator("#stage").evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
            poll = (await send("sync"))["view"]["polls"][-1]["id"]
            assert opened["ok"]
            await send("close_poll", {"poll_id": poll})
        assert screen.yishi_errors == []  # type: ignore[attr-defined]
