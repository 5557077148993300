"""The community registers in the data folder: their events stored beside the meetings' (same
table, same hash chain; record id `facilitation.community.register_id(community)`), each folded into
its register on demand. An install serving a street office keeps one per community (`Registries`).

One writer at a time per register (a lock): each event is chained to the one before, as a meeting's are.
"""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable

from sqlalchemy import text

from facilitation import forms, topics
from facilitation.community import Community, community_of, fold, register_id

from .store import Record, Store, chain


class Registry:
    """A community's register; subclasses keep another of its records the same way (TopicsBook)."""

    fold = staticmethod(fold)  # the record's events -> its state (with seq, last_hash and apply)
    record_of = staticmethod(register_id)  # the community -> the record id

    def __init__(self, store: Store, clock: Callable[[], float] = time.time, community: str = "") -> None:
        self.store = store
        self.clock = clock
        self.community = community
        self.record_id = self.record_of(community)
        self._state: Community | None = None
        self._lock = threading.Lock()  # the command line and the server's worker threads alike
        self._alock = asyncio.Lock()

    def state(self) -> Community:
        with self._lock:
            if self._state is None:
                self._state = self.fold([(r.type, r.data, r.at, r.seq, r.hash) for r in self.store.events(self.record_id)])
            return self._state

    def append(self, event: tuple[str, dict[str, Any]]) -> Record:
        """Store one event and fold it in; the register as it was is kept if storing fails."""
        c = self.state()
        with self._lock:
            now = self.clock()
            (record,) = chain(self.record_id, c.seq, c.last_hash, [(event[0], event[1], now)])
            self.store.append([record])
            c.seq, c.last_hash = record.seq, record.hash
            c.apply(record.type, record.data, record.at)
            return record

    async def write(self, make: Callable[[Community], tuple[str, dict[str, Any]]]) -> Record:
        """From the server: decide the event against the current register and store it, one at a
        time (a big import is written in a worker thread; the event loop goes on meanwhile)."""
        async with self._alock:
            state = await asyncio.to_thread(self.state)
            event = make(state)
            return await asyncio.to_thread(self.append, event)


class TopicsBook(Registry):
    """A community's topics and petitions (facilitation/topics.py), kept as the register is."""

    fold = staticmethod(topics.fold)
    record_of = staticmethod(topics.topics_id)


class FormsBook(Registry):
    """A community's templates of the forms of consultation and its wording (facilitation/forms.py)."""

    fold = staticmethod(forms.fold)
    record_of = staticmethod(forms.forms_id)


class Registries:
    """The register (or, with `kind` TopicsBook, the topics) of each community on the install, made
    when first asked for."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time, kind: type[Registry] = Registry) -> None:
        self.store = store
        self.clock = clock
        self.kind = kind
        self._held: dict[str, Registry] = {}

    def __call__(self, community: str = "") -> Registry:
        """`community` must be "" or match facilitation.community.COMMUNITY (ValueError otherwise)."""
        register_id(community)
        if community not in self._held:
            self._held[community] = self.kind(self.store, self.clock, community)
        return self._held[community]

    def communities(self) -> list[str]:
        """Every community with a register in the data folder, "" (the first) included when it has one."""
        with self.store.engine.connect() as conn:
            ids = conn.execute(text("SELECT DISTINCT meeting_id FROM events WHERE meeting_id = 'register' "
                                    "OR meeting_id LIKE 'register:%'")).scalars()
            return sorted(c for i in ids if (c := community_of(i)) is not None)
