"""A load-generator process: a share of the simulated phones, driven phase by phase over a pipe.

The coordinating process sends `(phase, params)`; this process answers `("progress", n)` now
and then and `(phase, results)` at the end of each phase. Every wait has a deadline, so a
phase ends even when the server stops answering. Times are `time.monotonic()`, which is one
clock for all processes of the machine.
"""
from __future__ import annotations

import asyncio
import gc
import json
import random
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .client import Phone

CATEGORIES = ("registered", "registered", "registered", "non_registered", "owners_committee", "property", "unit")
STANCES = ("for", "against", "question", "other")
CHOICES = (0, 0, 0, 1, 1, 2)  # yes, no, abstain: a hall that mostly agrees


def seq_of(text: str) -> int:
    """The `seq` of a `state` or `tally` packet, read from its head: both start with {"seq":N."""
    i = text.find('"seq":') + 6
    j = i
    while j < len(text) and text[j].isdigit():
        j += 1
    return int(text[i:j]) if j > i else -1


@dataclass
class Sim:
    """One simulated phone and what it measured."""

    index: int
    phone: Phone
    rng: random.Random
    pid: str | None = None
    seq: int = 0  # the latest sequence number this phone has seen
    connect_s: float = -1.0
    checkin_s: float = -1.0
    poll: str = ""
    expected: int = 0
    tallies: list[tuple[float, int, int]] = field(default_factory=list)  # (arrival, seq, voters)
    backwards: bool = False
    late: int = 0  # tallies that arrived after a newer one: the page drops them (static/js/client.js)
    final: asyncio.Event = field(default_factory=asyncio.Event)

    def on_event(self, name: str, text: str, at: float) -> None:
        seq = seq_of(text)
        if not self.poll or name not in ("tally", "state"):
            self.seq = max(self.seq, seq)
            return
        data = json.loads(text[2:])[1]
        self.saw(data["polls"] if name == "tally" else data["view"]["polls"], seq, at)

    def on_ack(self, ack: Any, at: float) -> None:
        """A ballot's acknowledgement carries the tally that counts it: seen when it arrives."""
        if self.poll and isinstance(ack, dict) and isinstance(tally := ack.get("tally"), dict):
            self.saw(tally["polls"], tally["seq"], at)

    def saw(self, polls: list[dict[str, Any]], seq: int, at: float) -> None:
        """A tally arrived (broadcast, in a state, or with a ballot's acknowledgement). One older than
        a tally already shown is dropped, as the page drops it: a ballot's acknowledgement carries the
        count at its commit and can arrive after the broadcast of a later one. Backwards is a count
        that shrinks from one moment to a later one: what a person would see."""
        for p in polls:
            if p["id"] == self.poll:
                if self.tallies and seq < self.tallies[-1][1]:
                    self.late += 1
                    continue
                if self.tallies and p["voters"] < self.tallies[-1][2]:
                    self.backwards = True
                self.tallies.append((at, seq, p["voters"]))
                if p["voters"] >= self.expected:
                    self.final.set()
        self.seq = max(self.seq, seq)


