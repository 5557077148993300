"""The append-only record: one ordered, hash-chained log of events per meeting, on SQLModel.

Each row stores the hash of the row before it, so an edited, dropped, inserted or reordered
event breaks the chain (see `live.record.verify_chain`). The store is synchronous; the async
services call it in a worker thread.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import UniqueConstraint, delete, event, func, insert, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, Session, SQLModel, create_engine, select

from facilitation.meeting import proxy_voter

from . import schema
from .errors import TransportError

CONNECT_TIMEOUT_S = 5  # a database server that does not answer: the command is refused, not left hanging


class StoreUnavailable(TransportError):
    """The database cannot be reached just now: nothing of the command was stored."""

    def __init__(self) -> None:
        super().__init__("store_unavailable", 503)


def unreachable(exc: BaseException) -> bool:
    """Whether a database error means the server (or the connection to it) is gone, rather than
    that the statement was refused: a lost or refused connection, a pool that cannot give one."""
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return isinstance(exc, sa_exc.TimeoutError)


class MeetingRow(SQLModel, table=True):
    """A meeting's secrets. The staff's keys are stored hashed (since migration 0003): a copy of
    the database does not let anyone chair or record the meeting. The codes' secret derives the
    invitees' personal codes, which the desk prints again (live/join_codes.py)."""

    __tablename__ = "meetings"
    id: str = Field(primary_key=True)
    created_at: float
    moderator_key_hash: str
    recorder_key_hash: str
    codes_secret: str


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: str = Field(index=True)
    seq: int
    type: str
    data: str  # canonical JSON of the event's fields
    at: float
    prev_hash: str
    hash: str


class CredentialRow(SQLModel, table=True):
    """A phone's token, stored hashed: a copy of the database does not let anyone act as a phone."""

    __tablename__ = "credentials"
    token_hash: str = Field(primary_key=True)
    meeting_id: str = Field(index=True)
    participant_id: str


class PollVoterRow(SQLModel, table=True):
    """Who voted in a secret poll: one row per voter and poll, so the database itself refuses a
    second ballot. Nothing here says when, or which ballot (migration 0004)."""

    __tablename__ = "poll_voters"
    __table_args__ = {"sqlite_with_rowid": False}
    meeting_id: str = Field(primary_key=True)
    poll_id: str = Field(primary_key=True)
    voter: str = Field(primary_key=True)


class BoxRow(SQLModel, table=True):
    """A secret poll's ballot box while it is open: (receipt, ballot) and nothing of the voter.
    Stored in receipt order (no row id); emptied when the poll's count enters the record."""

    __tablename__ = "ballot_box"
    __table_args__ = {"sqlite_with_rowid": False}
    meeting_id: str = Field(primary_key=True)
    poll_id: str = Field(primary_key=True)
    receipt: str = Field(primary_key=True)
    ballot: str  # canonical JSON: the option chosen, or the options chosen / ranked / rated


@dataclass(frozen=True)
class Boxed:
    """A secret ballot for the box: never stored beside its voter or its event."""

    meeting_id: str
    poll_id: str
    receipt: str
    ballot: int | list[int]


def canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(meeting_id: str, seq: int, type_: str, data: str, at: float, prev_hash: str) -> str:
    """SHA-256 of the canonical JSON array [meeting, seq, type, data, repr(at), prev_hash].

    `data` is the stored canonical JSON text and goes into the array as it is (the array's
    other items are encoded here): any change to the stored text changes the hash.
    """
    body = f"[{canonical(meeting_id)},{int(seq)},{canonical(type_)},{data},{canonical(repr(float(at)))},{canonical(prev_hash)}]"
    return hashlib.sha256(body.encode()).hexdigest()


