"""Sending one message to a whole room of screens, at a few microseconds per screen.

Two paths, chosen per server process (`YISHI_FANOUT`, `yishi serve --fanout`):

**stock**: python-socketio's own `AsyncServer` and room manager (`AsyncManager`, or
`AsyncRedisManager` with Redis), used only through their public options, but for the Redis
manager's reconnection, which live/redis_rooms.py replaces on both paths. python-socketio encodes
a broadcast once, then starts one task per recipient to put it in that connection's queue, whose
engine.io writer task wakes up, waits on the queue again (a new task and timer each time) and
finally hands the text to uvicorn, which frames it for that one connection. At thousands of
screens that is about 100 µs a screen and most of the server's time during a vote.

**direct** (the default): a message is encoded and framed once (server frames are unmasked and
uncompressed, so every screen gets the same bytes) and written straight to each connection's
transport when engine.io's writer for that connection is idle (so nothing overtakes an earlier
packet); otherwise it goes into the connection's queue as before. Acknowledgements take the same
direct way (`LiveSocketServer`). Emits with an acknowledgement callback, or that skip a sender,
take the stock path. This reaches into private parts of python-engineio (its ASGI websocket and
the socket's queue), python-socketio (the room manager's bookkeeping, `_send_packet`), uvicorn
(its websockets-sansio protocol) and websockets (frames). `check_direct` looks for every one of
them when the server is built and refuses to start without them; `NEEDS` lists them, and
docs/performance.md says how to re-validate an upgrade.
"""
from __future__ import annotations

import asyncio
import importlib
import logging
import platform
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Mapping

import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet
from websockets import frames as ws_frames

from .redis_rooms import Recovering

log = logging.getLogger("yishi")

DIRECT, STOCK = "direct", "stock"
MODES = (DIRECT, STOCK)

# The versions the direct path was built and last validated on (docs/performance.md).
VALIDATED = {"python-engineio": "4.15.1", "python-socketio": "5.18.1", "uvicorn": "0.54.0", "websockets": "17.4"}

SANSIO = "uvicorn.protocols.websockets.websockets_sansio_impl"

# What the direct path uses: (distribution, module, attribute path). `check_direct` also builds
# the objects involved (an engine.io server and socket, a socket.io server and manager, a uvicorn
# websocket protocol) and looks for the attributes their instances must have.
NEEDS: tuple[tuple[str, str, str], ...] = (
    ("python-engineio", "engineio.async_drivers.asgi", "WebSocket.__call__"),
    ("python-engineio", "engineio.async_drivers.asgi", "_async"),
    ("python-engineio", "engineio.async_socket", "AsyncSocket._websocket_handler"),
    ("python-engineio", "engineio.async_socket", "AsyncSocket._upgrade_websocket"),
    ("python-engineio", "engineio.packet", "Packet.encode"),
    ("python-engineio", "engineio.packet", "MESSAGE"),
    ("python-socketio", "socketio", "AsyncServer._send_packet"),
    ("python-socketio", "socketio", "AsyncManager.basic_enter_room"),
    ("python-socketio", "socketio", "AsyncManager.basic_leave_room"),
    ("python-socketio", "socketio", "AsyncManager.basic_disconnect"),
    ("python-socketio", "socketio", "AsyncManager.get_participants"),
    ("python-socketio", "socketio.async_pubsub_manager", "AsyncPubSubManager._handle_emit"),
    ("python-socketio", "socketio", "AsyncRedisManager._redis_listen_with_retries"),  # live/redis_rooms.py
    ("python-socketio", "socketio", "AsyncRedisManager._redis_connect"),
    ("python-socketio", "socketio", "AsyncRedisManager._publish"),
    ("python-socketio", "socketio.packet", "Packet.uses_binary_events"),
    ("python-socketio", "socketio.packet", "EVENT"),
    ("uvicorn", SANSIO, "WebSocketsSansIOProtocol.send"),
    ("websockets", "websockets.frames", "Frame.serialize"),
    ("websockets", "websockets.frames", "Opcode.TEXT"),
    ("websockets", "websockets.protocol", "State.OPEN"),
)
# Attributes of the instances (set in their constructors, so not visible on the classes).
SOCKET_NEEDS = ("queue", "upgraded", "closed")  # engineio.async_socket.AsyncSocket
ENGINE_NEEDS = ("sockets", "_async")  # engineio.AsyncServer
MANAGER_NEEDS = ("rooms", "callbacks", "pending_connect", "pending_disconnect", "server")  # socketio.AsyncManager
SERVER_NEEDS = ("eio", "packet_class", "manager")  # socketio.AsyncServer
PROTOCOL_NEEDS = ("handshake_complete", "writable", "initial_response", "disconnected", "close_sent", "conn",
                  "transport")  # uvicorn's WebSocketsSansIOProtocol
