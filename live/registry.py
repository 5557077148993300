"""The community register in the data folder: its events stored beside the meetings' (same table,
same hash chain, record id `facilitation.community.REGISTER`), folded into the register on demand.

One writer at a time (a lock): each event is chained to the one before, as a meeting's are.
"""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable

from facilitation.community import REGISTER, Community, fold

from .store import Record, Store, chain


class Registry:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._state: Community | None = None
        self._lock = threading.Lock()  # the command line and the server's worker threads alike
        self._alock = asyncio.Lock()

    def state(self) -> Community:
        with self._lock:
            if self._state is None:
                self._state = fold([(r.type, r.data, r.at, r.seq, r.hash) for r in self.store.events(REGISTER)])
            return self._state

    def append(self, event: tuple[str, dict[str, Any]]) -> Record:
        """Store one event and fold it in; the register as it was is kept if storing fails."""
        c = self.state()
        with self._lock:
            now = self.clock()
            (record,) = chain(REGISTER, c.seq, c.last_hash, [(event[0], event[1], now)])
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
