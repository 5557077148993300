"""Service functions: load the meeting, let the rules decide, commit, then report what happened.

Commands for one meeting go through a single writer task. It takes every command waiting, runs
each against the meeting's state in order, and commits all their events in one transaction:
under a burst of ballots that is one commit for hundreds of phones. Each caller is answered only
after its events are committed.

A server may run for months with hundreds of meetings: a meeting nobody has touched for a while
(sooner once it is closed) leaves the cache, and its writer task ends after a quiet spell; both
come back from the record on the next use.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar

from sqlalchemy.exc import IntegrityError

from facilitation import agenda
from facilitation import events as ev
from facilitation.commands import decide
from facilitation.errors import MeetingError
from facilitation.meeting import Meeting
from facilitation.replay import advance, replay
from facilitation.roles import Actor
from facilitation.straw_polls import Boxes
from voting.errors import VotingError
from voting.polls import RECEIPT_ALPHABET, RECEIPT_LENGTH

from .join_codes import CodeBook
from .settings import same_secret
from .store import Boxed, Record, Store, StoreUnavailable, chain, token_hash, unreachable

log = logging.getLogger("yishi")
RuleError = (MeetingError, VotingError)
MAX_BATCH = 2000
CONFLICT_RETRIES = 5
WRITER_IDLE_S = 120.0  # a writer with nothing to do for this long ends (a new one starts on demand)
IDLE_S = 1800.0  # an open meeting untouched for this long leaves the cache
CLOSED_IDLE_S = 120.0  # a closed one sooner: it changes little, and its minutes are cached apart
MAX_CACHED = 200  # and never more than this many meetings' states, least recently used first out
SWEEP_EVERY_S = 30.0

CLOSING = ("close_poll", "close_meeting")  # commands that may close a secret poll, counting its box
T = TypeVar("T")
Publisher = Callable[[str, list[Record]], Awaitable[None]]


@dataclass(frozen=True)
class Created:
    meeting_id: str
    moderator_key: str
    recorder_key: str
    records: list[Record]


@dataclass
class Done:
    """What a committed command produced: its records and anything the caller must be told."""

    records: list[Record]
    token: str | None = None
    participant_id: str | None = None
    receipt: str | None = None  # a secret ballot's, for its voter alone (kept nowhere beside the voter)
    ballots: list[Boxed] = field(default_factory=list)  # secret ballots for the box


@dataclass
class _Job:
    actor: Actor
    name: str
    payload: dict[str, Any]
    future: asyncio.Future[Done] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class _Writer:
    """The one task that writes a meeting's record in this process."""

    def __init__(self, service: Meetings, meeting_id: str) -> None:
        self.service = service
        self.meeting_id = meeting_id
        self.queue: asyncio.Queue[_Job] = asyncio.Queue()
        # Cleared while the cached state holds decided but uncommitted events (only while a
        # network database commits: with SQLite, deciding and committing is one step).
        self.settled = asyncio.Event()
        self.settled.set()
        self.task = asyncio.create_task(self._run(), name=f"writer-{meeting_id}")

    async def _run(self) -> None:
        try:
            while True:
                try:
                    first = await asyncio.wait_for(self.queue.get(), WRITER_IDLE_S)
                except asyncio.TimeoutError:
                    if self.queue.empty():
                        return
                    continue
                await self._take(first)
        finally:
            self.service.writer_ended(self)

    async def _take(self, first: _Job) -> None:
        jobs = [first]
        while not self.queue.empty() and len(jobs) < MAX_BATCH:
            jobs.append(self.queue.get_nowait())
        try:
            await self._write(jobs)
        except Exception as exc:  # the database failed: nobody is told "done"
            if isinstance(exc, StoreUnavailable):
                log.warning("meeting %s: the database cannot be reached; %d commands refused", self.meeting_id, len(jobs))
            else:
                log.exception("writing meeting %s failed", self.meeting_id)
            # The cached state may hold decided events the record lacks: it is read again from the record.
            self.service.forget(self.meeting_id)
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(exc)
        finally:
            self.settled.set()

    async def _write(self, jobs: list[_Job]) -> None:
        jobs = [j for j in jobs if not j.future.done()]  # callers that gave up
        holding = asyncio.ensure_future(self.service.db(self.service.store.hold, self.meeting_id))
        try:
            held = await asyncio.shield(holding)
        except asyncio.CancelledError:  # stopped while waiting for the lock: let it go once taken
            holding.add_done_callback(self._let_go)
            raise
        try:
            records = await self._decide_and_commit(jobs)
        finally:
            if held is not None:
                await self.service.db(self.service.store.release, held, self.meeting_id)
        if records:  # the next writer, here or in another process, need not wait for the broadcast
            await self.service.publish(self.meeting_id, records)

    def _let_go(self, holding: asyncio.Future[Any]) -> None:
        if not holding.cancelled() and holding.exception() is None and holding.result() is not None:
            self.service.store.release(holding.result(), self.meeting_id)

    async def _decide_and_commit(self, jobs: list[_Job]) -> list[Record]:
        for attempt in range(CONFLICT_RETRIES):
            m = await self.service.state(self.meeting_id)  # catches up with other processes' writes
            boxes = await self._boxes(m, jobs)
            self.settled.clear()
            decided = self._decide(m, jobs, boxes)
            done = [d for _, d in decided if isinstance(d, Done)]
            records = [r for d in done for r in d.records]
            credentials = [(d.token, self.meeting_id, d.participant_id) for d in done if d.token]
            ballots = [b for d in done for b in d.ballots]
            try:
                # committed on the lock's own connection: only while the lock is still held (Store.append)
                await self.service.db(self.service.store.append, records, credentials, ballots)
                self.settled.set()
                break
            except IntegrityError:
                # Another process wrote first. Nothing was answered yet, so every job (refusals
                # too) is decided again against the state that includes the other writes.
                self.service.forget(self.meeting_id)
                if attempt == CONFLICT_RETRIES - 1:
                    raise
        for job, outcome in decided:
            if not job.future.done():
                if isinstance(outcome, Done):
                    job.future.set_result(outcome)
                else:
                    job.future.set_exception(outcome)
        return records

    async def _boxes(self, m: Meeting, jobs: list[_Job]) -> Boxes:
        """The open secret polls' boxes, read only when a job in the batch may close one."""
        if not any(j.name in CLOSING for j in jobs):
            return {}
        secret = [p.id for p in m.open_polls() if p.secret]
        return {pid: await self.service.db(self.service.store.box, self.meeting_id, pid) for pid in secret}

    def _decide(self, m: Meeting, jobs: list[_Job], boxes: Boxes) -> list[tuple[_Job, Done | Exception]]:
        """Run each job against the state in order; the cached state moves on as it goes. A secret
        ballot goes to the box (and to `boxes`, for a close later in the batch), not the record."""
        decided: list[tuple[_Job, Done | Exception]] = []
        now = self.service.clock()
        for job in jobs:
            payload = job.payload
            if job.name == "cast_ballot":
                payload = {**payload, "receipt": new_receipt()}
            elif job.name in CLOSING:
                payload = {**payload, "boxes": boxes}
            try:
                made = decide(m, job.actor, job.name, payload, now)
            except RuleError as exc:
                decided.append((job, exc))
                continue
            events = [e for e in made if e.RECORDED]
            sealed = [e for e in made if isinstance(e, ev.SealedBallot)]
            records = chain(self.meeting_id, m.seq, m.last_hash, [(e.type, e.to_data(), now) for e in events])
            for e, r in zip(events, records):
                advance(m, e, now, r.seq, r.hash)
            done = Done(records)
            for b in sealed:
                ballot = b.choice if b.choices is None else list(b.choices)
                done.ballots.append(Boxed(self.meeting_id, b.poll_id, b.receipt, ballot))
                boxes.setdefault(b.poll_id, []).append((b.receipt, ballot if isinstance(ballot, int) else tuple(ballot)))
                done.receipt = b.receipt
            if job.name == "check_in" and not job.actor.is_staff:
                done.participant_id = events[0].participant_id  # type: ignore[attr-defined]
                done.token = secrets.token_urlsafe(24)
            decided.append((job, done))
        return decided


