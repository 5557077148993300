"""What the meeting list, the start-up banner and the public board show of each meeting, kept
beside the record so that an install with hundreds of meetings does not read them all again.

A digest is made from a meeting's state and stamped with the record's head it was made from
(seq and hash). Whoever asks compares the stamps with the heads of the record (one query for all
meetings) and makes again only the digests whose meeting has moved on; they are stored (table
`meeting_digests`, migration 0005), so a server started on an old data folder reads them instead
of every record. A meeting's state is folded for this without entering the meetings' cache, so a
look at the board does not push the meetings in use out of it. The day-dependent part of a board
entry (overdue, open to objections) is applied when shown (facilitation.board.on_day).
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlmodel import Field, Session, SQLModel, select

from facilitation import board
from facilitation.meeting import Meeting

from .record import fold_records

if TYPE_CHECKING:
    from .services import Meetings

log = logging.getLogger("yishi")

VERSION = 1  # what a digest holds; a stored one of another version is made again

HEADS = text("""
    SELECT m.id, m.created_at, e.seq, e.hash FROM meetings m
    LEFT JOIN events e ON e.meeting_id = m.id AND e.seq = (SELECT MAX(seq) FROM events WHERE meeting_id = m.id)
    ORDER BY m.created_at, m.id""")


class DigestRow(SQLModel, table=True):
    __tablename__ = "meeting_digests"
    meeting_id: str = Field(primary_key=True)
    seq: int
    hash: str
    version: int
    data: str  # JSON of `digest`


def digest(m: Meeting) -> dict[str, Any]:
    """What is listed of the meeting, and its public board entry whatever the day (None: not held)."""
    return {"title": m.title, "form": m.form, "status": m.status, "starts_at": m.starts_at,
            "board": board.undated_entry(m)}


@dataclass(frozen=True)
class Listed:
    id: str
    created_at: float
    digest: dict[str, Any]


class Digests:
    def __init__(self, meetings: Meetings) -> None:
        self.meetings = meetings
        self._kept: dict[str, tuple[int, str, dict[str, Any]]] | None = None  # id -> (seq, hash, digest)
        self._lock = asyncio.Lock()

    def _heads(self) -> list[tuple[str, float, int, str]]:
        with self.meetings.store.engine.connect() as conn:
            return [(i, at, seq or 0, h or "") for i, at, seq, h in conn.execute(HEADS)]

    def _stored(self) -> dict[str, tuple[int, str, dict[str, Any]]]:
        with Session(self.meetings.store.engine) as s:
            rows = s.exec(select(DigestRow))
            return {r.meeting_id: (r.seq, r.hash, json.loads(r.data)) for r in rows if r.version == VERSION}

    def _store(self, made: list[tuple[str, int, str, dict[str, Any]]]) -> None:
        with Session(self.meetings.store.engine) as s:
            for meeting_id, seq, h, d in made:
                s.merge(DigestRow(meeting_id=meeting_id, seq=seq, hash=h, version=VERSION,
                                  data=json.dumps(d, ensure_ascii=False, separators=(",", ":"))))
            s.commit()

    async def _state(self, meeting_id: str, seq: int) -> Meeting:
        """The meeting as of `seq`: the cached state when it is there and current, else folded from
        the record without caching it."""
        m = self.meetings.cached(meeting_id)  # an empty meeting (seq 0) when this process has none
        if m.seq == seq:
            return m
        return fold_records(meeting_id, await self.meetings.db(self.meetings.store.events, meeting_id))

    async def listed(self, only: str | None = None) -> list[Listed]:
        """Every meeting (or the one asked for), oldest first, with its current digest."""
        async with self._lock:
            heads = await self.meetings.db(self._heads)
            if only is not None:
                heads = [h for h in heads if h[0] == only]
            if self._kept is None:
                self._kept = await self.meetings.db(self._stored)
            made: list[tuple[str, int, str, dict[str, Any]]] = []
            for meeting_id, _, seq, h in heads:
                kept = self._kept.get(meeting_id)
                if kept is None or kept[:2] != (seq, h):
                    m = await self._state(meeting_id, seq)
                    # a writer may have moved on meanwhile: the stamp is the state's own
                    self._kept[meeting_id] = (m.seq, m.last_hash, digest(m))
                    made.append((meeting_id, m.seq, m.last_hash, self._kept[meeting_id][2]))
                    await asyncio.sleep(0)  # other requests get a turn between meetings
            if made:
                try:
                    await self.meetings.db(self._store, made)
                except Exception:  # derived data: what is kept in memory still serves, and is made again next start
                    log.exception("storing %d meeting digests failed", len(made))
            return [Listed(i, at, self._kept[i][2]) for i, at, _, _ in heads]
