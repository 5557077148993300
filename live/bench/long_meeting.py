"""A long meeting, compressed: does what one change costs stay the same as the meeting grows?

A real server (live/bench/server.py) and real socket.io connections on 127.0.0.1: 300 people
check in from their phones, a moderator console and a projector stay connected throughout, and a
six-hour meeting's events happen in their time order, one after another: 1,000 opinions (each
then approved or set aside by the moderator), 200 speeches (a hand raised, the floor given, the
speech ended), 40 polls (opened, a third of the room voting at once, closed), 100 objections
(each explained), ten agenda items. Per tenth of the meeting it records the bytes the console, the
projector and one phone received per change and per message, and the server's CPU per command.

    scripts/bench-long-meeting [--baseline] [--scale 0.1] [--json FILE]

--baseline runs the server with YISHI_WHOLE_VIEWS=1: the console gets its whole view after every
change, as before changes were sent. The console checks at the end that the view it built from
the messages is the one a fresh sync gives.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

from facilitation.view_changes import apply_changes

from .client import Phone
from .server import Server

HOURS = 6
TENTHS = 10
ITEMS = 10
CATEGORIES = ["registered", "non_registered", "property", "owners_committee"]
MEETING = {
    "title": "小区年度业主大会", "form": "owners", "place": "社区活动中心", "starts_at": "2026-12-05 09:00",
    "language": "zh-CN", "speaking_seconds": 180, "moderator": "王秀兰", "recorder": "陈明",
    "agenda": [{"title": f"第{i + 1}项议题", "background": "背景说明" * 10} for i in range(ITEMS)],
}


@dataclass
class Heard:
    """What one screen received, by tenth of the meeting."""

    tenth: int = 0
    bytes: list[int] = field(default_factory=lambda: [0] * TENTHS)
    messages: list[int] = field(default_factory=lambda: [0] * TENTHS)
    kinds: dict[str, int] = field(default_factory=dict)
    kind_bytes: dict[str, list[int]] = field(default_factory=dict)  # per kind of message, per tenth

    def on_event(self, name: str, text: str, _at: float) -> None:
        if name in ("state", "changes", "tally", "me"):
            size = len(text.encode())
            self.bytes[self.tenth] += size
            self.messages[self.tenth] += 1
            self.kinds[name] = self.kinds.get(name, 0) + 1
            self.kind_bytes.setdefault(name, [0] * TENTHS)[self.tenth] += size


class Console(Heard):
    """The moderator's console: also builds its view from the messages, as the page does."""

    def __init__(self) -> None:
        super().__init__()
        self.seq = -1
        self.view: dict[str, Any] | None = None
        self.raw: str | None = None  # the last whole view, parsed only when a change needs it
        self.resyncs = 0
        self.phone: Phone | None = None

    def on_event(self, name: str, text: str, at: float) -> None:
        super().on_event(name, text, at)
        if name == "state":
            self.raw, self.view = text, None
            self.seq = json.loads(text[text.index("{"):text.index(',"view"')] + "}")["seq"]
        elif name == "changes":
            msg = json.loads(text[text.index("{"):-1])
            if msg["seq"] <= self.seq:
                return
            if msg["base"] != self.seq:  # not what it holds: the page asks for the whole view again
                self.resyncs += 1
                asyncio.ensure_future(self.resync())
                return
            self.view = apply_changes(self.held(), msg["changes"])
            self.raw, self.seq = None, msg["seq"]

    def held(self) -> dict[str, Any]:
        if self.view is None and self.raw is not None:
            self.view = json.loads(self.raw[self.raw.index("{"):-1])["view"]
        return self.view or {}

    async def resync(self) -> None:
        assert self.phone is not None
        ack = await self.phone.call("sync", {}, 120)
        if ack.get("ok") and ack["seq"] > self.seq:
            self.view, self.raw, self.seq = ack["view"], None, ack["seq"]


