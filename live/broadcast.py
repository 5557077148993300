"""Telling every screen what changed, without flooding a full hall.

After a commit the meeting is marked dirty; a per-meeting task sends the new views at once if
the room has been quiet, otherwise at most once per window. The window grows with the number of
connected phones, so a burst of ballots in a big hall becomes a few tally messages, not one per
ballot. Ballots alone send only the tally (a few numbers), never the whole view.

Projectors and moderators are few and are watched by the whole room: they get every change as
soon as the window allows. During a burst of ballots or of check-ins, phones get the running
tally (or the new attendance) less often when sending it to all of them costs much (at most about
a tenth of the server's time): a voter's own phone already got the tally that counts its ballot
in the ballot's acknowledgement, and a phone that checks in gets its answer at once. Everything
else reaches phones in the same window as the projector.

Moderators get their view whole once, then only its changes (`changes`, keyed by the seq they
apply to: facilitation/view_changes.py), so a message's size follows what changed, not the
meeting's length: a six-hour meeting's console view, with every opinion, speech, objection, poll
and participant, passes a megabyte. A console holding another seq asks for the whole view again.
Projectors and phones get the public view whole: it keeps the wall's latest opinions and the
current item's polls, so its size does not grow with the meeting, and a thousand phones that had
just joined would each have to ask for it again. YISHI_WHOLE_VIEWS=1 sends the moderators' view
whole too (as before, for comparison). Several processes sharing Redis keep the last view sent to
each moderators' room in Redis (live/shared_views.py): whichever process sends next diffs from it.
"""
from __future__ import annotations

import asyncio
import copy
import logging
import marshal
import os
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from facilitation.meeting import Meeting
from facilitation import fairness
from facilitation.objections import dissenter
from facilitation.straw_polls import count_shown
from facilitation.view_changes import view_changes
from facilitation.views import concerned, masked_public_view, me_view, moderator_view, poll_breakdown, public_view

from .shared_views import SharedViews
from .store import Record

log = logging.getLogger("yishi")

TALLY_ONLY = {"BallotCast", "HandCountAdded"}
ATTENDANCE = {"ParticipantCheckedIn"}  # changes the view's attendance and roster only
# Events that change one phone's own view (its opinions and objections, its check-in, proxies,
# and its registration to testify at a hearing).
PERSONAL = {"ExplanationGiven", "OpinionModerated", "ObjectionRaised", "OpinionSubmitted", "ObjectionAnswered",
            "CheckInConfirmed", "CheckInRefused", "CheckInWithdrawn", "ParticipantsMerged", "IdentityRecovered",
            "ProxyRecorded", "ProxyWithdrawn", "PartyRegistered", "PartyWithdrawn"}

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

    def forget(self, meeting_id: str) -> None:
        """The meeting left the state cache: so does its last view (which holds the state)."""
        self.last.pop(meeting_id, None)


def _tally(m: Meeting, *, room: bool = True) -> dict[str, Any]:
    """The open polls' counts; for the room (projector, phones) without the count of a poll whose
    results are hidden: how many have voted, never how. The moderators' tally has the count (a
    secret poll's only once it closed), and in a poll that is not secret the ballots per category
    and who has not voted yet."""
    return {"seq": m.seq, "polls": [
        {"id": p.id, "counts": p.counts() if (shown := count_shown(m, p, room=room)) else None,
         "hands": p.hand_counts if shown else None, "voters": len(p.ballots), "open": p.open,
         **({"ranked": (r.to_data() if shown and (r := p.ranked()) else None)} if p.kind == "ranking" else {}),
         **({"evaluated": p.evaluated().to_data() if shown else None} if p.kind == "evaluation" else {}),
         **({} if room or p.secret else poll_breakdown(m, p))}
        for p in m.polls.values() if p.open
    ]}


public_view_of = _PerSeq(public_view)
# The public view with residents' names masked, as the HTTP API gives it to anyone without a key.
masked_view_of = _PerSeq(lambda m: masked_public_view(m, public_view_of(m)))
tally_message = _PerSeq(_tally)  # also sent with each ballot's acknowledgement
moderator_tally = _PerSeq(lambda m: _tally(m, room=False))


SEND_SHARE = 3  # the next send waits at least this many times as long as the last one took
PHONE_SHARE = 10  # a running tally (or attendance) to every phone: at most about a tenth of the time
QUIET_S = 0.1  # no commit for this long: the burst is over, phones get the tally now


def window(screens: int) -> float:
    """Seconds between two sends to a room: 50 ms for a small room, more for a big one."""
    return min(1.0, 0.05 + screens / 10_000)


