#!/usr/bin/env python3
"""How long the minutes of a large meeting take in each format, before and after.

Builds a meeting with 300 attendees, 120 speeches (with summaries), 10 polls (every attendee
votes, plus hand counts) and 40 objections (explained, some answered) through the real rules,
stores it in a SQLite file, makes its minutes model, then times two versions of the renderers
on that same model, in the same run, on the same machine:

  - "before": the renderers as they were at BASELINE (the commit before charts were drawn once
    for every format and the PDF got a process of its own), taken from git into a temporary
    folder with `git archive`;
  - "now": the renderers in this working tree (the PDF laid out by typst).

Each version runs scripts/bench_minutes_measure.py in a process of its own, both started before
anything is timed; they take turns, one timing at a time (before, now, now, before, ...), so that
a busy machine weighs on both alike. Timed (the median of --repeat timings, wall and CPU):

  - each format alone, its charts not drawn yet (the chart cache emptied first);
  - all five formats of the internal minutes at once, charts not drawn yet, as a meeting's
    close needs them: before, one after another in one process; now, the PDF in the PDF
    process while this one makes the others (live/minutes/worker.py);
  - what the server prepares at a close (PDF and Word, internal and public), the same way.

Prints the table with the ratio before/now. `--cli` also times `yishi minutes` as a fresh
command per format (Python start-up and imports included), with the code now.

Usage: python scripts/bench_minutes.py [--keep DIR] [--repeat N] [--baseline REF] [--cli]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "bee20d3"  # the renderers before the shared charts and the PDF process

from facilitation import agenda
from facilitation import events as ev
from facilitation.commands import decide
from facilitation.meeting import Meeting, default_categories
from facilitation.replay import advance
from facilitation.roles import ATTENDEE, MODERATOR, Actor
from live.store import Record, Store, chain

ATTENDEES, SPEECHES, POLLS, OBJECTIONS, ITEMS = 300, 120, 10, 40, 6
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "秀兰建国桂英志强丽德明海燕晓东玉珍红梅伟华敏静军平芳勇杰娟涛明超秀英霞刚桂兰"
TEXT = ("关于加装电梯后一楼住户的采光与噪音问题，我认为应当先公开设计方案，再由全体业主充分讨论，"
        "费用分摊要考虑老年人的实际困难，施工期间要保证出行安全。")


def build(store: Store) -> str:
    rnd = random.Random(20261126)
    meeting_id = "bench001"
    m = Meeting(id=meeting_id)
    now = [1_795_000_000.0]
    records: list[Record] = []
    mod = Actor(MODERATOR)

    def apply(events: list[ev.Event]) -> list[ev.Event]:
        new = chain(meeting_id, m.seq, m.last_hash, [(e.type, e.to_data(), now[0]) for e in events])
        for e, r in zip(events, new):
            advance(m, e, now[0], r.seq, r.hash)
        records.extend(new)
        return events

    def run(actor: Actor, name: str, step: float = 5, **payload: object) -> list[ev.Event]:
        now[0] += step
        return apply(decide(m, actor, name, payload, now[0]))

    cats = [c["key"] for c in default_categories()]
    roster = [{"name": rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, 2)), "category": rnd.choice(cats)}
              for _ in range(ATTENDEES + 20)]
    apply(agenda.create_meeting(
        m, title="大型居民会议：老旧小区综合改造方案", form="assembly", place="街道文化中心礼堂", starts_at="2026-12-01 09:00",
        agenda=[{"title": f"改造事项{i + 1}", "background": TEXT * 2} for i in range(ITEMS)],
        moderator="王秀兰（社区居委会主任）", recorder="陈明（社区工作者）", roster=roster))
    for i in range(ATTENDEES):
        run(mod, "check_in", 2, invitee=i)
    pids = list(m.participants)
    speeches_per_item = SPEECHES // ITEMS
    polls_per_item = -(-POLLS // ITEMS)
    objections_per_item = -(-OBJECTIONS // ITEMS)
    polls = objections = 0
    for item in range(ITEMS):
        run(mod, "open_item", 10, item=item)
        for _ in range(speeches_per_item):
            who = rnd.choice(pids)
            run(mod, "raise_hand", 5, participant_id=who, stance=rnd.choice(["for", "against", "question", "other"]))
            run(mod, "grant_floor", 5)
            (end,) = run(mod, "end_speech", rnd.randint(40, 240))
            run(mod, "summarise_speech", 20, speech_id=end.speech_id, summary=TEXT)  # type: ignore[attr-defined]
        for _ in range(5):
            (op,) = run(mod, "submit_opinion", 5, participant_id=rnd.choice(pids), text=TEXT)
            run(mod, "moderate_opinion", 5, opinion_id=op.opinion_id, visible=rnd.random() < 0.8)  # type: ignore[attr-defined]
        for _ in range(min(objections_per_item, OBJECTIONS - objections)):
            objector = rnd.choice(pids)
            (x,) = run(mod, "raise_objection", 5, participant_id=objector, reason=TEXT)
            oid = x.objection_id  # type: ignore[attr-defined]
            run(mod, "give_explanation", 30, objection_id=oid, text=TEXT, by="王秀兰")
            if rnd.random() < 0.7:
                run(mod, "answer_objection", 10, participant_id=objector, objection_id=oid,
                    response=rnd.choice(["answered", "still_objects"]), comment="已收到。")
            objections += 1
        for _ in range(min(polls_per_item, POLLS - polls)):
            kind = rnd.choice(["yes_no_abstain", "rating", "single"])
            options = ["方案一：整体改造", "方案二：分期改造", "方案三：暂缓改造", "其他意见"] if kind == "single" else None
            (p,) = run(mod, "open_poll", 5, question=f"是否同意{TEXT[:20]}？", kind=kind, options=options)
            poll_id = p.poll_id  # type: ignore[attr-defined]
            for pid in pids:
                run(Actor(ATTENDEE, pid), "cast_ballot", 0.1, poll_id=poll_id, choice=rnd.randrange(len(m.polls[poll_id].options)))
            run(mod, "add_hand_count", 5, poll_id=poll_id, counts=[rnd.randint(0, 5) for _ in m.polls[poll_id].options])
            run(mod, "close_poll", 5, poll_id=poll_id)
            polls += 1
        run(mod, "record_outcome", 30, item=item, outcome=rnd.choice(["consensus", "partial", "none", "deferred"]),
            opinion=TEXT, actions=[{"what": "落实改造方案", "owner": "王秀兰（居委会）", "due": "2027-03-31"}])
    run(mod, "close_meeting", 60)
    store.add_meeting(meeting_id, "bench-key", records[0].at, recorder_key="bench-recorder-key", codes_secret="bench-codes-secret")
    store.append(records)
    return meeting_id


def baseline_tree(ref: str, into: Path) -> Path:
    """The renderers (live, facilitation, voting) as they were at `ref`, unpacked from git."""
    tree = into / f"baseline-{ref}"
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref, "live", "facilitation", "voting"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def start(code: Path, folder: Path) -> subprocess.Popen[str]:
    """scripts/bench_minutes_measure.py in a fresh process, with the renderers found in `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    process = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "bench_minutes_measure.py"), str(folder)],
                               cwd=folder, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line or Path(json.loads(line)["code"]) != code / "live" / "minutes":
        sys.exit(f"the renderers in {code} could not be timed: {line!r}")
    return process


def time_once(process: subprocess.Popen[str], job: str) -> dict[str, float]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(job + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        sys.exit(f"timing {job} failed")
    result: dict[str, float] = json.loads(line)
    return result


ROWS = [("html", "html"), ("pdf", "pdf"), ("docx", "docx"), ("md", "md"), ("json", "json"),
        ("all", "all five at once, as at a close"),
        ("prepared", "what a close prepares: PDF and Word, internal and public")]


def cli_times(meeting_id: str, data: Path, folder: Path) -> list[tuple[str, float, float]]:
    """`yishi minutes` per format as a fresh command (start-up and imports included), code now."""
    from live.minutes import FORMATS

    rows = []
    for fmt in FORMATS:
        command = [sys.executable, "-m", "live.cli", "minutes", meeting_id, "--data", str(data),
                   "-o", str(folder / f"cli.{fmt}")]
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # the disk cache warm
        started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        cli = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cli.returncode:
            sys.exit(cli.stderr)
        rows.append((fmt, wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", help="write the data folder and the files here instead of a temporary folder")
    ap.add_argument("--repeat", type=int, default=3, help="timings of each thing for each version (the median is shown)")
    ap.add_argument("--baseline", default=BASELINE, help="the git commit whose renderers are 'before'")
    ap.add_argument("--cli", action="store_true", help="also time `yishi minutes` per format as a fresh command")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="yishi-bench-"))
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    db = data / "yishi.db"
    if db.exists():
        db.unlink()
    store = Store(f"sqlite:///{db}")
    started = time.perf_counter()
    meeting_id = build(store)
    print(f"built {meeting_id} in {time.perf_counter() - started:.1f} s: {len(store.rows(meeting_id))} events "
          f"in {db}", flush=True)

    from facilitation.minutes import minutes
    from live.minutes import FORMATS, render
    from live.record import fold_records, identity_of

    t = time.perf_counter()
    m = fold_records(meeting_id, store.events(meeting_id))
    load = time.perf_counter() - t
    t = time.perf_counter()
    model = minutes(m, identity_of(m))
    build_model = time.perf_counter() - t
    (folder / "model.json").write_text(json.dumps(model, ensure_ascii=False))
    (folder / "public.json").write_text(json.dumps(minutes(m, identity_of(m), public=True), ensure_ascii=False))
    sizes = {}
    for fmt in FORMATS:
        out = render(model, fmt, "zh-CN")
        (folder / f"minutes.{fmt}").write_bytes(out)
        sizes[fmt] = len(out)

    old = baseline_tree(args.baseline, folder)
    print("starting the renderers before and now, each in a process of its own", flush=True)
    processes = {"before": start(old, folder), "now": start(ROOT, folder)}
    runs: dict[str, dict[str, list[dict[str, float]]]] = {which: {row: [] for row, _ in ROWS} for which in processes}
    for n in range(args.repeat):
        print(f"run {n + 1}/{args.repeat}", flush=True)
        for row, _ in ROWS:
            # Taking turns, one timing each, who goes first alternating: a busy machine weighs on both alike.
            for which in (("before", "now") if n % 2 == 0 else ("now", "before")):
                runs[which][row].append(time_once(processes[which], row))
    for process in processes.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    cli = cli_times(meeting_id, data, folder) if args.cli else []
    store.close()

    def median(which: str, row: str, kind: str = "wall") -> float:
        return statistics.median(run[kind] for run in runs[which][row])

    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload + fold the record: {load * 1000:.0f} ms; minutes model: {build_model * 1000:.0f} ms; "
          f"{os.cpu_count()} CPUs, load average {load_avg}; before = {args.baseline}; median of {args.repeat}\n")
    print("| what | before: wall (CPU) | now: wall (CPU) | before / now, wall (CPU) | size now |")
    print("|---|---:|---:|---:|---:|")
    for row, label in ROWS:
        b, n = median("before", row), median("now", row)
        size = f"{sizes[row] / 1024:.0f} KB" if row in sizes else ""
        bc, nc = median("before", row, "cpu"), median("now", row, "cpu")
        print(f"| {label} | {b:.2f} s ({bc:.2f} s) | {n:.2f} s ({nc:.2f} s) | {b / n:.2f}× ({bc / nc:.2f}×) | {size} |")
    if cli:
        print("\n| format | `yishi minutes`, fresh process, now: wall (CPU) |\n|---|---:|")
        for fmt, wall, cpu in cli:
            print(f"| {fmt} | {wall:.2f} s ({cpu:.2f} s) |")
    print(f"\nCPU: of the process that was timed and of its PDF process (now).\nfiles in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
