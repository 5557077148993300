"""With PostgreSQL the commit runs in a worker thread: nothing may show a moment it has not committed."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from support.wire import LIFT
from facilitation.roles import MODERATOR, Actor
from live.services import Meetings
from live.store import Store
from support.servers import postgres

BUDGET_S = 60  # generous: how long the held commit, the command and the screen's view may each take


class HeldStore(Store):
    """A real PostgreSQL store whose commits wait until the test lets them go on."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.go_on = threading.Event()
        self.go_on.set()
        self.committing = threading.Event()

    def append(self, records: Any, credentials: Any = (), ballots: Any = ()) -> None:
        self.committing.set()
        self.go_on.wait(BUDGET_S)
        super().append(records, credentials, ballots)


async def test_screens_are_shown_only_what_postgresql_has_committed():
    with postgres() as url:
        store = HeldStore(url)
        meetings = Meetings(store)
        try:
            mid, _, _ = await meetings.create(dict(LIFT))
            before = (await meetings.settled(mid)).seq
            store.go_on.clear()
            store.committing.clear()
            command = asyncio.create_task(meetings.execute(mid, Actor(MODERATOR), "open_item", {"item": 0}))
            assert await asyncio.to_thread(store.committing.wait, BUDGET_S)
            # The writer has decided the event and applied it to its state, and is committing it:
            assert meetings.cached(mid).seq == before + 1 and meetings.cached(mid).current_item == 0
            shown = asyncio.create_task(meetings.settled(mid))  # what a broadcast or a sync would show
            for _ in range(10):  # turns of the loop, not time: without waiting for the commit it would be done
                await asyncio.sleep(0)
            assert not shown.done(), "a screen could have been shown an uncommitted event"
            store.go_on.set()
            done = await asyncio.wait_for(command, BUDGET_S)
            m = await asyncio.wait_for(shown, BUDGET_S)
            assert m.seq == done.records[-1].seq == before + 1 and m.current_item == 0
        finally:
            store.go_on.set()
            await meetings.close()
            store.close()