@dataclass
class _Pending:
    full: bool = False  # the whole view changed: everyone gets it
    screens_full: bool = False  # projectors and moderators owe the view (phones may wait: see phone_state)
    tally: bool = False  # projectors and moderators owe a tally
    phone_state: bool = False  # phones owe the view, as often as its cost allows
    phone_tally: bool = False  # phones owe a tally, as often as its cost allows
    phones: set[str] = field(default_factory=set)  # participants whose own view changed
    last_sent: float = 0.0
    cost: float = 0.0  # seconds the last send took
    phones_last: float = 0.0  # when phones last got a view or a tally
    phones_cost: float = 0.0  # what sending that to every phone took
    last_commit: float = 0.0
    task: asyncio.Task[None] | None = None

    def now_owed(self) -> bool:
        return self.full or self.screens_full or self.tally or bool(self.phones)

    def owed(self) -> bool:
        return self.now_owed() or self.phone_state or self.phone_tally


WHOLE_VIEWS = "YISHI_WHOLE_VIEWS"  # set to 1: every view goes whole, as before changes were sent


def sends_changes(emit: Emit) -> bool:
    """Whether views after the first go as changes: not when asked for whole views."""
    return os.environ.get(WHOLE_VIEWS, "").strip() not in ("1", "true", "yes")


def shared_views(emit: Emit) -> SharedViews | None:
    """Where the last view sent to a room is kept when several processes broadcast to the same
    clients (each must diff from what any of them sent last): in Redis; None for one process."""
    server = getattr(emit, "__self__", None)
    if not getattr(server, "several_processes", False):
        return None
    return SharedViews(server.sio.manager)  # type: ignore[union-attr]  # (live.sockets.LiveServer)


def kept(view: dict[str, Any]) -> dict[str, Any]:
    """A copy of a view to diff the next one against: a view shares lists with the meeting's state
    (an objection's explanations, a participant's history) that later commands change in place.
    marshal copies plain data in C, several times faster than deepcopy."""
    try:
        return dict(marshal.loads(marshal.dumps(view)))
    except ValueError:  # something marshal does not take
        return copy.deepcopy(view)