def plan(rng: random.Random, scale: float) -> list[tuple[float, str, dict[str, Any]]]:
    """The meeting's events as (simulated second, what, details), in time order."""
    span = HOURS * 3600
    n = lambda count: max(1, round(count * scale))  # noqa: E731
    events: list[tuple[float, str, dict[str, Any]]] = [(i * span / ITEMS, "item", {"item": i}) for i in range(ITEMS)]
    # Each kind spread evenly, at a random moment within its share of the day: every tenth has the
    # same mix of commands, so what a command costs can be compared from one tenth to the next.
    for what, count in (("opinion", n(1000)), ("speech", n(200)), ("poll", n(40)), ("objection", n(100))):
        events += [((k + rng.uniform(0.01, 1)) * span / count, what, {}) for k in range(count)]
    return sorted(events, key=lambda e: e[0])


async def join(url: str, meeting: str, people: int, watched: Heard) -> list[tuple[Phone, str]]:
    """Phones connect and check in as walk-ins, a few at a time, waiting when told too_fast."""
    gate = asyncio.Semaphore(20)
    phones: list[tuple[Phone, str]] = []

    async def one(i: int) -> None:
        async with gate:
            phone = Phone(url, {"meeting": meeting, "role": "phone", "token": None},
                          watched.on_event if i == 0 else None)
            await phone.connect(60)
            while True:
                ack = await phone.call("check_in", {"name": f"居民{i}", "category": CATEGORIES[i % 4],
                                                    "role": "attendee"}, 60)
                if ack.get("code") != "too_fast":
                    break
                await asyncio.sleep(ack.get("params", {}).get("seconds", 1))  # as a phone would, then again
            assert ack.get("ok"), ack
            phones.append((phone, ack["participant_id"]))

    await asyncio.gather(*(one(i) for i in range(people)))
    return sorted(phones, key=lambda p: int(p[1][1:]))


