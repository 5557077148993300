"""Arbitrary payloads for every socket event, sent as every role to one server started for this
file: each is acknowledged, either ok or refused with a documented code and a message in the
connection's language; no role gets past the check of who may send what; no connection drops; and
afterwards the server is healthy and the meeting's record is intact and replays to the live state.

What a phone sends is rate limited (live/ratelimit.py): a test spreads its phones' commands over
enough participants that nearly all of them reach validation, and says so.
"""
from __future__ import annotations

import os
import asyncio
import json
import operator
import re
from typing import Any, AsyncIterator, Callable

import pytest
import pytest_asyncio
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection, connect

from facilitation.commands import COMMANDS
from facilitation.replay import replay
from facilitation.roles import ATTENDEE, FACILITATOR, GUEST, MODERATOR, PROJECTOR, RECORDER, Actor, require
from facilitation.errors import MeetingError
from live import payloads
from live.errors import refusal
from live.escalation import HTTP_ONLY
from live.ratelimit import BURST
from live.sockets import MAX_FRAME, MAX_NAME_SHOWN
from live.wirejson import MAX_DIGITS

from support.fuzz import DOC, INTS, JSON, NASTY, TEXT, check_refusal, json_values, mostly, weighted
from support.wire import CALL_BUDGET_S, CONNECT_BUDGET_S, Running, Screen, start_server, stop_server

pytestmark = pytest.mark.asyncio(loop_scope="module")

