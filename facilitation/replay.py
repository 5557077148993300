"""From stored records to the meeting's state: the one way there is.

Every reader (the server's cache, the command line, verification, the minutes) replays the
record through `replay`, so an event of an older version is read the same way everywhere.
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol

from . import events as ev
from .meeting import Meeting
from .upcast import read


class Stored(Protocol):
    """A committed event as the store hands it out."""

    @property
    def seq(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def at(self) -> float: ...
    @property
    def hash(self) -> str: ...


def advance(m: Meeting, event: ev.Event, at: float, seq: int, hash_: str) -> None:
    """Apply one committed event: the state moves on and knows where in the record it stands."""
    m.apply(event, at)
    m.seq, m.last_hash = seq, hash_


def replay(records: Iterable[Stored], onto: Meeting | str) -> Meeting:
    """The meeting after `records`, continuing `onto` (a state, or a meeting id to start from
    nothing). Records the state already holds are passed over."""
    m = Meeting(id=onto) if isinstance(onto, str) else onto
    for r in records:
        if r.seq <= m.seq:
            continue
        advance(m, read(r.type, r.data), r.at, r.seq, r.hash)
    return m
