"""Telling every screen what changed, without flooding a full hall.

After a commit the meeting is marked dirty; a per-meeting task sends the new views at once if
the room has been quiet, otherwise at most once per window. The window grows with the number of
connected screens, so a burst of ballots in a big hall becomes a few tally messages, not one per
ballot. Ballots alone send only the tally (a few numbers), never the whole view.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from facilitation.meeting import Meeting
from facilitation.views import concerned, me_view, moderator_view, poll_view, public_view

from .store import Record

log = logging.getLogger("yishi")

TALLY_ONLY = {"BallotCast", "HandCountAdded"}
# Events that change one phone's own view (its opinions and objections).
PERSONAL = {"ExplanationGiven", "OpinionModerated", "ObjectionRaised", "OpinionSubmitted", "ObjectionAnswered"}

Emit = Callable[..., Awaitable[None]]


def public_room(meeting_id: str) -> str:
    return f"pub:{meeting_id}"


def moderator_room(meeting_id: str) -> str:
    return f"mod:{meeting_id}"


def phone_room(meeting_id: str, participant_id: str) -> str:
    return f"p:{meeting_id}:{participant_id}"


_public: dict[str, tuple[Meeting, int, dict[str, Any]]] = {}


def public_view_of(m: Meeting) -> dict[str, Any]:
    """The public view at the meeting's current sequence number, computed once for every screen.

    A hall's phones all sync within seconds of each other; at 5,000 participants the view takes
    about 1.5 ms to build, so building it per phone would cost seconds. Callers must not change it.
    """
    hit = _public.get(m.id)
    if hit is not None and hit[0] is m and hit[1] == m.seq:
        return hit[2]
    view = public_view(m)
    _public[m.id] = (m, m.seq, view)
    return view


SEND_SHARE = 3  # the next send waits at least this many times as long as the last one took


def window(screens: int) -> float:
    """Seconds between two sends to a room: 50 ms for a small room, more for a big one."""
    return min(1.0, 0.05 + screens / 10_000)


@dataclass
class _Pending:
    full: bool = False
    tally: bool = False
    phones: set[str] = field(default_factory=set)
    last_sent: float = 0.0
    cost: float = 0.0  # seconds the last send took
    task: asyncio.Task[None] | None = None


class Broadcaster:
    def __init__(self, emit: Emit, state: Callable[[str], Meeting], screens: Callable[[str], int]) -> None:
        self.emit = emit
        self.state = state
        self.screens = screens
        self.pending: dict[str, _Pending] = {}

    async def committed(self, meeting_id: str, records: list[Record]) -> None:
        p = self.pending.setdefault(meeting_id, _Pending())
        for r in records:
            if r.type in TALLY_ONLY:
                p.tally = True
            else:
                p.full = True
            if r.type in PERSONAL and (pid := concerned(self.state(meeting_id), r.data)):
                p.phones.add(pid)
        if p.task is None or p.task.done():
            p.task = asyncio.create_task(self._flush(meeting_id, p))

    async def _flush(self, meeting_id: str, p: _Pending) -> None:
        while p.full or p.tally or p.phones:
            # The window grows with the room, and with what the last send cost on this machine.
            gap = max(window(self.screens(meeting_id)), SEND_SHARE * p.cost)
            wait = p.last_sent + gap - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            full, tally, phones = p.full, p.tally, p.phones
            p.full, p.tally, p.phones = False, False, set()
            p.last_sent = time.monotonic()
            try:
                await self._send(meeting_id, full, tally, phones)
            except Exception:
                log.exception("broadcast to meeting %s failed", meeting_id)
            p.cost = time.monotonic() - p.last_sent

    async def _send(self, meeting_id: str, full: bool, tally: bool, phones: set[str]) -> None:
        m = self.state(meeting_id)
        now = time.time()
        if full:  # both views are built before anything is sent: they show the same moment
            public = {"seq": m.seq, "view": public_view_of(m), "server_now": now}
            moderators = {"seq": m.seq, "view": moderator_view(m), "server_now": now}
            await self.emit("state", public, room=public_room(meeting_id))
            await self.emit("state", moderators, room=moderator_room(meeting_id))
        elif tally:
            msg = tally_message(m)
            await self.emit("tally", msg, room=public_room(meeting_id))
            await self.emit("tally", msg, room=moderator_room(meeting_id))
        for pid in phones:
            if pid in m.participants:
                await self.emit("me", {"seq": m.seq, "me": me_view(m, pid)}, room=phone_room(meeting_id, pid))


def tally_message(m: Meeting) -> dict[str, Any]:
    return {"seq": m.seq, "polls": [
        {k: v for k, v in poll_view(p).items() if k in ("id", "counts", "hands", "voters", "open")}
        for p in m.polls.values() if p.open
    ]}
