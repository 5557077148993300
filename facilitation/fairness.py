"""A fair floor: the order the queue is heard in, why each person is where they are, the limits
on speaking, and the live balance of who has been heard.

The queue (`Meeting.queue`) keeps the order people asked in, with points of order at its head
and the moderator's moves; the standing policy decides the order it is heard in, computed from
the state each time, so that a category heard for the first time moves its other members back at
once. The policies (the seed asks that every kind of participant fully express their views):

- first_come: the order people asked in;
- unheard_people: those who have not had the floor in this meeting first;
- unheard_categories: those whose category has not had the floor first, then unheard people;
- alternate: for and against in turn (as a hearing does), questions and other stances in the
  order they asked, between them.

In every policy points of order come first, then a direct reply to the speech under way (at most
one waits at a time), and a request the moderator moved by hand stays where they put it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import MeetingError

if TYPE_CHECKING:
    from .meeting import Meeting, Request

POLICIES = ("first_come", "unheard_people", "unheard_categories", "alternate")
SIDES = ("for", "against")
# A form's policy when the meeting is created without one: a hearing hears both sides in turn.
FORM_POLICY = {"hearing": "alternate"}
# The limits a meeting may set (0: none). Seconds of speech per person, per category and per side
# in the whole meeting, speeches per person, and the time a direct reply gets.
LIMITS = ("person_speeches", "person_seconds", "category_seconds", "side_seconds", "reply_seconds")
DEFAULT_REPLY_SECONDS = 60
MAX_LIMIT_SECONDS = 6 * 3600
MAX_SPEECHES = 100


@dataclass(frozen=True)
class Place:
    """One waiting request, where the policy puts it, and why (shown to the room)."""

    request_id: str
    reason: str  # point_of_order | reply | moved | unheard_person | unheard_category | alternate | ""


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise MeetingError("unknown_floor_policy", policy=str(policy)[:40])
    return policy


def check_limits(limits: dict[str, Any]) -> dict[str, int]:
    """Whole numbers in range, unknown names refused; 0 or absent: no limit (reply_seconds: 60)."""
    out: dict[str, int] = {}
    for name, value in limits.items():
        if name not in LIMITS:
            raise MeetingError("unknown_limit", limit=str(name)[:40])
        top = MAX_SPEECHES if name == "person_speeches" else MAX_LIMIT_SECONDS
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise MeetingError("bad_limit", limit=name, max=top)
        if name == "reply_seconds" and not 0 < value <= 600:
            raise MeetingError("bad_limit", limit=name, max=600)
        out[name] = value
    return out


# -- who has been heard ----------------------------------------------------------------


def spoken_people(m: Meeting) -> set[str]:
    """Everyone who has had the floor in this meeting (the speech under way included)."""
    return {s.participant_id for s in m.speeches.values()}


def spoken_categories(m: Meeting) -> set[str]:
    return {m.participants[p].category for p in spoken_people(m) if p in m.participants}


def seconds_heard(m: Meeting, *, person: str = "", category: str = "", side: str = "") -> float:
    """Seconds of the speeches that have ended, of a person, a category or a side (the pages add the
    speech under way, whose start they know)."""
    total = 0.0
    for s in m.speeches.values():
        if s.ended_at is None or (person and s.participant_id != person) or (side and s.stance != side):
            continue
        if category and (s.participant_id not in m.participants or m.participants[s.participant_id].category != category):
            continue
        total += max(0.0, s.ended_at - s.started_at)
    return total


def limits_passed(m: Meeting, s: Any) -> list[str]:
    """The totals a speech just ended took past the meeting's limits (flagged, never enforced)."""
    passed = []
    limits = m.floor_limits
    category = m.participants[s.participant_id].category if s.participant_id in m.participants else ""
    for name, total in (("person_seconds", seconds_heard(m, person=s.participant_id)),
                        ("category_seconds", seconds_heard(m, category=category) if category else 0.0),
                        ("side_seconds", seconds_heard(m, side=s.stance) if s.stance in SIDES else 0.0)):
        if limits.get(name) and total > limits[name]:
            passed.append(name)
    return passed


# -- the order the queue is heard in ---------------------------------------------------------


