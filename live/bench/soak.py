"""`yishi bench --soak MINUTES`: the meeting goes on, round after round, and the server's memory is watched.

Each round some phones raise a hand or submit an opinion, the moderator closes the last poll
and opens a new one, every phone votes once, and the room then idles for a while (pings only).
The server's resident memory is read after every round: it should level off, growing only by
what the record itself holds (each ballot stays in the meeting's state).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from .client import Phone
from .server import Server

IDLE_S = 20.0


async def soak(moderator: Phone, crowd: Any, server: Server, opts: Any, voters: int, poll: str,
               progress: Callable[[str], None]) -> dict[str, Any]:
    from .run import figures, vote_round

    start = time.monotonic()
    rounds: list[dict[str, Any]] = []
    lost = backwards = 0
    while time.monotonic() - start < opts.soak * 60:
        await moderator.call("close_poll", {"poll_id": poll})
        await crowd.phase("act", "soak: hands and opinions", voters, opts.timeout * 2, hands=opts.hands,
                          opinions=opts.opinions, timeout=opts.timeout)
        poll, voted, cpu, _ = await vote_round(moderator, crowd, server, opts, voters, f"第{len(rounds) + 2}项表决")
        f = figures(voted, voters, cpu)
        lost += voters - f["acked_ballots"]
        backwards += f["tally_went_backwards"]
        await asyncio.sleep(IDLE_S)
        rounds.append({"minute": round((time.monotonic() - start) / 60, 1), "rss_mb": round(server.rss_kb() / 1024, 1),
                       "vote_seen_p99_ms": f["vote_seen_ms"]["p99"], "final_s": f["final_after_last_vote_s"],
                       "without_final": f["phones_without_final"], "tally": f["final_tally"],
                       "server_cpu_s": round(cpu, 2)})
        progress(f"soak: round {len(rounds)}, {rounds[-1]['minute']} min, server {rounds[-1]['rss_mb']} MB")
    rss = [r["rss_mb"] for r in rounds]
    return {"minutes": opts.soak, "rounds": rounds, "unacked_ballots": lost, "tally_went_backwards": backwards,
            "rss_mb_first": rss[0] if rss else None, "rss_mb_last": rss[-1] if rss else None,
            "rss_mb_max": max(rss, default=None)}
