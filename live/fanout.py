"""Sending one message to a whole room of screens, at a few microseconds per screen.

python-socketio encodes a broadcast once, then starts one task per recipient to put it in that
connection's queue, whose engine.io writer task wakes up, waits on the queue again (a new task
and timer each time) and finally hands the text to uvicorn, which frames it for that one
connection. At thousands of screens that is about 100 µs a screen and most of the server's time
during a vote. Here a message is encoded and framed once (server frames are unmasked and
uncompressed, so every screen gets the same bytes) and written straight to each connection's
transport when engine.io's writer for that connection is idle (so nothing overtakes an earlier
packet); otherwise it goes into the connection's queue as before. Acknowledgements take
the same direct way (`LiveSocketServer`). Emits with an acknowledgement callback, or that skip a
sender, take the stock path.

This reaches into python-engineio's ASGI driver and uvicorn's websockets-sansio protocol; the
versions are pinned in pyproject.toml, and any other websocket implementation falls back to the
queue.
"""
from __future__ import annotations

from typing import Any

import socketio
from engineio import packet as eio_packet
from engineio.async_drivers import asgi as eio_asgi
from socketio import packet as sio_packet
from websockets.frames import Frame, Opcode
from websockets.protocol import State

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # another server: every message takes the queue
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]


def text_frame(text: str) -> bytes:
    """One final, unmasked websocket text frame: what a server sends, the same for every screen."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class _TrackedWebSocket(eio_asgi.WebSocket):
    """engine.io's ASGI websocket, reachable from its engine.io socket (`sock.ws`), that can take a ready frame."""

    def __init__(self, handler: Any, server: Any) -> None:
        super().__init__(handler, server)
        owner = getattr(handler, "__self__", None)  # the engine.io socket whose handler this is
        if owner is not None:
            owner.ws = self

    def write_frame(self, frame: bytes) -> bool:
        """Write a ready-made frame now if the connection is open; False if uvicorn's own send must decide."""
        proto = getattr(self.asgi_send, "__self__", None)
        if WebSocketsSansIOProtocol is None or not isinstance(proto, WebSocketsSansIOProtocol):
            return False
        try:
            if not (proto.handshake_complete and proto.writable.is_set() and proto.initial_response is None
                    and not proto.disconnected and not proto.close_sent and not proto.conn.extensions
                    and proto.conn.state is State.OPEN) or proto.transport.is_closing():
                return False  # closing, paused by flow control, or compressing
        except AttributeError:  # a uvicorn this was not built on
            return False
        proto.transport.write(frame)
        return True


def track_websockets(eio: Any) -> None:
    """Let this engine.io server's sockets be written to directly (this instance only)."""
    if eio._async.get("websocket") is eio_asgi.WebSocket:
        eio._async = {**eio._async, "websocket": _TrackedWebSocket}


def _writer_idle(sock: Any) -> bool:
    """engine.io's writer for this connection is waiting on an empty queue: nothing is ahead of a new packet.

    An empty queue alone is not enough: the writer takes packets out of the queue a few loop
    turns before it writes them, and a packet written directly in between would overtake them.
    While the writer waits, its `get()` is parked in the queue's getters (asyncio.Queue keeps
    them in `_getters`); once woken it is not, until it comes back for more.
    """
    queue = sock.queue
    return queue.empty() and any(not g.done() for g in getattr(queue, "_getters", ()))


def deliver(sock: Any, pkt: eio_packet.Packet, frame: bytes) -> None:
    """One engine.io message to one connection: written now if nothing is ahead of it, else queued."""
    ws = getattr(sock, "ws", None)
    if ws is None or not sock.upgraded or not _writer_idle(sock) or not ws.write_frame(frame):
        sock.queue.put_nowait(pkt)


class TextPacket(sio_packet.Packet):
    """socket.io packets without binary attachments: Yishi sends none, and looking for them walked
    through every reply (about 5 % of the server's time in a vote of 5,000 phones)."""

    uses_binary_events = False


class LiveSocketServer(socketio.AsyncServer):
    """socket.io's server, whose replies to one client (acknowledgements) go the direct way too."""

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        encoded = pkt.encode()
        sock = self.eio.sockets.get(eio_sid)
        if isinstance(encoded, str) and sock is not None and not sock.closed:
            message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
            deliver(sock, message, text_frame(message.encode()))
            return
        await super()._send_packet(eio_sid, pkt)


class DirectEmit(socketio.AsyncManager):
    """The default in-process room manager, with the direct broadcast.

    It also remembers which rooms each client is in: the stock manager finds them on disconnect
    by looking through every room, and with a room per phone a hall's worth of disconnects
    (the Wi-Fi dropping) grew with the square of the hall.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms_of: dict[tuple[str, str], set[Any]] = {}

    def basic_enter_room(self, sid: str, namespace: str, room: Any, eio_sid: Any = None) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self.rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)
        if (rooms := self.rooms_of.get((namespace, sid))) is not None:
            rooms.discard(room)

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        # python-socketio 5.18's basic_disconnect, with the rooms taken from rooms_of
        for room in list(self.rooms_of.pop((namespace, sid), ())):
            socketio.AsyncManager.basic_leave_room(self, sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            if sid in pending.get(namespace, ()):
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[Any]:
        return [r for r in self.rooms_of.get((namespace, sid), ()) if r is not None]

    async def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
                   callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        room = to or room
        if callback is not None or skip_sid is not None or namespace not in self.rooms:
            return await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        if not isinstance(encoded, str):  # binary attachments: let engine.io frame them
            return await super().emit(event, data, namespace, room=room, **kwargs)
        pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = text_frame(pkt.encode())
        sockets = self.server.eio.sockets
        for _, eio_sid in self.get_participants(namespace, room):
            sock = sockets.get(eio_sid)
            if sock is not None and not sock.closed:
                deliver(sock, pkt, frame)


class RedisDirectEmit(socketio.AsyncRedisManager, DirectEmit):
    """Rooms shared through Redis; each process delivers to its own screens as DirectEmit does."""
