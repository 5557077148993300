"""Redis stopped and started again in the middle of a vote, under two Yishi processes sharing
PostgreSQL and Redis: each process keeps serving its own phones while Redis is gone; once it is
back, every phone gets the current view by itself (what the other process did meanwhile too),
broadcasts cross between processes again, every acknowledged ballot is counted and the record
verifies, all without restarting Yishi."""
from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from support.servers import postgres, redis_server
from support.wire import EVENT_BUDGET_S, HTTP_BUDGET_S, Screen, start_server, stop_all

PER_PROCESS = 8  # phones voting on each process


def counts_seen(screen: Screen, poll: str) -> list[int] | None:
    """The poll's counts in the newest view or tally this phone got (by seq)."""
    newest: tuple[int, list[int] | None] = (-1, None)
    for seq, polls in [(t["seq"], t["polls"]) for t in screen.tallies] + [(s["seq"], s["view"]["polls"])
                                                                             for s in screen.states]:
        for p in polls:
            if p["id"] == poll and seq > newest[0]:
                newest = (seq, p["counts"])
    return newest[1]


async def health(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
        return (await http.get("/api/health")).json()


async def until_health(urls: list[str], predicate: Any, what: str) -> None:
    """Until every process's /api/health satisfies `predicate` (health has no event to wait for)."""
    deadline = asyncio.get_running_loop().time() + EVENT_BUDGET_S
    while True:
        bodies = [await health(u) for u in urls]
        if all(predicate(b) for b in bodies):
            return
        assert asyncio.get_running_loop().time() < deadline, f"{what}: {bodies}"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("path", ["direct", "stock"])  # both broadcast paths share Redis the same way
async def test_redis_restarted_mid_vote_loses_nothing_and_broadcasts_recover_by_themselves(tmp_path, path):
    with postgres() as db_url, redis_server() as rds:
        data = tmp_path / "data"
        a, srv_a, task_a = await start_server(data, database_url=db_url, redis_url=rds.url, fanout=path)
        b, srv_b, task_b = await start_server(data, database_url=db_url, redis_url=rds.url, fanout=path)
        screens: list[Screen] = []

        async def open_screen(worker, auth):
            s = await Screen(worker.url, auth).connect()
            screens.append(s)
            return s

        async def vote(phones: list[Screen], choice: int) -> None:
            acks = await asyncio.gather(*[p.send("cast_ballot", {"poll_id": poll, "choice": choice}) for p in phones])
            assert all(x["ok"] for x in acks), acks

        try:
            meeting = await a.create_meeting()
            mid = meeting["id"]
            mod = await open_screen(a, {"meeting": mid, "role": "moderator", "key": meeting["key"]})
            phones: dict[str, list[Screen]] = {"a": [], "b": []}
            for i in range(2 * PER_PROCESS + 2):  # and one phone on each that only watches
                side, worker = ("a", a) if i % 2 == 0 else ("b", b)
                guest = await open_screen(worker, {"meeting": mid, "role": "phone", "token": None})
                ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
                assert ack["ok"], ack
                phones[side].append(await open_screen(worker, {"meeting": mid, "role": "phone", "token": ack["token"]}))
            watch_a, watch_b = phones["a"].pop(), phones["b"].pop()
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            assert (await mod.send("open_poll", {"question": "是否同意？", "hide_results": False}))["ok"]
            poll = (await mod.send("sync"))["view"]["polls"][0]["id"]

            # Before: a ballot on either process reaches the phones on the other.
            await vote(phones["a"][:2], 0)
            await vote(phones["b"][:2], 1)
            for w in (watch_a, watch_b):
                await w.until(lambda w=w: counts_seen(w, poll) == [2, 2, 0], lambda w=w: f"before: {counts_seen(w, poll)}")

            rds.stop()
            await until_health([a.url, b.url], lambda h: not h["redis"]["connected"], "Redis's loss unnoticed")

            # Redis gone: each process still takes its own phones' ballots, commits them and tells its own phones.
            await vote(phones["a"][2:5], 2)
            await watch_a.until(lambda: counts_seen(watch_a, poll) == [2, 2, 3],
                                lambda: f"process A's own ballots not shown on its phone: {counts_seen(watch_a, poll)}")
            await vote(phones["b"][2:5], 2)  # B has read A's ballots from the record before writing
            await watch_b.until(lambda: counts_seen(watch_b, poll) == [2, 2, 6],
                                lambda: f"process B's own ballots not shown on its phone: {counts_seen(watch_b, poll)}")
            assert counts_seen(watch_a, poll) == [2, 2, 3]  # nothing carries B's ballots to A's phones now

            rds.start()
            # Nobody votes: A's phones get the current view, with B's ballots, once A hears Redis again.
            await watch_a.until(lambda: counts_seen(watch_a, poll) == [2, 2, 6],
                                lambda: f"A's phone never got the current view: {counts_seen(watch_a, poll)}")
            await until_health([a.url, b.url], lambda h: h["redis"]["connected"] and h["redis"]["recoveries"] == 1,
                               "Redis back, unheard")

            # Broadcasts cross between processes again: a ballot on B shows on A's phone, and one on A on B's.
            await vote(phones["b"][5:], 0)
            await watch_a.until(lambda: counts_seen(watch_a, poll) == [2 + PER_PROCESS - 5, 2, 6],
                                lambda: f"a ballot on B unseen on A: {counts_seen(watch_a, poll)}")
            await vote(phones["a"][5:], 1)
            final = [2 + PER_PROCESS - 5, 2 + PER_PROCESS - 5, 6]
            # Every phone, on either process, ends with every acknowledged ballot counted.
            for p in [watch_a, watch_b, *phones["a"], *phones["b"]]:
                await p.until(lambda p=p: counts_seen(p, poll) == final, lambda p=p: f"final: {counts_seen(p, poll)}")
            assert (await mod.send("sync"))["view"]["polls"][0]["counts"] == final
            async with b.http() as http:
                record = (await http.get(f"/meetings/{mid}/verify", params={"format": "json"})).json()["record"]
            assert record["intact"], record
        finally:
            await stop_all(screens, (srv_a, task_a), (srv_b, task_b))
