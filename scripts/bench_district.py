#!/usr/bin/env python3
"""A street office's install: many communities' meetings in one data folder. Is it still quick?

Builds (fixed seed) a data folder with COMMUNITIES communities, each with its own register (the
sample village register of 1,121 people, imported once per community), and MEETINGS past meetings
held through the real rules (20 to 80 attendees, 2 to 4 items, speeches, opinions, polls with
ballots, outcomes with action items, some of them overdue), then starts a real `yishi serve` on
it and measures, against that process:

  - start-up: from the command to the first answer of /api/health;
  - the facilitator's meeting list (GET /api/meetings), the first time and again;
  - the public board (/board.json and /board), the first time and again;
  - opening meetings (GET /api/meetings/{id} of meetings not yet read);
  - a community's register (GET /api/register?community=…), and a meeting convened from it;
  - the server's resident memory after each step.

The folder is kept with --keep DIR (and reused when it is already there, so start-up after a
restart can be measured alone). Usage:

    python scripts/bench_district.py [--meetings 500] [--communities 20] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitation import agenda  # noqa: E402
from facilitation import events as ev  # noqa: E402
from facilitation.commands import decide  # noqa: E402
from facilitation.meeting import Meeting, default_categories  # noqa: E402
from facilitation.replay import advance  # noqa: E402
from facilitation.roles import ATTENDEE, MODERATOR, Actor  # noqa: E402
from live.store import Record, Store, chain  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "秀兰建国桂英志强丽德明海燕晓东玉珍红梅伟华敏静军平芳勇杰娟涛明超秀英霞刚桂兰"
TOPICS = ["楼道堆物清理", "停车位分配", "加装电梯费用分摊", "垃圾分类投放点设置", "小区绿化改造", "物业费调整",
          "广场舞噪音", "非机动车充电棚", "老年食堂选址", "雨污管网改造"]
FORMS = ["council", "assembly", "owners", "hearing", "group"]
SAY = "我认为这个方案总体可行，但要先听取一楼住户和老年人的意见，费用分摊要公开透明。"
DAY = 86_400.0


def community_name(c: int) -> str:
    return f"{'东西南北中'[c % 5]}{'一二三四'[c // 5 % 4]}社区"


def community_id(c: int) -> str:
    return f"community-{c + 1:02d}"


def registers(store: Store, communities: int) -> int:
    """Each community's register: the sample village register, imported into its own record."""
    from datetime import date

    from facilitation.community import import_people
    from facilitation.events import FACILITATOR, By
    from facilitation.register import read_rows
    from live.register_files import read_file
    from live.registry import Registries

    parsed = read_rows(read_file(ROOT / "tests/fixtures/registers/village-register.csv"), this_year=date.today().year)
    held = Registries(store)
    for c in range(communities):
        registry = held(community_id(c))
        event, _ = import_people(registry.state(), parsed, file="register.csv", actor=By(FACILITATOR))
        registry.append(event)
    return len(parsed.people)


def build_meeting(store: Store, rnd: random.Random, n: int, community: int, at: float) -> int:
    """One past meeting, held and closed; returns its number of events."""
    meeting_id = f"d{n:04d}c{community:02d}"
    m = Meeting(id=meeting_id)
    now = [at]
    records: list[Record] = []
    mod = Actor(MODERATOR)

    def run(actor: Actor, name: str, step: float = 5, **payload: object) -> list[ev.Event]:
        now[0] += step
        events = decide(m, actor, name, payload, now[0])
        new = chain(meeting_id, m.seq, m.last_hash, [(e.type, e.to_data(), now[0]) for e in events])
        for e, r in zip(events, new):
            advance(m, e, now[0], r.seq, r.hash)
        records.extend(new)
        return events

    cats = [c["key"] for c in default_categories()]
    people = rnd.randint(20, 80)
    roster = [{"name": rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, 2)), "category": rnd.choice(cats)}
              for _ in range(people + 5)]
    items = rnd.sample(TOPICS, rnd.randint(2, 4))
    day = time.strftime("%Y-%m-%d", time.gmtime(at))
    for e in agenda.create_meeting(
            m, title=f"{community_name(community)}第{n + 1}次居民议事会", form=rnd.choice(FORMS),
            place=f"{community_name(community)}党群服务中心", starts_at=f"{day} 19:00",
            agenda=[{"title": t, "background": SAY} for t in items], moderator="王秀兰（社区居委会主任）",
            recorder="陈明（社区工作者）", roster=roster):
        new = chain(meeting_id, m.seq, m.last_hash, [(e.type, e.to_data(), now[0])])
        advance(m, e, now[0], new[0].seq, new[0].hash)
        records.extend(new)
    for i in range(people):
        run(mod, "check_in", 1, invitee=i)
    pids = list(m.participants)
    for item in range(len(items)):
        run(mod, "open_item", 10, item=item)
        for _ in range(rnd.randint(3, 8)):
            run(mod, "raise_hand", 5, participant_id=rnd.choice(pids), stance=rnd.choice(["for", "against", "question"]))
            run(mod, "grant_floor", 5)
            run(mod, "end_speech", rnd.randint(40, 180))
        for _ in range(rnd.randint(1, 4)):
            (op,) = run(mod, "submit_opinion", 5, participant_id=rnd.choice(pids), text=SAY)
            run(mod, "moderate_opinion", 5, opinion_id=op.opinion_id, visible=True)  # type: ignore[attr-defined]
        if rnd.random() < 0.6:
            (p,) = run(mod, "open_poll", 5, question=f"是否同意{items[item]}方案？", kind="yes_no_abstain")
            poll_id = p.poll_id  # type: ignore[attr-defined]
            for pid in pids:
                run(Actor(ATTENDEE, pid), "cast_ballot", 0.2, poll_id=poll_id, choice=rnd.randrange(3))
            run(mod, "close_poll", 5, poll_id=poll_id)
        due = time.strftime("%Y-%m-%d", time.gmtime(at + rnd.randint(-60, 120) * DAY))
        run(mod, "record_outcome", 30, item=item, outcome=rnd.choice(["consensus", "partial", "none", "deferred"]),
            opinion=SAY, actions=[{"what": f"落实{items[item]}", "owner": "社区居委会", "due": due}])
    run(mod, "close_meeting", 60)
    store.add_meeting(meeting_id, f"key-{meeting_id}", records[0].at, recorder_key=f"rec-{meeting_id}",
                      codes_secret=f"codes-{meeting_id}")
    store.append(records)
    return len(records)