CONNECTION_NEEDS = ("extensions", "state")  # its `conn`, a websockets ServerProtocol


class FanoutUnavailable(RuntimeError):
    """The installed libraries lack what the direct path writes to."""


def version_of(distribution: str) -> str:
    if distribution == "Python":
        return platform.python_version()
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _first_missing(obj: Any, path: str) -> str | None:
    """The part of a dotted attribute path up to the first name that is not there, or None."""
    names = path.split(".")
    for i, name in enumerate(names):
        if not hasattr(obj, name):
            return ".".join(names[:i + 1])
        obj = getattr(obj, name)
    return None


def missing(modules: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """What the direct path needs and does not find: (distribution, what is missing).

    `modules` replaces modules by name (module objects or anything with their attributes); the
    others are imported.
    """
    overrides = dict(modules or {})
    gaps: list[tuple[str, str]] = []

    def module(name: str, distribution: str) -> Any:
        if name in overrides:
            return overrides[name]
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            gaps.append((distribution, f"module {name} ({exc})"))
            overrides[name] = None
            return None

    def probe(distribution: str, what: str, build: Any, needs: tuple[str, ...]) -> Any:
        try:
            obj = build()
        except Exception as exc:  # a changed constructor is as fatal as a missing attribute
            gaps.append((distribution, f"{what} could not be built ({type(exc).__name__}: {exc})"))
            return None
        for name in needs:
            if not hasattr(obj, name):
                gaps.append((distribution, f"{what} has no attribute {name!r}"))
        return obj

    for distribution, name, path in NEEDS:
        mod = module(name, distribution)
        if mod is None:
            continue
        lacking = _first_missing(mod, path)
        if lacking is not None:
            gaps.append((distribution, f"{name}.{lacking} is missing"))
    if gaps:  # the probes below would only repeat the same gaps
        return gaps

    asgi = module("engineio.async_drivers.asgi", "python-engineio")
    eio_socket = module("engineio.async_socket", "python-engineio")
    eio_packet = module("engineio.packet", "python-engineio")
    engineio = module("engineio", "python-engineio")
    sio_packet = module("socketio.packet", "python-socketio")
    sio = module("socketio", "python-socketio")
    sansio = module(SANSIO, "uvicorn")
    uvicorn_config = module("uvicorn.config", "uvicorn")
    uvicorn_server = module("uvicorn.server", "uvicorn")
    frames = module("websockets.frames", "websockets")
    if None in (asgi, eio_socket, eio_packet, engineio, sio_packet, sio, sansio, uvicorn_config, uvicorn_server, frames):
        return gaps

    if asgi._async.get("websocket") is not asgi.WebSocket:
        gaps.append(("python-engineio", "engineio.async_drivers.asgi._async['websocket'] is not its WebSocket class"))
    eio = probe("python-engineio", "engineio.AsyncServer(async_mode='asgi')",
                lambda: engineio.AsyncServer(async_mode="asgi"), ENGINE_NEEDS)
    if eio is not None:
        if getattr(eio, "_async", {}).get("websocket") is not asgi.WebSocket:
            gaps.append(("python-engineio", "engineio.AsyncServer(async_mode='asgi')._async['websocket'] is not "
                                            "engineio.async_drivers.asgi.WebSocket"))
        sock = probe("python-engineio", "engineio.async_socket.AsyncSocket", lambda: eio_socket.AsyncSocket(eio, "probe"),
                     SOCKET_NEEDS)
        if sock is not None and hasattr(sock, "queue") and not hasattr(sock.queue, "_getters"):
            gaps.append(("Python", f"engine.io's queue ({type(sock.queue).__name__}) has no attribute '_getters'"))
        probe("python-engineio", "engineio.async_drivers.asgi.WebSocket", lambda: asgi.WebSocket(lambda ws: None, eio),
              ("asgi_send",))
    if eio_packet.Packet(eio_packet.MESSAGE, 'x').encode() != "4x":
        gaps.append(("python-engineio", "engine.io MESSAGE packets are no longer encoded as '4' + data"))
    if sio_packet.Packet(sio_packet.EVENT, data=["x"], namespace="/").encode() != '2["x"]':
        gaps.append(("python-socketio", "socket.io EVENT packets are no longer encoded as '2' + JSON"))
    probe("python-socketio", "socketio.AsyncServer(async_mode='asgi')", lambda: sio.AsyncServer(async_mode="asgi"),
          SERVER_NEEDS)
    probe("python-socketio", "socketio.AsyncManager()", sio.AsyncManager, MANAGER_NEEDS)
    if text_frame("x", frames) != b"\x81\x01x":
        gaps.append(("websockets", "Frame(Opcode.TEXT, ...).serialize(mask=False) no longer gives a plain text frame"))

    def protocol() -> Any:
        async def app(scope: Any, receive: Any, send: Any) -> None:  # never called
            return None

        config = uvicorn_config.Config(app, log_config=None, ws="websockets-sansio", ws_per_message_deflate=False)
        config.load()
        return sansio.WebSocketsSansIOProtocol(config, uvicorn_server.ServerState(), {}, _loop=_NO_LOOP)

    proto = probe("uvicorn", "uvicorn's WebSocketsSansIOProtocol", protocol, PROTOCOL_NEEDS)
    if proto is not None and hasattr(proto, "conn"):
        probe("websockets", "uvicorn's WebSocketsSansIOProtocol.conn", lambda: proto.conn, CONNECTION_NEEDS)
    return gaps


class _NoLoop:
    """Stands for the event loop when a protocol is built only to look at it (nothing is scheduled)."""


_NO_LOOP: Any = _NoLoop()


def check_direct(modules: Mapping[str, Any] | None = None) -> None:
    """Raise FanoutUnavailable, naming each library, its version and what it lacks, if the direct path cannot run."""
    gaps = missing(modules)
    if gaps:
        lines = [f"  {dist} {version_of(dist)}: {what}" for dist, what in gaps]
        pinned = ", ".join(f"{d} {v}" for d, v in VALIDATED.items())
        raise FanoutUnavailable(
            "The direct broadcast path (YISHI_FANOUT=direct, the default) needs parts of these libraries that the "
            "installed versions lack:\n" + "\n".join(lines) + "\n"
            "Set YISHI_FANOUT=stock (or `yishi serve --fanout stock`) to use python-socketio's own broadcast, or "
            f"install the versions pinned in pyproject.toml (validated: {pinned}).")
    untested = [f"{d} {version_of(d)}" for d, v in VALIDATED.items()
                if version_of(d).split(".")[:2] != v.split(".")[:2]]
    if untested:
        log.warning("the direct broadcast path runs on %s, not yet validated (docs/performance.md says how)",
                    ", ".join(untested))


# -- the direct path ------------------------------------------------------------------


@dataclass
class Writes:
    """How messages went out on the direct path: written at once, or queued for engine.io's writer."""

    direct: int = 0
    queued: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"direct": self.direct, "queued": self.queued}


