"""The scenario: a meeting, a join storm, some hands and opinions, a vote of the whole hall.

One coordinating process starts the server and the load-generator processes (live.bench.phones),
moves them through the phases together and turns what they measured into figures.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from . import phones as phones_mod
from .client import Phone
from .server import Server, machine_cpu

MEETING = {
    "title": "3号楼加装电梯业主协商会", "form": "owners", "place": "社区居委会会议室", "starts_at": "2026-12-05 19:00",
    "language": "zh-CN", "speaking_seconds": 180, "moderator": "王秀兰", "recorder": "陈明",
    "agenda": [{"title": "是否加装电梯", "background": "6层24户，一楼住户有顾虑"}, {"title": "费用分摊"}],
}
Progress = Callable[[str], None]


@dataclass
class Options:
    phones: int = 1000
    burst: float = 2.0
    workers: int = 0  # 0: one per 2,000 phones
    concurrency: int = 500  # connections being opened at once, over all workers
    hands: float = 0.05
    opinions: float = 0.05
    pings: int = 200
    seed: int = 1
    timeout: float = 60.0
    database: str = ""
    gc_tuning: bool = True
    checkout: str = ""  # run the server from this checkout of Yishi instead
    soak: float = 0.0  # minutes of further rounds (hands, opinions, a vote, a pause) after the measured one
    fanout: str = ""  # the server's broadcast path, "direct" or "stock" ("": YISHI_FANOUT, else direct)
    server_workers: int = 1  # yishi serve --workers (with PostgreSQL and Redis)
    redis: str = ""


def percentiles(values: list[float], scale: float = 1000.0) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    v = sorted(values)
    pick = lambda q: round(v[min(len(v) - 1, int(q * len(v)))] * scale, 1)  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


class Crowd:
    """The load-generator processes, each holding a share of the phones."""

    def __init__(self, url: str, meeting: str, opts: Options, progress: Progress) -> None:
        count = opts.workers or max(1, -(-opts.phones // 2000))
        ctx = multiprocessing.get_context("spawn")
        self.conns: list[Connection] = []
        self.procs = []
        self.progress = progress
        for w in range(count):
            here, there = ctx.Pipe()
            indices = list(range(w, opts.phones, count))
            proc = ctx.Process(target=phones_mod.main, args=(there, url, meeting, indices, opts.seed), daemon=True)
            proc.start()
            self.conns.append(here)
            self.procs.append(proc)

    async def phase(self, name: str, label: str, total: int, limit: float, **params: Any) -> list[Any]:
        for c in self.conns:
            c.send((name, params))
        done: dict[int, Any] = {}
        counts = [0] * len(self.conns)
        deadline = time.monotonic() + limit
        last_shown = time.monotonic()
        while len(done) < len(self.conns):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{label}: no answer from the phones in {limit:.0f} s")
            ready = await asyncio.to_thread(multiprocessing.connection.wait, self.conns, 0.25)
            for c in ready:
                i = self.conns.index(c)
                kind, value = c.recv()
                if kind == "progress":
                    counts[i] = value
                else:
                    done[i] = value
                    counts[i] = max(counts[i], 0)
            if time.monotonic() - last_shown > 1.0:
                last_shown = time.monotonic()
                self.progress(f"{label}: {sum(counts)}/{total}")
        return [done[i] for i in range(len(self.conns))]

    def cpu(self) -> float:
        from .server import cpu_seconds
        return sum(cpu_seconds(p.pid) for p in self.procs if p.pid and p.is_alive())

    async def close(self) -> None:
        try:
            await self.phase("close", "closing", 0, 30)
        except Exception:
            pass
        for p in self.procs:
            p.join(5)
            if p.is_alive():
                p.kill()


async def scenario(kind: str, opts: Options, progress: Progress) -> dict[str, Any]:
    """Run the whole scenario against a fresh server of `kind` ("yishi" or "baseline")."""
    server = Server(kind, opts.database, opts.gc_tuning, opts.checkout, opts.fanout if kind == "yishi" else "",
                    workers=opts.server_workers if kind == "yishi" else 1, redis=opts.redis if kind == "yishi" else "")
    crowd: Crowd | None = None
    moderator: Phone | None = None
    failed = True
    try:
        await asyncio.to_thread(server.wait_ready)
        created = await asyncio.to_thread(server.post, "/api/meetings", MEETING)
        meeting = created["id"]
        moderator = Phone(server.url, {"meeting": meeting, "role": "moderator", "key": created["key"]})
        await moderator.connect()
        await moderator.call("open_item", {"item": 0})
        crowd = Crowd(server.url, meeting, opts, progress)
        await asyncio.sleep(0.5)
        out: dict[str, Any] = {"server": kind, "phones": opts.phones, "workers": len(crowd.procs),
                               "server_processes": opts.server_workers if kind == "yishi" else 1}
        rss0, cpu0, gen0 = server.rss_kb(), server.cpu(), crowd.cpu()

        joined = await crowd.phase("join", "join storm", opts.phones, opts.timeout * 4 + opts.phones * 0.1,
                                   concurrency=max(1, opts.concurrency // len(crowd.procs)), timeout=opts.timeout)
        start, end = min(j["start"] for j in joined), max(j["end"] for j in joined)
        ok_phones = sum(len(j["checkin_s"]) for j in joined)
        out["joined"] = ok_phones
        out["join_errors"] = [e for j in joined for e in j["errors"]][:20]
        out["join_s"] = round(end - start, 2)
        out["join_per_s"] = round(ok_phones / max(end - start, 1e-6), 1)
        out["connect_ms"] = percentiles([t for j in joined for t in j["connect_s"]])
        out["checkin_ack_ms"] = percentiles([t for j in joined for t in j["checkin_s"]])
        out["join_server_cpu_s"] = round(server.cpu() - cpu0, 2)

        acted = await crowd.phase("act", "hands and opinions", opts.phones, opts.timeout * 2, hands=opts.hands,
                                  opinions=opts.opinions, timeout=opts.timeout)
        out["action_ack_ms"] = percentiles([t for a in acted for t in a["ack_s"]])
        await asyncio.sleep(2.0)  # let the last broadcasts go out: the room is idle now
        out["rss_kb_per_phone"] = round((server.rss_kb() - rss0) / max(1, ok_phones), 1)
        out["server_rss_mb"] = round(server.rss_kb() / 1024, 1)
        pinged = await crowd.phase("ping", "idle round trips", opts.pings, opts.timeout,
                                   count=max(1, opts.pings // len(crowd.procs)), timeout=opts.timeout)
        out["ping_ms"] = percentiles([t for p in pinged for t in p["rtt_s"]])

        health0 = await asyncio.to_thread(server.health) if kind == "yishi" else {}
        busy0, wall0 = machine_cpu(), time.time()
        poll, voted, vote_cpu, gen1 = await vote_round(moderator, crowd, server, opts, ok_phones, "是否同意加装电梯？")
        wall1 = time.time()
        if kind == "yishi":
            health1 = await asyncio.to_thread(server.health)
            out["fanout"] = health1.get("fanout")  # None: a server that does not say (an older checkout)
            w0, w1 = health0.get("writes"), health1.get("writes")
            out["fanout_writes_vote"] = {k: w1[k] - w0[k] for k in ("direct", "queued")} if w0 and w1 else None
        out.update(figures(voted, ok_phones, vote_cpu))
        out["vote_generator_cpu_s"] = round(gen1, 2)
        busy = machine_cpu()
        out["vote_machine_busy_s"] = round(busy[0] - busy0[0], 2)
        out["vote_others_cpu_s"] = round(max(0.0, busy[0] - busy0[0] - vote_cpu - gen1), 2)
        out["vote_steal_s"] = round(busy[1] - busy0[1], 2)
        out["server_cpu_s"] = round(server.cpu() - cpu0, 2)
        out["generator_cpu_s"] = round(crowd.cpu() - gen0, 2)
        if kind == "yishi":
            out["gc_during_vote"] = server.collections(wall0, wall1)
            out["gc_whole_run"] = server.collections()
            out.update(await asyncio.to_thread(integrity, server.database, meeting, poll, voted))
            out["tally_equals_voters"] = out["final_tally"] == [ok_phones] == [out["recorded_ballots"]]
        if opts.soak > 0:
            from .soak import soak
            out["soak"] = await soak(moderator, crowd, server, opts, ok_phones, poll, progress)
        failed = False
        return out
    finally:
        if moderator:
            await moderator.close()
        if crowd:
            await crowd.close()
        keep = f"yishi-bench-{kind}-server.log" if failed else ""
        if keep:
            progress(f"{kind}: the run failed; the server's log is kept in {keep}")
        server.stop(keep_log=keep)


async def vote_round(moderator: Phone, crowd: Crowd, server: Server, opts: Options, voters: int,
                     question: str) -> tuple[str, list[Any], float, float]:
    """Open a poll, let every phone vote once within the burst; the poll, the results, server and generator CPU."""
    await moderator.call("open_poll", {"question": question, "kind": "yes_no_abstain"})
    synced = await moderator.call("sync", {})
    poll = next(p["id"] for p in synced["view"]["polls"] if p["open"])
    await asyncio.sleep(1.0)  # everyone has the poll on screen
    cpu, gen = server.cpu(), crowd.cpu()
    at = time.monotonic() + 0.5
    voted = await crowd.phase("vote", "vote", voters, opts.burst + opts.timeout * 2, poll=poll, at=at,
                              burst=opts.burst, expected=voters, timeout=opts.timeout)
    return poll, voted, server.cpu() - cpu, crowd.cpu() - gen


def figures(voted: list[dict[str, Any]], expected: int, vote_cpu: float) -> dict[str, Any]:
    phones = [p for w in voted for p in w["phones"] if p.get("pid")]
    acked = [p for p in phones if p.get("ok")]
    sent = [p["sent"] for p in phones if "sent" in p]
    finals = [p.get("final") for p in phones]
    last_vote = max(sent, default=0.0)
    missing_final = sum(1 for f in finals if f is None)
    received = sum(w["received"] for w in voted)
    phase = (max((f for f in finals if f), default=last_vote) - min(sent, default=0.0)) if sent else 0.0
    return {
        "vote_ack_ms": percentiles([p["acked"] - p["sent"] for p in acked]),
        "vote_seen_ms": percentiles([p["seen"] - p["sent"] for p in acked if p.get("seen")]),
        "vote_never_seen": sum(1 for p in acked if not p.get("seen")),
        "final_after_last_vote_s": None if missing_final else round(max(finals) - last_vote, 3),  # type: ignore[type-var]
        "phones_without_final": missing_final,
        "acked_ballots": len(acked),
        "refused_ballots": sorted({str(p.get("code")) for p in phones if not p.get("ok")}),
        "tally_went_backwards": sum(1 for p in phones if p.get("backwards")),
        "tallies_arrived_late": sum(int(p.get("late") or 0) for p in phones),
        "vote_msgs": received,
        "generator_max_lag_ms": round(1000 * max(w["max_lag_s"] for w in voted), 1),
        "vote_wall_s": round(phase, 3),
        "vote_server_cpu_s": round(vote_cpu, 2),
        "msgs_per_s": round(received / vote_cpu, 1) if vote_cpu > 0 else None,
        "final_tally": sorted({p.get("last_voters") for p in phones}, key=lambda v: -1 if v is None else v),
    }


def integrity(database: str, meeting: str, poll: str, voted: list[dict[str, Any]]) -> dict[str, Any]:
    """Every acknowledged ballot is in the record, and the final tally counts every voter."""
    from live.store import Store

    store = Store(database, upgrade=True)  # also the tables an older checkout under test created
    try:
        records = store.events(meeting)
    finally:
        store.close()
    recorded = {(r.data["participant_id"], r.data["choice"]) for r in records
                if r.type == "BallotCast" and r.data["poll_id"] == poll}
    acked = {(p["pid"], p["choice"]) for w in voted for p in w["phones"] if p.get("ok")}
    return {"recorded_ballots": len(recorded), "lost_ballots": len(acked - recorded),
            "unacked_but_recorded": len(recorded - acked)}


def machine_info() -> dict[str, Any]:
    import os
    import platform

    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "load_1m_before": round(os.getloadavg()[0], 2)}


def run(opts: Options, baseline: bool, progress: Progress | None = None) -> dict[str, Any]:
    """The bench: Yishi, then (optionally) the baseline with the same phones and seed."""
    from live.cli import raise_open_files

    raise_open_files()
    progress = progress or (lambda line: print(f"  {line}", file=sys.stderr, flush=True))
    progress(f"yishi: {opts.phones} phones")
    machine = machine_info()
    result = asyncio.run(scenario("yishi", opts, progress))
    result["machine"] = machine
    result["burst_s"], result["seed"] = opts.burst, opts.seed
    if baseline:
        progress(f"baseline: {opts.phones} phones")
        try:
            base = asyncio.run(scenario("baseline", opts, progress))
        except Exception as exc:  # the yardstick failing must not lose our own figures
            result["baseline_error"] = f"{type(exc).__name__}: {exc}"
            return result
        result["baseline"] = base
        result["baseline_msgs_per_s"] = base["msgs_per_s"]
        if base["msgs_per_s"] and result["msgs_per_s"]:
            result["baseline_ratio"] = round(result["msgs_per_s"] / base["msgs_per_s"], 2)
    return result