class Worker:
    def __init__(self, conn: Connection, url: str, meeting: str, indices: list[int], seed: int) -> None:
        self.conn = conn
        self.url = url
        self.meeting = meeting
        self.sims = [Sim(i, Phone(url, {}), random.Random(seed * 1_000_003 + i)) for i in indices]
        for s in self.sims:
            s.phone.auth = {"meeting": meeting, "role": "phone", "token": None}
            s.phone.on_event, s.phone.on_ack = s.on_event, s.on_ack
        self.done = 0

    async def _progress(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            self.conn.send(("progress", self.done))

    async def phase(self, name: str, params: dict[str, Any]) -> Any:
        # The generator's own garbage collections would stall thousands of phones at once and be
        # counted against the server: collect between phases, never during one.
        gc.collect()
        gc.freeze()
        self.done = 0
        ticker = asyncio.create_task(self._progress())
        try:
            return await getattr(self, name)(**params)
        finally:
            ticker.cancel()

    # -- phases ---------------------------------------------------------------------

    async def join(self, concurrency: int, timeout: float) -> dict[str, Any]:
        """Connect, sync and check in, as a phone does after scanning the QR code."""
        gate = asyncio.Semaphore(concurrency)

        async def one(s: Sim) -> str | None:
            async with gate:
                try:
                    t0 = time.monotonic()
                    await s.phone.connect(timeout)
                    s.connect_s = time.monotonic() - t0
                    await s.phone.call("sync", {}, timeout)
                    t1 = time.monotonic()
                    ack = await s.phone.call("check_in", {"name": f"居民{s.index}", "category": s.rng.choice(CATEGORIES),
                                                          "role": "attendee"}, timeout)
                    s.checkin_s = time.monotonic() - t1
                    if not ack.get("ok"):
                        return str(ack.get("code"))
                    s.pid = ack["participant_id"]
                    s.seq = max(s.seq, ack["seq"])
                    return None
                except Exception as exc:  # counted, not fatal: the report shows failed joins
                    return type(exc).__name__
                finally:
                    self.done += 1

        start = time.monotonic()
        errors = await asyncio.gather(*(one(s) for s in self.sims))
        return {"start": start, "end": time.monotonic(), "errors": [e for e in errors if e],
                "connect_s": [s.connect_s for s in self.sims if s.pid], "checkin_s": [s.checkin_s for s in self.sims if s.pid]}

    async def act(self, hands: float, opinions: float, timeout: float) -> dict[str, Any]:
        """Some phones ask for the floor, some submit an opinion, all at once."""
        async def one(s: Sim) -> list[float]:
            took = []
            for event, share, payload in (
                ("raise_hand", hands, {"stance": s.rng.choice(STANCES), "kind": "speech"}),
                ("submit_opinion", opinions, {"text": f"第{s.index}号意见：建议先公示费用分摊方案，再征求一楼住户意见。"}),
            ):
                if s.pid and s.rng.random() < share:
                    t0 = time.monotonic()
                    try:
                        ack = await s.phone.call(event, payload, timeout)
                        if ack.get("ok"):
                            took.append(time.monotonic() - t0)
                    except Exception:
                        pass
            self.done += 1
            return took

        results = await asyncio.gather(*(one(s) for s in self.sims))
        return {"ack_s": [t for r in results for t in r]}

    async def ping(self, count: int, timeout: float) -> dict[str, Any]:
        """Round trips of an up-to-date `sync`, one at a time, while the room is idle."""
        live = [s for s in self.sims if s.pid]
        rtts = []
        for k in range(min(count, len(live) * 5)):
            s = live[k % len(live)]
            t0 = time.monotonic()
            try:
                await s.phone.call("sync", {"last_seq": s.seq}, timeout)
            except Exception:
                continue
            rtts.append(time.monotonic() - t0)
            self.done += 1
        return {"rtt_s": rtts}

    async def vote(self, poll: str, at: float, burst: float, expected: int, timeout: float) -> dict[str, Any]:
        """Every phone votes once at its own moment in [at, at + burst], then waits for the final tally."""
        for s in self.sims:
            s.poll, s.expected, s.tallies, s.backwards, s.final = poll, expected, [], False, asyncio.Event()
        received = sum(s.phone.received for s in self.sims)
        deadline = at + burst + timeout

        async def one(s: Sim) -> dict[str, Any]:
            out: dict[str, Any] = {"pid": s.pid}
            if not s.pid:
                return out
            await asyncio.sleep(max(0.0, at + s.rng.uniform(0, burst) - time.monotonic()))
            out["choice"] = choice = s.rng.choice(CHOICES)
            out["sent"] = time.monotonic()
            try:
                ack = await s.phone.call("cast_ballot", {"poll_id": poll, "choice": choice}, max(1.0, deadline - time.monotonic()))
                out["acked"] = time.monotonic()
                out["ok"], out["seq"], out["code"] = bool(ack.get("ok")), ack.get("seq"), ack.get("code")
            except Exception as exc:
                out["ok"], out["code"] = False, type(exc).__name__
            self.done += 1
            try:
                await asyncio.wait_for(s.final.wait(), max(0.1, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                pass
            if out["ok"]:
                out["seen"] = next((t for t, seq, _ in s.tallies if seq >= out["seq"]), None)
            out["final"] = next((t for t, _, voters in s.tallies if voters >= expected), None)
            out["backwards"] = s.backwards
            out["late"] = s.late
            out["last_voters"] = s.tallies[-1][2] if s.tallies else None
            return out

        lags = [0.0]

        async def monitor() -> None:  # how late this process's loop runs: is the generator keeping up?
            while True:
                t = time.monotonic()
                await asyncio.sleep(0.01)
                if t >= at:
                    lags.append(time.monotonic() - t - 0.01)

        mon = asyncio.create_task(monitor())
        results = await asyncio.gather(*(one(s) for s in self.sims))
        mon.cancel()
        for s in self.sims:
            s.poll = ""
        return {"phones": results, "received": sum(s.phone.received for s in self.sims) - received,
                "max_lag_s": max(lags)}

    async def close(self) -> dict[str, Any]:
        await asyncio.gather(*(s.phone.close() for s in self.sims))
        return {}


async def _serve(conn: Connection, url: str, meeting: str, indices: list[int], seed: int) -> None:
    worker = Worker(conn, url, meeting, indices, seed)
    while True:
        if not await asyncio.to_thread(conn.poll, 600):
            break  # the coordinator is gone
        name, params = conn.recv()
        result = await worker.phase(name, params)
        conn.send((name, result))
        if name == "close":
            break


def main(conn: Connection, url: str, meeting: str, indices: list[int], seed: int) -> None:
    """Entry point of a worker process (started with the `spawn` method)."""
    from live.cli import raise_open_files

    raise_open_files()
    gc.disable()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        asyncio.run(_serve(conn, url, meeting, indices, seed))
    else:
        uvloop.run(_serve(conn, url, meeting, indices, seed))