def text_frame(text: str, frames: Any = ws_frames) -> bytes:
    """One final, unmasked websocket text frame: what a server sends, the same for every screen."""
    return frames.Frame(frames.Opcode.TEXT, text.encode()).serialize(mask=False)  # type: ignore[no-any-return]


_warned: set[str] = set()


def _complain_once(key: str, message: str, *args: Any) -> None:
    if key not in _warned:
        _warned.add(key)
        log.error(message, *args)


def _direct_classes() -> tuple[Any, Any, Any, Any]:
    """The private parts, imported only for the direct path (after check_direct)."""
    from engineio.async_drivers import asgi as eio_asgi
    from engineio.async_socket import AsyncSocket
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.protocol import State

    return eio_asgi, AsyncSocket, WebSocketsSansIOProtocol, State


def _tracked_websocket_class() -> type:
    eio_asgi, AsyncSocket, WebSocketsSansIOProtocol, State = _direct_classes()
    OPEN = State.OPEN

    class TrackedWebSocket(eio_asgi.WebSocket):  # type: ignore[misc,name-defined]
        """engine.io's ASGI websocket, reachable from its engine.io socket (`sock.ws`), that can take a ready frame."""

        proto: Any = None

        def __init__(self, handler: Any, server: Any) -> None:
            super().__init__(handler, server)
            owner = getattr(handler, "__self__", None)  # the engine.io socket whose handler this is
            if isinstance(owner, AsyncSocket):
                owner.ws = self
            else:
                _complain_once("handler", "python-engineio %s no longer hands its socket's handler to the websocket "
                               "(got %r): every message is queued; set YISHI_FANOUT=stock",
                               version_of("python-engineio"), handler)

        async def __call__(self, environ: dict[str, Any]) -> Any:
            send = environ.get("asgi.send")
            proto = getattr(send, "__self__", None)
            if isinstance(proto, WebSocketsSansIOProtocol):
                self.proto = proto
            else:
                _complain_once("server", "the direct broadcast path needs uvicorn's websockets-sansio protocol; this "
                               "connection is served by %r: its messages are queued. Run uvicorn with "
                               "ws='websockets-sansio' or set YISHI_FANOUT=stock", type(proto or send))
            return await super().__call__(environ)

        def write_frame(self, frame: bytes) -> bool:
            """Write a ready-made frame now if the connection is open; False if uvicorn's own send must decide."""
            proto = self.proto
            if proto is None or not (proto.handshake_complete and proto.writable.is_set() and proto.initial_response is None
                                     and not proto.disconnected and not proto.close_sent and not proto.conn.extensions
                                     and proto.conn.state is OPEN) or proto.transport.is_closing():
                return False  # not accepted yet, paused by flow control, closing, or compressing
            proto.transport.write(frame)
            return True

    return TrackedWebSocket


