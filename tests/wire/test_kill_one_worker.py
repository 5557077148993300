"""`yishi serve --workers 2` with PostgreSQL and Redis, as an office would run it, and one of its
processes killed (-9) in the middle of a vote: the phones it held reconnect to the other (or to its
replacement), every acknowledged ballot is counted, a ballot whose answer was lost is either
counted once or taken when sent again, and the record stays whole."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from support.process import REPO, START_BUDGET_S
from support.servers import postgres, redis
from support.wire import HTTP_BUDGET_S, STOP_BUDGET_S, Screen, free_port, until

PHONES = 30
TOKEN = "facilitator-token-for-the-test"


async def processes_answering(url: str, want: int) -> set[int]:
    """The server processes seen answering /api/health over fresh connections (the kernel spreads them)."""
    seen: set[int] = set()
    for _ in range(200):
        async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
            seen.add((await http.get("/api/health")).json()["process"])
        if len(seen) >= want:
            break
    return seen


async def ballot(screen: Screen, poll: str, choice: int) -> dict | None:
    """The ballot's answer, or None when the connection died before it came (a call on a dead
    connection is not failed at once: its end is watched for instead)."""
    sent = asyncio.ensure_future(screen.send("cast_ballot", {"poll_id": poll, "choice": choice}))
    await until(lambda: sent.done() or not screen.sio.connected, "a ballot neither answered nor its connection lost")
    if not sent.done():
        sent.cancel()
        return None
    try:
        return sent.result()
    except Exception:  # the process holding the connection was killed
        return None


async def test_killing_one_of_two_processes_mid_vote_loses_no_acknowledged_ballot(tmp_path: Path) -> None:
    with postgres() as db_url, redis() as redis_url:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = tmp_path / "serve.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "live.cli", "serve", "--workers", "2", "--data", str(tmp_path / "data"),
                 "--host", "127.0.0.1", "--port", str(port), "--public-url", url, "--database", db_url, "--redis", redis_url],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "YISHI_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"},
                cwd=REPO)
        screens: list[Screen] = []

        async def connect(auth: dict) -> Screen:
            s = await Screen(url, auth).connect()
            screens.append(s)
            return s

        try:
            async def up() -> bool:
                assert proc.poll() is None, log.read_text("utf-8", "replace")
                try:
                    return len(await processes_answering(url, 2)) == 2
                except httpx.TransportError:
                    return False

            deadline = asyncio.get_running_loop().time() + START_BUDGET_S
            while not await up():  # the port opening has no event to wait for
                assert asyncio.get_running_loop().time() < deadline, log.read_text("utf-8", "replace")
                await asyncio.sleep(0.2)
            workers = await processes_answering(url, 2)
            assert proc.pid not in workers  # the parent supervises; the two children serve

            async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
                r = await http.post("/api/meetings", headers={"Authorization": f"Bearer {TOKEN}"}, json={
                    "title": "加装电梯协商会", "form": "council", "agenda": [{"title": "加装电梯"}]})
                assert r.status_code == 201, r.text
                meeting = r.json()
            mid = meeting["id"]
            mod = await connect({"meeting": mid, "role": "moderator", "key": meeting["key"]})
            tokens, phones = [], []
            for i in range(PHONES):
                guest = await connect({"meeting": mid, "role": "phone", "token": None})
                ack = await guest.send("check_in", {"name": f"居民{i}", "category": "registered"})
                assert ack["ok"], ack
                tokens.append(ack["token"])
                phones.append(await connect({"meeting": mid, "role": "phone", "token": ack["token"]}))
            assert (await mod.send("open_item", {"item": 0}))["ok"]
            opened = await mod.send("open_poll", {"question": "是否同意加装电梯？", "hide_results": False})
            assert opened["ok"], opened
            poll = (await mod.send("sync"))["view"]["polls"][0]["id"]

            # the first half votes; then one process is killed while the second half's ballots are on their way
            first = await asyncio.gather(*[ballot(p, poll, i % 3) for i, p in enumerate(phones[:PHONES // 2])])
            assert all(a and a["ok"] for a in first), first
            victim = sorted(workers)[0]
            in_flight = asyncio.gather(*[ballot(p, poll, (i + PHONES // 2) % 3) for i, p in enumerate(phones[PHONES // 2:])])
            os.kill(victim, signal.SIGKILL)
            second = await in_flight
            lost = [i + PHONES // 2 for i, a in enumerate(second) if a is None]
            assert all(a["ok"] for a in second if a is not None), second

            # every phone on the killed process reconnects (the page does so by itself) and votes again
            # if it was not told: its ballot is either already counted or taken now, never twice
            dropped = [i for i, p in enumerate(phones) if not p.sio.connected]
            assert dropped, "the killed process held none of the phones"
            for i in dropped:
                phones[i] = await connect({"meeting": mid, "role": "phone", "token": tokens[i]})
            for i in lost:
                again = await phones[i].send("cast_ballot", {"poll_id": poll, "choice": i % 3})
                assert again["ok"] or again["code"] == "already_voted", again
            if not mod.sio.connected:
                mod = await connect({"meeting": mid, "role": "moderator", "key": meeting["key"]})
            view = (await mod.send("sync"))["view"]
            assert view["polls"][0]["counts"] == [10, 10, 10] and view["polls"][0]["voters"] == PHONES
            async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
                record = (await http.get(f"/meetings/{mid}/verify", params={"format": "json"})).json()["record"]
            assert record["intact"], record
            assert proc.poll() is None  # the supervisor itself stays up
        finally:
            for s in screens:
                if s.sio.connected:
                    await s.close()
            proc.terminate()
            proc.wait(timeout=STOP_BUDGET_S)