def build(data: Path, meetings: int, communities: int) -> None:
    rnd = random.Random(20261207)
    data.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{data / 'yishi.db'}")
    started, events = time.perf_counter(), 0
    first = time.mktime((2023, 1, 1, 0, 0, 0, 0, 0, 0))
    for n in range(meetings):
        # spread over three and a half years, each community in turn
        events += build_meeting(store, rnd, n, n % communities, first + n * (1280 / meetings) * DAY)
    people = registers(store, communities)
    store.close()
    print(f"built {meetings} meetings and {communities} registers of {people} people: {events} events in "
          f"{time.perf_counter() - started:.0f} s, {(data / 'yishi.db').stat().st_size / 2**20:.0f} MB", flush=True)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(http: httpx.Client, path: str, **kw: object) -> tuple[float, httpx.Response]:
    t = time.perf_counter()
    r = http.get(path, **kw)  # type: ignore[arg-type]
    r.raise_for_status()
    return time.perf_counter() - t, r


def measure(data: Path, port: int) -> list[tuple[str, str, float]]:
    token = "bench-district-token"
    env = {**os.environ, "YISHI_TOKEN": token}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "live.cli", "serve", "--data", str(data), "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    rows: list[tuple[str, str, float]] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
            while True:
                try:
                    if http.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None:
                    raise SystemExit(server.stderr.read().decode() if server.stderr else "server stopped")
                time.sleep(0.05)
            rows.append(("start-up (to the first answer)", f"{time.perf_counter() - started:.2f} s", rss_mb(server.pid)))
            auth = {"headers": {"Authorization": f"Bearer {token}"}}
            s, r = timed(http, "/api/meetings", **auth)
            listed = r.json()["meetings"]
            rows.append((f"meeting list, first ({len(listed)} meetings)", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/api/meetings", **auth)
            rows.append(("meeting list, again", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/board.json")
            rows.append((f"board.json, first ({len(r.json()['meetings'])} entries, {len(r.content) / 2**20:.1f} MB)",
                         f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/board.json")
            rows.append(("board.json, again", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/board", params={"year": "2024", "status": "overdue"})
            rows.append(("board page, one year's overdue", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/board.json", params={"meeting": listed[len(listed) // 2]["id"]})
            rows.append(("board, one meeting", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            rnd = random.Random(7)
            opened = []
            for row in rnd.sample(listed, min(20, len(listed))):
                s, _ = timed(http, f"/api/meetings/{row['id']}", **auth)
                opened.append(s)
            rows.append((f"open a meeting (median of {len(opened)}; max {max(opened) * 1000:.0f} ms)",
                         f"{statistics.median(opened) * 1000:.0f} ms", rss_mb(server.pid)))
            t = time.perf_counter()
            for row in listed:  # every meeting once: the meetings' cache keeps at most 200 (live/services.py)
                http.get(f"/api/meetings/{row['id']}", **auth).raise_for_status()
            cached = http.get("/api/health").json()["cached"]["meetings"]
            rows.append((f"open every meeting, one after another ({cached} held after)",
                         f"{time.perf_counter() - t:.1f} s", rss_mb(server.pid)))
            s, r = timed(http, "/board.json")
            rows.append(("board.json, after that", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            s, r = timed(http, "/api/register", params={"community": "community-07"}, **auth)
            rows.append((f"a community's register ({r.json()['summary']['people']} people; "
                         f"{len(r.json()['communities'])} communities)", f"{s * 1000:.0f} ms", rss_mb(server.pid)))
            t = time.perf_counter()
            made = http.post("/api/meetings", json={"title": "户代表会议", "form": "assembly", "agenda": [{"title": "村道硬化"}],
                                                    "convene": {"who": "households", "community": "community-12"}}, **auth)
            made.raise_for_status()
            rows.append(("a meeting convened from another community's register", f"{(time.perf_counter() - t) * 1000:.0f} ms",
                         rss_mb(server.pid)))
    finally:
        server.terminate()
        server.wait(60)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meetings", type=int, default=500)
    ap.add_argument("--communities", type=int, default=20)
    ap.add_argument("--keep", help="the data folder (built when it holds no database yet)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--restarts", type=int, default=2, help="how many times to start the server on the folder")
    args = ap.parse_args()
    data = Path(args.keep or tempfile.mkdtemp(prefix="yishi-district-")) / "data"
    if not (data / "yishi.db").exists():
        build(data, args.meetings, args.communities)
    from live.bench.server import free_port

    for run in range(args.restarts):
        rows = measure(data, args.port or free_port())
        print(f"\nserver start {run + 1} on {data} ({os.cpu_count()} CPUs, load "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})\n")
        print("| step | time | server memory |\n|---|---:|---:|")
        for step, t, mb in rows:
            print(f"| {step} | {t} | {mb:.0f} MB |")
    print(json.dumps({"data": str(data)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