class Broadcaster:
    def __init__(self, emit: Emit, settled: Callable[[str], Awaitable[Meeting]], cached: Callable[[str], Meeting],
                 screens: Callable[[str], int]) -> None:
        self.emit = emit
        self.settled = settled  # the committed state, waited for
        self.cached = cached
        self.screens = screens
        self.pending: dict[str, _Pending] = {}
        self.heard_next: dict[str, str] = {}  # meeting -> the participant heard next, as their phone was last told
        self.changes = sends_changes(emit)
        self.shared = shared_views(emit)  # several processes: the last views are kept in Redis
        # (meeting, room) -> the seq and the view last sent there, which the next change applies to
        self.last_view: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}

    async def _view_message(self, meeting_id: str, room: str, seq: int, view: dict[str, Any],
                            now: float) -> tuple[str, dict[str, Any]]:
        """`state` with the whole view, or `changes` from the view last sent to that room."""
        last: tuple[int, dict[str, Any]] | None = None
        if self.shared is not None and self.changes:
            last = await self.shared.swap(meeting_id, room, seq, view)
        elif self.changes:
            last = self.last_view.get((meeting_id, room))
            self.last_view[(meeting_id, room)] = (seq, kept(view))
        if last is not None and last[0] < seq:
            changes = view_changes(last[1], view)
            if len(changes["set"]) < len(view):  # something is shared: the change is smaller than the view
                return "changes", {"base": last[0], "seq": seq, "server_now": now, "changes": changes}
        return "state", {"seq": seq, "view": view, "server_now": now}

    async def committed(self, meeting_id: str, records: list[Record]) -> None:
        p = self.pending.setdefault(meeting_id, _Pending())
        p.last_commit = time.monotonic()
        for r in records:
            if r.type in TALLY_ONLY:
                p.tally = p.phone_tally = True
            elif r.type in ATTENDANCE:
                p.screens_full = p.phone_state = True
            else:
                p.full = True
            # A proxy's ballot changes its holder's own view (what they voted for whom); a phone's own
            # ballot does not need one (its acknowledgement says it), which keeps a vote's burst small.
            personal = r.type in PERSONAL or (r.type == "BallotCast" and r.data.get("for_invitee") is not None)
            if personal and (pid := concerned(self.cached(meeting_id), r.data)):
                p.phones.add(pid)
            # A ballot or speech against: that phone may now ask the organisers why (me.may_request).
            if r.type in ("BallotCast", "FloorGranted") and (pid := dissenter(self.cached(meeting_id), r.type, r.data)):
                p.phones.add(pid)
        if p.task is None or p.task.done():
            p.task = asyncio.create_task(self._flush(meeting_id, p))

    def forget(self, meeting_id: str) -> None:
        """The meeting left the state cache; its broadcast bookkeeping goes too, unless a send is owed."""
        p = self.pending.get(meeting_id)
        if p is not None and (p.task is None or p.task.done()) and not p.owed():
            del self.pending[meeting_id]
            self.heard_next.pop(meeting_id, None)
            self.last_view.pop((meeting_id, moderator_room(meeting_id)), None)

    async def _flush(self, meeting_id: str, p: _Pending) -> None:
        while p.owed():
            # The window grows with the room, and with what the last send cost on this machine.
            gap = window(self.screens(meeting_id))
            now = time.monotonic()
            # While ballots (or check-ins) keep coming, phones get the running tally (or the
            # attendance) only as often as its cost allows; once nothing has come for a moment
            # (the vote is over), at once.
            phones_due = p.phones_last + max(gap, min(PHONE_SHARE * p.phones_cost,
                                                      p.last_commit + QUIET_S - p.phones_last))
            now_owed = p.now_owed()
            next_send = p.last_sent + max(gap, SEND_SHARE * p.cost) if now_owed else phones_due
            if next_send > now:
                await asyncio.sleep(next_send - now)
                continue  # something more may have come in meanwhile
            screens = "state" if p.full or p.screens_full else "tally" if p.tally else None
            to_phones = None
            if p.full or (p.phone_state and phones_due <= now):
                to_phones = "state"
            elif p.phone_tally and phones_due <= now:
                to_phones = "tally"
            phones = p.phones
            p.full = p.screens_full = p.tally = False
            p.phones = set()
            if to_phones:
                p.phone_state = p.phone_tally = False
            try:
                cost, phones_cost = await self._send(meeting_id, screens, to_phones, phones)
            except Exception:
                log.exception("broadcast to meeting %s failed", meeting_id)
                cost = phones_cost = 0.0
            if now_owed:
                p.last_sent, p.cost = now, cost
            if to_phones:
                p.phones_last, p.phones_cost = now, phones_cost

    async def _send(self, meeting_id: str, screens: str | None, to_phones: str | None,
                    phones: set[str]) -> tuple[float, float]:
        """Send what is owed ("state" or "tally" to projectors and moderators, to every phone, and
        each changed phone's own view); returns the seconds the whole send took and those the send
        to every phone took. Neither counts the wait for the writer to settle: a burst of ballots
        keeps it busy, and counting that would hold back the next send for several times as long."""
        m = await self.settled(meeting_id)
        started = time.monotonic()
        # Every message is built before anything is sent: they all show the same committed moment.
        now = time.time()
        public = {"seq": m.seq, "view": public_view_of(m), "server_now": now} if "state" in (screens, to_phones) else None
        sends: list[tuple[str, Any, str]] = []
        if screens == "state":
            sends += [("state", public, screen_room(meeting_id)),
                      (*(await self._view_message(meeting_id, moderator_room(meeting_id), m.seq, moderator_view(m), now)),
                       moderator_room(meeting_id))]
        elif screens == "tally":
            sends += [("tally", tally_message(m), screen_room(meeting_id)),
                      ("tally", moderator_tally(m), moderator_room(meeting_id))]
        if screens == "state":
            # Whoever is heard next changes with anyone's request, a grant or the policy: the phone
            # that becomes next, and the one that no longer is, get their own view ("you are next").
            rid = fairness.next_request(m)
            now_next = m.requests[rid].participant_id if rid else ""
            was_next = self.heard_next.get(meeting_id, "")
            if now_next != was_next:
                phones = phones | {pid for pid in (now_next, was_next) if pid}
                self.heard_next[meeting_id] = now_next
        sends += [("me", {"seq": m.seq, "me": me_view(m, pid)}, phone_room(meeting_id, pid))
                  for pid in phones if pid in m.participants]
        to_all = ("state", public) if to_phones == "state" else ("tally", tally_message(m)) if to_phones else None
        for event, data, room in sends:
            await self.emit(event, data, room=room)
        if to_all is None:
            return time.monotonic() - started, 0.0
        to_phones_started = time.monotonic()
        await self.emit(*to_all, room=public_room(meeting_id))
        done = time.monotonic()
        return done - started, done - to_phones_started
