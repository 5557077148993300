"""The two broadcast paths (live/fanout.py): the direct one is really taken, keeps each screen's
messages in order, refuses loudly to run on libraries it does not fit; the stock one works too."""
from __future__ import annotations

import asyncio
import types
from typing import Any

import httpx
import pytest
import socketio
from support.wire import CALL_BUDGET_S, CONNECT_BUDGET_S, EVENT_BUDGET_S, HTTP_BUDGET_S, Running, start_server, stop_server

from live import fanout


class Recorder:
    """A screen that keeps every state and tally in the order they arrived."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.url, self.auth = url, auth
        self.sio = socketio.AsyncClient(reconnection=False)
        self.arrived: list[tuple[str, int]] = []
        self.last: dict[str, Any] = {}
        self.sio.on("state", lambda msg: self._got("state", msg))
        self.sio.on("tally", lambda msg: self._got("tally", msg))

    def _got(self, kind: str, msg: dict[str, Any]) -> None:
        self.arrived.append((kind, msg["seq"]))
        self.last[kind] = msg

    async def connect(self) -> "Recorder":
        await self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
        return self

    async def send(self, event: str, data: Any = None) -> dict[str, Any]:
        return await self.sio.call(event, data or {}, timeout=CALL_BUDGET_S)

    async def until(self, predicate: Any) -> None:
        deadline = asyncio.get_running_loop().time() + EVENT_BUDGET_S
        while not predicate():
            assert asyncio.get_running_loop().time() < deadline, self.arrived[-5:]
            await asyncio.sleep(0.02)


async def a_vote(running: Running, phones: int) -> tuple[Recorder, list[Recorder], str]:
    """A meeting with a projector and `phones` checked-in phones; each phone votes once, all at once."""
    url = running.url
    meeting = await running.create_meeting(title="楼道改造", agenda=[{"title": "方案"}])
    mid = meeting["id"]
    mod = await Recorder(url, {"meeting": mid, "role": "moderator", "key": meeting["key"]}).connect()
    wall = await Recorder(url, {"meeting": mid, "role": "projector"}).connect()
    voters = []
    for i in range(phones):
        guest = await Recorder(url, {"meeting": mid, "role": "phone", "token": None}).connect()
        ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
        assert ack["ok"], ack
        await guest.sio.disconnect()
        voters.append(await Recorder(url, {"meeting": mid, "role": "phone", "token": ack["token"]}).connect())
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    ack = await mod.send("open_poll", {"question": "是否同意？", "options": ["同意", "不同意"]})
    assert ack["ok"], ack
    await wall.until(lambda: bool(wall.last.get("state", {}).get("view", {}).get("polls")))
    poll = wall.last["state"]["view"]["polls"][0]["id"]
    acks = await asyncio.gather(*[v.send("cast_ballot", {"poll_id": poll, "choice": i % 2})
                                  for i, v in enumerate(voters)])
    assert all(a["ok"] for a in acks), acks
    await wall.until(lambda: sum(wall.last.get("tally", {"polls": [{"counts": [0]}]})["polls"][0]["counts"]) == phones)
    return mod, [wall, *voters], mid


async def health(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
        return (await http.get("/api/health")).json()


async def test_the_direct_path_writes_straight_to_connections_and_keeps_each_screens_order(tmp_path):
    running, server, task = await start_server(tmp_path / "data", fanout="direct")
    screens: list[Recorder] = []
    try:
        before = await health(running.url)
        assert before["fanout"] == "direct"
        mod, screens, _ = await a_vote(running, 12)
        screens.append(mod)
        after = await health(running.url)
        # Broadcasts and acknowledgements went out on the direct path, not through engine.io's queue alone.
        assert after["writes"]["direct"] > before["writes"]["direct"] + 12, after
        # Written at once or queued behind a message still being sent, no screen ever got an older
        # moment after a newer one.
        for s in screens:
            seqs = [seq for _, seq in s.arrived]
            assert seqs == sorted(seqs), s.arrived
    finally:
        for s in screens:
            if s.sio.connected:
                await s.sio.disconnect()
        await stop_server(server, task)


async def test_the_stock_path_runs_the_same_vote(tmp_path):
    running, server, task = await start_server(tmp_path / "data", fanout="stock")
    screens: list[Recorder] = []
    try:
        mod, screens, _ = await a_vote(running, 6)
        screens.append(mod)
        wall = screens[0]
        assert wall.last["tally"]["polls"][0]["counts"] == [3, 3, 0]  # and no abstention
        body = await health(running.url)
        assert body["fanout"] == "stock" and "writes" not in body
    finally:
        for s in screens:
            if s.sio.connected:
                await s.sio.disconnect()
        await stop_server(server, task)


def test_the_direct_path_refuses_to_start_on_libraries_that_lack_what_it_writes_to():
    real = __import__("engineio.async_socket", fromlist=["AsyncSocket"])
    changed = types.SimpleNamespace(AsyncSocket=type("AsyncSocket", (), {"_upgrade_websocket": None}))
    with pytest.raises(fanout.FanoutUnavailable) as refused:
        fanout.check_direct({"engineio.async_socket": changed})
    message = str(refused.value)
    assert "python-engineio" in message and "AsyncSocket._websocket_handler" in message
    assert "YISHI_FANOUT=stock" in message
    assert real.AsyncSocket._websocket_handler  # the installed library itself is fine
    fanout.check_direct()


def test_an_unknown_path_is_refused_by_name():
    with pytest.raises(ValueError, match="direct, stock"):
        fanout.socket_server("fast")
