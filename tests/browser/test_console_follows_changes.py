"""The console's page follows a long meeting by changes and ends showing what a console opened
afresh shows; the page's own code applies a change as facilitation/view_changes.py does.
Debian's Chromium through playwright, against a real server; the desk is a socket.io client."""
from __future__ import annotations

import json
import random
from typing import Any

from playwright.async_api import Page, expect

from facilitation.view_changes import view_changes

from support.browser import chromium, open_page
from support.wire import Running

def random_view(rng: random.Random) -> dict[str, Any]:
    """A view with keyed lists (by id and by index), a list without keys and plain entries."""
    def entries(key: str) -> list[dict[str, Any]]:
        keys = rng.sample([*range(6), *"abcdef"], rng.randint(0, 6))
        return [{key: k, "text": rng.choice(["", "意见", "x"]), "n": rng.randint(0, 2)} for k in keys]

    view = {"seq": rng.randint(0, 9), "opinions": entries("id"), "roster": entries("index"),
            "open_objections": rng.sample("abc", rng.randint(0, 3)), "speaker": rng.choice([None, {"id": "s"}]),
            "queue": [{"id": rng.randint(0, 2)} for _ in range(rng.randint(0, 3))],  # keys may repeat
            "balance": rng.choice([None, {"sides": {"for": rng.randint(0, 2)}, "people": entries("id")}])}
    return {k: v for k, v in view.items() if rng.random() < 0.9}


async def apply_in_page(page: Page, cases: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[Any]:
    return await page.evaluate("""async (cases) => {
        const src = [...document.scripts].find((s) => s.type === "module" && s.src).src;
        const { applyChanges } = await import(new URL("./client.js", src));
        return cases.map(([old, changes]) => {
          const before = JSON.stringify(old);
          const view = applyChanges(old, changes);
          if (JSON.stringify(old) !== before) throw new Error("the old view was changed");
          return view;
        });
    }""", [[old, view_changes(old, new)] for old, new in cases])


async def test_the_page_applies_a_change_as_the_server_computes_it(server: Running) -> None:
    meeting = await server.create_meeting()
    rng = random.Random(5)
    cases = [(random_view(rng), random_view(rng)) for _ in range(400)]
    async with chromium() as browser:
        page = await open_page(browser, meeting["links"]["moderator"])
        got = await apply_in_page(page, cases)
    assert got == [json.loads(json.dumps(new)) for _, new in cases]


async def test_the_console_and_projector_after_a_long_meeting_show_what_fresh_pages_show(
        server: Running, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    desk = await screens(mid, "moderator", key=meeting["key"])
    rng = random.Random(9)
    async with chromium() as browser:
        console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        frames: list[str] = []
        console.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f)[:20])))
        await console.reload()  # the socket opened again, now watched
        await expect(console.locator("#conn")).to_have_attribute("data-state", "connected")
        wall = await open_page(browser, meeting["links"]["projector"])
        for i in range(6):
            assert (await desk.send("check_in", {"name": f"居民{i}", "category": "registered"}))["ok"]
        people = [p["id"] for p in (await desk.send("sync"))["view"]["participants"]]
        assert (await desk.send("open_item", {"item": 0}))["ok"]
        poll = ""
        for n in range(120):
            pid = rng.choice(people)
            step = rng.randrange(7)
            if step == 0:
                await desk.send("submit_opinion", {"participant_id": pid, "text": f"第{n}条意见"})
            elif step == 1:
                opinions = [o["id"] for o in (await desk.send("sync"))["view"]["all_opinions"]]
                if opinions:
                    await desk.send("moderate_opinion", {"opinion_id": rng.choice(opinions), "visible": rng.random() < .8})
            elif step == 2:
                await desk.send("raise_hand", {"participant_id": pid, "stance": rng.choice(["for", "against"])})
            elif step == 3:
                await desk.send(rng.choice(["grant_floor", "end_speech"]), {})
            elif step == 4:
                await desk.send("raise_objection", {"participant_id": pid, "reason": f"异议{n}"})
            elif step == 5:
                if poll:
                    await desk.send("close_poll", {"poll_id": poll})
                    poll = ""
                else:
                    await desk.send("open_poll", {"question": f"第{n}次表决", "options": ["同意", "不同意"]})
                    poll = next(p["id"] for p in (await desk.send("sync"))["view"]["polls"] if p["open"])
            elif poll:
                await desk.send("cast_ballot", {"participant_id": pid, "poll_id": poll, "choice": rng.randint(0, 1)})
        await desk.send("end_speech", {})  # no countdown running: nothing on the pages moves by itself
        last = await desk.send("check_in", {"name": "最后来的", "category": "registered"})
        assert last["ok"], last
        fresh_console = await open_page(browser, meeting["links"]["moderator"], viewport={"width": 1400, "height": 1000})
        await expect(fresh_console.locator("body")).to_contain_text("最后来的")
        fresh_wall = await open_page(browser, meeting["links"]["projector"])
        await expect(fresh_wall.locator("body")).to_contain_text("7")
        # The pages that followed the meeting come to show exactly what the fresh ones show.
        await expect(console.locator("main")).to_have_text(await fresh_console.locator("main").text_content() or "")
        await expect(wall.locator("body")).to_have_text(await fresh_wall.locator("body").text_content() or "")
        assert any('"changes"' in f for f in frames), frames[:20]  # it did follow by changes
        assert not console.yishi_errors and not wall.yishi_errors  # type: ignore[attr-defined]
