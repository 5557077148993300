"""The live channel: socket.io, one room per meeting (and one for its moderators).

Handlers parse, call one service, and answer with the acknowledgement; broadcasting happens
after commit in live.broadcast. Nothing lives in the socket session that a reconnect would need:
the client sends its credentials again on every connect.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import socketio

from facilitation.commands import COMMANDS, authorise
from facilitation.roles import ATTENDEE, FACILITATOR, GUEST, MODERATOR, PROJECTOR, RECORDER, STAFF, Actor
from facilitation.views import me_view, moderator_view

from . import fanout, payloads, wirejson
from .attachments import Attachments
from .escalation import HTTP_ONLY
from .broadcast import moderator_room, phone_room, public_room, public_view_of, screen_room, tally_message
from .collector import collector
from .errors import TransportError, refusal
from .ratelimit import (ADDRESS_CONNECT_BURST, ADDRESS_CONNECT_RATE, ADDRESS_GUEST_BURST, ADDRESS_GUEST_RATE, Buckets,
                        address_of)
from .i18n import pick
from .services import Meetings, RuleError
from .settings import same_secret
from .store import StoreUnavailable

log = logging.getLogger("yishi")
MAX_MESSAGE = 64 * 1024  # no command needs more: a bigger one is answered too_large
MAX_FRAME = 1024 * 1024  # engine.io closes the connection on a bigger frame (no answer possible then)
MAX_NAME_SHOWN = 40  # an unknown event's name is repeated in the refusal up to this length


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def refuse(code: str, lang: str, status: int, params: dict[str, Any] | None = None) -> None:
    """Refuse a connection: the client's connect_error carries the message and the refusal shape."""
    body = refusal(code, lang, params, status=status)
    raise socketio.exceptions.ConnectionRefusedError(body["error"], body)


