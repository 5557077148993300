"""A real uvicorn server on loopback and real socket.io clients: the building blocks of the wire
and browser tests (their fixtures are in tests/conftest.py)."""
from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import socketio
import uvicorn

from live.app import Yishi
from live.settings import Settings

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
        return httpx.AsyncClient(base_url=self.url, timeout=10)

    async def create_meeting(self, **overrides: Any) -> dict[str, Any]:
        async with self.http() as c:
            r = await c.post("/api/meetings", json={**LIFT, **overrides}, headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 201, r.text
        return r.json()


async def start_server(data: Path, **settings: Any) -> tuple[Running, uvicorn.Server, asyncio.Task[None]]:
    port = free_port()
    cfg = Settings(data=data, host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}", **settings)
    yishi = Yishi(cfg)
    # As `yishi serve` does: the direct broadcast path writes to websockets-sansio connections.
    ws = "websockets-sansio" if cfg.fanout == "direct" else "auto"
    server = uvicorn.Server(uvicorn.Config(yishi.asgi(), host="127.0.0.1", port=port, log_level="warning",
                                           ws=ws, ws_per_message_deflate=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return Running(cfg.public_url, cfg.token, yishi, data), server, task


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait_for(task, 15)


class Screen:
    """A socket.io client as one screen: moderator console, projector or phone."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.url = url
        self.auth = auth
        self.sio = socketio.AsyncClient(reconnection=False)
        self.states: list[dict[str, Any]] = []
        self.tallies: list[dict[str, Any]] = []
        self.mes: list[dict[str, Any]] = []
        self.sio.on("state", self.states.append)
        self.sio.on("tally", self.tallies.append)
        self.sio.on("me", self.mes.append)

    async def connect(self) -> Screen:
        await self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=10)
        return self

    async def send(self, event: str, data: Any = None) -> dict[str, Any]:
        return await self.sio.call(event, data if data is not None else {}, timeout=10)

    async def close(self) -> None:
        await self.sio.disconnect()

    @property
    def view(self) -> dict[str, Any]:
        return self.states[-1]["view"]

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> dict[str, Any]:
        """The latest view once `predicate(view)` holds (views arrive coalesced)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if self.states and predicate(self.view):
                return self.view
            await asyncio.sleep(0.02)
        raise AssertionError(f"no matching view in {timeout}s; last: {self.states[-1]['view'] if self.states else None}")
