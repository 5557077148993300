"""PostgreSQL stopped for a moment and started again under Yishi: commands sent meanwhile are
refused with store_unavailable in the phone's language and leave nothing behind, every
acknowledged command is kept, and Yishi recovers by itself (one process alone, and two sharing
Redis whose writer lock per meeting must be taken again)."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
import socketio
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from support.servers import postgres_server, redis
from support.wire import EVENT_BUDGET_S, Running, Screen, start_server, stop_all, until

from live.store import Store, chain, unreachable
from test_faults_redis import counts_seen, until_health

UNAVAILABLE_ZH = "暂时无法连接会议记录，本次操作未被记录。请稍后再试。"
UNAVAILABLE_EN = "The meeting's record cannot be reached just now; the action was not recorded. Please try again in a moment."


async def phones_of(workers: list[Running], mid: str, n: int, screens: list[Screen],
                    lang: str = "zh-CN") -> list[Screen]:
    """`n` checked-in phones, spread over the workers."""
    out = []
    for i in range(n):
        worker = workers[i % len(workers)]
        guest = await Screen(worker.url, {"meeting": mid, "role": "phone", "token": None, "lang": lang}).connect()
        screens.append(guest)
        ack = await guest.send("check_in", {"name": f"居民{lang}-{i}", "category": "registered"})
        assert ack["ok"], ack
        phone = await Screen(worker.url, {"meeting": mid, "role": "phone", "token": ack["token"], "lang": lang}).connect()
        screens.append(phone)
        out.append(phone)
    return out


def verified(url: str, mid: str) -> Any:
    import httpx

    return httpx.get(f"{url}/meetings/{mid}/verify", params={"format": "json"}, timeout=EVENT_BUDGET_S).json()["record"]


async def test_one_process_refuses_commands_while_postgres_is_down_and_recovers_by_itself(tmp_path):
    with postgres_server() as pg:
        running, server, task = await start_server(tmp_path / "data", database_url=pg.url)
        screens: list[Screen] = []
        try:
            meeting = await running.create_meeting()
            mid = meeting["id"]
            mod = await Screen(running.url, {"meeting": mid, "role": "moderator", "key": meeting["key"]}).connect()
            screens.append(mod)
            phones = await phones_of([running], mid, 5, screens)
            english = (await phones_of([running], mid, 1, screens, lang="en"))[0]
            guest = await Screen(running.url, {"meeting": mid, "role": "phone", "token": None, "lang": "en"}).connect()
            screens.append(guest)
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            assert (await mod.send("open_poll", {"question": "是否同意？", "hide_results": False}))["ok"]
            poll = (await mod.send("sync"))["view"]["polls"][0]["id"]
            assert all(x["ok"] for x in await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": 0})
                                                                for p in phones[:3]]))

            await asyncio.to_thread(pg.stop)
            await until_health([running.url], lambda h: h["store"] == "unreachable" and not h["ok"],
                               "health does not say the store is unreachable")
            # Every command meanwhile is refused, in the phone's language, with nothing done.
            refused = await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": 1}) for p in phones[3:]],
                                           english.send("cast_ballot", {"poll_id": poll, "choice": 1}),
                                           guest.send("check_in", {"name": "新来的", "category": "registered"}),
                                           mod.send("close_poll", {"poll_id": poll}))
            assert [(x["ok"], x["code"], x["status"]) for x in refused] == [(False, "store_unavailable", 503)] * 5, refused
            assert [x["error"] for x in refused] == [UNAVAILABLE_ZH] * 2 + [UNAVAILABLE_EN] * 2 + [UNAVAILABLE_ZH]
            async with running.http() as http:  # a new meeting, too
                created = await http.post("/api/meetings", json={"title": "另一个会", "agenda": [{"title": "议题"}]},
                                          headers={"Authorization": f"Bearer {running.token}", "Accept-Language": "en"})
            assert created.json()["code"] == "store_unavailable" and created.json()["error"] == UNAVAILABLE_EN
            # any other route, a sync, and a new connection are told why too
            async with running.http() as http:
                listed = await http.get("/api/meetings", headers={"Authorization": f"Bearer {running.token}",
                                                                  "Accept-Language": "en"})
            assert listed.status_code == 503 and listed.json()["error"] == UNAVAILABLE_EN
            synced = await english.send("sync", {})
            assert (synced["ok"], synced["code"], synced["error"]) == (False, "store_unavailable", UNAVAILABLE_EN)
            newcomer = socketio.AsyncClient(reconnection=False)
            told: list[Any] = []
            newcomer.on("connect_error", told.append)
            with pytest.raises(socketio.exceptions.ConnectionError):
                await newcomer.connect(running.url, auth={"meeting": mid, "role": "phone", "token": None, "lang": "zh-CN"},
                                       transports=["websocket"], wait_timeout=EVENT_BUDGET_S)
            assert told and told[0]["data"]["code"] == "store_unavailable" and told[0]["message"] == UNAVAILABLE_ZH, told

            await asyncio.to_thread(pg.start)
            await until_health([running.url], lambda h: h["store"] == "ok" and h["ok"], "the store never came back")
            # Nothing of the refused commands was applied: the poll is open, with the three ballots
            # acknowledged before; the same phones' ballots are taken now (not already_voted), and
            # the guest checks in as anyone new.
            view = (await mod.send("sync"))["view"]
            assert view["polls"][0]["open"] and view["polls"][0]["counts"] == [3, 0, 0], view["polls"][0]
            again = await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": 1})
                                           for p in [*phones[3:], english]])
            assert all(x["ok"] for x in again), again
            checked = await guest.send("check_in", {"name": "新来的", "category": "registered"})
            assert checked["ok"], checked
            async with running.http() as http:
                listed = (await http.get("/api/meetings", headers={"Authorization": f"Bearer {running.token}"})).json()
            assert [m["id"] for m in listed["meetings"]] == [mid]  # the refused one left nothing
            assert (await mod.send("close_poll", {"poll_id": poll}))["ok"]
            for p in [*phones, english]:
                await p.until(lambda p=p: counts_seen(p, poll) == [3, 3, 0], lambda p=p: f"final: {counts_seen(p, poll)}")
            assert (await asyncio.to_thread(verified, running.url, mid))["intact"]
        finally:
            await stop_all(screens, (server, task))


async def test_two_processes_lose_postgres_mid_vote_keep_every_acknowledged_ballot_and_take_the_lock_again(tmp_path):
    with postgres_server() as pg, redis() as redis_url:
        data = tmp_path / "data"
        a, srv_a, task_a = await start_server(data, database_url=pg.url, redis_url=redis_url)
        b, srv_b, task_b = await start_server(data, database_url=pg.url, redis_url=redis_url)
        screens: list[Screen] = []
        try:
            meeting = await a.create_meeting()
            mid = meeting["id"]
            mod = await Screen(b.url, {"meeting": mid, "role": "moderator", "key": meeting["key"]}).connect()
            screens.append(mod)
            phones = await phones_of([a, b], mid, 30, screens)
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            assert (await mod.send("open_poll", {"question": "是否同意？", "hide_results": False}))["ok"]
            poll = (await mod.send("sync"))["view"]["polls"][0]["id"]

            # PostgreSQL stops while ballots from both processes are on their way: one phone after
            # another on each process, stopped once a few were acknowledged.
            answers: dict[int, dict[str, Any]] = {}

            async def one_by_one(indices: range) -> None:
                for i in indices:
                    answers[i] = await phones[i].send("cast_ballot", {"poll_id": poll, "choice": i % 3})

            streams = asyncio.gather(one_by_one(range(0, 20, 2)), one_by_one(range(1, 20, 2)))  # on A, on B
            await until(lambda: len(answers) >= 4, "no ballot acknowledged")
            await asyncio.to_thread(pg.stop)
            await streams
            first = [answers[i] for i in range(20)]
            assert {(x["ok"], x.get("code")) for x in first} <= {(True, None), (False, "store_unavailable")}, first
            await until_health([a.url, b.url], lambda h: h["store"] == "unreachable", "the outage unnoticed")
            during = await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": i % 3})
                                            for i, p in enumerate(phones[20:], 20)])
            assert {x.get("code") for x in during} == {"store_unavailable"}, during

            await asyncio.to_thread(pg.start)
            await until_health([a.url, b.url], lambda h: h["store"] == "ok", "the store never came back")
            # Each refused phone sends its ballot again, on both processes at once: each process
            # takes the meeting's writer lock anew. A ballot refused as the server went down may
            # have been committed all the same (its answer lost): it is then refused as already cast.
            refused = [i for i, x in enumerate(first + during) if not x["ok"]]
            again = await asyncio.gather(*[phones[i].send("cast_ballot", {"poll_id": poll, "choice": i % 3})
                                           for i in refused])
            assert all(x["ok"] or x["code"] == "already_voted" for x in again), again
            assert all(x["ok"] for x in again[-10:]), again  # those sent while it was down were never stored

            final = [10, 10, 10]
            for p in phones:
                await p.until(lambda p=p: counts_seen(p, poll) == final, lambda p=p: f"final: {counts_seen(p, poll)}")
            assert (await mod.send("sync"))["view"]["polls"][0]["counts"] == final
            assert (await asyncio.to_thread(verified, a.url, mid))["intact"]
            store = Store(pg.url)
            with store.engine.connect() as conn:  # no writer lock left held by either process
                assert conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar() == 0
                assert conn.execute(text("SELECT count(*) FROM events WHERE type = 'BallotCast'")).scalar() == 30
            store.close()
        finally:
            await stop_all(screens, (srv_a, task_a), (srv_b, task_b))


def test_a_writer_whose_lock_went_with_its_connection_cannot_commit():
    """The writer lock is a session's: when that connection is lost (here ended by the server), the
    lock is free for another process at once, and the first writer, still holding what it decided,
    cannot commit it: while a lock is held, the commit goes through the lock's own connection."""
    with postgres_server() as pg:
        first, second = Store(pg.url), Store(pg.url)
        try:
            mid = "m-lock"
            records = chain(mid, 0, "", [("MeetingCreated", {"title": "A"}, 1.0)])
            held = first.hold(mid)
            assert held is not None
            with second.engine.connect() as conn:  # the server ends the first writer's session
                conn.execute(text("SELECT pg_terminate_backend(:pid)"),
                             {"pid": held.connection.dbapi_connection.info.backend_pid})
            taken = second.hold(mid)  # free at once: the lock went with the session
            with pytest.raises(DBAPIError) as lost:
                first.append(records)
            assert unreachable(lost.value)
            first.release(held, mid)  # nothing to let go of: no error
            second.append(chain(mid, 0, "", [("MeetingCreated", {"title": "B"}, 2.0)]))
            second.release(taken, mid)
            assert [r.data["title"] for r in second.events(mid)] == ["B"]
        finally:
            first.close()
            second.close()
