#!/usr/bin/env python3
"""Draw docs/projector.png: the projector page at 1280x720 in the middle of a demo meeting.

Starts a server on loopback with a throwaway data folder, plays a few minutes of the sample
consultation over the real socket.io protocol (people check in from phones, the moderator opens
an item and grants the floor, a vote is under way), then photographs the projector with
Debian's Chromium. Usage: python scripts/screenshot.py [output.png]
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import socketio
import uvicorn
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent

from live.app import Yishi
from live.bench.server import free_port
from live.demo import LIFT
from live.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


async def client(url: str, auth: dict[str, Any]) -> socketio.AsyncClient:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    return sio


async def call(sio: socketio.AsyncClient, event: str, data: dict[str, Any]) -> dict[str, Any]:
    ack = await sio.call(event, data, timeout=10)
    if not ack.get("ok"):
        raise RuntimeError(f"{event} refused: {ack}")
    return ack


async def play(url: str, token: str) -> str:
    """Set up the meeting mid-way through its first item; returns the meeting id."""
    async with httpx.AsyncClient(base_url=url) as http:
        r = await http.post("/api/meetings", json=LIFT, headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        made = r.json()
    mid, key = made["id"], made["key"]
    mod = await client(url, {"meeting": mid, "role": "moderator", "key": key})
    phones: dict[str, tuple[socketio.AsyncClient, str]] = {}
    for i, person in enumerate(LIFT["roster"][:9]):
        phone = await client(url, {"meeting": mid, "role": "phone", "token": None})
        ack = await call(phone, "check_in", {"invitee": i})
        phones[person["name"]] = (phone, ack["participant_id"])
    await call(mod, "check_in", {"name": "钱大爷", "category": "registered", "role": "attendee"})
    await call(mod, "open_item", {"item": 0})
    for name, stance in [("张桂英", "for"), ("刘志强", "against"), ("吴工程师", "question"), ("赵丽", "for"),
                         ("郑晓东", "other")]:
        await call(phones[name][0], "raise_hand", {"stance": stance, "kind": "speech"})
    await call(mod, "grant_floor", {})
    await call(mod, "end_speech", {})
    await call(mod, "grant_floor", {})
    op = await call(phones["赵丽"][0], "submit_opinion", {"text": "建议施工单位公开招标，并请业委会全程监督。"})
    mv = await mod.call("sync", {}, timeout=10)
    for o in mv["view"]["all_opinions"]:
        await call(mod, "moderate_opinion", {"opinion_id": o["id"], "visible": True})
    del op
    await call(mod, "open_poll", {"question": "是否同意为3号楼加装电梯", "kind": "yes_no_abstain"})
    poll_id = (await mod.call("sync", {}, timeout=10))["view"]["polls"][-1]["id"]
    for name, choice in [("王秀兰", 0), ("李建国", 0), ("张桂英", 0), ("赵丽", 0), ("孙德明", 0), ("刘志强", 1),
                         ("周海燕", 2)]:
        await call(phones[name][0], "cast_ballot", {"poll_id": poll_id, "choice": choice})
    await call(mod, "add_hand_count", {"poll_id": poll_id, "counts": [3, 1, 0]})
    await call(mod, "extend_timer", {"seconds": 20})  # a countdown that is not a round number
    for phone, _ in phones.values():
        await phone.disconnect()
    await mod.disconnect()
    return mid


async def photograph(url: str, out: Path, width: int = 1280, height: int = 720) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": width, "height": height})
        await page.goto(url)
        await page.wait_for_selector("#conn[data-state=connected]")
        await page.wait_for_selector("#poll:not([hidden]) .row")
        await page.wait_for_timeout(600)  # the QR image and the bars' transition
        await page.screenshot(path=str(out))
        await browser.close()


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = Settings(data=Path(data), host="127.0.0.1", port=port, public_url=url)
        server = uvicorn.Server(uvicorn.Config(Yishi(settings).asgi(), host="127.0.0.1", port=port,
                                               log_level="warning", lifespan="on"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        try:
            mid = await play(url, settings.token)
            await photograph(f"{url}/m/{mid}/screen", out)
        finally:
            server.should_exit = True
            await task
    print(out)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "projector.png"))