# per event; each example is sent as every role. YISHI_FUZZ_EXAMPLES=500 for a deeper search
EXAMPLES = int(os.environ.get("YISHI_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])

# Every event the server handles (python-socketio's handlers, "*" for any other event), and the
# test below that fuzzes it: an event added to the server and not here fails
# test_the_fuzz_table_names_every_event.
EVENTS: dict[str, str] = {
    "connect": "test_any_credentials_at_the_connect_and_any_connect_event_after_it",
    "*": "test_any_other_event_is_refused_by_its_name",
    "sync": "test_any_payload_of_an_event_from_every_role",
    "record_notice": "test_any_payload_of_an_event_from_every_role", "reply": "test_any_payload_of_an_event_from_every_role",
    **{name: "test_any_payload_of_an_event_from_every_role" for name in (
        "check_in", "confirm_check_in", "refuse_check_in", "withdraw_check_in", "merge_participants",
        "record_proxy", "withdraw_proxy", "raise_hand", "withdraw_hand", "submit_opinion", "raise_objection",
        "answer_objection", "cast_ballot", "add_speaker", "remove_request", "reorder_queue", "set_floor_policy",
        "unheard_first", "open_item", "add_item", "grant_floor", "end_speech", "pause_timer", "resume_timer", "extend_timer",
        "summarise_speech", "moderate_opinion", "give_explanation", "open_poll", "add_hand_count",
        "correct_hand_count", "close_poll", "reveal_results", "record_outcome", "close_meeting", "update_action", "object_in_publicity",
        "answer_in_publicity", "correct_decision", "request_explanation", "report_matter", "record_reply",
        "register_party", "withdraw_party", "set_hearing_time", "begin_hearing_stage", "call_party")},
}
PAYLOAD_EVENTS = sorted(name for name, test in EVENTS.items() if test == "test_any_payload_of_an_event_from_every_role")

# The roles an example is sent as: the staff, the projector, and phones (a guest that has not
# checked in, an attendee, an observer, and a walk-in held for the desk), with their languages.
ROLES = ("moderator", "recorder", "facilitator", "projector", "guest", "attendee", "observer", "held")
PHONES = ("guest", "attendee", "observer", "held")
LIMITED = ("projector", *PHONES)  # not staff: rate limited per connection (and per participant)
LANG = {"moderator": "zh-CN", "recorder": "en", "facilitator": "en", "projector": "en", "guest": "zh-CN",
        "attendee": "en", "observer": "zh-CN", "held": "en"}
ACTOR = {"moderator": MODERATOR, "recorder": RECORDER, "facilitator": FACILITATOR, "projector": PROJECTOR,
         "guest": GUEST, "attendee": ATTENDEE, "observer": ATTENDEE, "held": ATTENDEE}  # the session's role
PER_PHONE = int(BURST) - 4  # commands one phone's participant sends before the next phone takes over

ROSTER = [{"name": n, "category": c, "area": a} for n, c, a in (
    ("张桂英", "registered", "85.50"), ("周海燕", "registered", "92.10"), ("李建国", "registered", "120.00"),
    ("王淑珍", "registered", "64.30"), ("刘德华", "registered", "88.00"), ("赵丽", "property", "75.25"))]


# -- plausible values of every field a command takes --------------------------------------------

def ids(prefix: str) -> st.SearchStrategy[str]:
    """An id of the kind the rules hand out (p3, v1 …), most of them existing."""
    return st.builds(lambda n: f"{prefix}{n}", st.integers(0, 12))


def one_of_or_text(*values: str) -> st.SearchStrategy[str]:
    return mostly(st.sampled_from(values), TEXT)


TEXTS = mostly(st.sampled_from(["同意", "A reason", "需要再讨论。\n第二行"]), TEXT)
INDEX = mostly(st.integers(-2, 8), INTS)
FIELDS: dict[str, Callable[["Room"], st.SearchStrategy[Any]]] = {
    "name": lambda r: one_of_or_text("孙桂兰", "张桂英", "Jane Doe"),
    "category": lambda r: one_of_or_text("registered", "property", "expert", "nobody"),
    "role": lambda r: one_of_or_text("attendee", "observer", "moderator"),
    "invitee": lambda r: INDEX,
    "code": lambda r: mostly(st.sampled_from(r.codes), st.from_regex(r"\A[0-9 \-０-９]{0,14}\Z"), TEXT),
    "participant_id": lambda r: mostly(ids("p"), TEXT),
    "keep": lambda r: mostly(ids("p"), TEXT),
    "drop": lambda r: mostly(ids("p"), TEXT),
    "holder": lambda r: mostly(ids("p"), TEXT),
    "principal": lambda r: INDEX,
    "for_invitee": lambda r: st.one_of(st.none(), INDEX),
    "reason": lambda r: TEXTS,
    "note": lambda r: TEXTS,
    "text": lambda r: TEXTS,
    "comment": lambda r: TEXTS,
    "summary": lambda r: TEXTS,
    "opinion": lambda r: TEXTS,
    "question": lambda r: TEXTS,
    "title": lambda r: TEXTS,
    "background": lambda r: TEXTS,
    "quorum_override": lambda r: TEXTS,
    "hide_results": lambda r: mostly(st.booleans(), st.just(1), TEXT),
    "secret": lambda r: mostly(st.booleans(), st.just(1), TEXT),
    "named": lambda r: mostly(st.booleans(), st.just(1), TEXT),
    "changeable": lambda r: mostly(st.booleans(), st.just(1), TEXT),
    "by": lambda r: TEXTS,
    "how": lambda r: one_of_or_text("slip", "call", "message_group", "posted"),
    "invitees": lambda r: st.one_of(st.none(), st.lists(INDEX, max_size=8), TEXT),
    "answer": lambda r: one_of_or_text("coming", "not_coming", "proxy"),
    "stance": lambda r: one_of_or_text("for", "against", "question", "other"),
    "kind": lambda r: one_of_or_text("speech", "point_of_order", "reply", "yes_no_abstain", "rating", "single", "multiple", "ranking", "evaluation"),
    "item": lambda r: st.one_of(st.none(), INDEX),
    # a hearing's parties and stages
    "for_kind": lambda r: one_of_or_text("concerned", "group", "building", "organisation"),
    "speaks_for": lambda r: TEXTS,
    "side": lambda r: one_of_or_text("for", "against", "other"),
    "party_id": lambda r: mostly(ids("h"), TEXT),
    "testimony_seconds": lambda r: st.one_of(st.none(), mostly(st.integers(-5, 4000), INTS)),
    "closing_seconds": lambda r: st.one_of(st.none(), mostly(st.integers(-5, 4000), INTS)),
    "stage": lambda r: one_of_or_text("explain", "plan", "testimony", "questions", "closing", "close"),
    "objection_id": lambda r: mostly(ids("x"), TEXT),
    "opinion_id": lambda r: mostly(ids("o"), TEXT),
    "speech_id": lambda r: mostly(ids("s"), TEXT),
    "poll_id": lambda r: mostly(ids("v"), TEXT),
    "request_id": lambda r: mostly(ids("r"), st.none(), TEXT),
    "response": lambda r: one_of_or_text("answered", "still_objects"),
    "choice": lambda r: INDEX,
    "choices": lambda r: mostly(st.lists(st.integers(-1, 4), max_size=5), st.none(), TEXT),
    "max_choices": lambda r: INDEX,
    "method": lambda r: one_of_or_text("borda", "instant_runoff", ""),
    "order": lambda r: mostly(st.permutations([f"r{n}" for n in range(1, 5)]),
                              st.lists(mostly(ids("r"), TEXT), max_size=6)),
    "seconds": lambda r: mostly(st.integers(-5, 700), INTS),
    "visible": lambda r: st.booleans(),
    "options": lambda r: st.one_of(st.none(), st.lists(TEXT, max_size=14)),
    "rule": lambda r: one_of_or_text("", "cast", "present", "entitled", "two_thirds_cast", "two_thirds_present",
                                     "two_thirds_entitled", "owners", "owners_special"),
    "counts": lambda r: st.lists(mostly(st.integers(-2, 100_001), INTS), max_size=13),
    "outcome": lambda r: one_of_or_text("consensus", "partial", "none", "deferred"),
    "actions": lambda r: st.one_of(st.none(), st.lists(st.one_of(
        st.fixed_dictionaries({"what": TEXTS, "owner": TEXTS, "due": TEXTS}),
        st.dictionaries(st.sampled_from(["what", "owner", "due", "who"]), TEXT, max_size=4)), max_size=22)),
    "policy": lambda r: one_of_or_text("first_come", "unheard_people", "unheard_categories", "alternate"),
    "limits": lambda r: mostly(st.dictionaries(st.sampled_from(["person_speeches", "person_seconds", "category_seconds",
                                                                "side_seconds", "reply_seconds"]), INDEX, max_size=5),
                               st.none(), st.dictionaries(TEXT, INDEX, max_size=2)),
    "show_balance": lambda r: st.one_of(st.none(), st.booleans()),
    "last_seq": lambda r: mostly(st.integers(0, r.seq + 2), st.none(), JSON),
    "decided_by": lambda r: one_of_or_text("幸福街道党工委", ""),
    "to": lambda r: one_of_or_text("幸福街道办事处", ""),
    "by_body": lambda r: one_of_or_text("幸福街道办事处", ""),
    "action": lambda r: one_of_or_text("1.1", "1.2", "2.1", "0.0", "9.99"),
    "status": lambda r: one_of_or_text("", "open", "in_progress", "done", "blocked", "cancelled"),
    "percent": lambda r: st.one_of(st.none(), mostly(st.integers(-5, 105), INTS)),
    "due": lambda r: one_of_or_text("2026-12-31", "2027年3月1日", "下月底", "2026-02-30"),
    "attachments": lambda r: st.one_of(st.none(), st.lists(st.one_of(
        st.fixed_dictionaries({"sha256": st.from_regex(r"\A[0-9a-f]{64}\Z"), "type": one_of_or_text("image/jpeg", "text/html"),
                               "size": INTS, "name": TEXTS}),
        st.dictionaries(st.sampled_from(["sha256", "type", "size", "name"]), JSON, max_size=4)), max_size=8)),
}
KEYS = st.one_of(st.sampled_from(sorted(FIELDS)), st.text(max_size=10), st.sampled_from(NASTY))


def fields_of(event: str) -> dict[str, bool]:
    """The payload's fields (name -> required), as the server validates them."""
    if event == "sync":
        return {"last_seq": False}
    return {name: f.is_required() for name, f in payloads.model_for(event).model_fields.items()}


def arguments(event: str, room: Room) -> st.SearchStrategy[tuple[Any, ...]]:
    """What an event is sent with: mostly one object, well typed (so that the rules see it) or with
    fields missing, of the wrong type and added; else any value, nothing, or several arguments."""
    fields = fields_of(event)
    plausible = {name: FIELDS[name](room) for name in fields}
    typed = st.fixed_dictionaries({n: s for n, s in plausible.items() if fields[n]},
                                  optional={n: s for n, s in plausible.items() if not fields[n]})
    anything = st.fixed_dictionaries({}, optional={n: st.one_of(s, JSON) for n, s in plausible.items()})
    mangled = st.builds(lambda some, extra: {**some, **extra}, anything, st.dictionaries(KEYS, JSON, max_size=3))
    one = weighted((8, typed), (2, mangled), (1, json_values(KEYS)))
    return weighted((10, st.tuples(one)), (1, st.just(())), (1, st.lists(JSON, min_size=2, max_size=3).map(tuple)))


def fits(event: str, args: tuple[Any, ...]) -> bool:
    """The packet stays well within engine.io's frame: a larger one closes the connection, as
    documented, and is not what these tests are about."""
    return len(json.dumps([event, *args])) < MAX_FRAME * 0.8


def unreadable(value: Any) -> bool:
    """Holds an integer the server does not read (its JSON text longer than MAX_DIGITS): the packet
    is refused bad_payload whatever its event, before anything else (live/wirejson.py)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(value)) > MAX_DIGITS
    if isinstance(value, dict):
        return any(unreadable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(unreadable(v) for v in value)
    return False


# -- one server, one meeting per test --------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    running, server, task = await start_server(tmp_path_factory.mktemp("fuzz-events") / "data")
    yield running
    await stop_server(server, task)


class Room:
    """A meeting with something of everything (a queue, a finished speech, opinions, an explained
    objection, polls with ballots and hands, a proxy, a walk-in held for the desk) and a
    connection for each role; the phones come from pools that grow so no participant runs out
    of its rate limit."""

    def __init__(self, live: Running) -> None:
        self.live = live
        self.id = ""
        self.key = ""
        self.recorder_key = ""
        self.tokens: dict[str, str] = {}  # phone token -> its participant
        self.codes: list[str] = []
        self.seq = 0
        self.screens: dict[str, Screen] = {}
        self.pools: dict[str, list[Screen]] = {role: [] for role in LIMITED}
        self.used: dict[int, int] = {}  # id(screen) -> commands sent through it
        self.opened: list[Screen] = []
        self.dropped: list[str] = []
        self.raw: dict[str, RawSocket] = {}
        self.walk_ins = 0
        self.limited = 0  # commands sent through rate-limited connections
        self.too_fast = 0

    async def screen(self, who: str, **auth: Any) -> Screen:
        """A connection for `who` (one of ROLES) with these credentials, in its language."""
        auth.setdefault("lang", LANG[who])
        s = await Screen(self.live.url, {"meeting": self.id, **auth}).connect()
        s.sio.on("disconnect", lambda *reason: self.dropped.append(f"{who}: {reason}"))
        self.opened.append(s)
        return s

    async def prepare(self) -> Room:
        made = await self.live.create_meeting(roster=ROSTER)
        self.id, self.key, self.recorder_key = made["id"], made["key"], made["recorder_key"]
        self.codes = await self.live.join_codes(self.id, made["key"])
        mod = self.screens["moderator"] = await self.screen("moderator", role="moderator", key=made["key"])
        rec = self.screens["recorder"] = await self.screen("recorder", role="recorder", key=made["recorder_key"])
        self.screens["facilitator"] = await self.screen("facilitator", role="facilitator", token=self.live.token)
        for role in LIMITED:
            for _ in range(-(-EXAMPLES // PER_PHONE)):
                assert await self.grow(role), role
        a, b = self.pools["attendee"][:2]
        by_code = await self.screen("attendee", role="phone", token=None)
        steps: list[tuple[Screen, str, dict[str, Any]]] = [
            (mod, "open_item", {"item": 0}),
            (a, "raise_hand", {"stance": "for"}),
            (b, "raise_hand", {"stance": "question", "kind": "point_of_order"}),
            (mod, "add_speaker", {"name": "钱大爷", "category": "registered", "stance": "against"}),
            (mod, "grant_floor", {}), (mod, "end_speech", {}), (mod, "grant_floor", {}),
            (rec, "summarise_speech", {"speech_id": "s1", "summary": "先发言的是程序问题。"}),
            (a, "submit_opinion", {"text": "同意加装。"}),
            (b, "raise_objection", {"reason": "费用太高。"}),
            (rec, "give_explanation", {"objection_id": "x1", "text": "按楼层分摊。"}),
            (mod, "moderate_opinion", {"opinion_id": "o1", "visible": True}),
            (mod, "open_poll", {"question": "是否同意加装电梯？"}),
            (mod, "open_poll", {"question": "哪个方案？", "kind": "single", "options": ["甲", "乙", "丙"]}),
            (a, "cast_ballot", {"poll_id": "v1", "choice": 0}),
            (mod, "add_hand_count", {"poll_id": "v1", "counts": [2, 1, 0]}),
            (by_code, "check_in", {"code": self.codes[2]}),
            (mod, "record_proxy", {"principal": 3, "holder": "p1"}),
        ]
        for screen, event, payload in steps:
            ack = await screen.send(event, payload)
            assert ack["ok"], (event, payload, ack)
            if "token" in ack:
                self.tokens[ack["token"]] = ack["participant_id"]
        self.seq = (await mod.send("sync"))["seq"]
        return self

    async def grow(self, role: str) -> bool:
        """One more connection of this kind in its pool; False if the meeting no longer lets it check in."""
        if role == "projector":
            self.pools[role].append(await self.screen(role, role="projector"))
            return True
        phone = await self.screen(role, role="phone", token=None)
        if role != "guest":
            self.walk_ins += 1
            name = "张桂英" if role == "held" else f"居民{self.walk_ins}"
            ack = await phone.send("check_in", {"name": name, "category": "registered",
                                                "role": "observer" if role == "observer" else "attendee"})
            if not ack["ok"]:
                await phone.close()
                return False
            self.tokens[ack["token"]] = ack["participant_id"]
            assert ack.get("held", False) is False or role == "held"
        self.pools[role].append(phone)
        return True

    async def phone(self, role: str) -> Screen:
        """A connection of this kind (its participant's too) with commands left in its bucket."""
        pool = self.pools[role]
        if self.used.get(id(pool[-1]), 0) >= PER_PHONE:
            fresh = [p for p in pool if self.used.get(id(p), 0) < PER_PHONE]
            if fresh:
                pool.remove(fresh[0])
                pool.append(fresh[0])
            elif not await self.grow(role):  # the meeting is closed: what is left is too_fast, rightly
                pass
        return pool[-1]

    async def send(self, role: str, event: str, args: tuple[Any, ...]) -> dict[str, Any]:
        """Send as `role` and check the acknowledgement's shape; returns it."""
        screen = await self.phone(role) if role in LIMITED else self.screens[role]
        if role in LIMITED:
            self.used[id(screen)] = self.used.get(id(screen), 0) + 1
            self.limited += 1
        ack = await screen.sio.call(event, args, timeout=CALL_BUDGET_S)
        assert not self.dropped, self.dropped
        if ack.get("ok") is True:
            if role == "guest" and "token" in ack:  # checked in: this connection is a guest no more
                self.pools["guest"].remove(screen)
                await self.grow("guest")
            return ack
        code = check_refusal(ack, LANG[role])
        if code == "too_fast":
            self.too_fast += 1
        return ack

    async def still_sound(self) -> None:
        """The server answers, every connection is up, and the record is intact and replays to the
        state the server holds."""
        assert not self.dropped, self.dropped
        async with self.live.http() as http:
            health = await http.get("/api/health")
            assert health.status_code == 200 and health.json()["ok"] is True
            checked = (await http.get(f"/meetings/{self.id}/verify")).json()
        record = checked["record"]
        assert checked["ok"] and record["intact"] and record["first_bad"] is None, checked
        synced = await self.screens["moderator"].send("sync")
        assert record["events"] == checked["stored_events"] == synced["seq"], (checked, synced["seq"])
        meetings = self.live.yishi.meetings
        assert replay(self.live.yishi.store.events(self.id), self.id) == await meetings.settled(self.id)

    async def raw_socket(self, role: str) -> RawSocket:
        """A hand-written socket.io connection as the moderator (in English) or a guest (in Chinese)."""
        if role not in self.raw:
            auth = {"meeting": self.id, "role": "moderator", "key": self.key, "lang": "en"} if role == "moderator" \
                else {"meeting": self.id, "role": "phone"}
            self.raw[role] = await RawSocket(self.live.url).connect(auth)
        return self.raw[role]

    async def close(self) -> None:
        for s in self.opened:
            if s.sio.connected:
                await s.sio.disconnect()
        for raw in self.raw.values():
            await raw.close()


@pytest_asyncio.fixture(loop_scope="module")
async def room(live: Running) -> AsyncIterator[Room]:
    """A prepared meeting; afterwards the server and the record are sound, and the phones'
    commands mostly got past the rate limit to be validated."""
    r = await Room(live).prepare()
    try:
        yield r
        await r.still_sound()
        assert r.too_fast <= 0.1 * r.limited, f"{r.too_fast} of {r.limited} rate-limited commands were too_fast"
    finally:
        await r.close()


def may_send(role: str, event: str) -> bool:
    if event == "sync":
        return True
    try:
        require(Actor(ACTOR[role]), COMMANDS[event].roles)
    except MeetingError:
        return False
    return True


# What refuses a command before its role is looked at, and what refuses a role.
BEFORE_ROLES = {"too_large", "too_fast"}
ROLE_REFUSALS = {"not_allowed", "not_checked_in", "chair_only"}


# -- the tests -------------------------------------------------------------------------------

async def test_the_fuzz_table_names_every_event(live: Running) -> None:
    handled = set(live.yishi.live.sio.handlers["/"])
    assert handled == set(EVENTS), "an event handled by live/sockets.py and not fuzzed here, or gone"
    documented = set(re.findall(r"^### (\w+)$", DOC, re.M))
    assert documented - set(HTTP_ONLY) <= set(EVENTS)  # those live/ sends itself over HTTP are not socket events
    assert set(globals()) >= set(EVENTS.values())
    for event in PAYLOAD_EVENTS:  # every field each command takes has its plausible values here
        assert set(fields_of(event)) <= set(FIELDS), event


@pytest.mark.parametrize("event", PAYLOAD_EVENTS)
@FUZZ
@given(data=st.data())
async def test_any_payload_of_an_event_from_every_role(room: Room, event: str, data: st.DataObject) -> None:
    args = data.draw(arguments(event, room), label="arguments")
    if not fits(event, args):
        args = ()
    for role in ROLES:
        ack = await room.send(role, event, args)
        if unreadable(args):
            assert ack == refusal("bad_payload", LANG[role], {"detail": "not JSON"}), (role, ack)
        elif event == "sync":
            if ack["ok"]:
                assert set(ack) in ({"ok", "seq", "view", "me", "role", "server_now"},
                                    {"ok", "up_to_date", "seq", "me", "server_now"}), ack
                assert ack.get("role", ACTOR[role]) == ACTOR[role]
            else:
                assert len(args) > 1 and ack["code"] == "bad_payload", ack
        elif not may_send(role, event):
            assert not ack["ok"] and ack["code"] in BEFORE_ROLES | ROLE_REFUSALS, (role, ack)
        elif ack["ok"]:
            assert type(ack["seq"]) is int, ack
            assert not args or (len(args) == 1 and isinstance(args[0], (dict, type(None)))), (role, args, ack)
        elif role not in PHONES:
            assert ack["code"] not in ROLE_REFUSALS, (role, ack)


# -- the connect, any other event, and packets the socket.io client does not write -----------------

CONNECT_ROLES = ["moderator", "recorder", "facilitator", "projector", "phone", "guest", "attendee", ""]


def credentials(room: Room, other: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A connect's `auth`: mostly shaped like the real ones, with the right, another meeting's or
    made-up secrets; else any value."""
    secrets = [room.key, room.recorder_key, room.live.token, *list(room.tokens)[:3], other["key"],
               other["recorder_key"], other["token"], "", None]
    secret = mostly(st.sampled_from(secrets), st.sampled_from(secrets).map(lambda s: f" {s}"), JSON)
    shaped = st.builds(lambda known, extra: {**extra, **known}, st.fixed_dictionaries({}, optional={
        "meeting": mostly(st.sampled_from([room.id, room.id, other["id"], room.id.upper(), f"{room.id}/", ""]), JSON),
        "role": mostly(st.sampled_from(CONNECT_ROLES), JSON),
        "key": secret, "token": secret,
        "lang": st.one_of(st.sampled_from(["en", "zh-CN", "zh", "fr"]), JSON)}),
        st.dictionaries(KEYS, JSON, max_size=2))
    return mostly(shaped, JSON)


def expected_at_connect(auth: Any, room: Room, other: dict[str, Any]) -> tuple[str, str]:
    """("ok", the session's role) or (the refusal's code, "") for these credentials (docs/protocol.md, connect)."""
    auth = auth if isinstance(auth, dict) and not unreadable(auth) else {}
    meeting = str(auth.get("meeting", ""))
    keys = {room.id: (room.key, room.recorder_key, room.tokens), other["id"]: (other["key"], other["recorder_key"],
                                                                             {other["token"]: "p1"})}
    if meeting not in keys:
        return "no_such_meeting", ""
    key, recorder_key, tokens = keys[meeting]
    role, given = auth.get("role"), auth.get("key")
    if role in ("moderator", "recorder"):
        fits = isinstance(given, str) and given == (key if role == "moderator" else recorder_key)
        return ("ok", role) if fits else ("bad_credentials", "")
    if role == "facilitator":
        return ("ok", role) if auth.get("token") == room.live.token else ("bad_credentials", "")
    if role == "projector":
        return "ok", role
    if role == "phone":
        token = auth.get("token")
        if not token:
            return "ok", GUEST
        return ("ok", ATTENDEE) if str(token) in tokens else ("bad_credentials", "")
    return "bad_credentials", ""


@pytest_asyncio.fixture(loop_scope="module")
async def other(live: Running) -> dict[str, Any]:
    """Another meeting, with one phone checked in: its secrets are wrong for the room's."""
    made = await live.create_meeting()
    guest = await Screen(live.url, {"meeting": made["id"], "role": "phone", "token": None}).connect()
    ack = await guest.send("check_in", {"name": "外人", "category": "registered"})
    await guest.close()
    return {**made, "token": ack["token"]}


@settings(FUZZ, max_examples=2 * EXAMPLES)  # one connection each: cheap
@given(data=st.data())
async def test_any_credentials_at_the_connect_and_any_connect_event_after_it(room: Room, other: dict[str, Any],
                                                                           data: st.DataObject) -> None:
    auth = data.draw(credentials(room, other), label="auth")
    if not fits("", (auth,)):
        auth = {}
    outcome, role = expected_at_connect(auth, room, other)
    given_lang = auth.get("lang") if isinstance(auth, dict) and not unreadable(auth) else None
    lang = given_lang if given_lang in ("en", "zh-CN") else "zh-CN"
    client = socketio.AsyncClient(reconnection=False)
    refused: list[Any] = []
    client.on("connect_error", refused.append)
    try:
        await client.connect(room.live.url, auth=auth, transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
    except socketio.exceptions.ConnectionError:
        assert outcome != "ok", (auth, refused)
        (error,) = refused
        assert error["message"] == error["data"]["error"]
        check_refusal(error["data"], lang, status=404 if outcome == "no_such_meeting" else 403, codes={outcome})
        return
    try:
        assert outcome == "ok", (auth, outcome)
        synced = await client.call("sync", {}, timeout=CALL_BUDGET_S)
        assert (synced["role"], synced["view"]["id"]) == (role, str(auth["meeting"])), (auth, synced)
        again = data.draw(st.lists(JSON, max_size=2).map(tuple), label="connect event")
        ack = await client.call("connect", again, timeout=CALL_BUDGET_S)
        if unreadable(again):
            assert ack == refusal("bad_payload", lang, {"detail": "not JSON"})
        else:
            assert ack == refusal("unknown_command", lang, {"command": "connect"}), ack
        assert (await client.call("sync", {}, timeout=CALL_BUDGET_S))["role"] == role  # the same session
        event = data.draw(st.sampled_from(PAYLOAD_EVENTS), label="event")
        args = data.draw(arguments(event, room), label="arguments")
        if fits(event, args):
            ack = await client.call(event, args, timeout=CALL_BUDGET_S)
            if not ack.get("ok"):
                check_refusal(ack, lang)
        assert client.connected
    finally:
        await client.disconnect()


EVENT_NAMES = st.one_of(
    st.text(max_size=30), st.sampled_from(NASTY),
    st.sampled_from(["message", "connect_error", "ack", "__proto__", "Sync", "sync ", "check-in", "*"]),
    st.builds(operator.mul, st.just("n"), st.integers(39, 3000)),  # around the 40 characters a refusal repeats
)


@FUZZ
@given(data=st.data())
async def test_any_other_event_is_refused_by_its_name(room: Room, data: st.DataObject) -> None:
    handled = set(room.live.yishi.live.sio.handlers["/"]) - {"*"}
    name = data.draw(EVENT_NAMES.filter(lambda n: n not in handled and n != "disconnect"), label="event")
    args = data.draw(st.one_of(st.tuples(JSON), st.just(()), st.lists(JSON, min_size=2, max_size=3).map(tuple)),
                     label="arguments")
    if not fits(name, args):
        args = ()
    shown = name if len(name) <= MAX_NAME_SHOWN else name[:MAX_NAME_SHOWN] + "…"
    before = room.live.yishi.meetings.cached(room.id).seq
    for role in ROLES:
        ack = await room.send(role, name, args)
        if unreadable(args):
            assert ack == refusal("bad_payload", LANG[role], {"detail": "not JSON"}), (role, ack)
        else:
            assert ack == refusal("unknown_command", LANG[role], {"command": shown}), (role, ack)
    assert room.live.yishi.meetings.cached(room.id).seq == before


class RawSocket:
    """socket.io spoken by hand over a websocket: packets the socket.io client would not write."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws: ClientConnection | None = None
        self.next_id = 0

    async def connect(self, auth: dict[str, Any]) -> RawSocket:
        self.ws = await connect(self.url, max_size=None, open_timeout=CONNECT_BUDGET_S)
        assert (await self._read()).startswith("0")  # engine.io's open
        await self.ws.send("40" + json.dumps(auth))
        answer = await self._read()
        assert answer.startswith("40{"), answer
        return self

    async def _read(self) -> str:
        assert self.ws is not None
        while True:
            packet = await asyncio.wait_for(self.ws.recv(), CALL_BUDGET_S)
            assert isinstance(packet, str)
            if packet == "2":  # engine.io's ping
                await self.ws.send("3")
                continue
            return packet

    async def call(self, arguments: str) -> Any:
        """Send `42<id>[arguments]` (arguments as JSON text, the event's name first) and return
        what the server acknowledges."""
        assert self.ws is not None
        self.next_id += 1
        await self.ws.send(f"42{self.next_id}[{arguments}]")
        ack = f"43{self.next_id}["
        while not (packet := await self._read()).startswith(ack):
            assert packet.startswith("42"), packet  # broadcasts may come first
        return json.loads(packet[len(ack) - 1:])

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def deep_json(depth: int, opener: str) -> str:
    closer = {"[": "]", '{"a":': "}"}[opener]
    return opener * depth + "0" + closer * depth


# JSON text the server's decoder cannot read: nested past the interpreter's recursion limit (which
# hypothesis raises while a test runs, and the server runs in this process), integers longer than
# engine.io's guard allows, and text that is not JSON at all.
UNREADABLE_TEXT = st.one_of(
    st.builds(deep_json, st.integers(20_000, 100_000), st.sampled_from(["[", '{"a":'])),
    st.builds(lambda digits, sign: sign + "7" * digits, st.integers(MAX_DIGITS + 1, 5_000), st.sampled_from(["", "-"])),
    st.sampled_from(['{"item": ', "[1,]", "{'a': 1}", "tru", '"\\ud800', "01", "+1", '"unterminated', "{,}", "[}"]),
)


@FUZZ
@given(data=st.data())
async def test_a_packet_whose_json_cannot_be_read_is_answered_bad_payload(room: Room, data: st.DataObject) -> None:
    """Hand-written packets: a number too long or arrays nested too deep for the server's JSON
    decoder (which a script's own JSON writer may well produce), or text that is not JSON."""
    role = data.draw(st.sampled_from(["moderator", "guest"]), label="role")
    raw, lang = await room.raw_socket(role), "en" if role == "moderator" else "zh-CN"
    event = data.draw(st.one_of(st.sampled_from(sorted(EVENTS)), st.text(max_size=10)), label="event")
    bad = data.draw(UNREADABLE_TEXT, label="unreadable")
    where = data.draw(st.sampled_from(["{{\"item\": {}}}", "{}", "{{}}, {}"]), label="where")
    before = room.live.yishi.meetings.cached(room.id).seq
    ack = await raw.call(f"{json.dumps(event)}, " + where.format(bad))
    assert ack == [refusal("bad_payload", lang, {"detail": "not JSON"})], ack
    assert room.live.yishi.meetings.cached(room.id).seq == before
    assert (await raw.call('"sync", {}'))[0]["ok"] is True  # the connection goes on


# -- what the fuzz found, each on its own -----------------------------------------------------------

async def a_meeting_and_a_phone(live: Running) -> tuple[Screen, Screen]:
    made = await live.create_meeting()
    mod = await Screen(live.url, {"meeting": made["id"], "role": "moderator", "key": made["key"]}).connect()
    phone = await Screen(live.url, {"meeting": made["id"], "role": "phone", "token": None, "lang": "en"}).connect()
    return mod, phone


async def test_a_number_too_long_to_read_is_refused_bad_payload_and_the_phone_goes_on(live: Running) -> None:
    mod, phone = await a_meeting_and_a_phone(live)
    before = (await mod.send("sync"))["seq"]
    for payload in ({"name": "孙桂兰", "category": "registered", "invitee": 10**MAX_DIGITS},
                    {"name": "孙桂兰", "category": "registered", "role": [-(10**200)]}):
        ack = await phone.sio.call("check_in", payload, timeout=CALL_BUDGET_S)
        assert ack == {"ok": False, "code": "bad_payload", "status": 400,
                       "error": "The request is malformed: it is not JSON."}
    assert (await mod.send("sync"))["seq"] == before
    assert (await phone.send("check_in", {"name": "孙桂兰", "category": "registered"}))["ok"]
    await mod.close()
    await phone.close()


async def test_json_nested_too_deep_to_read_is_refused_bad_payload(live: Running) -> None:
    made = await live.create_meeting()
    raw = await RawSocket(live.url).connect({"meeting": made["id"], "role": "projector", "lang": "en"})
    for depth in (20_000, 200_000):
        ack = await raw.call('"sync", {"last_seq": ' + deep_json(depth, "[") + "}")
        assert ack == [{"ok": False, "code": "bad_payload", "status": 400,
                        "error": "The request is malformed: it is not JSON."}]
    assert (await raw.call('"sync", {}'))[0]["ok"] is True  # the same connection goes on
    await raw.close()


async def test_an_event_named_star_is_refused_by_its_name(live: Running) -> None:
    mod, phone = await a_meeting_and_a_phone(live)
    for args in ((), ({"item": 0},), ("x", 1)):
        for screen, lang in ((mod, "zh-CN"), (phone, "en")):
            ack = await screen.sio.call("*", args, timeout=CALL_BUDGET_S)
            assert ack == refusal("unknown_command", lang, {"command": "*"}), (args, ack)
    await mod.close()
    await phone.close()


async def test_an_event_named_connect_without_arguments_is_refused(live: Running) -> None:
    mod, phone = await a_meeting_and_a_phone(live)
    for screen, lang, role in ((mod, "zh-CN", "moderator"), (phone, "en", "guest")):
        ack = await screen.sio.call("connect", (), timeout=CALL_BUDGET_S)
        assert ack == refusal("unknown_command", lang, {"command": "connect"})
        assert (await screen.send("sync"))["role"] == role
    await mod.close()
    await phone.close()
