"""The record on a real SQLite file: hash chain, replay, group commit (restarts: tests/wire/test_restart.py)."""
from __future__ import annotations

import asyncio
import json

from facilitation.roles import MODERATOR, Actor
from facilitation.views import moderator_view
from live.demo import create_finished_demo
from live.services import Meetings
from live.store import Store, event_hash

from support.wire import LIFT


async def test_every_event_carries_the_hash_of_the_one_before(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'y.db'}")
    meetings = Meetings(store)
    mid, _ = await create_finished_demo(meetings)
    rows = store.rows(mid)
    assert len(rows) > 40
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == ""
    for before, row in zip(rows, rows[1:]):
        assert row.prev_hash == before.hash
    for row in rows:
        assert row.hash == event_hash(row.meeting_id, row.seq, row.type, row.data, row.at, row.prev_hash)
    await meetings.close()


async def test_replaying_the_record_rebuilds_the_same_meeting(tmp_path):
    url = f"sqlite:///{tmp_path / 'y.db'}"
    meetings = Meetings(Store(url))
    mid, _ = await create_finished_demo(meetings)
    live_view = moderator_view(meetings.cached(mid))
    await meetings.close()
    fresh = Meetings(Store(url))  # a new process: nothing in memory, everything from the file
    replayed = moderator_view(await fresh.state(mid))
    assert json.dumps(replayed, sort_keys=True) == json.dumps(live_view, sort_keys=True)
    assert replayed["status"] == "closed" and replayed["objections"][0]["response"] == "answered"
    await fresh.close()


async def test_a_burst_of_ballots_is_committed_in_few_transactions_and_none_is_lost(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'y.db'}")
    commits = []
    original = store.append
    store.append = lambda records, credentials=(), ballots=(): (commits.append(len(records)), original(records, credentials, ballots))[1]
    meetings = Meetings(store)
    mid, _, _ = await meetings.create(dict(LIFT))
    mod = Actor(MODERATOR)
    people = []
    for i in range(200):
        done = await meetings.execute(mid, mod, "check_in", {"name": f"居民{i}", "category": "registered"})
        people.append(done.records[0].data["participant_id"])
    await meetings.execute(mid, mod, "open_item", {"item": 0})
    poll = (await meetings.execute(mid, mod, "open_poll", {"question": "同意吗？"})).records[0].data["poll_id"]
    commits.clear()
    acks = await asyncio.gather(*[
        meetings.execute(mid, Actor("attendee", pid), "cast_ballot", {"poll_id": poll, "choice": i % 3})
        for i, pid in enumerate(people)
    ])
    assert len(acks) == 200 and sum(commits) == 200
    assert len(commits) < 20, commits  # grouped, not one transaction per ballot
    await meetings.close()
    replayed = await Meetings(Store(store.url)).state(mid)
    assert replayed.polls[poll].counts() == [67, 67, 66]


async def test_a_refused_command_in_a_burst_does_not_hold_up_the_others(tmp_path):
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _, _ = await meetings.create(dict(LIFT))
    mod = Actor(MODERATOR)
    results = await asyncio.gather(
        meetings.execute(mid, mod, "open_item", {"item": 0}),
        meetings.execute(mid, mod, "open_item", {"item": 9}),
        meetings.execute(mid, mod, "check_in", {"name": "张三", "category": "registered"}),
        return_exceptions=True,
    )
    assert not isinstance(results[0], Exception) and not isinstance(results[2], Exception)
    assert getattr(results[1], "code", None) == "no_such_item"
    assert (await meetings.state(mid)).seq == 3
    await meetings.close()