def track_websockets(eio: Any) -> None:
    """Let this engine.io server's sockets be written to directly (this instance only)."""
    eio_asgi, *_ = _direct_classes()
    if eio._async.get("websocket") is not eio_asgi.WebSocket:
        raise FanoutUnavailable(f"engine.io's websocket class is {eio._async.get('websocket')!r}, not the ASGI driver's: "
                                "the direct path needs async_mode='asgi'; set YISHI_FANOUT=stock")
    eio._async = {**eio._async, "websocket": _tracked_websocket_class()}


def _writer_idle(sock: Any) -> bool:
    """engine.io's writer for this connection is waiting on an empty queue: nothing is ahead of a new packet.

    An empty queue alone is not enough: the writer takes packets out of the queue a few loop
    turns before it writes them, and a packet written directly in between would overtake them.
    While the writer waits, its `get()` is parked in the queue's getters (asyncio.Queue keeps
    them in `_getters`); once woken it is not, until it comes back for more.
    """
    queue = sock.queue
    return queue.empty() and any(not g.done() for g in queue._getters)


def deliver(sock: Any, pkt: Any, frame: bytes, writes: Writes) -> None:
    """One engine.io message to one connection: written now if nothing is ahead of it, else queued.

    Queued when the connection is still on long-polling or upgrading (no websocket yet), when its
    writer has packets in hand, or when uvicorn's protocol is not ready for a frame (see
    write_frame). These are the states of a live connection; what the path needs of the libraries
    was checked when the server was built.
    """
    ws = getattr(sock, "ws", None)  # set once the connection has a websocket
    if ws is not None and sock.upgraded and _writer_idle(sock) and ws.write_frame(frame):
        writes.direct += 1
    else:
        sock.queue.put_nowait(pkt)
        writes.queued += 1


