#!/usr/bin/env python3
"""Memory of a server that runs meeting after meeting: does it stay bounded?

Runs one Yishi server in this process (real uvicorn, real socket.io on loopback) and holds N
meetings one after another: each has its moderator, a projector and P phones that check in,
raise hands, give an opinion and vote, then closes. Every `--every` meetings it prints the
server's resident memory and how many meetings and writer tasks it holds. The idle limits of
live/services.py are shortened (`--idle`, seconds) so that months of use fit in minutes; run
with `--idle 0` to keep every meeting cached (the limits off) and compare.

    python scripts/bench_meetings.py --meetings 300 --phones 10
    python scripts/bench_meetings.py --meetings 300 --phones 10 --idle 0
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import socketio
import uvicorn

from live import services
from live.app import Yishi
from live.bench.server import free_port
from live.settings import Settings


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def client(url: str, auth: dict[str, Any]) -> socketio.AsyncClient:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
    return sio


async def one_meeting(url: str, token: str, n: int, phones: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        r = await http.post("/api/meetings", headers={"Authorization": f"Bearer {token}"}, json={
            "title": f"第{n}次居民议事会", "form": "council", "language": "zh-CN",
            "agenda": [{"title": "楼道堆物清理"}, {"title": "停车位分配"}]})
        r.raise_for_status()
        meeting = r.json()
    mid = meeting["id"]
    mod = await client(url, {"meeting": mid, "role": "moderator", "key": meeting["key"]})
    wall = await client(url, {"meeting": mid, "role": "projector"})
    opened = []
    try:
        assert (await mod.call("open_item", {"item": 0}, timeout=60))["ok"]
        poll = await mod.call("open_poll", {"question": "是否同意清理方案？"}, timeout=60)
        assert poll["ok"], poll
        view = (await mod.call("sync", {}, timeout=60))["view"]
        poll_id = view["polls"][-1]["id"]
        for i in range(phones):
            phone = await client(url, {"meeting": mid, "role": "phone", "token": None})
            opened.append(phone)
            ack = await phone.call("check_in", {"name": f"居民{n}-{i}", "category": "registered"}, timeout=60)
            assert ack["ok"], ack
            await phone.call("raise_hand", {"stance": "for"}, timeout=60)
            await phone.call("submit_opinion", {"text": "建议先公示清理时间。"}, timeout=60)
            await phone.call("cast_ballot", {"poll_id": poll_id, "choice": i % 3}, timeout=60)
        assert (await mod.call("close_meeting", {}, timeout=60))["ok"]
    finally:
        for c in (*opened, mod, wall):
            await c.disconnect()


def held(yishi: Yishi) -> dict[str, int]:
    sizes = yishi.meetings.cache_sizes()
    return {"held": sizes["meetings"], "writers": sizes["writers"]}


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=300)
    ap.add_argument("--phones", type=int, default=10)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--idle", type=float, default=1.0,
                    help="seconds a closed meeting (and a writer) stays after its last use; 0: never leaves")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.idle > 0:
        services.WRITER_IDLE_S = services.CLOSED_IDLE_S = args.idle
        services.SWEEP_EVERY_S = 0.0
    else:
        services.WRITER_IDLE_S = services.CLOSED_IDLE_S = services.IDLE_S = 10**9
        services.MAX_CACHED = 10**9

    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="yishi-bench-meetings-"))
    settings = Settings(data=data, host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}")
    yishi = Yishi(settings)
    server = uvicorn.Server(uvicorn.Config(yishi.asgi(), host="127.0.0.1", port=port, log_level="warning",
                                           ws="websockets-sansio", ws_per_message_deflate=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    url = settings.public_url
    rows = []
    started = time.monotonic()
    try:
        gc.collect()
        rows.append({"run": 0, "rss_mb": round(rss_mb(), 1), **held(yishi)})
        for n in range(1, args.meetings + 1):
            await one_meeting(url, settings.token, n, args.phones)
            if n % args.every == 0 or n == args.meetings:
                await asyncio.sleep(max(args.idle, 0) * 1.5)  # the last meetings' idle time passes
                async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                    await http.get("/api/health")
                yishi.meetings.sweep()
                gc.collect()
                row = {"run": n, "rss_mb": round(rss_mb(), 1), **held(yishi),
                       "elapsed_s": round(time.monotonic() - started, 1)}
                rows.append(row)
                if not args.json:
                    print(f"{n:5d} meetings: {row['rss_mb']:7.1f} MB, {row['held']} held, "
                          f"{row['writers']} writers, {row['elapsed_s']} s", flush=True)
    finally:
        server.should_exit = True
        await task
    if args.json:
        print(json.dumps({"phones": args.phones, "idle_s": args.idle, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
