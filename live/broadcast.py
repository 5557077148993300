"""Telling every screen what changed, without flooding a full hall.

After a commit the meeting is marked dirty; a per-meeting task sends the new views at once if
the room has been quiet, otherwise at most once per window. The window grows with the number of
connected phones, so a burst of ballots in a big hall becomes a few tally messages, not one per
ballot. Ballots alone send only the tally (a few numbers), never the whole view.

Projectors and moderators are few and are watched by the whole room: they get every tally as
soon as the window allows. Phones get the running tally less often when sending it to all of
them costs much (at most about a tenth of the server's time), because a voter's own phone
already got the tally that counts its ballot in the ballot's acknowledgement.
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
    """Every phone of the meeting (guests and attendees)."""
    return f"pub:{meeting_id}"


def screen_room(meeting_id: str) -> str:
    """The meeting's projectors."""
    return f"scr:{meeting_id}"


def moderator_room(meeting_id: str) -> str:
    return f"mod:{meeting_id}"


def phone_room(meeting_id: str, participant_id: str) -> str:
    return f"p:{meeting_id}:{participant_id}"


class _PerSeq:
    """A view of the meeting computed once per sequence number and shared by every reader.

    A hall's phones all sync (or vote) within seconds of each other; at 5,000 participants the
    public view takes about 1.5 ms to build, so building it per phone would cost seconds.
    Callers must not change what they get.
    """

    def __init__(self, build: Callable[[Meeting], dict[str, Any]]) -> None:
        self.build = build
        self.last: dict[str, tuple[Meeting, int, dict[str, Any]]] = {}

    def __call__(self, m: Meeting) -> dict[str, Any]:
        hit = self.last.get(m.id)
        if hit is not None and hit[0] is m and hit[1] == m.seq:
            return hit[2]
        value = self.build(m)
        self.last[m.id] = (m, m.seq, value)
        return value


def _tally(m: Meeting) -> dict[str, Any]:
    return {"seq": m.seq, "polls": [
        {k: v for k, v in poll_view(p).items() if k in ("id", "counts", "hands", "voters", "open")}
        for p in m.polls.values() if p.open
    ]}


public_view_of = _PerSeq(public_view)
tally_message = _PerSeq(_tally)  # also sent with each ballot's acknowledgement


SEND_SHARE = 3  # the next send waits at least this many times as long as the last one took
PHONE_TALLY_SHARE = 10  # a running tally to every phone: at most about a tenth of the time
QUIET_S = 0.1  # no commit for this long: the burst is over, phones get the tally now


def window(screens: int) -> float:
    """Seconds between two sends to a room: 50 ms for a small room, more for a big one."""
    return min(1.0, 0.05 + screens / 10_000)


@dataclass
class _Pending:
    full: bool = False  # the whole view changed: everyone gets it
    tally: bool = False  # projectors and moderators owe a tally
    phone_tally: bool = False  # phones owe a tally
    phones: set[str] = field(default_factory=set)  # participants whose own view changed
    last_sent: float = 0.0
    cost: float = 0.0  # seconds the last send took
    phones_last: float = 0.0  # when phones last got a view or a tally
    phones_cost: float = 0.0  # what sending that to every phone took
    last_commit: float = 0.0
    task: asyncio.Task[None] | None = None

    def owed(self) -> bool:
        return self.full or self.tally or self.phone_tally or bool(self.phones)


class Broadcaster:
    def __init__(self, emit: Emit, settled: Callable[[str], Awaitable[Meeting]], cached: Callable[[str], Meeting],
                 screens: Callable[[str], int]) -> None:
        self.emit = emit
        self.settled = settled  # the committed state, waited for
        self.cached = cached
        self.screens = screens
        self.pending: dict[str, _Pending] = {}

    async def committed(self, meeting_id: str, records: list[Record]) -> None:
        p = self.pending.setdefault(meeting_id, _Pending())
        p.last_commit = time.monotonic()
        for r in records:
            if r.type in TALLY_ONLY:
                p.tally = p.phone_tally = True
            else:
                p.full = True
            if r.type in PERSONAL and (pid := concerned(self.cached(meeting_id), r.data)):
                p.phones.add(pid)
        if p.task is None or p.task.done():
            p.task = asyncio.create_task(self._flush(meeting_id, p))

    async def _flush(self, meeting_id: str, p: _Pending) -> None:
        while p.owed():
            # The window grows with the room, and with what the last send cost on this machine.
            gap = window(self.screens(meeting_id))
            now = time.monotonic()
            # While ballots keep coming, phones get the running tally only as often as its cost
            # allows; once no ballot has come for a moment (the vote is over), at once.
            phones_due = p.phones_last + max(gap, min(PHONE_TALLY_SHARE * p.phones_cost,
                                                      p.last_commit + QUIET_S - p.phones_last))
            everyone = p.full or p.tally or bool(p.phones)
            next_send = p.last_sent + max(gap, SEND_SHARE * p.cost) if everyone else phones_due
            if next_send > now:
                await asyncio.sleep(next_send - now)
                continue  # something more may have come in meanwhile
            full, tally, phones = p.full, p.tally, p.phones
            to_phones = full or (p.phone_tally and phones_due <= now)
            p.full, p.tally, p.phones = False, False, set()
            if to_phones:
                p.phone_tally = False
            try:
                phones_cost = await self._send(meeting_id, full, tally, to_phones, phones)
            except Exception:
                log.exception("broadcast to meeting %s failed", meeting_id)
                phones_cost = 0.0
            if everyone:
                p.last_sent, p.cost = now, time.monotonic() - now
            if to_phones:
                p.phones_last, p.phones_cost = now, phones_cost

    async def _send(self, meeting_id: str, full: bool, tally: bool, to_phones: bool, phones: set[str]) -> float:
        """Send what is owed; returns the seconds the send to every phone took."""
        m = await self.settled(meeting_id)
        # Every message is built before anything is sent: they all show the same committed moment.
        now = time.time()
        if full:
            public = {"seq": m.seq, "view": public_view_of(m), "server_now": now}
            sends = [("state", public, screen_room(meeting_id)),
                     ("state", {"seq": m.seq, "view": moderator_view(m), "server_now": now}, moderator_room(meeting_id))]
            to_all = ("state", public, public_room(meeting_id))
        else:
            msg = tally_message(m)
            sends = [("tally", msg, screen_room(meeting_id)), ("tally", msg, moderator_room(meeting_id))] if tally else []
            to_all = ("tally", msg, public_room(meeting_id))
        sends += [("me", {"seq": m.seq, "me": me_view(m, pid)}, phone_room(meeting_id, pid))
                  for pid in phones if pid in m.participants]
        for event, data, room in sends:
            await self.emit(event, data, room=room)
        if not to_phones:
            return 0.0
        started = time.monotonic()
        await self.emit(*to_all[:2], room=to_all[2])
        return time.monotonic() - started
