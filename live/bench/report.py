"""The bench's figures as a table for people, or as JSON for scripts (fields in docs/performance.md)."""
from __future__ import annotations

import json
from typing import Any

TARGETS = {1000: (250, 0.3), 2000: (500, 0.5), 5000: (1500, 1.5)}  # phones: (vote-to-seen p99 ms, final s)
MAX_KB_PER_PHONE = 60


def _p(d: dict[str, Any] | None) -> str:
    if not d or d.get("p50") is None:
        return "-"
    return " / ".join(f"{d[k]:g}" for k in ("p50", "p95", "p99") if d.get(k) is not None)


def _v(value: Any, unit: str = "") -> str:
    return "-" if value is None else f"{value}{unit}"


def verdict(r: dict[str, Any]) -> list[str]:
    """What the run says against the targets (the nearest listed room size at or below this one)."""
    notes = []
    size = max((n for n in TARGETS if n <= r["phones"]), default=None)
    if size:
        seen, final = TARGETS[size]
        p99 = (r.get("vote_seen_ms") or {}).get("p99")
        notes.append(f"vote-to-seen p99 {_v(p99, ' ms')} (target for {size}: ≤ {seen} ms)")
        notes.append(f"final tally to all {_v(r.get('final_after_last_vote_s'), ' s')} (target: ≤ {final} s)")
    notes.append(f"memory {_v(r.get('rss_kb_per_phone'), ' KB')} per phone (target: ≤ {MAX_KB_PER_PHONE} KB)")
    if r.get("baseline_ratio") is not None:
        notes.append(f"messages per CPU-second {r['baseline_ratio']:g}× the baseline's (target: ≥ 0.5×)")
    return notes


def table(r: dict[str, Any]) -> str:
    b = r.get("baseline") or {}
    writes = r.get("fanout_writes_vote")
    rows = [
        ("broadcast path", _v(r.get("fanout")), "stock" if b else ""),
        ("vote: direct / queued writes", f"{writes['direct']} / {writes['queued']}" if writes else "-", ""),
        ("phones (joined)", f"{r['phones']} ({r['joined']})", f"{b['phones']} ({b['joined']})" if b else ""),
        ("join storm: phones per second", _v(r["join_per_s"]), _v(b.get("join_per_s")) if b else ""),
        ("check-in ack ms p50/p95/p99", _p(r["checkin_ack_ms"]), _p(b.get("checkin_ack_ms")) if b else ""),
        ("vote ack ms p50/p95/p99", _p(r["vote_ack_ms"]), _p(b.get("vote_ack_ms")) if b else ""),
        ("vote to seen in tally ms p50/p95/p99", _p(r["vote_seen_ms"]), _p(b.get("vote_seen_ms")) if b else ""),
        ("final tally to all, after last vote", _v(r["final_after_last_vote_s"], " s"),
         _v(b.get("final_after_last_vote_s"), " s") if b else ""),
        ("idle round trip ms p50/p95/p99", _p(r["ping_ms"]), _p(b.get("ping_ms")) if b else ""),
        ("vote: messages delivered", _v(r["vote_msgs"]), _v(b.get("vote_msgs")) if b else ""),
        ("vote: server CPU s", _v(r["vote_server_cpu_s"]), _v(b.get("vote_server_cpu_s")) if b else ""),
        ("vote: messages per CPU-second", _v(r["msgs_per_s"]), _v(b.get("msgs_per_s")) if b else ""),
        ("server CPU s, whole run", _v(r["server_cpu_s"]), _v(b.get("server_cpu_s")) if b else ""),
        ("load generator CPU s (processes)", f"{r['generator_cpu_s']} ({r['workers']})",
         f"{b['generator_cpu_s']} ({b['workers']})" if b else ""),
        ("server memory per phone KB", _v(r["rss_kb_per_phone"]), _v(b.get("rss_kb_per_phone")) if b else ""),
        ("ballots acked / recorded / lost", f"{r['acked_ballots']} / {r.get('recorded_ballots')} / {r.get('lost_ballots')}",
         f"{b['acked_ballots']} / - / -" if b else ""),
        ("final tally (voters)", ", ".join(map(str, r["final_tally"])), ", ".join(map(str, b.get("final_tally", []))) if b else ""),
        ("phones that saw a tally go backwards", _v(r["tally_went_backwards"]), _v(b.get("tally_went_backwards")) if b else ""),
        ("tallies arriving after a newer one (dropped)", _v(r.get("tallies_arrived_late")),
         _v(b.get("tallies_arrived_late")) if b else ""),
    ]
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(x) for _, x, _ in rows + [("", "yishi", "")])
    head = f"{'':{w0}}  {'yishi':>{w1}}" + ("  baseline" if b else "")
    lines = [head] + [f"{a:{w0}}  {x:>{w1}}" + (f"  {y}" if b else "") for a, x, y in rows]
    ok = r.get("lost_ballots") == 0 and r.get("tally_equals_voters") and r.get("tally_went_backwards") == 0
    lines.append("")
    lines.append(("integrity: OK" if ok else "integrity: FAILED") +
                 " (every acked ballot recorded, tally equals voters, no tally went backwards)")
    lines += [f"  {n}" for n in verdict(r)]
    if r.get("baseline_error"):
        lines.append(f"  the baseline did not finish: {r['baseline_error']}")
    return "\n".join(lines)


def as_json(r: dict[str, Any]) -> str:
    return json.dumps(r, ensure_ascii=False, indent=2)
