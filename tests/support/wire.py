"""A real uvicorn server on loopback and real socket.io clients: the building blocks of the wire
and browser tests (their fixtures are in tests/conftest.py)."""
from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import httpx
import socketio
import uvicorn

from facilitation.view_changes import apply_changes
from live.app import Yishi
from live.settings import Settings

T = TypeVar("T")

# Budgets, generous on purpose: the suite must pass while other processes keep every CPU busy.
# Nothing waits for a budget to pass; reaching one fails the test and says what never happened.
EVENT_BUDGET_S = 60  # a view, tally or other change a test waits for
CALL_BUDGET_S = 60  # a socket.io acknowledgement
CONNECT_BUDGET_S = 60  # a socket.io connection
HTTP_BUDGET_S = 180  # an HTTP answer: a PDF may queue behind the minutes a closing meeting prepares
START_BUDGET_S = 60  # uvicorn listening
STOP_BUDGET_S = 180  # uvicorn stopped: its lifespan first lets minutes being prepared finish

LIFT = {
    "title": "3号楼加装电梯协商会",
    "form": "owners",
    "place": "社区居委会会议室",
    "starts_at": "2026-12-05 19:00",
    "language": "zh-CN",
    "speaking_seconds": 180,
    "moderator": "王秀兰",
    "recorder": "陈明",
    "agenda": [{"title": "是否加装电梯", "background": "6层24户"}, {"title": "费用分摊"}],
    "roster": [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "property"}],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    url: str
    token: str
    yishi: Yishi
    data: Path

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=HTTP_BUDGET_S)

    async def create_meeting(self, **overrides: Any) -> dict[str, Any]:
        async with self.http() as c:
            r = await c.post("/api/meetings", json={**LIFT, **overrides}, headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 201, r.text
        return r.json()


    async def join_codes(self, meeting_id: str, key: str) -> list[str]:
        """Every invitee's personal code, as the desk's list gives them (roster order)."""
        async with self.http() as c:
            r = await c.get(f"/api/meetings/{meeting_id}/codes", params={"key": key})
        assert r.status_code == 200, r.text
        return [e["code"] for e in r.json()["codes"]]


async def start_server(data: Path, **settings: Any) -> tuple[Running, uvicorn.Server, asyncio.Task[None]]:
    port = free_port()
    cfg = Settings(data=data, host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}", **settings)
    yishi = Yishi(cfg)
    # As `yishi serve` does: the direct broadcast path writes to websockets-sansio connections.
    ws = "websockets-sansio" if cfg.fanout == "direct" else "auto"
    server = uvicorn.Server(uvicorn.Config(yishi.asgi(), host="127.0.0.1", port=port, log_level="warning",
                                           ws=ws, ws_per_message_deflate=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    await until(lambda: server.started or task.done(), "uvicorn never started listening", START_BUDGET_S)
    if task.done():
        task.result()  # it failed to start: say why
    return Running(cfg.public_url, cfg.token, yishi, data), server, task


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait_for(task, STOP_BUDGET_S)


async def stop_all(screens: list[Screen], *servers: tuple[uvicorn.Server, asyncio.Task[None]]) -> None:
    """The screens a test opened (those still connected) closed, then its servers stopped."""
    for s in screens:
        if s.sio.connected:
            await s.close()
    for server, task in servers:
        await stop_server(server, task)


async def until(predicate: Callable[[], T], what: str | Callable[[], str], budget: float = EVENT_BUDGET_S) -> T:
    """What `predicate()` returns once it is truthy, checked every 20 ms; `what` (or what it returns)
    is the failure message."""
    deadline = asyncio.get_running_loop().time() + budget
    while not (value := predicate()):
        if asyncio.get_running_loop().time() >= deadline:
            raise AssertionError(f"{what() if callable(what) else what} (waited {budget}s)")
        await asyncio.sleep(0.02)
    return value


class Screen:
    """A socket.io client as one screen: moderator console, projector or phone."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.url = url
        self.auth = auth
        self.sio = socketio.AsyncClient(reconnection=False)
        self.states: list[dict[str, Any]] = []
        self.tallies: list[dict[str, Any]] = []
        self.mes: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []  # `changes` as they came; each applied is kept in states too
        self._arrived = asyncio.Event()
        self._resyncing: asyncio.Task[None] | None = None
        self._waiting: list[dict[str, Any]] = []  # changes that came while the whole view was asked for
        for event, kept in (("state", self.states), ("tally", self.tallies), ("me", self.mes)):
            self.sio.on(event, self._keeper(kept))
        self.sio.on("changes", self._changed)

    def _changed(self, message: dict[str, Any]) -> None:
        """As static/js/client.js does: applied to the view held at its base, or the whole view asked
        for; those that come while it is asked for are kept and applied to it once it came."""
        self.changes.append(message)
        self._follow(message)

    def _follow(self, message: dict[str, Any]) -> None:
        if self._resyncing is not None and not self._resyncing.done():
            self._waiting.append(message)
            return
        held = self.states[-1] if self.states else None
        if held is not None and message["seq"] <= held["seq"]:
            return
        if held is not None and held["seq"] == message["base"]:
            self.states.append({"seq": message["seq"], "view": apply_changes(held["view"], message["changes"]),
                                "server_now": message["server_now"]})
            self._arrived.set()
        else:
            self._waiting = []
            self._resyncing = asyncio.ensure_future(self.resync())

    async def resync(self) -> None:
        """The whole view again, as `sync` answers it; then the changes that came meanwhile."""
        try:
            ack = await self.send("sync")
            if ack.get("ok") and "view" in ack and (not self.states or ack["seq"] > self.states[-1]["seq"]):
                self.states.append({"seq": ack["seq"], "view": ack["view"], "server_now": ack["server_now"]})
                self._arrived.set()
        finally:
            waiting, self._waiting = self._waiting, []
            self._resyncing = None
            for message in waiting:
                self._follow(message)

    def _keeper(self, kept: list[dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
        def keep(message: dict[str, Any]) -> None:
            kept.append(message)
            self._arrived.set()

        return keep

    async def connect(self) -> Screen:
        await self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
        return self

    async def send(self, event: str, data: Any = None) -> dict[str, Any]:
        return await self.sio.call(event, data if data is not None else {}, timeout=CALL_BUDGET_S)

    async def close(self) -> None:
        await self.sio.disconnect()

    @property
    def view(self) -> dict[str, Any]:
        return self.states[-1]["view"]

    async def until(self, predicate: Callable[[], T], what: str | Callable[[], str],
                    budget: float = EVENT_BUDGET_S) -> T:
        """What `predicate()` returns once it is truthy, checked again as each state, tally or `me` arrives;
        `what` (or what it returns) is the failure message."""
        deadline = asyncio.get_running_loop().time() + budget
        while not (value := predicate()):
            self._arrived.clear()
            left = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(self._arrived.wait(), max(left, 0))
            except TimeoutError:
                if not (value := predicate()):
                    raise AssertionError(f"{what() if callable(what) else what} (waited {budget}s)") from None
        return value

    async def wait_for(self, predicate: Callable[[dict[str, Any]], Any], budget: float = EVENT_BUDGET_S) -> dict[str, Any]:
        """The latest view once `predicate(view)` holds (views arrive coalesced)."""
        await self.until(lambda: bool(self.states) and predicate(self.view),
                         lambda: f"no matching view; last: {self.states[-1]['view'] if self.states else None}", budget)
        return self.view


async def connect_from(server: Running, address: str, auth: dict[str, Any]) -> tuple[socketio.AsyncClient, Any]:
    """A socket as from `address`: the server sits behind a proxy on its own machine for the test,
    which says who the client is (X-Forwarded-For, trusted from loopback as uvicorn does).
    Returns the client and the refusal (None when connected)."""
    client = socketio.AsyncClient(reconnection=False)
    refused: list[Any] = []
    client.on("connect_error", refused.append)
    try:
        await client.connect(server.url, auth=auth, headers={"X-Forwarded-For": address}, transports=["websocket"],
                             wait_timeout=CONNECT_BUDGET_S)
    except socketio.exceptions.ConnectionError:
        return client, refused[0]["data"]
    return client, None
