"""A script on one phone is slowed to a person's pace, over one connection or many; the moderator
is not; a person who waits is heard again."""
from __future__ import annotations

import asyncio
from typing import Any

import socketio
from support.wire import Screen, connect_from

from live.errors import message
from live.ratelimit import BURST, Buckets



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


async def test_connections_and_check_ins_from_one_address_are_limited_and_other_addresses_are_not(server: Any) -> None:
    """The limits per address, made small here (the real ones let a hall of 600 in at once; opening
    that many sockets in a test would prove only that the suite is slow). The same code and clock."""
    meeting = await server.create_meeting(roster=[])
    mid = meeting["id"]
    live = server.yishi.live
    live.connects = Buckets(burst=3, rate=0.001)
    live.guests = Buckets(burst=2, rate=0.001)
    guest = {"meeting": mid, "role": "phone", "token": None, "lang": "en"}
    opened: list[socketio.AsyncClient] = []
    try:
        for _ in range(3):
            client, refused = await connect_from(server, "10.0.0.7", guest)
            assert refused is None, refused
            opened.append(client)
        client, refused = await connect_from(server, "10.0.0.7", guest)
        assert refused["code"] == "too_fast" and refused["status"] == 429, refused
        assert refused["error"].startswith("Too many actions in a short time"), refused
        # A neighbour on another address, and the laptop itself, are not held back.
        client, refused = await connect_from(server, "10.0.0.8", guest)
        assert refused is None, refused
        opened.append(client)
        own = await Screen(server.url, guest).connect()
        opened.append(own.sio)

        # Guests from one address share a bucket for check-ins, whichever connection they use.
        answers = [await c.call("check_in", {"name": f"来客{n}", "category": "registered"}, timeout=60)
                   for n, c in enumerate(opened[:3])]
        assert [a["ok"] for a in answers] == [True, True, False], answers
        assert answers[2]["code"] == "too_fast"
        assert (await opened[3].call("check_in", {"name": "邻居", "category": "registered"}, timeout=60))["ok"]
        # A phone that checked in is limited as itself from then on, not as its address.
        phone, refused = await connect_from(server, "10.0.0.7", {**guest, "token": None})
        assert refused is not None  # still no new connections from 10.0.0.7
        assert (await opened[0].call("raise_hand", {"stance": "for"}, timeout=60)).get("code") == "no_current_item"
    finally:
        for c in opened:
            if c.connected:
                await c.disconnect()
