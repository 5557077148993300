"""Opinions gathered on a topic before the meeting (征求意见).

The office opens a topic for written opinions for a period (from, until) and may close it early.
A statement is given by a person on the community's register: online, by the resident with their
personal code, or entered by staff from paper or a phone call (the event's actor is then the
staff member, and the channel says how it came). Residents agree or disagree with others'
statements: one stance per person per statement, which they may change, never on their own. The
office may hide an abusive statement with a reason; the record keeps both.

Each statement and stance keeps the person's categories as the register had them then (registered
or not, owner, representative), so the summary by category is read from the record alone, as the
meeting that takes the topic up keeps it.

The events go into the community's topics record (facilitation/topics.py folds them into each
topic's `opinions`); an older Yishi skips their types.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import events as ev
from . import texts
from .convening import _category as residence  # registered or not, as a meeting's categories have it
from .errors import MeetingError
from .register import Person

if TYPE_CHECKING:
    from .community import Community
    from .topics import Topic, Topics

VERSION = 1
TYPES = ("OpinionsOpened", "OpinionsClosed", "OpinionGiven", "OpinionHidden", "OpinionStance")
CHANNELS = ("online", "paper", "phone")
STANCES = ("agree", "disagree")
CATEGORIES = ("registered", "non_registered", "owner", "representative")  # in the order shown
# A register person acting with their personal code (the event's actor id is their register id).
RESIDENT = ev.RESIDENT  # who acts with a resident code (facilitation/events.py)
MAX_TEXT = 1000  # characters in one statement
MAX_STATEMENTS = 500  # on one topic
MAX_PER_PERSON = 3  # statements by one person on one topic
MAX_CHANGES = 5  # stances by one person on one statement: each is stored, and sent on to the meeting
MAX_DAYS = 90  # the longest period
DAY = 86400.0


@dataclass
class Statement:
    id: str
    person: str  # register id
    name: str  # as the register had it
    categories: list[str]
    text: str
    channel: str
    at: float
    by: str  # who stored it: "resident" online, the staff role otherwise
    hidden: str = ""  # the office's reason, once hidden
    hidden_at: float | None = None
    stances: dict[str, dict[str, Any]] = field(default_factory=dict)  # register id -> stance, categories, at


@dataclass
class Consultation:
    opens: float
    until: float
    closed_at: float | None = None  # closed early by the office
    statements: dict[str, Statement] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)  # what, at, by

    def running(self, now: float) -> bool:
        return self.closed_at is None and self.opens <= now < self.until

    @property
    def ends(self) -> float:
        return self.until if self.closed_at is None else min(self.closed_at, self.until)


def categories(p: Person) -> list[str]:
    """The categories a register person counts in: registered or not, and owner, representative."""
    return [residence(p)] + (["owner"] if p.flats else []) + (["representative"] if p.representative else [])


def apply(t: Topic, type_name: str, data: dict[str, Any], at: float) -> None:
    """Fold one of this module's events into the topic (called by topics.Topics.apply)."""
    by = ev.By.from_data(data.get("actor")).role
    c = t.opinions
    if type_name == "OpinionsOpened":
        old = c.statements if c is not None else {}
        t.opinions = Consultation(float(data["opens"]), float(data["until"]), statements=old,
                                  history=c.history if c is not None else [])
        t.opinions.history.append({"what": "opened", "at": at, "by": by, "opens": data["opens"],
                                   "until": data["until"]})
        return
    if c is None:
        return
    s = c.statements.get(str(data.get("statement", "")))
    if type_name == "OpinionsClosed":
        c.closed_at = at
        c.history.append({"what": "closed", "at": at, "by": by})
    elif type_name == "OpinionGiven":
        c.statements[data["statement"]] = Statement(
            data["statement"], data["person"], data["name"], list(data["categories"]), data["text"],
            data["channel"], at, by)
    elif s is None:
        return
    elif type_name == "OpinionHidden":
        s.hidden, s.hidden_at = data["reason"], at
        c.history.append({"what": "hidden", "at": at, "by": by, "statement": s.id, "reason": s.hidden})
    elif type_name == "OpinionStance":
        taken = s.stances.get(data["person"], {}).get("taken", 0) + 1
        s.stances[data["person"]] = {"stance": data["stance"], "categories": list(data["categories"]), "at": at,
                                     "taken": taken}


def _event(type_name: str, actor: ev.By, **data: Any) -> tuple[str, dict[str, Any]]:
    return type_name, {**data, "actor": actor.to_data(), "v": VERSION}


def _topic(book: Topics, topic_id: str) -> Topic:
    if topic_id not in book.topics:
        raise MeetingError("no_such_topic")
    return book.topics[topic_id]


def _running(t: Topic, now: float) -> Consultation:
    if t.opinions is None or not t.opinions.running(now):
        raise MeetingError("opinions_not_open")
    return t.opinions


def _person(register: Community, person: str) -> Person:
    entry = register.entries.get(person)
    if entry is None:
        raise MeetingError("not_in_register")
    if entry.status != "active":
        raise MeetingError("not_active_in_register", name=entry.person.name)
    return entry.person


# -- what changes them ---------------------------------------------------------------------------


