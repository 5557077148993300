"""`yishi bench`: how many phones one laptop holds.

Starts a real server as its own process, creates a meeting through the API and drives it with
simulated phones that speak Engine.IO v4 / Socket.IO v5 over websockets (live.bench.client),
from one or more load-generator processes (live.bench.phones). See docs/performance.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds the `bench` command to the `yishi` command line."""
    p = sub.add_parser("bench", help="measure how many phones this machine holds (starts its own server)")
    p.add_argument("--phones", type=int, default=1000, help="simulated phones (default 1000)")
    p.add_argument("--burst", type=float, default=2.0, help="seconds in which every phone votes once (default 2)")
    p.add_argument("--database", default="", help="database URL for the server (default SQLite in a temp folder)")
    p.add_argument("--baseline", action="store_true",
                   help="also run the same burst against a minimal python-socketio server and compare")
    p.add_argument("--workers", type=int, default=0, help="load-generator processes (default one per 2,000 phones)")
    p.add_argument("--concurrency", type=int, default=500, help="connections opened at once during the join storm")
    p.add_argument("--seed", type=int, default=1, help="random seed for who does what and when (default 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds any one wait may take (default 60)")
    p.add_argument("--no-gc-tuning", action="store_true", help="run the server with default garbage collection")
    p.add_argument("--soak", type=float, default=0.0, metavar="MINUTES",
                   help="after the measured vote, keep the meeting going for this long and watch memory")
    p.add_argument("--server-checkout", default="", metavar="DIR",
                   help="run the server from another checkout of Yishi (to compare versions)")
    p.add_argument("--fanout", choices=("direct", "stock"), default="",
                   help="the server's broadcast path (default: YISHI_FANOUT, else direct); see docs/performance.md")
    p.add_argument("--storms", type=int, default=0, metavar="N",
                   help="instead of the vote: N storms of guest connections under a steady trickle, watching memory")
    p.add_argument("--storm-size", type=int, default=5000, help="guest connections per storm (default 5000)")
    p.add_argument("--trickle", type=float, default=3.0, help="connections a second during --storms (default 3)")
    p.add_argument("--settle", type=float, default=60.0, help="seconds after each storm before memory is read (default 60)")
    p.add_argument("--server-workers", "--workers-server", type=int, default=1, metavar="N", dest="server_workers",
                   help="server processes (yishi serve --workers N; more than one needs --database postgresql+psycopg://... "
                        "and --redis)")
    p.add_argument("--redis", default="", help="Redis URL the server processes share")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    from .report import as_json, table
    from .run import Options, run

    if not Path("/proc/stat").exists():  # CPU and memory are read from /proc (live/bench/server.py)
        print("bench: yishi bench measures the server through /proc, which only Linux has; run it on Linux",
              file=sys.stderr)
        return 2
    if args.storms > 0:
        return storms(args)
    if args.phones < 1 or args.burst < 0:
        print("bench: --phones must be at least 1 and --burst not negative", file=sys.stderr)
        return 2
    if args.server_workers > 1 and not (args.redis and args.database.startswith("postgresql")):
        print("bench: --server-workers needs --database postgresql+psycopg://... and --redis redis://...", file=sys.stderr)
        return 2
    opts = Options(phones=args.phones, burst=args.burst, workers=args.workers, concurrency=args.concurrency,
                   seed=args.seed, timeout=args.timeout, database=args.database, gc_tuning=not args.no_gc_tuning,
                   soak=max(0.0, args.soak), checkout=args.server_checkout, fanout=args.fanout,
                   server_workers=max(1, args.server_workers), redis=args.redis)
    result = run(opts, baseline=args.baseline)
    print(as_json(result) if args.json else table(result))
    ok = result.get("lost_ballots") == 0 and result.get("tally_equals_voters") and result.get("tally_went_backwards") == 0
    return 0 if ok else 1


def storms(args: argparse.Namespace) -> int:
    """`yishi bench --storms N`: memory after storms of guest connections (live/bench/storms.py)."""
    from .report import as_json
    from .storms import StormOptions, run, table

    if args.storm_size < 1 or args.trickle < 0 or args.settle < 0:
        print("bench: --storm-size must be at least 1, --trickle and --settle not negative", file=sys.stderr)
        return 2
    opts = StormOptions(storms=args.storms, size=args.storm_size, concurrency=args.concurrency, trickle=args.trickle,
                        settle=args.settle, timeout=args.timeout, database=args.database,
                        gc_tuning=not args.no_gc_tuning, checkout=args.server_checkout, fanout=args.fanout)
    result = run(opts)
    print(as_json(result) if args.json else table(result))
    return 0 if result["ratio_last_first"] is not None and result["ratio_last_first"] <= 1.10 else 1