def writer_lock(meeting_id: str) -> int:
    """The advisory lock key of a meeting's writer: 64 bits of a hash of its id (signed, as PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.sha256(b"yishi-writer:" + meeting_id.encode()).digest()[:8], "big", signed=True)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Record:
    """One committed event as stored."""

    meeting_id: str
    seq: int
    type: str
    data: dict[str, Any]
    at: float
    prev_hash: str
    hash: str

    def to_wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, "data": self.data, "at": self.at, "hash": self.hash}


def chain(meeting_id: str, start_seq: int, prev_hash: str, items: Iterable[tuple[str, dict[str, Any], float]]) -> list[Record]:
    """Number and hash new events, continuing the chain after `start_seq` / `prev_hash`."""
    records = []
    seq = start_seq
    for type_, data, at in items:
        seq += 1
        text = canonical(data)
        h = event_hash(meeting_id, seq, type_, text, at, prev_hash)
        records.append(Record(meeting_id, seq, type_, data, at, prev_hash, h))
        prev_hash = h
    return records


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable against process crashes
    cur.execute("PRAGMA busy_timeout=10000")  # the command line may read while the server writes
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    """The tables, at the newest revision: created in an empty database; an older one is upgraded
    only with `upgrade=True` (else TablesOutdated: `yishi upgrade` backs it up first)."""

    def __init__(self, url: str, *, upgrade: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
        elif url.startswith("postgresql"):
            # A pooled connection may have outlived a restart of the server: tried before use.
            kwargs.update(pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
        self.engine: Engine = create_engine(url, **kwargs)
        self._held: set[Connection] = set()  # writer locks' connections (hold), closed with the store at the latest
        self._writing: dict[str, Connection] = {}  # meeting -> the connection holding its writer lock
        self._held_lock = threading.Condition()
        self._releasing = 0  # releases under way in other threads: the store closes after them
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self.opened = schema.ensure(self.engine, upgrade=upgrade)
        except BaseException:
            self.engine.dispose()  # refused: no connection is left open
            raise

    def close(self) -> None:
        with self._held_lock:
            held, self._held = self._held, set()
            self._writing.clear()
            # a connection given back to the pool after dispose() would be left open: wait for them
            self._held_lock.wait_for(lambda: self._releasing == 0, timeout=30)
        for conn in held:  # a writer stopped between taking the lock and letting it go
            conn.close()
        self.engine.dispose()

    # -- meetings -------------------------------------------------------------------

    def add_meeting(self, meeting_id: str, moderator_key: str, now: float, recorder_key: str, codes_secret: str,
                    records: list[Record] = ()) -> None:
        """A new meeting, with its first events in the same transaction: a database lost in between
        leaves neither (not a meeting with no record)."""
        with self.engine.begin() as conn:
            conn.execute(insert(MeetingRow), [{"id": meeting_id, "created_at": now,
                                                "moderator_key_hash": token_hash(moderator_key),
                                                "recorder_key_hash": token_hash(recorder_key),
                                                "codes_secret": codes_secret}])
            self._append(conn, records, (), ())

    def replace_key(self, meeting_id: str, role: str, key: str) -> bool:
        """A new key for the meeting's moderator or recorder; the old one stops working."""
        with Session(self.engine) as s:
            row = s.get(MeetingRow, meeting_id)
            if row is None:
                return False
            setattr(row, f"{role}_key_hash", token_hash(key))
            s.add(row)
            s.commit()
            return True

    def meeting(self, meeting_id: str) -> MeetingRow | None:
        with Session(self.engine) as s:
            return s.get(MeetingRow, meeting_id)

    def meetings(self) -> list[MeetingRow]:
        with Session(self.engine) as s:
            return list(s.exec(select(MeetingRow).order_by(MeetingRow.created_at)))

    # -- events ---------------------------------------------------------------------

    def append(self, records: list[Record], credentials: list[tuple[str, str, str]] = (),
               ballots: Iterable[Boxed] = ()) -> None:
        """Commit events (and the tokens they issue, and the secret ballots they mark) in one
        transaction, or nothing. Secret ballots go into the box in receipt order, not in the order
        they came: within a batch too, where they stand says nothing of who cast them.

        While this process holds the meeting's writer lock (`hold`), the lock's own connection
        commits: a commit that succeeds proves the lock was still held, since it ends only with its
        session, and a writer whose lock went with a lost connection cannot commit at all."""
        with self._held_lock:
            held = self._writing.get(records[0].meeting_id) if records else None
        if held is None:
            with self.engine.begin() as conn:
                self._append(conn, records, credentials, ballots)
        else:
            with held.begin():
                self._append(held, records, credentials, ballots)

    @staticmethod
    def _append(conn: Connection, records: list[Record], credentials: Iterable[tuple[str, str, str]],
                ballots: Iterable[Boxed]) -> None:
        voters = [{"meeting_id": r.meeting_id, "poll_id": r.data["poll_id"],
                   "voter": r.data["participant_id"] if r.data.get("for_invitee") is None
                   else proxy_voter(r.data["for_invitee"])} for r in records if r.type == "VoterMarked"]
        if voters:  # a second ballot of one voter breaks the key: IntegrityError, decided again
            conn.execute(insert(PollVoterRow), sorted(voters, key=lambda v: v["voter"]))
        boxed = sorted(ballots, key=lambda b: b.receipt)
        if boxed:
            conn.execute(insert(BoxRow), [{"meeting_id": b.meeting_id, "poll_id": b.poll_id, "receipt": b.receipt,
                                           "ballot": canonical(b.ballot)} for b in boxed])
        for r in records:
            if r.type == "BallotsCounted":  # the record has the ballots now; the box is emptied
                conn.execute(delete(BoxRow).where(BoxRow.meeting_id == r.meeting_id,
                                                  BoxRow.poll_id == r.data["poll_id"]))
        if records:
            conn.execute(insert(EventRow), [
                {"meeting_id": r.meeting_id, "seq": r.seq, "type": r.type, "data": canonical(r.data),
                 "at": r.at, "prev_hash": r.prev_hash, "hash": r.hash}
                for r in records
            ])
        if credentials:
            conn.execute(insert(CredentialRow), [
                {"token_hash": token_hash(t), "meeting_id": m, "participant_id": p} for t, m, p in credentials
            ])

    def hold(self, meeting_id: str) -> Connection | None:
        """On PostgreSQL, the meeting's writer lock across server processes (an advisory lock, on a
        connection of its own): the one holding it catches up, decides and commits while the others
        wait, instead of all deciding at once and all but one starting again. None on SQLite, where
        one process writes."""
        if self.engine.dialect.name != "postgresql":
            return None
        conn = self.engine.connect()
        try:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": writer_lock(meeting_id)})
            conn.commit()  # the lock is the session's; its transaction is ended, for append's own
        except BaseException:
            conn.invalidate()  # closed, not pooled: a lock taken as the call failed goes with its session
            raise
        with self._held_lock:
            self._held.add(conn)
            self._writing[meeting_id] = conn
        return conn

    def release(self, conn: Connection, meeting_id: str) -> None:
        with self._held_lock:
            if conn not in self._held:  # closed already, with the store
                return
            self._held.discard(conn)
            if self._writing.get(meeting_id) is conn:
                del self._writing[meeting_id]
            self._releasing += 1
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": writer_lock(meeting_id)})
            conn.close()
        except Exception as exc:
            # Closed, not given back to the pool: a lock a failed unlock left goes with its session.
            conn.invalidate()
            if not unreachable(exc):  # a lost connection took its lock with it: nothing more to do
                raise
        finally:
            with self._held_lock:
                self._releasing -= 1
                self._held_lock.notify_all()

    def reachable(self) -> bool:
        """Whether the database answers now."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:
            if unreachable(exc):
                return False
            raise

    def box(self, meeting_id: str, poll_id: str) -> list[tuple[str, int | tuple[int, ...]]]:
        """A secret poll's ballots as (receipt, ballot), in receipt order."""
        with Session(self.engine) as s:
            rows = s.exec(select(BoxRow).where(BoxRow.meeting_id == meeting_id, BoxRow.poll_id == poll_id)
                          .order_by(BoxRow.receipt))
            return [(r.receipt, tuple(b) if isinstance(b := json.loads(r.ballot), list) else int(b)) for r in rows]

    def events(self, meeting_id: str, after: int = 0) -> list[Record]:
        with Session(self.engine) as s:
            rows = s.exec(
                select(EventRow).where(EventRow.meeting_id == meeting_id, EventRow.seq > after).order_by(EventRow.seq)
            )
            return [Record(r.meeting_id, r.seq, r.type, json.loads(r.data), r.at, r.prev_hash, r.hash) for r in rows]

    def rows(self, meeting_id: str) -> list[EventRow]:
        """The rows as stored, in storage order (for verification, which must not trust `seq`)."""
        with Session(self.engine) as s:
            return list(s.exec(select(EventRow).where(EventRow.meeting_id == meeting_id).order_by(EventRow.id)))

    def meetings_with(self, type_: str) -> list[str]:
        """The meetings that have at least one event of this type."""
        with Session(self.engine) as s:
            return list(s.exec(select(EventRow.meeting_id).where(EventRow.type == type_).distinct()))

    def last_seq(self, meeting_id: str) -> int:
        with Session(self.engine) as s:
            return s.exec(select(func.max(EventRow.seq)).where(EventRow.meeting_id == meeting_id)).one() or 0

    # -- phones ---------------------------------------------------------------------

    def participant_for(self, meeting_id: str, token: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(CredentialRow, token_hash(token))
            return row.participant_id if row and row.meeting_id == meeting_id else None