def open_period(book: Topics, topic_id: str, *, opens: float, until: float, now: float,
                actor: ev.By) -> tuple[str, dict[str, Any]]:
    """The topic open for opinions from `opens` until `until` (seconds since the epoch); a new
    period may follow a closed one, and keeps the statements already given."""
    t = _topic(book, topic_id)
    if t.status == "declined":
        raise MeetingError("topic_declined")
    if t.opinions is not None and t.opinions.ends > now:
        raise MeetingError("opinions_already_open")
    if not until > opens or until <= now or until - opens > MAX_DAYS * DAY:
        raise MeetingError("bad_opinion_period", days=MAX_DAYS)
    return _event("OpinionsOpened", actor, topic=topic_id, opens=float(opens), until=float(until))


def close_period(book: Topics, topic_id: str, *, now: float, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """Closed early by the office (a period that has begun and not yet ended)."""
    t = _topic(book, topic_id)
    if t.opinions is None or t.opinions.ends <= now:
        raise MeetingError("opinions_not_open")
    return _event("OpinionsClosed", actor, topic=topic_id)


def give(book: Topics, topic_id: str, register: Community, person: str, text: str, *, channel: str,
         now: float, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A statement by the register's `person`: online by the resident themself, or entered by staff
    from paper or a phone call."""
    t = _topic(book, topic_id)
    c = _running(t, now)
    if channel not in CHANNELS:
        raise MeetingError("unknown_opinion_channel", channel=str(channel)[:20])
    if (channel == "online") != (actor.role == RESIDENT) or (channel == "online" and actor.id != person):
        raise MeetingError("wrong_opinion_channel", channel=channel)
    p = _person(register, person)
    text = texts.clean(text, "opinion", MAX_TEXT)
    own = [s for s in c.statements.values() if s.person == person]
    if any(s.text == text for s in own):
        raise MeetingError("opinion_repeated")
    if len(own) >= MAX_PER_PERSON:
        raise MeetingError("too_many_opinions_by_one", max=MAX_PER_PERSON)
    if len(c.statements) >= MAX_STATEMENTS:
        raise MeetingError("too_many_opinions", max=MAX_STATEMENTS)
    return _event("OpinionGiven", actor, topic=topic_id, statement=f"s{len(c.statements) + 1}", person=person,
                  name=p.name, categories=categories(p), text=text, channel=channel)


def hide(book: Topics, topic_id: str, statement: str, reason: str, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """An abusive statement hidden from the public with the office's reason (also after the period)."""
    t = _topic(book, topic_id)
    s = t.opinions.statements.get(statement) if t.opinions is not None else None
    if s is None:
        raise MeetingError("no_such_statement")
    if s.hidden:
        raise MeetingError("statement_hidden")
    return _event("OpinionHidden", actor, topic=topic_id, statement=statement,
                  reason=texts.clean(reason, "reason", texts.SHORT))


def take_stance(book: Topics, topic_id: str, statement: str, register: Community, person: str, stance: str, *,
                now: float, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A resident agrees or disagrees with another's statement; a second stance replaces the first."""
    t = _topic(book, topic_id)
    c = _running(t, now)
    s = c.statements.get(statement)
    if s is None or s.hidden:
        raise MeetingError("no_such_statement")
    if stance not in STANCES:
        raise MeetingError("unknown_stance", stance=str(stance)[:20])
    if actor.role != RESIDENT or actor.id != person:
        raise MeetingError("wrong_opinion_channel", channel="online")
    p = _person(register, person)
    if s.person == person:
        raise MeetingError("own_statement")
    if s.stances.get(person, {}).get("stance") == stance:
        raise MeetingError("stance_unchanged")
    if s.stances.get(person, {}).get("taken", 0) >= MAX_CHANGES:
        raise MeetingError("too_many_stance_changes", max=MAX_CHANGES)
    return _event("OpinionStance", actor, topic=topic_id, statement=statement, person=person, stance=stance,
                  categories=categories(p))


# -- what it comes to ----------------------------------------------------------------------------


def _counts(s: Statement) -> dict[str, Any]:
    total = {k: 0 for k in STANCES}
    per: dict[str, dict[str, int]] = {}
    for st in s.stances.values():
        total[st["stance"]] += 1
        for cat in st["categories"]:
            per.setdefault(cat, {k: 0 for k in STANCES})[st["stance"]] += 1
    return {**total, "by_category": {cat: per[cat] for cat in CATEGORIES if cat in per}
            | {cat: n for cat, n in per.items() if cat not in CATEGORIES}}


def summary(t: Topic) -> dict[str, Any] | None:
    """The opinions on a topic as the office and the meeting see them: each shown statement with its
    agree/disagree counts per category; those every category with stances agrees with (a majority
    for in each), those that divide categories (a majority for in one, against in another); and
    how many statements came by each channel. Hidden statements are counted, never shown."""
    c = t.opinions
    if c is None:
        return None
    shown, consensus, divided = [], [], []
    for s in c.statements.values():
        if s.hidden:
            continue
        counts = _counts(s)
        leaning = {cat: (n["agree"] > n["disagree"]) - (n["agree"] < n["disagree"])
                   for cat, n in counts["by_category"].items()}
        if leaning and all(v > 0 for v in leaning.values()):
            consensus.append(s.id)
        if 1 in leaning.values() and -1 in leaning.values():
            divided.append(s.id)
        shown.append({"id": s.id, "name": s.name, "categories": s.categories, "channel": s.channel, "at": s.at,
                      "text": s.text, **counts})
    channels = {k: sum(s.channel == k for s in c.statements.values()) for k in CHANNELS}
    return {"opens": c.opens, "until": c.until, "closed_at": c.closed_at, "statements": shown,
            "consensus": consensus, "divided": divided, "channels": channels,
            "hidden": sum(bool(s.hidden) for s in c.statements.values())}
