"""A light Socket.IO v5 client (Engine.IO v4, websocket transport only) for simulated phones.

python-socketio's own AsyncClient spends about twice the CPU per message and becomes the
bottleneck of the load generator near 1,500 clients; even the `websockets` library's asyncio
connection wakes a task per message. On a two-core machine every microsecond the generator
spends is taken from the server under test, so this client drives the `websockets` sans-I/O
protocol (framing, masking, the closing handshake) from a plain asyncio Protocol: the frames of
one read are handled in one go, without a task switch per message.

It speaks just what a phone needs: the open packet, answering the server's pings, connect with
`auth`, events, and calls with an acknowledgement. Events are handed over as raw text with
their arrival time; the caller decides what is worth parsing.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

OnEvent = Callable[[str, str, float], None]  # (event name, raw packet text, arrival time)
OnAck = Callable[[Any, float], None]  # (acknowledgement, arrival time), in arrival order with the events


class Refused(Exception):
    """The server refused the connection (a `44` packet): carries the refusal's data."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.data = data


def event_name(text: str) -> str:
    """The event name of a `42["name", ...]` packet, without parsing the payload."""
    start = text.find('"') + 1
    return text[start:text.find('"', start)]


class Phone(asyncio.Protocol):
    """One socket.io connection to the default namespace."""

    def __init__(self, url: str, auth: dict[str, Any], on_event: OnEvent | None = None) -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/socket.io/?EIO=4&transport=websocket"
        self.auth = auth
        self.on_event = on_event
        self.on_ack: OnAck | None = None
        self.received = 0  # every message from the server except pings
        self.transport: asyncio.Transport | None = None
        self.ws: ClientProtocol | None = None
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._connected: asyncio.Future[None] | None = None
        self._partial: list[bytes] = []

    # -- the socket.io side ----------------------------------------------------------

    async def connect(self, timeout: float = 30.0) -> None:
        loop = asyncio.get_running_loop()
        self._connected = loop.create_future()
        uri = parse_uri(self.ws_url)
        # No extensions offered: no per-message deflate. No size limit on what the server sends, as in
        # a browser: the moderator's view of a long meeting passes websockets' default 1 MiB.
        self.ws = ClientProtocol(uri, max_size=None)
        async with asyncio.timeout(timeout):
            await loop.create_connection(lambda: self, uri.host, uri.port)
            self.ws.send_request(self.ws.connect())
            self._flush()
            await self._connected

    def _on_text(self, text: str) -> None:
        if text == "2":  # the server's ping
            self._send("3")
            return
        now = time.monotonic()
        if text.startswith("42"):
            self.received += 1
            if self.on_event:
                self.on_event(event_name(text), text, now)
        elif text.startswith("43"):
            self.received += 1
            end = text.index("[", 2)
            fut = self._acks.pop(int(text[2:end]), None)
            if fut is not None and not fut.done():
                data = json.loads(text[end:])
                ack = data[0] if data else None
                if self.on_ack:
                    self.on_ack(ack, now)
                fut.set_result(ack)
        elif text.startswith("0"):  # engine.io open: now connect to the default namespace
            self._send("40" + json.dumps(self.auth, separators=(",", ":")))
        elif text.startswith("40"):
            self._settle(None)
        elif text.startswith("44"):
            self._settle(Refused(json.loads(text[2:])))

    async def call(self, event: str, data: Any = None, timeout: float = 30.0) -> Any:
        """Send an event and wait for its acknowledgement."""
        if self.transport is None or self.transport.is_closing():
            raise ConnectionError("not connected")
        self._next_id += 1
        ack_id = self._next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        payload = [event, data if data is not None else {}]
        self._send(f"42{ack_id}" + json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(ack_id, None)

    async def close(self) -> None:
        if self.ws is not None and self.transport is not None and not self.transport.is_closing():
            try:
                self.ws.send_close()
                self._flush()
            except Exception:
                pass
            self.transport.close()

    def _settle(self, error: Exception | None) -> None:
        if self._connected is not None and not self._connected.done():
            if error is None:
                self._connected.set_result(None)
            else:
                self._connected.set_exception(error)

    # -- the websocket side (asyncio.Protocol) ---------------------------------------

    def _send(self, text: str) -> None:
        assert self.ws is not None
        self.ws.send_text(text.encode())
        self._flush()

    def _flush(self) -> None:
        if self.ws is not None and self.transport is not None and not self.transport.is_closing():
            out = self.ws.data_to_send()
            if out:
                self.transport.write(b"".join(out))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        assert self.ws is not None
        self.ws.receive_data(data)
        for ev in self.ws.events_received():
            if isinstance(ev, Response):
                if self.ws.handshake_exc is not None:
                    self._settle(ConnectionError(f"websocket handshake failed: {self.ws.handshake_exc}"))
            elif isinstance(ev, Frame):
                if ev.opcode is Opcode.TEXT or ev.opcode is Opcode.CONT:
                    self._partial.append(ev.data)
                    if ev.fin:
                        text = b"".join(self._partial).decode()
                        self._partial = []
                        self._on_text(text)
        self._flush()  # pongs and the closing handshake

    def connection_lost(self, exc: Exception | None) -> None:
        self._settle(ConnectionError("connection closed"))
        for fut in self._acks.values():
            if not fut.done():
                fut.set_exception(ConnectionError("connection closed"))
        self._acks.clear()
