"""Topics for consultation (协商议题) and the co-signed petitions that make one (联名).

A topic is proposed by one of the seed's sources (the community Party organisation, the committee,
any party, residents by petition, the township); it has a kind (the seed's section 1), the groups
it affects and its background. The organisers accept it or decline it with a reason told to the
proposer, and schedule an accepted one as a meeting's agenda item; whether it was consulted and
decided is read from that meeting.

A petition collects co-signatures of people on the community's register: a resident proposal that
at least 1/10 of the residents (the adult registered residents by default) or 1/5 of the
representatives sign must be consulted on. The threshold is computed from the register as it is
at each signature, and the signature that reaches it accepts the topic, in the same event. Each
person signs once; someone not on the register, or not entitled (under age, not registered, not a
representative for a representatives' petition), is refused with the reason. The public sees a
petition's progress, never who signed.

Kept as a record of its own per community (like the register): each change is an event, hash-
chained; `fold` reads them back, skipping types this version does not know.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import advance_opinions
from . import events as ev
from . import texts
from . import topic_materials
from .community import Community, Entry
from .convening import adult, of_age
from .errors import MeetingError

TOPICS = "topics"  # the record id (`topics:<community>` for a community's own)
VERSION = 1
KINDS = ("legal", "policy", "planning", "charter", "urgent", "other")  # the seed's section 1, in order
SOURCES = ("party", "committee", "parties", "residents", "township")
STATUSES = ("proposed", "accepted", "declined", "scheduled")
# A petition's base: 1/10 of the adult registered residents, or 1/5 of the representatives.
# "adults": every adult who lives there, registered or not, when the community counts them (forms.FormBook.petition_base).
BASES = {"residents": 10, "adults": 10, "representatives": 5}
MAX_GROUPS = 30
MAX_SHEET = 500  # names on one paper sheet entered at once
MAX_OPEN_BY_ONE = 5  # topics one resident has proposed from their phone and still waiting to be decided


def topics_id(community: str = "") -> str:
    return f"{TOPICS}:{community}" if community else TOPICS


@dataclass
class Topic:
    id: str
    title: str
    kind: str
    source: str
    groups: list[str]
    background: str
    proposer: str  # as they gave their name (a body's name, or a resident's)
    proposed_at: float
    base: str = ""  # the petition's base ("" when it is not a petition)
    status: str = "proposed"
    reason: str = ""  # why it was declined (told to the proposer)
    accepted_by: str = ""  # "petition" (the threshold reached) or "organisers"
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)  # register id -> via, at, by
    needed: int = 0  # the threshold at the last signature
    meeting: str = ""  # scheduled as this meeting's item
    item: int | None = None
    history: list[dict[str, Any]] = field(default_factory=list)  # what, at, by
    person: str = ""  # the proposer's register id, when a resident proposed it with their code
    opinions: advance_opinions.Consultation | None = None  # opinions gathered in advance (征求意见)
    materials: list[dict[str, Any]] = field(default_factory=list)  # photos and PDFs: sha256, type, size, name, at, by


@dataclass
class Topics:
    seq: int = 0
    last_hash: str = ""
    topics: dict[str, Topic] = field(default_factory=dict)

    def apply(self, type_name: str, data: dict[str, Any], at: float) -> None:
        by = ev.By.from_data(data.get("actor")).role
        t = self.topics.get(str(data.get("topic", "")))
        if type_name == "TopicProposed":
            self.topics[data["topic"]] = Topic(data["topic"], data["title"], data["kind"], data["source"],
                                               list(data["groups"]), data["background"], data["proposer"], at,
                                               base=data.get("base", ""), person=data.get("person", ""))
            self.topics[data["topic"]].history.append({"what": "proposed", "at": at, "by": by})
        elif t is None:
            return  # an event of a topic this version never saw proposed: nothing to apply it to
        elif type_name == "TopicSigned":
            t.signatures[data["person"]] = {"via": data["via"], "at": at, "by": by}
            t.needed = int(data["needed"])
            if data.get("accepted"):
                t.status, t.accepted_by = "accepted", "petition"
                t.history.append({"what": "accepted", "at": at, "by": by, "signatures": len(t.signatures),
                                  "needed": t.needed})
        elif type_name == "TopicAccepted":
            t.status, t.accepted_by = "accepted", "organisers"
            t.history.append({"what": "accepted", "at": at, "by": by})
        elif type_name == "TopicDeclined":
            t.status, t.reason = "declined", data["reason"]
            t.history.append({"what": "declined", "at": at, "by": by, "reason": t.reason})
        elif type_name in topic_materials.TYPES:
            topic_materials.apply(t, type_name, data, at)
        elif type_name in advance_opinions.TYPES:
            advance_opinions.apply(t, type_name, data, at)
        elif type_name == "TopicScheduled":
            t.status, t.meeting, t.item = "scheduled", data["meeting"], int(data["item"])
            t.history.append({"what": "scheduled", "at": at, "by": by, "meeting": t.meeting, "item": t.item})
        # an event type this version does not know is skipped: an old Yishi reads a newer record


TYPES = ("TopicProposed", "TopicSigned", "TopicAccepted", "TopicDeclined", "TopicScheduled") + advance_opinions.TYPES \
    + topic_materials.TYPES


def readable(type_name: str, data: dict[str, Any]) -> bool:
    v = data.get("v", 1)
    return type_name in TYPES and isinstance(v, int) and v <= VERSION


def fold(records: list[tuple[str, dict[str, Any], float, int, str]]) -> Topics:
    """The topics from their stored events: (type, data, at, seq, hash) in order."""
    book = Topics()
    for type_name, data, at, seq, hash_ in records:
        book.seq, book.last_hash = seq, hash_
        book.apply(type_name, data, at)
    return book


def _event(type_name: str, actor: ev.By, **data: Any) -> tuple[str, dict[str, Any]]:
    return type_name, {**data, "actor": actor.to_data(), "v": VERSION}


def _topic(book: Topics, topic_id: str) -> Topic:
    if topic_id not in book.topics:
        raise MeetingError("no_such_topic")
    return book.topics[topic_id]


# -- what changes them ---------------------------------------------------------------------------


def propose(book: Topics, *, title: str, kind: str, source: str, proposer: str, background: str = "",
            groups: list[str] | None = None, petition: str = "", person: str = "", residents_base: str = "residents",
            actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A topic proposed; `petition` ("residents" or "representatives") opens it for co-signatures,
    and only residents' proposals are petitions. `person`: the proposer's register id, when a
    resident proposes it themselves with their code."""
    if kind not in KINDS:
        raise MeetingError("unknown_topic_kind", kind=str(kind)[:40])
    if source not in SOURCES:
        raise MeetingError("unknown_topic_source", source=str(source)[:40])
    if petition == "residents" and residents_base in BASES:
        petition = residents_base  # whom the community counts for a residents' petition, fixed from now on
    if petition and (petition not in BASES or source != "residents"):
        raise MeetingError("unknown_petition_base", base=str(petition)[:40])
    if person and sum(t.person == person and t.status == "proposed" for t in book.topics.values()) >= MAX_OPEN_BY_ONE:
        raise MeetingError("too_many_open_proposals", max=MAX_OPEN_BY_ONE)
    groups = groups or []
    if len(groups) > MAX_GROUPS:
        raise MeetingError("too_many_groups", max=MAX_GROUPS)
    return _event("TopicProposed", actor, topic=f"t{len(book.topics) + 1}",
                  title=texts.clean(title, "topic_title", texts.TITLE), kind=kind, source=source,
                  groups=[texts.clean(g, "group", 40) for g in groups],
                  background=texts.clean(background, "background", texts.TEXT, required=False),
                  proposer=texts.clean(proposer, "proposer", texts.NAME), base=petition,
                  **({"person": person} if person else {}))


