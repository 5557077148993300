"""The live channel: socket.io, one room per meeting (and one for its moderators).

Handlers parse, call one service, and answer with the acknowledgement; broadcasting happens
after commit in live.broadcast. Nothing lives in the socket session that a reconnect would need:
the client sends its credentials again on every connect.
"""
from __future__ import annotations

import hmac
import logging
import time
from typing import Any

import socketio

from facilitation.commands import COMMANDS, authorise
from facilitation.roles import ATTENDEE, GUEST, MODERATOR, PROJECTOR, Actor
from facilitation.views import me_view, moderator_view

from . import fanout, payloads, wirejson
from .broadcast import moderator_room, phone_room, public_room, public_view_of, screen_room, tally_message
from .collector import collector
from .errors import TransportError, refusal
from .i18n import pick
from .services import Meetings, RuleError

log = logging.getLogger("yishi")
MAX_MESSAGE = 64 * 1024  # no command needs more; bigger frames are dropped by engine.io


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def refuse(code: str, lang: str, status: int) -> None:
    """Refuse a connection: the client's connect_error carries the message and the refusal shape."""
    body = refusal(code, lang, status=status)
    raise socketio.exceptions.ConnectionRefusedError(body["error"], body)


class LiveServer:
    def __init__(self, meetings: Meetings, *, fanout_mode: str = fanout.DIRECT, redis_url: str = "") -> None:
        self.meetings = meetings
        self.sio = fanout.socket_server(  # the stock or the direct broadcast path: see live/fanout.py
            fanout_mode, redis_url=redis_url,
            async_mode="asgi", json=wirejson, cors_allowed_origins=[], max_http_buffer_size=MAX_MESSAGE,
            ping_interval=25, ping_timeout=20, http_compression=False,
            compression_threshold=10**9,  # per-message deflate off: it costs more CPU than it saves here
        )
        self.sio.on("connect", self.on_connect)
        self.sio.on("sync", self.on_sync)
        for name in COMMANDS:
            self.sio.on(name, self._command_handler(name))

    def screens(self, meeting_id: str) -> int:
        """How many sockets are in a meeting's public room (this process)."""
        return fanout.room_size(self.sio, public_room(meeting_id))

    async def close(self) -> None:
        """Stop background work: engine.io's pings, and the Redis listener when there is one."""
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

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        """Credentials come in the connect `auth`: {meeting, role, key?, token?, lang?}."""
        collector.busy()
        auth = auth if isinstance(auth, dict) else {}
        lang = pick(auth.get("lang"), environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        meeting_id = str(auth.get("meeting", ""))
        if not meeting_id or not await self.meetings.exists(meeting_id):
            refuse("no_such_meeting", lang, 404)
        role, participant = await self._authenticate(meeting_id, auth)
        if role is None:
            refuse("bad_credentials", lang, 403)
        await self.sio.save_session(sid, {"meeting": meeting_id, "role": role, "participant": participant, "lang": lang})
        if role == MODERATOR:
            await self.sio.enter_room(sid, moderator_room(meeting_id))
        elif role == PROJECTOR:
            await self.sio.enter_room(sid, screen_room(meeting_id))
        else:
            await self.sio.enter_room(sid, public_room(meeting_id))
        if participant:
            await self.sio.enter_room(sid, phone_room(meeting_id, participant))

    async def _authenticate(self, meeting_id: str, auth: dict[str, Any]) -> tuple[str | None, str | None]:
        role = auth.get("role")
        if role == MODERATOR:
            key = await self.meetings.moderator_key(meeting_id)
            given = str(auth.get("key", ""))
            return (MODERATOR, None) if key and hmac.compare_digest(key, given) else (None, None)
        if role == PROJECTOR:
            return PROJECTOR, None
        if role == "phone":
            token = auth.get("token")
            if not token:
                return GUEST, None
            pid = await self.meetings.participant_for(meeting_id, str(token))
            return (ATTENDEE, pid) if pid else (None, None)
        return None, None

    # -- reading --------------------------------------------------------------------

    async def on_sync(self, sid: str, data: Any = None) -> dict[str, Any]:
        """A fresh snapshot, unless the client already has the latest sequence number."""
        collector.busy()
        s = await self.sio.get_session(sid)
        await self.meetings.state(s["meeting"])  # catch up with other processes' writes
        m = await self.meetings.settled(s["meeting"])
        last = data.get("last_seq") if isinstance(data, dict) else None
        me = me_view(m, s["participant"]) if s["participant"] else None
        if last == m.seq:
            return ok(up_to_date=True, seq=m.seq, me=me, server_now=time.time())
        view = moderator_view(m) if s["role"] == MODERATOR else public_view_of(m)
        return ok(seq=m.seq, view=view, me=me, role=s["role"], server_now=time.time())

    # -- commands -------------------------------------------------------------------

    def _command_handler(self, name: str) -> Any:
        async def handler(sid: str, data: Any = None) -> dict[str, Any]:
            return await self.command(sid, name, data)

        handler.__name__ = f"on_{name}"
        return handler

    async def command(self, sid: str, name: str, data: Any) -> dict[str, Any]:
        collector.busy()  # the older generations wait for a quiet moment
        s = await self.sio.get_session(sid)
        lang = s.get("lang", "zh-CN")
        try:
            actor = Actor(s["role"], s["participant"])
            authorise(actor, name)
            payload = payloads.parse(name, data)
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
        if done.token and done.participant_id:
            # This phone is now that participant, on this connection and (with the token) on any later one.
            s.update(role=ATTENDEE, participant=done.participant_id)
            await self.sio.save_session(sid, s)
            await self.sio.enter_room(sid, phone_room(s["meeting"], done.participant_id))
            reply.update(token=done.token, participant_id=done.participant_id)
        return reply
