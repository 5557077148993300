"""`yishi bench --storms N`: storms of anonymous connections, and whether the server gives the memory back.

A hall's Wi-Fi drops and every phone reconnects; a script opens thousands of guest connections.
Each storm here opens `size` guest connections (the websocket transport, `concurrency` being
opened at once), holds them until all are open, then closes them all. All the while a trickle of
a few connections a second (connect, sync, close) keeps the hall from ever being quiet, as a
real hall is not. After each storm the bench waits `settle` seconds (the trickle goes on),
reading the server's resident memory every 5 s, and counts the collections the server noted
(live/collector.py).

A closed connection is not garbage at once: engine.io's ping task holds it until its next ping
was due (ping_interval, 25 s after it connected or last answered a ping). So the default settle
is 60 s: 25 s for that, then at most 20 s until the calm hall's next full collection, and 5 s of
calm before it.

Memory after the last storm should be back within 10 % of after the first: what one storm left
behind is returned before the next.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Callable

from .client import Phone
from .server import Server

Progress = Callable[[str], None]
MEETING = {"title": "连接风暴", "form": "council", "language": "zh-CN", "agenda": [{"title": "议题"}]}


@dataclass
class StormOptions:
    storms: int = 3
    size: int = 5000  # guest connections per storm
    concurrency: int = 500  # connections being opened at once
    trickle: float = 3.0  # connections a second between and during the storms
    settle: float = 60.0  # seconds after a storm before memory is read
    timeout: float = 60.0
    database: str = ""
    gc_tuning: bool = True
    checkout: str = ""
    fanout: str = ""


def mb(kb: int) -> float:
    return round(kb / 1024, 1)


class Trickle:
    """A few guests a second, each connecting, syncing once and leaving: the hall is never quiet."""

    def __init__(self, url: str, meeting: str, per_s: float, timeout: float) -> None:
        self.url, self.meeting, self.per_s, self.timeout = url, meeting, per_s, timeout
        self.connections = 0
        self.errors: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    async def _one(self) -> None:
        phone = Phone(self.url, {"meeting": self.meeting, "role": "phone", "token": None})
        try:
            await phone.connect(self.timeout)
            await phone.call("sync", {}, self.timeout)
            self.connections += 1
        except Exception as exc:  # counted: the report shows them
            self.errors[type(exc).__name__] = self.errors.get(type(exc).__name__, 0) + 1
        finally:
            await phone.close()

    async def _run(self) -> None:
        period = 1.0 / self.per_s
        next_at = time.monotonic()
        while True:
            task = asyncio.create_task(self._one())
            self._running.add(task)
            task.add_done_callback(self._running.discard)
            next_at += period
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    def start(self) -> None:
        if self.per_s > 0:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._running:
            await asyncio.wait(list(self._running), timeout=self.timeout)


async def storm(url: str, meeting: str, size: int, concurrency: int, timeout: float,
                progress: Progress | None = None, when_open: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Open `size` guest connections (`concurrency` at a time), hold them until all are open, close them all.

    `when_open` is called once all are open (its answer is kept as `when_open`)."""
    gate = asyncio.Semaphore(concurrency)
    phones = [Phone(url, {"meeting": meeting, "role": "phone", "token": None}) for _ in range(size)]
    errors: dict[str, int] = {}
    opened = 0

    async def one(phone: Phone) -> None:
        nonlocal opened
        async with gate:
            try:
                await phone.connect(timeout)
                opened += 1
            except Exception as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

    async def shown() -> None:
        while True:
            await asyncio.sleep(2.0)
            if progress:
                progress(f"storm: {opened}/{size} connected")

    t0 = time.monotonic()
    ticker = asyncio.create_task(shown())
    try:
        await asyncio.gather(*(one(p) for p in phones))
    finally:
        ticker.cancel()
    connect_s = time.monotonic() - t0
    held = when_open() if when_open else None
    await asyncio.gather(*(p.close() for p in phones))
    return {"connected": opened, "errors": errors, "connect_s": round(connect_s, 1), "when_open": held}


async def settle(server: Server, seconds: float, every: float = 5.0) -> list[float]:
    """Wait `seconds` (the trickle goes on), reading the server's memory every `every` seconds."""
    readings = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        await asyncio.sleep(min(every, left))
        readings.append(mb(server.rss_kb()))
    return readings