def new_receipt() -> str:
    """A secret ballot's receipt: random, so it says nothing of its voter or when they voted."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


class Meetings:
    """The service every adapter (socket, HTTP, command line) calls."""

    def __init__(self, store: Store, publish: Publisher | None = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._publish = publish
        self._states: dict[str, Meeting] = {}
        self._used: dict[str, float] = {}  # meeting id -> when last asked for (monotonic), oldest first
        self._writers: dict[str, _Writer] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._swept = time.monotonic()
        self.on_evict: list[Callable[[str], None]] = []  # other per-meeting caches to clear with ours
        self.codes = CodeBook()
        self.on_evict.append(self.codes.forget)
        # SQLite answers in well under a millisecond and never waits on a network, so it is called
        # from the event loop: handing the interpreter lock to a worker thread and back costs up to
        # the switch interval (5 ms) per call when the loop is busy, which under a burst of ballots
        # delayed every acknowledgement. It also makes deciding and committing one step that no
        # broadcast can see half done. Other databases are called from a worker thread.
        self.inline = store.url.startswith("sqlite")

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """Call the store: directly for SQLite, in a worker thread for a database over the network.
        A database that cannot be reached raises StoreUnavailable (store_unavailable, in the user's language)."""
        try:
            if self.inline:
                return fn(*args)
            return await asyncio.to_thread(fn, *args)
        except Exception as exc:
            if unreachable(exc):
                raise StoreUnavailable() from exc
            raise

    async def publish(self, meeting_id: str, records: list[Record]) -> None:
        if self._publish:
            try:
                await self._publish(meeting_id, records)
            except Exception:  # a broken broadcast must not undo a committed action
                log.exception("publishing meeting %s failed", meeting_id)

    def forget(self, meeting_id: str) -> None:
        self._states.pop(meeting_id, None)

    def _touch(self, meeting_id: str) -> None:
        now = time.monotonic()
        self._used.pop(meeting_id, None)
        self._used[meeting_id] = now
        if now - self._swept > SWEEP_EVERY_S or len(self._used) > MAX_CACHED:
            self.sweep(now)

    def sweep(self, now: float | None = None) -> list[str]:
        """Drop the states of meetings idle too long, or beyond MAX_CACHED; returns their ids."""
        now = time.monotonic() if now is None else now
        self._swept = now
        dropped = []
        excess = len(self._used) - MAX_CACHED
        for meeting_id, used in list(self._used.items()):  # oldest first
            if meeting_id in self._writers:
                continue  # busy: its writer holds the state
            m = self._states.get(meeting_id)
            limit = CLOSED_IDLE_S if m is not None and m.closed else IDLE_S
            if now - used >= limit or excess > 0:
                excess -= 1
                dropped.append(meeting_id)
        for meeting_id in dropped:
            self.evict(meeting_id)
        return dropped

    def evict(self, meeting_id: str) -> None:
        self._states.pop(meeting_id, None)
        self._used.pop(meeting_id, None)
        lock = self._loading.get(meeting_id)
        if lock is not None and not lock.locked():
            del self._loading[meeting_id]
        for hook in self.on_evict:
            hook(meeting_id)

    def writer_ended(self, writer: _Writer) -> None:
        if self._writers.get(writer.meeting_id) is writer:
            del self._writers[writer.meeting_id]

    def cache_sizes(self) -> dict[str, int]:
        return {"meetings": len(self._states), "writers": len(self._writers)}

    async def exists(self, meeting_id: str) -> bool:
        return await self.db(self.store.meeting, meeting_id) is not None

    async def key_fits(self, meeting_id: str, role: str, given: object) -> bool:
        """`given` is the meeting's moderator (or recorder) key: its hash is the one stored."""
        row = await self.db(self.store.meeting, meeting_id)
        if row is None or not isinstance(given, str) or not given:
            return False
        return same_secret(getattr(row, f"{role}_key_hash"), token_hash(given))

    async def reissue_key(self, meeting_id: str, role: str) -> str:
        """A new key for the moderator or the recorder, shown once; the old one stops working."""
        key = secrets.token_urlsafe(18)
        await self.db(self.store.replace_key, meeting_id, role, key)
        return key

    async def codes_secret(self, meeting_id: str) -> str:
        row = await self.db(self.store.meeting, meeting_id)
        return row.codes_secret if row else ""

    def cached(self, meeting_id: str) -> Meeting:
        """The state as this process last saw it (the writer keeps it current)."""
        return self._states.get(meeting_id) or Meeting(id=meeting_id)

    async def state(self, meeting_id: str) -> Meeting:
        """The meeting's current state; catches up with events other processes committed."""
        self._touch(meeting_id)
        lock = self._loading.setdefault(meeting_id, asyncio.Lock())
        async with lock:
            m = self._states.get(meeting_id) or Meeting(id=meeting_id)
            # Records the writer applied while we were reading are passed over by replay.
            m = replay(await self.db(self.store.events, meeting_id, m.seq), m)
            self._states[meeting_id] = m
            return m

    async def settled(self, meeting_id: str) -> Meeting:
        """The state with nothing in it that is not committed: what screens may be shown.

        Returned without a pause after the check, so a caller that builds its views before its
        next `await` shows a committed moment.
        """
        while True:
            writer = self._writers.get(meeting_id)
            if writer is not None and not writer.settled.is_set():
                await writer.settled.wait()
            elif (m := self._states.get(meeting_id)) is not None:
                return m
            else:
                await self.state(meeting_id)

    async def create(self, payload: dict[str, Any]) -> tuple[str, str, list[Record]]:
        """A new meeting: its id, its moderator key, and its first event."""
        made = await self.create_with_keys(payload)
        return made.meeting_id, made.moderator_key, made.records

    async def create_with_keys(self, payload: dict[str, Any]) -> Created:
        """A new meeting with its staff's keys, which are stored hashed: this is the one time they are known."""
        now = self.clock()
        events = agenda.create_meeting(Meeting(id=""), **payload)  # refuses bad input before anything is stored
        events = [dataclasses.replace(e, actor=ev.By(ev.FACILITATOR)) for e in events]  # with the facilitator's token
        meeting_id = secrets.token_hex(4)
        records = chain(meeting_id, 0, "", [(e.type, e.to_data(), now) for e in events])
        made = Created(meeting_id, secrets.token_urlsafe(18), secrets.token_urlsafe(18), records)
        await self.db(self._store_new, made, now, secrets.token_urlsafe(24))
        return made

    def _store_new(self, made: Created, now: float, codes_secret: str) -> None:
        self.store.add_meeting(made.meeting_id, made.moderator_key, now, recorder_key=made.recorder_key,
                               codes_secret=codes_secret, records=made.records)

    async def execute(self, meeting_id: str, actor: Actor, name: str, payload: dict[str, Any]) -> Done:
        """Run one command; returns once its events are committed, raises a rule error otherwise."""
        writer = self._writers.get(meeting_id)
        if writer is None or writer.task.done():
            writer = self._writers[meeting_id] = _Writer(self, meeting_id)
        job = _Job(actor, name, payload)
        writer.queue.put_nowait(job)
        return await job.future

    async def participant_for(self, meeting_id: str, token: str) -> str | None:
        """The participant a phone's token stands for now: a check-in merged into another is that
        other one; a check-in refused or taken back is nobody (the phone may check in again)."""
        pid = await self.db(self.store.participant_for, meeting_id, token)
        if pid is None:
            return None
        m = await self.state(meeting_id)
        for _ in range(len(m.participants)):
            p = m.participants.get(pid)
            if p is None or p.status != "merged":
                break
            pid = p.merged_into
        p = m.participants.get(pid)
        return pid if p is not None and p.status in ("in", "held") else ""

    async def join_codes(self, meeting_id: str) -> list[str]:
        """Every invitee's personal code, in roster order (for their slips)."""
        m = await self.state(meeting_id)
        return self.codes.codes(meeting_id, await self.codes_secret(meeting_id), len(m.roster))

    async def invitee_for_code(self, meeting_id: str, typed: str, address: str = "") -> int:
        """The invitee whose code this is; refused when it is no one's, or after too many wrong codes
        in the meeting or from this network address."""
        if self.codes.blocked(meeting_id, address):
            raise MeetingError("too_many_code_attempts")
        m = await self.state(meeting_id)
        found = self.codes.invitee(meeting_id, await self.codes_secret(meeting_id), len(m.roster), typed)
        if found is None:
            self.codes.missed(meeting_id, address)
            raise MeetingError("bad_code")
        return found

    async def close(self) -> None:
        for w in self._writers.values():
            w.task.cancel()
        self._writers.clear()
