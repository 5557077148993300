"""A secret poll on a real server, read as someone who wants to know how a neighbour voted: the
whole database, every log line, and every message the moderator, the projector and the other
phones received. Nothing joins a ballot to its voter; each voter alone holds their receipt, and
after the close finds it in the public list, counted as cast."""
from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

import pytest

from support.wire import Running

CHOICES = [0, 1, 0, 2, 0, 1]  # what each phone votes, in the order they vote


def everything(screen: Any) -> list[Any]:
    return [*screen.states, *screen.tallies, *screen.mes, *screen.other]


async def listening(screens: Any, *args: Any, **kw: Any) -> Any:
    """A screen that keeps every message, not only states, tallies and its own view."""
    screen = await screens(*args, **kw)
    screen.other = []
    screen.sio.on("*", lambda event, data=None: screen.other.append({event: data}))
    return screen


def database(server: Running) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in the order the database stores them."""
    db = sqlite3.connect(server.data / "yishi.db")
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        db.close()


def poll_counts(messages: list[Any], poll_id: str) -> list[Any]:
    """Every count, hand count, result or breakdown of the poll in these messages."""
    found = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("id") == poll_id and "question" in x or x.get("id") == poll_id and "voters" in x:
                found.extend([x.get("counts"), x.get("hands"), x.get("result"), x.get("by_category") or None,
                              x.get("ranked"), x.get("evaluated")])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(messages)
    return found


async def test_nothing_stored_logged_or_sent_links_a_secret_ballot_to_its_voter(server: Running, screens, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await listening(screens, mid, "moderator", key=meeting["key"])
    wall = await listening(screens, mid, "projector")
    phones, pids = [], []
    for i in range(len(CHOICES)):
        guest = await screens(mid, "phone", token=None)
        ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
        assert ack["ok"], ack
        pids.append(ack["participant_id"])
        phones.append(await listening(screens, mid, "phone", token=ack["token"]))
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    opened = await mod.send("open_poll", {"question": "是否同意调整停车收费？", "secret": True})
    assert opened["ok"], opened
    poll = (await wall.wait_for(lambda v: bool(v["polls"])))["polls"][0]
    assert (poll["secret"], poll["counts"], poll["voters"]) == (True, None, 0)

    # a sender cannot choose its receipt
    forged = await phones[0].send("cast_ballot", {"poll_id": poll["id"], "choice": 0, "receipt": "AAAAAAAA"})
    assert (forged["ok"], forged["code"]) == (False, "bad_payload")
    staff = await mod.send("cast_ballot", {"poll_id": poll["id"], "choice": 1, "participant_id": pids[0]})
    assert (staff["ok"], staff["code"]) == (False, "secret_own_ballot")
    receipts = []
    for phone, choice in zip(phones, CHOICES):
        ack = await phone.send("cast_ballot", {"poll_id": poll["id"], "choice": choice})
        assert ack["ok"], ack
        receipts.append(ack["receipt"])
        assert poll_counts([ack["tally"]], poll["id"]) and set(map(json.dumps, poll_counts([ack["tally"]], poll["id"]))) == {"null"}
    assert len(set(receipts)) == len(receipts)
    again = await phones[0].send("cast_ballot", {"poll_id": poll["id"], "choice": 1})
    assert (again["ok"], again["code"]) == (False, "already_voted")
    sealed = await mod.send("reveal_results", {"poll_id": poll["id"]})
    assert (sealed["ok"], sealed["code"]) == (False, "secret_sealed")
    await mod.until(lambda: any(p.get("voters") == 6 for s in mod.states for p in s["view"]["polls"])
                    or any(p.get("voters") == 6 for t in mod.tallies for p in t["polls"]),
                    "the moderator never saw that six had voted")
    async with server.http() as c:
        early = await c.get(f"/meetings/{mid}/polls/{poll['id']}/receipts")
        assert (early.status_code, early.json()["code"]) == (409, "secret_sealed")
        assert (await c.get(f"/api/meetings/{mid}", params={"key": meeting["key"]})).json()["polls"][0]["counts"] is None

    # While it is open: no count anywhere, for anyone, and no receipt but each phone's own.
    for screen in (mod, wall, *phones):
        assert set(map(json.dumps, poll_counts(everything(screen), poll["id"]))) <= {"null"}, screen.auth
    for i, phone in enumerate(phones):
        said = json.dumps(everything(phone), ensure_ascii=False)
        assert not any(r in said for j, r in enumerate(receipts) if j != i)
        assert all(m["me"]["voted"].get(poll["id"], None) is None for m in phone.mes)
    for screen in (mod, wall):
        said = json.dumps(everything(screen), ensure_ascii=False)
        assert not any(r in said for r in receipts)

    # The database: who voted in one place, the box in another, nothing in common but the poll.
    rows = database(server)
    assert sorted(v for _, _, v in rows["poll_voters"]) == sorted(pids)
    box = rows["ballot_box"]
    assert [r for _, _, r, _ in box] == sorted(receipts)  # stored in receipt order, not the voting order
    assert sorted(int(b) for *_, b in box) == sorted(CHOICES)
    db = sqlite3.connect(server.data / "yishi.db")
    with pytest.raises(sqlite3.OperationalError):
        db.execute("SELECT rowid FROM ballot_box")  # no row id to tell the order rows came in
    assert [c[1] for c in db.execute("PRAGMA table_info(ballot_box)")] == ["meeting_id", "poll_id", "receipt", "ballot"]
    db.close()
    marked = [json.loads(data) for (_, _, _, type_, data, *_) in rows["events"] if type_ == "VoterMarked"]
    assert [m["participant_id"] for m in marked] == pids
    assert all(set(m) == {"actor", "v", "poll_id", "participant_id", "for_invitee"} for m in marked)
    every_row = json.dumps({t: r for t, r in rows.items() if t != "ballot_box"}, ensure_ascii=False)
    assert not any(r in every_row for r in receipts)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert not any(r in logged for r in receipts)

    # The close: the box into the record, in receipt order; every voter finds theirs as cast.
    assert (await mod.send("close_poll", {"poll_id": poll["id"]}))["ok"]
    closed = await wall.wait_for(lambda v: bool(v["polls"]) and not v["polls"][0]["open"])
    assert closed["polls"][0]["counts"] == [3, 2, 1]
    async with server.http() as c:
        listed = (await c.get(f"/meetings/{mid}/polls/{poll['id']}/receipts")).json()
    assert listed["counts"] == [3, 2, 1] and listed["voters"] == 6
    assert [b["receipt"] for b in listed["ballots"]] == sorted(receipts)
    by_receipt = {b["receipt"]: b["choice"] for b in listed["ballots"]}
    assert [by_receipt[r] for r in receipts] == CHOICES
    rows = database(server)
    assert rows["ballot_box"] == []  # the record holds the ballots now
    (counted,) = [json.loads(data) for (_, _, _, type_, data, *_) in rows["events"] if type_ == "BallotsCounted"]
    assert [r for r, _ in counted["ballots"]] == sorted(receipts)
    # a restart counts the same from the record alone
    server.yishi.meetings.forget(mid)
    async with server.http() as c:
        again = (await c.get(f"/meetings/{mid}/polls/{poll['id']}/receipts")).json()
    assert again["counts"] == [3, 2, 1]
