"""A script on one phone is slowed to a person's pace, over one connection or many; the moderator
is not; a person who waits is heard again."""
from __future__ import annotations

import asyncio
from typing import Any

from live.errors import message
from live.ratelimit import BURST



async def test_a_flood_from_one_phone_is_refused_with_too_fast_and_the_record_stays_small(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    guest = await screens(mid, "phone", token=None)
    checked = await guest.send("check_in", {"name": "脚本", "category": "registered"})
    phones = [await screens(mid, "phone", token=checked["token"]) for _ in range(4)]  # one token, four sockets
    before = (await mod.send("sync"))["seq"]
    answers = await asyncio.gather(*[
        p.send("raise_hand" if n % 2 == 0 else "withdraw_hand", {"stance": "for"} if n % 2 == 0 else {})
        for n in range(60) for p in phones])
    refused = [a for a in answers if a.get("code") == "too_fast"]
    assert refused and refused[0]["status"] == 429
    assert refused[0]["error"] in {message("too_fast", "zh-CN", {"seconds": n}) for n in range(1, 3)}
    written = (await mod.send("sync"))["seq"] - before
    assert written <= BURST + 20, written  # 240 commands sent; the participant's one bucket let a burst through
    # the moderator is not limited
    assert all(a["ok"] for a in await asyncio.gather(*[mod.send("unheard_first", {}) for _ in range(60)]))
    # a person who waits a moment is heard again (the bucket refills while time passes)
    heard: list[dict[str, Any]] = []

    async def again() -> None:
        while not (heard and heard[-1].get("ok")):
            heard.append(await phones[0].send("submit_opinion", {"text": "我等了一下"}))
            await asyncio.sleep(0.05)

    await asyncio.wait_for(again(), 60)
    assert heard[-1]["ok"]