def entitled(entry: Entry, base: str, year: int) -> bool:
    """Who may co-sign: on the register and active; an adult registered resident (any adult, for the
    base "adults"), or a representative."""
    p = entry.person
    if base == "representatives":
        return entry.status == "active" and p.representative
    if base == "adults":
        return entry.status == "active" and of_age(p, year)
    return entry.status == "active" and adult(p, year)


def needed(register: Community, base: str, year: int) -> int:
    """Signatures the petition needs, from the register as it is now: 1/10 or 1/5, rounded up."""
    pool = sum(entitled(e, base, year) for e in register.entries.values())
    return max(1, -(-pool // BASES[base]))


def sign(book: Topics, topic_id: str, register: Community, person: str, *, via: str, year: int,
         actor: ev.By) -> tuple[str, dict[str, Any]]:
    """One co-signature by the register's `person` (its id); the one that reaches the threshold
    accepts the topic."""
    t = _topic(book, topic_id)
    if not t.base:
        raise MeetingError("not_a_petition")
    if t.status != "proposed":
        raise MeetingError("petition_closed", status=t.status)
    entry = register.entries.get(person)
    if entry is None:
        raise MeetingError("not_in_register")
    if not entitled(entry, t.base, year):
        raise MeetingError("not_entitled_to_sign", name=entry.person.name)
    if person in t.signatures:
        raise MeetingError("already_signed", name=entry.person.name)
    need = needed(register, t.base, year)
    return _event("TopicSigned", actor, topic=topic_id, person=person, via=via, needed=need,
                  accepted=len(t.signatures) + 1 >= need)


def find_signer(register: Community, *, name: str, household: str = "", birth_year: int | None = None) -> str:
    """The register id of a name read from a paper sheet (with its household or birth year when the
    name is not enough); refused when nobody, or several people, have it."""
    name = texts.clean(name, "name", texts.NAME)
    found = [e for e in register.entries.values() if e.person.name == name
             and (not household or e.person.household == household)
             and (birth_year is None or e.person.birth_year == birth_year)]
    if not found:
        raise MeetingError("not_in_register_named", name=name)
    active = [e for e in found if e.status == "active"] or found
    if len(active) > 1:
        raise MeetingError("several_in_register", name=name, n=len(active))
    return active[0].id


def accept(book: Topics, topic_id: str, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    t = _topic(book, topic_id)
    if t.status != "proposed":
        raise MeetingError("topic_not_proposed", status=t.status)
    return _event("TopicAccepted", actor, topic=topic_id)


def decline(book: Topics, topic_id: str, reason: str, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    t = _topic(book, topic_id)
    if t.status != "proposed":
        raise MeetingError("topic_not_proposed", status=t.status)
    return _event("TopicDeclined", actor, topic=topic_id, reason=texts.clean(reason, "reason", texts.SHORT))


def summary(t: Topic, community: str) -> dict[str, Any]:
    """What the meeting that takes the topic up keeps of it (agenda.link_topic), for its minutes."""
    return {"id": t.id, "community": community, "title": t.title, "kind": t.kind, "source": t.source,
            "groups": list(t.groups), "proposer": t.proposer, "proposed_at": t.proposed_at,
            "accepted_by": t.accepted_by or None,
            "petition": {"base": t.base, "signatures": len(t.signatures), "needed": t.needed} if t.base else None,
            **({"opinions": opinions} if (opinions := advance_opinions.summary(t)) else {})}


def schedule(book: Topics, topic_id: str, *, meeting: str, item: int, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """An accepted topic on a meeting's agenda (live/ checks that the meeting and its item exist)."""
    t = _topic(book, topic_id)
    if t.status not in ("accepted", "scheduled"):
        raise MeetingError("topic_not_accepted", status=t.status)
    return _event("TopicScheduled", actor, topic=topic_id, meeting=meeting, item=item)