def heard_order(m: Meeting) -> list[Place]:
    """The waiting requests in the order the policy hears them, each with its reason."""
    queue = [rid for rid in m.queue if rid in m.requests]
    # A request the moderator moved stays where they put it, a point of order or reply too.
    first = [Place(r, "point_of_order") for r in queue if m.requests[r].kind == "point_of_order"
             and not m.requests[r].pinned]
    latest = latest_speech(m)
    replies = [Place(r, "reply") for r in queue if m.requests[r].kind == "reply" and not m.requests[r].pinned
               and m.requests[r].replies_to and m.requests[r].replies_to == latest]
    head = {p.request_id for p in first + replies}
    rest = [r for r in queue if r not in head]
    pinned = {r: i for i, r in enumerate(rest) if m.requests[r].pinned}
    free = [r for r in rest if r not in pinned]
    ordered = _by_policy(m, free)
    # The order the moderator set keeps its places among the rest; the policy fills the others.
    slots: list[Place | None] = [None] * len(rest)
    for rid, index in pinned.items():
        slots[index] = Place(rid, "moved" if m.requests[rid].moved else "")
    fill = iter(ordered)
    out = [slot if slot is not None else next(fill) for slot in slots]
    return first + replies + out


def moved_by_hand(before: list[str], order: list[str]) -> list[str]:
    """The requests a moderator's order moves, from the order they were heard in before: the fewest
    that, taken out, leave the others in the same order as before (those only pushed back or
    forward by a move were not moved). When two choices are as few, the one that brought someone
    forward was the move (dragging A ahead of B pushes B back; it does not move B)."""
    was = {rid: i for i, rid in enumerate(before)}
    known = [rid for rid in order if rid in was]
    # The longest run kept in the old order (weighted: one that went back or stayed counts a little
    # more, so that it is the one kept), found by dynamic programming over the new order.
    best: list[tuple[int, int]] = []
    back: list[int] = []
    for j, rid in enumerate(known):
        weight = (1, 1 if was[rid] <= j else 0)
        score, prev = weight, -1
        for i in range(j):
            if was[known[i]] < was[rid]:
                cand = (best[i][0] + weight[0], best[i][1] + weight[1])
                if cand > score:
                    score, prev = cand, i
        best.append(score)
        back.append(prev)
    kept: set[str] = set()
    j = max(range(len(known)), key=lambda k: best[k], default=-1)
    while j >= 0:
        kept.add(known[j])
        j = back[j]
    return [rid for rid in order if rid not in kept]


def latest_speech(m: Meeting) -> str:
    """The speech under way, or the one that ended last: a reply to it is heard next."""
    if m.current_speech:
        return m.current_speech
    return max(m.speeches.values(), key=lambda s: (s.started_at, len(s.id), s.id)).id if m.speeches else ""


def _by_policy(m: Meeting, rids: list[str]) -> list[Place]:
    policy = m.floor_policy
    if policy == "alternate":
        return _alternate(m, rids)
    if policy == "first_come":
        return [Place(r, "") for r in rids]
    people = spoken_people(m)
    categories = spoken_categories(m)

    def category_of(r: Request) -> str:
        p = m.participants.get(r.participant_id)
        return p.category if p else ""

    if policy == "unheard_categories":
        def key(rid: str) -> tuple[bool, bool]:
            r = m.requests[rid]
            return category_of(r) in categories, r.participant_id in people

        def why(rid: str) -> str:
            r = m.requests[rid]
            if category_of(r) not in categories:
                return "unheard_category"
            return "unheard_person" if r.participant_id not in people else ""
    else:  # unheard_people
        def key(rid: str) -> tuple[bool, bool]:
            return m.requests[rid].participant_id in people, False

        def why(rid: str) -> str:
            return "unheard_person" if m.requests[rid].participant_id not in people else ""
    return [Place(r, why(r)) for r in sorted(rids, key=key)]  # stable: the order of asking within each