def full_collections_after(server: Server, since: float) -> list[float]:
    """Wall-clock times of the full collections the server noted after `since` (from its YISHI_GC_LOG)."""
    try:
        lines = server.gc_log.read_text().splitlines()
    except OSError:
        return []
    notes = (line.split() for line in lines)
    return [float(at) for at, generation, _ in notes if generation == "2" and float(at) >= since]


async def scenario(opts: StormOptions, progress: Progress) -> dict[str, Any]:
    server = Server("yishi", opts.database, opts.gc_tuning, opts.checkout, opts.fanout)
    trickle: Trickle | None = None
    failed = True
    try:
        await asyncio.to_thread(server.wait_ready)
        created = await asyncio.to_thread(server.post, "/api/meetings", MEETING)
        meeting = created["id"]
        trickle = Trickle(server.url, meeting, opts.trickle, opts.timeout)
        trickle.start()
        await asyncio.sleep(min(opts.settle, 5.0))
        out: dict[str, Any] = {"storms": opts.storms, "size": opts.size, "trickle_per_s": opts.trickle,
                               "settle_s": opts.settle, "gc": "tuned" if opts.gc_tuning else "default",
                               "rss_mb_before": mb(server.rss_kb()), "rounds": []}
        for n in range(1, opts.storms + 1):
            wall0 = time.time()
            progress(f"storm {n}: {opts.size} connections")
            s = await storm(server.url, meeting, opts.size, opts.concurrency, opts.timeout, progress,
                            when_open=lambda: mb(server.rss_kb()))
            s["peak_rss_mb"] = s.pop("when_open")
            ended = time.time()
            s["rss_mb_while_settling"] = await settle(server, opts.settle)
            s["rss_mb"] = mb(server.rss_kb())
            s["collections"] = server.collections(wall0, time.time())
            fulls = full_collections_after(server, ended)
            s["first_full_after_s"] = round(fulls[0] - ended, 1) if fulls else None
            out["rounds"].append({"storm": n, **s})
            progress(f"storm {n}: {s['connected']} connected, peak {s['peak_rss_mb']} MB, "
                     f"{s['rss_mb']} MB after {opts.settle:g} s, collections {s['collections'].get('count')}")
        rss = [r["rss_mb"] for r in out["rounds"]]
        out["rss_mb_after"] = rss
        out["ratio_last_first"] = round(rss[-1] / rss[0], 3) if rss else None
        whole = server.collections()
        out["full_collections"] = whole.get("count", [0, 0, 0])[2]
        out["gc_whole_run"] = whole
        await trickle.stop()
        out["trickle_connections"], out["trickle_errors"] = trickle.connections, trickle.errors
        trickle = None
        failed = False
        return out
    finally:
        if trickle is not None:
            await trickle.stop()
        keep = "yishi-bench-storms-server.log" if failed else ""
        if keep:
            progress(f"the run failed; the server's log is kept in {keep}")
        server.stop(keep_log=keep)


def table(r: dict[str, Any]) -> str:
    lines = [f"{r['storms']} storms of {r['size']} guest connections, a trickle of {r['trickle_per_s']:g} a second, "
             f"memory read {r['settle_s']:g} s after each (collector: {r['gc']})",
             f"  before the first storm: {r['rss_mb_before']} MB"]
    for s in r["rounds"]:
        c = s["collections"].get("count", ["-"] * 3)
        first = s["first_full_after_s"]
        lines.append(f"  storm {s['storm']}: {s['connected']} connected in {s['connect_s']} s, "
                     f"peak {s['peak_rss_mb']} MB, after {r['settle_s']:g} s {s['rss_mb']} MB; "
                     f"collections young/middle/full {c[0]}/{c[1]}/{c[2]}"
                     + (f", first full {first} s after the storm" if first is not None else ""))
        lines.append(f"    MB every 5 s after it: {' '.join(f'{v:g}' for v in s['rss_mb_while_settling'])}")
    ok = r["ratio_last_first"] is not None and r["ratio_last_first"] <= 1.10
    lines.append(f"  last / first: {r['ratio_last_first']} ({'within' if ok else 'NOT within'} 10 %); "
                 f"full collections in the whole run: {r['full_collections']}")
    return "\n".join(lines)


def run(opts: StormOptions, progress: Progress | None = None) -> dict[str, Any]:
    import sys

    from live.cli import raise_open_files

    raise_open_files()
    progress = progress or (lambda line: print(f"  {line}", file=sys.stderr, flush=True))
    return asyncio.run(scenario(opts, progress))
