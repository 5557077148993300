"""What the meeting list and the board show of each meeting, kept beside the record (live/digests.py)."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text

from facilitation import board
from facilitation.roles import MODERATOR, Actor
from live import digests
from live.digests import Digests
from live.services import Meetings
from live.store import Store

LIFT = {"title": "3号楼加装电梯协商会", "form": "owners", "starts_at": "2026-03-05 19:00",
        "agenda": [{"title": "是否加装电梯"}]}
MOD = Actor(MODERATOR)


async def held(meetings: Meetings, title: str, *, due: str = "2026-04-30") -> str:
    mid, _, _ = await meetings.create({**LIFT, "title": title})
    await meetings.execute(mid, MOD, "open_item", {"item": 0})
    await meetings.execute(mid, MOD, "record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装",
                                                         "actions": [{"what": "报规划审批", "owner": "居委会", "due": due}]})
    return mid


def listed(found: list[digests.Listed]) -> dict[str, tuple[str, str]]:
    return {it.id: (it.digest["title"], it.digest["status"]) for it in found}


async def test_the_list_follows_each_meetings_record(tmp_path):
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    kept = Digests(meetings)
    a = await held(meetings, "一号会议")
    b, _, _ = await meetings.create({**LIFT, "title": "二号会议"})
    assert listed(await kept.listed()) == {a: ("一号会议", "open"), b: ("二号会议", "open")}
    await meetings.execute(a, MOD, "close_meeting", {})
    assert listed(await kept.listed()) == {a: ("一号会议", "closed"), b: ("二号会议", "open")}
    # a meeting only created is listed, and is not on the board until it is held
    assert [it.id for it in await kept.listed() if it.digest["board"] is not None] == [a]
    assert [it.id for it in await kept.listed(b)] == [b] and await kept.listed("nosuchid") == []
    await meetings.close()


async def test_a_server_started_again_reads_the_kept_digests_and_makes_again_only_the_stale(tmp_path):
    url = f"sqlite:///{tmp_path / 'y.db'}"
    meetings = Meetings(Store(url))
    a, b = await held(meetings, "一号会议"), await held(meetings, "二号会议")
    await Digests(meetings).listed()
    await meetings.close()
    store = Store(url)

    def stored(meeting_id: str, **change: object) -> None:
        with store.engine.begin() as conn:
            row = conn.execute(text("SELECT data FROM meeting_digests WHERE meeting_id = :m"), {"m": meeting_id}).one()
            data = {**json.loads(row[0]), "title": "（摘要）"}
            conn.execute(text("UPDATE meeting_digests SET data = :d" + "".join(f", {k} = :{k}" for k in change)
                              + " WHERE meeting_id = :m"), {"d": json.dumps(data), "m": meeting_id, **change})

    # what is read after a restart is the digest kept, not the record...
    stored(a)
    assert listed(await Digests(Meetings(store)).listed())[a] == ("（摘要）", "open")
    # ...unless it was made from another head of the record, or by another version of the digest
    stored(a, seq=1)
    stored(b, version=digests.VERSION - 1)
    again = Meetings(store)
    assert listed(await Digests(again).listed()) == {a: ("一号会议", "open"), b: ("二号会议", "open")}
    # and the meetings were read for it without entering the cache of meetings in use
    assert again.cache_sizes()["meetings"] == 0
    await again.close()


async def test_a_board_entry_is_kept_once_and_read_on_any_day(tmp_path):
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    a = await held(meetings, "一号会议", due="2026-04-30")
    await meetings.execute(a, MOD, "close_meeting", {})
    m = await meetings.state(a)
    (it,) = await Digests(meetings).listed()
    kept = json.loads(json.dumps(it.digest["board"]))
    for day in (date(2026, 4, 30), date(2026, 5, 1)):
        assert board.on_day(it.digest["board"], day) == board.entry(m, day)
    assert board.on_day(kept, date(2026, 5, 1))["items"][0]["actions"][0]["overdue"] is True
    assert board.on_day(kept, date(2026, 5, 1))["actions"]["overdue"] == 1
    assert board.on_day(kept, date(2026, 4, 30))["actions"]["overdue"] == 0
    assert it.digest["board"] == kept  # reading it on a day leaves the kept entry as it was
    await meetings.close()