def _alternate(m: Meeting, rids: list[str]) -> list[Place]:
    """For and against in turn, starting with the side that did not speak last; questions and other
    stances keep their turn by when they asked, between the sides."""
    sides = {side: [r for r in rids if m.requests[r].stance == side] for side in SIDES}
    others = [r for r in rids if m.requests[r].stance not in SIDES]
    last = _last_side(m)
    out: list[Place] = []
    order = {rid: i for i, rid in enumerate(rids)}
    while sides["for"] or sides["against"] or others:
        turn = "against" if last == "for" else "for"
        if not sides[turn]:
            turn = "for" if turn == "against" else "against"
        candidate = sides[turn][0] if sides[turn] else None
        if others and (candidate is None or order[others[0]] < order[candidate]):
            out.append(Place(others.pop(0), ""))
            continue
        assert candidate is not None
        sides[turn].pop(0)
        # Said why only when the turn put them ahead of someone who asked earlier.
        ahead = any(order[r] < order[candidate] for s in SIDES for r in sides[s]) or \
            any(order[r] < order[candidate] for r in others)
        out.append(Place(candidate, "alternate" if ahead else ""))
        last = turn
    return out


def _last_side(m: Meeting) -> str:
    for s in sorted(m.speeches.values(), key=lambda s: s.started_at, reverse=True):
        if s.stance in SIDES:
            return s.stance
    return ""


def next_request(m: Meeting) -> str | None:
    order = heard_order(m)
    return order[0].request_id if order else None


# -- the live balance ------------------------------------------------------------------------


def balance(m: Meeting, *, people: bool) -> dict[str, Any]:
    """Who has been heard, per category and side (and, for the console, per person): speeches,
    seconds (of speeches ended), who asked and waits. A category present that has not spoken is
    marked `unheard`."""
    waiting = {m.requests[r].participant_id for r in m.queue if r in m.requests}
    heard: dict[str, dict[str, Any]] = {}
    for s in m.speeches.values():
        row = heard.setdefault(s.participant_id, {"speeches": 0, "seconds": 0.0})
        row["speeches"] += 1
        if s.ended_at is not None:
            row["seconds"] += max(0.0, s.ended_at - s.started_at)
    for pid in waiting:
        heard.setdefault(pid, {"speeches": 0, "seconds": 0.0})
    categories = []
    for c in m.categories:
        key = c["key"]
        present = m.category_counts.get(key, 0)
        mine = [pid for pid in heard if pid in m.participants and m.participants[pid].category == key]
        spoke = [pid for pid in mine if heard[pid]["speeches"]]
        if not present and not mine:
            continue
        categories.append({
            "key": key, "present": present, "speakers": len(spoke),
            "speeches": sum(heard[p]["speeches"] for p in mine), "seconds": round(sum(heard[p]["seconds"] for p in mine)),
            "waiting": sum(1 for p in mine if p in waiting), "unheard": present > 0 and not spoke,
        })
    out: dict[str, Any] = {"categories": categories,
                           "sides": {side: round(seconds_heard(m, side=side)) for side in SIDES}}
    if people:
        rows = [{"id": pid, "name": m.participants[pid].name, "category": m.participants[pid].category,
                 "speeches": row["speeches"], "seconds": round(row["seconds"]), "waiting": pid in waiting}
                for pid, row in heard.items() if pid in m.participants]
        rows.sort(key=lambda r: (r["speeches"] > 0, -r["seconds"], r["name"]))  # who waits unheard first
        out["people"] = rows
    return out


def left_for(m: Meeting, s: Any) -> dict[str, float]:
    """What each limit leaves the speaker, before the speech under way (the page counts it down)."""
    limits = m.floor_limits
    left: dict[str, float] = {}
    category = m.participants[s.participant_id].category if s.participant_id in m.participants else ""
    if limits.get("person_seconds"):
        left["person_seconds"] = limits["person_seconds"] - seconds_heard(m, person=s.participant_id)
    if limits.get("category_seconds") and category:
        left["category_seconds"] = limits["category_seconds"] - seconds_heard(m, category=category)
    if limits.get("side_seconds") and s.stance in SIDES:
        left["side_seconds"] = limits["side_seconds"] - seconds_heard(m, side=s.stance)
    if limits.get("person_speeches"):
        left["person_speeches"] = limits["person_speeches"] - sum(
            1 for x in m.speeches.values() if x.participant_id == s.participant_id and x.id != s.id)
    return {k: round(v) for k, v in left.items()}