class LiveServer:
    def __init__(self, meetings: Meetings, *, fanout_mode: str = fanout.DIRECT, redis_url: str = "",
                 facilitator_token: str = "", attachments: Attachments | None = None) -> None:
        self.meetings = meetings
        self.attachments = attachments  # the files updates may name (live/attachments.py)
        self.facilitator_token = facilitator_token  # empty: nobody connects as the facilitator
        self.several_processes = bool(redis_url)  # the last views sent are then kept in Redis (live/shared_views.py)
        self.sio = fanout.socket_server(  # the stock or the direct broadcast path: see live/fanout.py
            fanout_mode, redis_url=redis_url,
            async_mode="asgi", json=wirejson, cors_allowed_origins=[], max_http_buffer_size=MAX_FRAME,
            ping_interval=25, ping_timeout=20, http_compression=False,
            compression_threshold=10**9,  # per-message deflate off: it costs more CPU than it saves here
        )
        self.limits = Buckets()  # live/ratelimit.py: phones only
        self.connects = Buckets(ADDRESS_CONNECT_BURST, ADDRESS_CONNECT_RATE)  # per network address
        self.guests = Buckets(ADDRESS_GUEST_BURST, ADDRESS_GUEST_RATE)  # guests' commands per address
        self.first_views: set[asyncio.Task[None]] = set()  # being sent (asyncio keeps only weak references)
        self.sio.on("connect", self.on_connect)
        self.sio.on("sync", self.on_sync)
        for name in COMMANDS:
            if name not in HTTP_ONLY:  # sent by live/escalation.py itself, having checked the other meeting
                self.sio.on(name, self._command_handler(name))
        self.sio.on("*", self.on_unknown)  # any other event: refused, never left unanswered

    @staticmethod
    def _buckets(sid: str, session: dict[str, object]) -> tuple[str, ...]:
        """A phone's buckets: its connection's, and its participant's (shared by its connections)."""
        if session.get("participant"):
            return f"c:{sid}", f"p:{session['meeting']}:{session['participant']}"
        return (f"c:{sid}",)

    def _wait(self, sid: str, session: dict[str, object]) -> float:
        """Seconds this phone must wait before its next command: 0 when its buckets allow it (a
        guest's also its address's, shared by every guest connection from there)."""
        address = session.get("address")
        if not session.get("participant") and address and (wait := self.guests.wait(f"g:{address}")):
            return wait
        return self.limits.wait(*self._buckets(sid, session))

    def screens(self, meeting_id: str) -> int:
        """How many sockets are in a meeting's public room (this process)."""
        return fanout.room_size(self.sio, public_room(meeting_id))

    async def close(self) -> None:
        """Stop background work: engine.io's pings, first views being sent, and the Redis listener when there is one."""
        for task in list(self.first_views):
            task.cancel()
        await self.sio.shutdown()
        manager = self.sio.manager
        listener = getattr(manager, "thread", None)
        if listener is not None:
            listener.cancel()
        for conn in (getattr(manager, "pubsub", None), getattr(manager, "redis", None)):
            if conn is not None:
                await conn.aclose()

    async def emit(self, event: str, data: Any, room: str) -> None:
        await self.sio.emit(event, data, room=room)

    # -- connecting -----------------------------------------------------------------

    async def on_connect(self, sid: str, environ: Any = None, auth: Any = None, *extra: Any) -> dict[str, Any] | None:
        """Credentials come in the connect `auth`: {meeting, role, key?, token?, lang?}.

        moderator + the meeting's key, recorder + the meeting's recorder key, facilitator + the
        facilitator's token (any meeting), projector, phone + its token (or none: a guest).
        """
        collector.busy()
        if session := await self.sio.get_session(sid):
            # Not the handshake: a connected client sent an event named "connect" (socket.io hands
            # it to this handler with the event's arguments, if any, in place of environ and auth).
            # Its credentials were checked once, at the real connect.
            return refusal("unknown_command", session.get("lang", "zh-CN"), {"command": "connect"})
        auth = auth if isinstance(auth, dict) else {}
        lang = pick(auth.get("lang"), environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        address = address_of(environ)
        if address and (wait := self.connects.wait(f"a:{address}")):
            refuse("too_fast", lang, 429, {"seconds": max(1, round(wait))})
        meeting_id = str(auth.get("meeting", ""))
        try:
            if not meeting_id or not await self.meetings.exists(meeting_id):
                refuse("no_such_meeting", lang, 404)
            role, participant = await self._authenticate(meeting_id, auth)
        except StoreUnavailable:  # the database does not answer: the page is told why, and tries again
            refuse("store_unavailable", lang, 503)
        if role is None:
            refuse("bad_credentials", lang, 403)
        session = {"meeting": meeting_id, "role": role, "participant": participant, "lang": lang, "address": address}
        await self.sio.save_session(sid, session)
        if role in STAFF:  # the moderator, the recorder and the facilitator see the moderator view
            await self.sio.enter_room(sid, moderator_room(meeting_id))
        elif role == PROJECTOR:
            await self.sio.enter_room(sid, screen_room(meeting_id))
        else:
            await self.sio.enter_room(sid, public_room(meeting_id))
        if participant:
            await self.sio.enter_room(sid, phone_room(meeting_id, participant))
        if isinstance(auth.get("sync"), dict):
            # The client asked for its first view with the connect (docs/protocol.md, `synced`): it
            # goes right after socket.io's CONNECT, which is sent once this returns, sparing the
            # client the round trip of a `sync` of its own. The CONNECT is queued or written before
            # this task first runs (nothing between this return and it gives way to other tasks).
            task = asyncio.ensure_future(self._send_first_view(sid, session, auth["sync"]))
            self.first_views.add(task)
            task.add_done_callback(self.first_views.discard)
        return None

    async def _authenticate(self, meeting_id: str, auth: dict[str, Any]) -> tuple[str | None, str | None]:
        role = auth.get("role")
        if role in (MODERATOR, RECORDER):
            ok = await self.meetings.key_fits(meeting_id, role, auth.get("key"))
            return (role, None) if ok else (None, None)
        if role == FACILITATOR:
            ok = same_secret(self.facilitator_token, auth.get("token"))
            return (FACILITATOR, None) if ok else (None, None)
        if role == PROJECTOR:
            return PROJECTOR, None
        if role == "phone":
            token = auth.get("token")
            if not token:
                return GUEST, None
            pid = await self.meetings.participant_for(meeting_id, str(token))
            if pid == "":  # its check-in was refused or taken back: it may check in again
                return GUEST, None
            return (ATTENDEE, pid) if pid else (None, None)
        return None, None

    # -- reading --------------------------------------------------------------------

    async def on_sync(self, sid: str, *args: Any) -> dict[str, Any]:
        """A fresh snapshot, unless the client already has the latest sequence number."""
        collector.busy()
        s = await self.sio.get_session(sid)
        if len(args) > 1:
            return refusal("bad_payload", s.get("lang", "zh-CN"), {"detail": "one object expected"})
        try:
            return await self.snapshot(s, args[0] if args else None)
        except StoreUnavailable:
            return refusal("store_unavailable", s.get("lang", "zh-CN"), status=503)

    async def _send_first_view(self, sid: str, session: dict[str, Any], data: dict[str, Any]) -> None:
        """`synced`: what `sync` would answer, sent to a client that has just connected."""
        try:
            answer = await self.snapshot(session, data)
            await self.sio.emit("synced", answer, to=sid, ignore_queue=True)  # the client is on this process
        except Exception:  # the client asks with `sync` when nothing comes
            log.exception("the first view of %s was not sent", sid)

    async def snapshot(self, s: dict[str, Any], data: Any) -> dict[str, Any]:
        """The answer to `sync` for the connection whose session is `s`."""
        await self.meetings.state(s["meeting"])  # catch up with other processes' writes
        m = await self.meetings.settled(s["meeting"])
        # The seq of the last whole view the client holds (never a tally's: docs/protocol.md, sync).
        last = data.get("last_seq") if isinstance(data, dict) else None
        me = me_view(m, s["participant"]) if s["participant"] else None
        if type(last) is int and last == m.seq:  # true, 1.0 or "1" are not a seq
            return ok(up_to_date=True, seq=m.seq, me=me, server_now=time.time())
        view = moderator_view(m) if s["role"] in STAFF else public_view_of(m)
        return ok(seq=m.seq, view=view, me=me, role=s["role"], server_now=time.time())

    # -- commands -------------------------------------------------------------------

    async def on_unknown(self, event: Any, sid: str, *data: Any) -> dict[str, Any]:
        """An event no handler takes: refused by name (shortened), whatever its payload; a packet
        whose JSON could not be read, bad_payload."""
        collector.busy()
        try:
            lang = (await self.sio.get_session(sid)).get("lang", "zh-CN")
        except KeyError:  # no session: the connection is being torn down
            lang = "zh-CN"
        if event is wirejson.UNREADABLE:  # its JSON could not be read (live/wirejson.py)
            return refusal("bad_payload", lang, {"detail": "not JSON"})
        name = str(event)
        shown = name if len(name) <= MAX_NAME_SHOWN else name[:MAX_NAME_SHOWN] + "…"
        return refusal("unknown_command", lang, {"command": shown})

    def _command_handler(self, name: str) -> Any:
        async def handler(sid: str, *args: Any) -> dict[str, Any]:
            if len(args) > 1:  # a command takes one payload object
                return await self.command(sid, name, list(args))
            return await self.command(sid, name, args[0] if args else None)

        handler.__name__ = f"on_{name}"
        return handler

    async def command(self, sid: str, name: str, data: Any) -> dict[str, Any]:
        collector.busy()  # the older generations wait for a quiet moment
        s = await self.sio.get_session(sid)
        lang = s.get("lang", "zh-CN")
        try:
            actor = Actor(s["role"], s["participant"])
            if data is not None and len(wirejson.dumps(data, ensure_ascii=False).encode()) > MAX_MESSAGE:
                return refusal("too_large", lang, {"max": MAX_MESSAGE // 1024}, 413)
            if not actor.is_staff and (wait := self._wait(sid, s)):
                return refusal("too_fast", lang, {"seconds": max(1, round(wait))}, 429)
            authorise(actor, name)
            payload = payloads.parse(name, data)
            if name in ("check_in", "register_party") and payload.get("code") and not actor.is_staff:
                # The code proves who the phone is; the rules see the invitee it belongs to.
                actor = Actor(actor.role, actor.participant_id, await self.meetings.invitee_for_code(
                    s["meeting"], payload.pop("code"), s.get("address") or ""))
            if name == "update_action" and self.attachments is not None:
                # Files this meeting holds, their type and size read from the files, not the sender.
                payload["attachments"] = await asyncio.to_thread(self.attachments.resolve, s["meeting"],
                                                                 payload.get("attachments"))
            done = await self.meetings.execute(s["meeting"], actor, name, payload)
        except TransportError as exc:
            return refusal(exc.code, lang, exc.params, exc.status)
        except RuleError as exc:
            return refusal(exc.code, lang, exc.params)
        except Exception:
            log.exception("command %s failed", name)
            return refusal("internal", lang, status=500)
        reply = ok(seq=done.records[-1].seq if done.records else None)
        if name == "cast_ballot":  # the voter sees its ballot counted without waiting for the next tally
            reply["tally"] = tally_message(await self.meetings.settled(s["meeting"]))
            if done.receipt:  # a secret ballot's receipt: told to its voter here, and kept nowhere beside them
                reply["receipt"] = done.receipt
        if done.token and done.participant_id:
            # This phone is now that participant, on this connection and (with the token) on any later one.
            s.update(role=ATTENDEE, participant=done.participant_id)
            await self.sio.save_session(sid, s)
            await self.sio.enter_room(sid, phone_room(s["meeting"], done.participant_id))
            reply.update(token=done.token, participant_id=done.participant_id)
        return reply
