"""Sending one message to a whole room of screens, at a few microseconds per screen.

python-socketio encodes a broadcast once, then starts one task per recipient to put it in that
connection's queue, whose engine.io writer task wakes up, waits on the queue again (a new task
and timer each time) and finally writes. At thousands of screens that is about 100 µs a screen
and most of the server's time during a vote. Here a broadcast is written straight to each
connection's ASGI `send` when nothing is waiting in that connection's queue (so nothing can
overtake a packet queued earlier), and put in the queue otherwise. Emits with an
acknowledgement callback, or that skip a sender, take the stock path.
"""
from __future__ import annotations

from typing import Any

import socketio
from engineio import packet as eio_packet
from engineio.async_drivers import asgi as eio_asgi
from socketio import packet as sio_packet


class _TrackedWebSocket(eio_asgi.WebSocket):
    """engine.io's ASGI websocket, made reachable from its engine.io socket (`sock.ws`)."""

    def __init__(self, handler: Any, server: Any) -> None:
        super().__init__(handler, server)
        owner = getattr(handler, "__self__", None)  # the engine.io socket whose handler this is
        if owner is not None:
            owner.ws = self


def track_websockets(eio: Any) -> None:
    """Let this engine.io server's sockets be written to directly (this instance only)."""
    if eio._async.get("websocket") is eio_asgi.WebSocket:
        eio._async = {**eio._async, "websocket": _TrackedWebSocket}


class DirectEmit(socketio.AsyncManager):
    """The default in-process room manager, with the direct broadcast."""

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
        message = {"type": "websocket.send", "bytes": None, "text": pkt.encode()}
        sockets = self.server.eio.sockets
        for _, eio_sid in self.get_participants(namespace, room):
            sock = sockets.get(eio_sid)
            if sock is None or sock.closed:
                continue
            ws = getattr(sock, "ws", None)
            if ws is not None and ws.asgi_send is not None and sock.upgraded and sock.queue.empty():
                try:
                    await ws.asgi_send(message)
                except Exception:  # the connection is going away; its own handler cleans up
                    pass
            else:
                sock.queue.put_nowait(pkt)


class RedisDirectEmit(socketio.AsyncRedisManager, DirectEmit):
    """Rooms shared through Redis; each process delivers to its own screens as DirectEmit does."""