async def run(baseline: bool = False, scale: float = 1.0, people: int = 300, gap: float = 0.06,
              seed: int = 1) -> dict[str, Any]:
    """One compressed meeting; figures per tenth."""
    os.environ["YISHI_WHOLE_VIEWS"] = "1" if baseline else "0"  # the server started below reads it
    rng = random.Random(seed)
    server = Server()
    try:
        await asyncio.to_thread(server.wait_ready, 60)
        created = await asyncio.to_thread(server.post, "/api/meetings", MEETING)
        mid, key = created["id"], created["key"]
        console, wall, watched = Console(), Heard(), Heard()
        mod = Phone(server.url, {"meeting": mid, "role": "moderator", "key": key}, console.on_event)
        await mod.connect(60)
        console.phone = mod
        projector = Phone(server.url, {"meeting": mid, "role": "projector"}, wall.on_event)
        await projector.connect(60)
        phones = await join(server.url, mid, people, watched)
        events = plan(rng, scale)
        opinions = objections = polls = commands = 0
        cpu = [0.0] * TENTHS
        done = [0] * TENTHS
        refused: dict[str, int] = {}
        tenth_cpu = server.cpu()
        tenth = 0

        async def send(who: Phone, command: str, payload: dict[str, Any]) -> dict[str, Any]:
            nonlocal commands
            ack = await who.call(command, payload, 120)
            commands += 1
            done[tenth] += 1
            if not ack.get("ok"):
                refused[f"{command}:{ack.get('code')}"] = refused.get(f"{command}:{ack.get('code')}", 0) + 1
            return dict(ack)

        started = time.monotonic()
        for at, what, details in events:
            now_tenth = min(TENTHS - 1, int(at * TENTHS / (HOURS * 3600)))
            if now_tenth != tenth:
                await asyncio.sleep(0.5)  # the last broadcast of the tenth arrives in it
                cpu[tenth] = server.cpu() - tenth_cpu
                tenth_cpu = server.cpu()
                tenth = console.tenth = wall.tenth = watched.tenth = now_tenth
            phone, pid = rng.choice(phones)
            if what == "item":
                await send(mod, "open_item", details)
            elif what == "opinion":
                ack = await send(phone, "submit_opinion", {"text": f"关于第{tenth + 1}项：" + "意见内容" * rng.randint(2, 25)})
                if ack.get("ok"):
                    opinions += 1
                    await asyncio.sleep(gap)
                    await send(mod, "moderate_opinion", {"opinion_id": f"o{opinions}", "visible": rng.random() < 0.9})
            elif what == "speech":
                await send(phone, "raise_hand", {"stance": rng.choice(["for", "against", "question"])})
                await asyncio.sleep(gap)
                await send(mod, "grant_floor", {})
                await asyncio.sleep(gap)
                await send(mod, "end_speech", {})
            elif what == "objection":
                ack = await send(phone, "raise_objection", {"reason": "不同意这个方案" * rng.randint(1, 5)})
                if ack.get("ok"):
                    objections += 1
                    await asyncio.sleep(gap)
                    await send(mod, "give_explanation", {"objection_id": f"x{objections}", "text": "已向提出人说明。"})
            elif what == "poll":
                await send(mod, "open_poll", {"question": f"第{polls + 1}次表决", "options": ["同意", "不同意", "弃权"]})
                polls += 1
                voters = rng.sample(phones, len(phones) // 3)
                await asyncio.gather(*(send(p, "cast_ballot", {"poll_id": f"v{polls}", "choice": rng.randint(0, 2)})
                                       for p, _ in voters))
                await asyncio.sleep(gap)
                await send(mod, "close_poll", {"poll_id": f"v{polls}"})
            await asyncio.sleep(gap)
        await asyncio.sleep(1.0)
        cpu[tenth] = server.cpu() - tenth_cpu
        elapsed = time.monotonic() - started
        fresh = await mod.call("sync", {}, 120)
        for _ in range(100):  # the last change may still be on its way
            if console.seq >= fresh["seq"]:
                break
            await asyncio.sleep(0.1)
        same = console.held() == fresh["view"]
        result = {
            "mode": "whole views (baseline)" if baseline else "changes", "people": len(phones), "commands": commands,
            "opinions": opinions, "polls": polls, "objections": objections, "elapsed_s": round(elapsed, 1),
            "refused": refused, "console_view_bytes_at_end": len(json.dumps(fresh["view"], ensure_ascii=False).encode()),
            "console_equals_fresh_sync": same, "console_resyncs": console.resyncs, "console_kinds": console.kinds,
            "console_bytes_by_kind_per_tenth": console.kind_bytes,
            "tenths": [{"commands": done[t], "server_cpu_ms_per_command": round(1000 * cpu[t] / max(1, done[t]), 2),
                        **{f"{who}_bytes_per_command": round(h.bytes[t] / max(1, done[t]))
                           for who, h in (("console", console), ("projector", wall), ("phone", watched))},
                        **{f"{who}_bytes_per_message": round(h.bytes[t] / max(1, h.messages[t]))
                           for who, h in (("console", console), ("projector", wall), ("phone", watched))}}
                       for t in range(TENTHS)],
        }
        for p, _ in phones:
            await p.close()
        await mod.close()
        await projector.close()
        return result
    finally:
        server.stop()


COLUMNS = ["commands", "server_cpu_ms_per_command", "console_bytes_per_command", "console_bytes_per_message",
           "projector_bytes_per_message", "phone_bytes_per_message"]


def table(result: dict[str, Any]) -> str:
    heads = ["tenth", "cmds", "cpu ms/cmd", "console B/cmd", "console B/msg", "projector B/msg", "phone B/msg"]
    lines = [f"{result['mode']}: {result['people']} people, {result['commands']} commands "
             f"({result['opinions']} opinions, {result['polls']} polls, {result['objections']} objections) in "
             f"{result['elapsed_s']} s; console view at the end {result['console_view_bytes_at_end']:,} bytes; "
             f"console equals a fresh sync: {result['console_equals_fresh_sync']} (resyncs {result['console_resyncs']})",
             "  ".join(f"{h:>15}" for h in heads)]
    rows = result["tenths"]
    for t, row in enumerate(rows):
        lines.append("  ".join(f"{x:>15}" for x in [t + 1, *(row[c] for c in COLUMNS)]))
    ratio = ["last/first", *(f"{rows[-1][c] / rows[0][c]:.2f}" if rows[0][c] else "-" for c in COLUMNS)]
    lines.append("  ".join(f"{x:>15}" for x in ratio))
    return "\n".join(lines)
