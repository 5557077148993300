"""The console follows a long meeting by changes: after a long random run of commands it shows
exactly the view a fresh sync gives, whether it was there from the start, joined in the middle,
or missed a message; the messages it got were far smaller than the whole view."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from support.wire import Running, Screen, start_server, stop_server

PEOPLE = 8


async def moderator(server: Running, meeting: dict[str, Any], cls: type[Screen] = Screen) -> Screen:
    return await cls(server.url, {"meeting": meeting["id"], "role": "moderator", "key": meeting["key"]}).connect()


async def a_long_meeting(server: Running, mod: Screen, commands: int, rng: random.Random,
                         halfway: Any = None) -> None:
    """People check in, speak, give opinions, object and vote, in a random order, as the desk enters it."""
    people = []
    for i in range(PEOPLE):
        ack = await mod.send("check_in", {"name": f"居民{i}", "category": "registered"})
        assert ack["ok"], ack
        people.append(ack["participant_id"] if "participant_id" in ack else None)
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    pids = [p["id"] for p in mod.view["participants"]] if mod.states else []
    done = []
    for n in range(commands):
        if n == commands // 2 and halfway is not None:
            await halfway()
        view = mod.view if mod.states else {}
        pids = [p["id"] for p in view.get("participants", [])] or pids
        open_polls = [p["id"] for p in view.get("polls", []) if p["open"]]
        pid = rng.choice(pids) if pids else ""
        name, payload = rng.choice([
            ("submit_opinion", {"participant_id": pid, "text": f"第{n}条意见：" + "楼道" * rng.randint(1, 30)}),
            ("submit_opinion", {"participant_id": pid, "text": f"意见{n}"}),
            ("moderate_opinion", {"opinion_id": rng.choice([o["id"] for o in view.get("all_opinions", [])] or [""]),
                                  "visible": rng.random() < 0.8}),
            ("raise_hand", {"participant_id": pid, "stance": rng.choice(["for", "against", "question"])}),
            ("grant_floor", {}),
            ("end_speech", {}),
            ("raise_objection", {"participant_id": pid, "reason": f"异议{n}"}),
            ("give_explanation", {"objection_id": rng.choice([o["id"] for o in view.get("objections", [])] or [""]),
                                  "text": f"说明{n}"}),  # changes a list the view shares with the state
            ("close_poll", {"poll_id": open_polls[0]}) if open_polls else  # one poll at a time, as in a meeting
            ("open_poll", {"question": f"第{n}次表决", "options": ["同意", "不同意"]}),
            ("cast_ballot", {"participant_id": pid, "poll_id": rng.choice(open_polls or [""]), "choice": rng.randint(0, 1)}),
            ("open_item", {"item": rng.randint(0, 1)}),
            ("check_in", {"name": f"后来的{n}", "category": "property"}),
        ])
        done.append((name, (await mod.send(name, payload)).get("code", "ok")))  # some are refused: the view still follows
    ack = await mod.send("check_in", {"name": "最后来的", "category": "registered"})  # a whole view follows
    assert ack["ok"], (ack, pids, done)


async def fresh_view(server: Running, meeting: dict[str, Any]) -> dict[str, Any]:
    other = await moderator(server, meeting)
    try:
        ack = await other.send("sync")
        assert ack["ok"], ack
        return ack
    finally:
        await other.close()


async def settled_equal(server: Running, meeting: dict[str, Any], *consoles: Screen) -> dict[str, Any]:
    fresh = await fresh_view(server, meeting)
    for console in consoles:
        await console.until(lambda: bool(console.states) and console.states[-1]["seq"] >= fresh["seq"],
                            lambda: f"the console stopped at {console.states[-1]['seq'] if console.states else None}, "
                                    f"the meeting is at {fresh['seq']}")
        assert console.states[-1]["seq"] == fresh["seq"]
        assert console.view == fresh["view"]
    return fresh


def size(x: Any) -> int:
    return len(json.dumps(x, ensure_ascii=False).encode())


async def test_a_console_there_throughout_and_one_joining_halfway_end_with_the_fresh_view(server: Running) -> None:
    meeting = await server.create_meeting()
    wall = await Screen(server.url, {"meeting": meeting["id"], "role": "projector"}).connect()
    mod = await moderator(server, meeting)
    late: list[Screen] = []

    async def join() -> None:
        late.append(await moderator(server, meeting))

    await a_long_meeting(server, mod, 240, random.Random(7), halfway=join)
    fresh = await settled_equal(server, meeting, mod, *late)
    # The projector still gets the public view whole, after every change.
    await wall.wait_for(lambda v: v["seq"] == fresh["seq"])
    assert not wall.changes
    # The console got its view whole once; after that only changes, each far smaller than the view.
    whole = size(fresh["view"])
    # Coalesced: one per broadcast window, so how many there are (and how much each covers) depends
    # on the machine's pace: a quiet machine sends a handful, each covering some thirty events. What
    # does not depend on it: the bytes a change costs per event it covers, against the whole view.
    later = mod.changes[len(mod.changes) // 2:]
    per_event = sum(size(c) for c in later) / sum(c["seq"] - c["base"] for c in later)
    assert len(mod.changes) >= 4
    # each change holds only what changed since the last (the second half of the run cannot hold the
    # first half's), and costs far less per event than the whole view
    assert max(size(c) for c in later) < whole and per_event * 10 < whole, \
        ([(size(c), c["seq"] - c["base"]) for c in later], whole)
    assert late[0].changes and late[0].states[0]["seq"] > mod.states[0]["seq"]
    await wall.close()
    for console in (mod, *late):
        await console.close()


class Forgetful(Screen):
    """A console that loses the second `changes` it is sent, as if the message never came."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        super().__init__(url, auth)
        self.lost: list[dict[str, Any]] = []

    def _changed(self, message: dict[str, Any]) -> None:
        if len(self.changes) == 1 and not self.lost:
            self.lost.append(message)
            self.changes.append(message)
            self._arrived.set()
            return
        super()._changed(message)


async def test_a_console_that_missed_a_change_asks_for_the_whole_view_and_ends_right(server: Running) -> None:
    meeting = await server.create_meeting()
    mod = await moderator(server, meeting)
    forgetful = await moderator(server, meeting, Forgetful)
    await a_long_meeting(server, mod, 60, random.Random(11))
    # A fast machine sends the whole run in a few messages: the lost one may have been the last so far.
    await forgetful.until(lambda: forgetful.lost, "no change was sent after the first")
    assert (await mod.send("check_in", {"name": "散会前来的", "category": "registered"}))["ok"]
    await settled_equal(server, meeting, mod, forgetful)
    assert isinstance(forgetful, Forgetful) and forgetful.lost
    # After the lost one, the next change did not apply to what it held: it asked for the whole view.
    lost_seq = forgetful.lost[0]["seq"]
    assert all(s["seq"] != lost_seq for s in forgetful.states)
    assert any(s["seq"] > lost_seq for s in forgetful.states)
    await mod.close()
    await forgetful.close()


async def test_whole_views_when_asked(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("YISHI_WHOLE_VIEWS", "1")
    running, srv, task = await start_server(tmp_path / "data")
    try:
        meeting = await running.create_meeting()
        mod = await moderator(running, meeting)
        await a_long_meeting(running, mod, 20, random.Random(3))
        await settled_equal(running, meeting, mod)
        assert not mod.changes and len(mod.states) > 1
        await mod.close()
    finally:
        await stop_server(srv, task)
