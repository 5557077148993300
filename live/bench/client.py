"""A light Socket.IO v5 client (Engine.IO v4, websocket transport only) for simulated phones.

python-socketio's own AsyncClient spends about twice the CPU per message and becomes the
bottleneck of the load generator near 1,500 clients. This one speaks just what a phone needs:
the open packet, answering the server's pings, connect with `auth`, events, and calls with an
acknowledgement. Events are handed over as raw text with their arrival time; the caller decides
what is worth parsing.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

OnEvent = Callable[[str, str, float], None]  # (event name, raw packet text, arrival time)


class Refused(Exception):
    """The server refused the connection (a `44` packet): carries the refusal's data."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.data = data


def event_name(text: str) -> str:
    """The event name of a `42["name", ...]` packet, without parsing the payload."""
    start = text.find('"') + 1
    return text[start:text.find('"', start)]


class Phone:
    """One socket.io connection to the default namespace."""

    def __init__(self, url: str, auth: dict[str, Any], on_event: OnEvent | None = None) -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/socket.io/?EIO=4&transport=websocket"
        self.auth = auth
        self.on_event = on_event
        self.ws: ClientConnection | None = None
        self.received = 0  # every message from the server except pings
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._reader: asyncio.Task[None] | None = None

    async def connect(self, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            self.ws = await connect(self.ws_url, compression=None, ping_interval=None, close_timeout=2,
                                    max_queue=None, open_timeout=timeout)
            opened = await self.ws.recv()
            if not isinstance(opened, str) or not opened.startswith("0"):
                raise ConnectionError(f"expected an Engine.IO open packet, got {opened!r}")
            await self.ws.send("40" + json.dumps(self.auth, separators=(",", ":")))
            while True:
                text = await self.ws.recv()
                if text == "2":
                    await self.ws.send("3")
                elif isinstance(text, str) and text.startswith("40"):
                    break
                elif isinstance(text, str) and text.startswith("44"):
                    await self.ws.close()
                    raise Refused(json.loads(text[2:]))
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        ws = self.ws
        try:
            async for text in ws:
                if not isinstance(text, str):
                    continue
                if text == "2":
                    await ws.send("3")
                    continue
                now = time.monotonic()
                self.received += 1
                if text.startswith("42"):
                    if self.on_event:
                        self.on_event(event_name(text), text, now)
                elif text.startswith("43"):
                    end = text.index("[", 2)
                    fut = self._acks.pop(int(text[2:end]), None)
                    if fut and not fut.done():
                        data = json.loads(text[end:])
                        fut.set_result(data[0] if data else None)
        except ConnectionClosed:
            pass
        finally:
            for fut in self._acks.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("connection closed"))
            self._acks.clear()

    async def call(self, event: str, data: Any = None, timeout: float = 30.0) -> Any:
        """Send an event and wait for its acknowledgement."""
        if self.ws is None:
            raise ConnectionError("not connected")
        self._next_id += 1
        ack_id = self._next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        await self.ws.send(f"42{ack_id}" + json.dumps([event, data if data is not None else {}],
                                                      ensure_ascii=False, separators=(",", ":")))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(ack_id, None)

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except (asyncio.TimeoutError, OSError):
                pass
        if self._reader is not None:
            self._reader.cancel()