class TextPacket(sio_packet.Packet):
    """socket.io packets without binary attachments: Yishi sends none, and looking for them walked
    through every reply (about 5 % of the server's time in a vote of 5,000 phones)."""

    uses_binary_events = False


class LiveSocketServer(socketio.AsyncServer):
    """socket.io's server, whose replies to one client (acknowledgements) go the direct way too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes = Writes()

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        encoded = pkt.encode()
        sock = self.eio.sockets.get(eio_sid)
        if isinstance(encoded, str) and sock is not None and not sock.closed:
            message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
            deliver(sock, message, text_frame(message.encode()), self.writes)
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
        writes = self.server.writes
        for _, eio_sid in self.get_participants(namespace, room):
            sock = sockets.get(eio_sid)
            if sock is not None and not sock.closed:
                deliver(sock, pkt, frame, writes)

    def room_size(self, namespace: str, room: Any) -> int:
        return len(self.rooms.get(namespace, {}).get(room, ()))


class RedisDirectEmit(Recovering, socketio.AsyncRedisManager, DirectEmit):
    """Rooms shared through Redis; each process delivers to its own screens as DirectEmit does."""


class RedisRooms(Recovering, socketio.AsyncRedisManager):
    """The stock path's rooms shared through Redis, recovering as RedisDirectEmit does."""


# -- choosing ---------------------------------------------------------------------------


def socket_server(mode: str, *, redis_url: str = "", **options: Any) -> socketio.AsyncServer:
    """The socket.io server of one Yishi process, on the stock or the direct path.

    `options` are python-socketio's own (async_mode, json, ping_interval, ...).
    """
    if mode == STOCK:
        manager = RedisRooms(redis_url) if redis_url else None
        return socketio.AsyncServer(client_manager=manager, **options)
    if mode != DIRECT:
        raise ValueError(f"fanout must be one of {', '.join(MODES)}, not {mode!r}")
    check_direct()
    sio = LiveSocketServer(client_manager=RedisDirectEmit(redis_url) if redis_url else DirectEmit(),
                           serializer=TextPacket, **options)
    track_websockets(sio.eio)
    return sio


def mode_of(sio: Any) -> str:
    return DIRECT if isinstance(sio, LiveSocketServer) else STOCK


def writes_of(sio: Any) -> Writes | None:
    """How the direct path's messages went out so far (None on the stock path)."""
    return sio.writes if isinstance(sio, LiveSocketServer) else None


def room_size(sio: Any, room: str, namespace: str = "/") -> int:
    """How many of this process's clients are in a room."""
    manager = sio.manager
    if isinstance(manager, DirectEmit):
        return manager.room_size(namespace, room)
    return sum(1 for _ in manager.get_participants(namespace, room))  # python-socketio's public API


def local_rooms(sio: Any, namespace: str = "/") -> list[str]:
    """The rooms with at least one of this process's clients in them."""
    return [room for room, members in sio.manager.rooms.get(namespace, {}).items() if isinstance(room, str) and members]


def redis_state(sio: Any) -> dict[str, Any] | None:
    """Whether this process hears Redis now, and how many broadcasts it could not publish (None without Redis)."""
    manager = sio.manager
    return manager.state() if isinstance(manager, Recovering) else None


def on_recovery(sio: Any, resubscribed: Any, reachable: Any) -> None:
    """What to do when Redis is back (live/redis_rooms.py): `resubscribed()` once this process hears
    it again, `reachable(rooms)` with the rooms whose broadcasts it could not publish."""
    manager = sio.manager
    if isinstance(manager, Recovering):
        manager.on_resubscribed, manager.on_reachable = resubscribed, reachable
