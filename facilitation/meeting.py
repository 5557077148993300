"""The state of one meeting, folded from its events.

`Meeting.apply` is the only place state changes; commands (in the sibling modules) read the
state and return new events, never mutate it. Stored records reach it through
`facilitation.replay`, which reads older versions of events too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from voting.errors import VotingError
from voting.polls import SEALED, Poll

from . import events as ev
from . import fairness
from .texts import name_key
from .view_changes import apply_changes

FORMS = ("council", "hearing", "owners", "evaluation", "dialogue", "group", "assembly", "representatives", "board")
# Formal decision bodies need a quorum (see GLOSSARY).
QUORUM_FORMS = ("assembly", "representatives")
STANCES = ("for", "against", "question", "other")
REQUEST_KINDS = ("speech", "point_of_order", "reply")
OUTCOMES = ("consensus", "partial", "none", "deferred")
ROLES = ("attendee", "observer")

DEFAULT_CATEGORIES = [
    ("street_office", "乡镇（街道）", "township / street office"),
    ("party", "社区党组织", "community Party organisation"),
    ("committee", "居民委员会", "residents' committee"),
    ("supervision", "居务监督委员会", "residents' affairs supervision committee"),
    ("resident_group", "居民小组", "resident group"),
    ("owners_committee", "业主委员会", "owners' committee"),
    ("property", "物业服务企业", "property management company"),
    ("registered", "户籍居民", "registered resident"),
    ("non_registered", "非户籍居民代表", "non-registered residents' representative"),
    ("unit", "驻社区单位", "organisation based in the community"),
    ("social_org", "社区社会组织", "community social organisation"),
    ("expert", "专家学者 / 专业技术人员", "expert / technical professional"),
    ("deputy", "党代表 / 人大代表 / 政协委员", "deputy / CPPCC member"),
    ("other", "其他利益相关方", "other stakeholder"),
]


# A village's meetings name the villagers' bodies where a neighbourhood's name the residents'.
VILLAGE_CATEGORIES = {
    "party": ("村党组织", "village Party organisation"),
    "committee": ("村民委员会", "villagers' committee"),
    "supervision": ("村务监督委员会", "village affairs supervision committee"),
    "resident_group": ("村民小组", "villager group"),
    "registered": ("户籍村民", "registered villager"),
    "non_registered": ("非户籍村民代表", "non-registered villagers' representative"),
    "unit": ("驻村单位", "organisation based in the village"),
}


def default_categories(wording: str = "") -> list[dict[str, str]]:
    village = VILLAGE_CATEGORIES if wording == "village" else {}
    return [{"key": k, "zh": village.get(k, (zh, en))[0], "en": village.get(k, (zh, en))[1]}
            for k, zh, en in DEFAULT_CATEGORIES]


@dataclass
class Participant:
    id: str
    name: str
    category: str
    role: str
    by: str
    checked_in_at: float
    invitee: int | None = None
    entered_by: str = ""  # the staff role that entered it for them; "" when they did it themselves
    via: str = ""  # code | desk for a recognised invitee ("" before codes existed, or a walk-in)
    status: str = "in"  # in | held (waits for the desk) | refused | withdrawn | merged
    merged_into: str = ""
    history: list[dict[str, object]] = field(default_factory=list)  # held, confirmed, withdrawn ...: what, reason, at

    @property
    def counted(self) -> bool:
        return self.status == "in"


@dataclass
class Request:
    id: str
    participant_id: str
    item: int
    stance: str
    kind: str
    raised_at: float
    status: str = "waiting"  # waiting | withdrawn | removed | granted | lapsed
    entered_by: str = ""
    replies_to: str = ""  # a direct reply: the speech it answers
    pinned: bool = False  # in an order the moderator set: it keeps its place, whatever the policy says
    moved: bool = False  # ...and that order put it elsewhere than it was


@dataclass
class Speech:
    id: str
    request_id: str
    participant_id: str
    item: int
    stance: str
    kind: str
    started_at: float
    ends_at: float | None  # None while paused
    remaining: float | None = None  # seconds left while paused
    ended_at: float | None = None
    summary: str = ""
    summarised_by: str = ""  # the role that wrote the summary (the recorder, or the moderator)
    entered_by: str = ""  # the request was entered by staff for the speaker
    replies_to: str = ""  # a direct reply: the speech it answers
    over: list[str] = field(default_factory=list)  # limits this speech went past: time, person_speeches, ...

    def duration(self) -> float:
        return (self.ended_at or self.started_at) - self.started_at


@dataclass
class Opinion:
    id: str
    participant_id: str
    item: int
    text: str
    submitted_at: float
    visible: bool | None = None  # None: not yet moderated
    entered_by: str = ""


@dataclass
class Objection:
    id: str
    participant_id: str
    item: int
    reason: str
    raised_at: float
    explanations: list[dict[str, object]] = field(default_factory=list)
    responses: list[dict[str, object]] = field(default_factory=list)  # response, comment, at, entered_by
    entered_by: str = ""
    invitee: int | None = None  # the objector's place in the roster (an objection by personal code)
    during: str = "meeting"  # meeting | publicity | request
    basis: dict[str, list[str]] = field(default_factory=dict)  # a request's: the polls and speeches it rests on

    @property
    def response(self) -> str:
        """answered | still_objects | none — the objector's latest word."""
        return str(self.responses[-1]["response"]) if self.responses else "none"


@dataclass
class Item:
    index: int
    title: str
    background: str
    opened_at: float | None = None
    outcome: dict[str, object] | None = None
    # After the close: each correction of the outcome (outcome, opinion, reason, decided_by, by, at);
    # the outcome recorded at the meeting stays as it was.
    corrections: list[dict[str, Any]] = field(default_factory=list)
    # Sent on to another meeting (to_form, to_meeting, reason, at, by, decided: its outcome when known).
    escalations: list[dict[str, Any]] = field(default_factory=list)
    origin: str = ""  # "meeting:item" when this item was sent here from another meeting's item
    entrusted_by: str = ""  # the township or department that entrusted this matter to the consultation
    # After the close: each report to that body (to, text, by, at) and its reply (by_body, text, at), once known.
    reports: list[dict[str, Any]] = field(default_factory=list)
    added_at: float | None = None  # put on the agenda during the meeting (临时动议): when...
    added_reason: str = ""  # ...and why
    topic: dict[str, Any] | None = None  # the topic for consultation it takes up (TopicLinked)


@dataclass
class Party:
    """A party registered to testify at a hearing (facilitation/hearing.py)."""

    id: str
    name: str
    category: str
    for_kind: str
    speaks_for: str
    side: str
    summary: str
    registered_at: float
    registered_by: str  # the staff role that registered them; "" when they did it on their own phone
    invitee: int | None = None
    participant_id: str = ""
    testimony_seconds: int = 0  # their own time; 0: the hearing's default
    closing_seconds: int = 0
    withdrawn: dict[str, Any] | None = None  # reason, by, at
    testimony: str = ""  # the speech of their testimony, once called
    closing: str = ""  # ...and of their closing statement


@dataclass
class Meeting:
    id: str
    seq: int = 0
    last_hash: str = ""
    created_at: float = 0.0
    title: str = ""
    form: str = "council"
    place: str = ""
    starts_at: str = ""
    language: str = "zh-CN"
    speaking_seconds: int = 180
    moderator: str = ""
    recorder: str = ""
    categories: list[dict[str, str]] = field(default_factory=list)
    roster: list[dict[str, str]] = field(default_factory=list)
    convened: dict[str, Any] = field(default_factory=dict)  # who the roster was drawn from the register for
    # The community's template of its form as it was applied at creation (facilitation/forms.py), and
    # its wording (village | neighbourhood); empty in meetings made before there were templates.
    template: dict[str, Any] = field(default_factory=dict)
    wording: str = ""
    items: list[Item] = field(default_factory=list)
    current_item: int | None = None
    participants: dict[str, Participant] = field(default_factory=dict)
    requests: dict[str, Request] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)  # waiting request ids, in order
    speeches: dict[str, Speech] = field(default_factory=dict)
    current_speech: str | None = None
    opinions: dict[str, Opinion] = field(default_factory=dict)
    objections: dict[str, Objection] = field(default_factory=dict)
    polls: dict[str, Poll] = field(default_factory=dict)
    status: str = "new"  # new | open | closed
    closed_at: float | None = None
    # Running counts of who is in, kept as check-ins are applied: every screen's view shows them,
    # and counting 5,000 participants again for each view made a big hall's check-ins quadratic.
    invitees_in: dict[int, str] = field(default_factory=dict)  # roster index -> participant id
    category_counts: dict[str, int] = field(default_factory=dict)
    attendee_count: int = 0
    invited_attendees: int = 0  # invitees present as attendees (the quorum counts them)
    # Names (texts.name_key) of the invited and of everyone in or held: a walk-in giving one waits for the desk.
    roster_names: set[str] = field(default_factory=set)
    names_here: dict[str, int] = field(default_factory=dict)
    # Written proxies (委托): invitee -> {holder, note, at, status}; a proxy counts while its principal
    # is not here in person (status "active"); "lapsed" once they check in, "withdrawn" by the desk.
    proxies: dict[int, dict[str, Any]] = field(default_factory=dict)
    proxy_limit: int = 1  # invitees one person may hold proxies for
    issuer: str = ""  # who issues the public minutes; "" when the meeting did not say
    notice_days: int = 0  # the public minutes' publicity period; 0: the default
    # The floor's standing policy and limits (facilitation/fairness.py); meetings recorded before
    # there was a policy were first come, first served.
    floor_policy: str = "first_come"
    floor_limits: dict[str, int] = field(default_factory=dict)
    show_balance: bool = False
    floor_history: list[dict[str, Any]] = field(default_factory=list)  # each policy set: policy, limits, at
    moves: list[dict[str, Any]] = field(default_factory=list)  # each request moved by hand: request, participant, at
    # After the close: each action item's updates, by its id ("2.1"; facilitation/followup.py).
    action_updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Before the meeting (facilitation/notice.py): each notice recorded (invitees, how, scope, note, at, by),
    # and each invitee's latest reply by roster place (answer, holder, at, by, changes).
    notices: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[int, dict[str, Any]] = field(default_factory=dict)
    # A hearing's procedure (facilitation/hearing.py): its parties in the order registered, the stage
    # it is at and when each began, the default times (0: hearing.DEFAULT_SECONDS), the questions asked.
    parties: dict[str, Party] = field(default_factory=dict)
    hearing_stage: str = ""
    hearing_stages: list[dict[str, Any]] = field(default_factory=list)
    hearing_seconds: dict[str, int] = field(default_factory=dict)
    hearing_questions: list[str] = field(default_factory=list)

    # -- reading -----------------------------------------------------------------

    @property
    def created(self) -> bool:
        return self.status != "new"

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def category_keys(self) -> set[str]:
        return {c["key"] for c in self.categories}

    def speaker(self) -> Speech | None:
        return self.speeches.get(self.current_speech) if self.current_speech else None

    def open_polls(self) -> list[Poll]:
        return [p for p in self.polls.values() if p.open]

    def next_id(self, prefix: str, existing: Mapping[str, object]) -> str:
        return f"{prefix}{len(existing) + 1}"

    # -- folding -----------------------------------------------------------------

    def apply(self, event: ev.Event, at: float) -> None:
        handler: Callable[[Meeting, ev.Event, float], None] = _APPLY[type(event)]
        handler(self, event, at)


_APPLY: dict[type, Callable[[Meeting, Any, float], None]] = {}


def _entered_by(e: ev.Event, participant_id: str) -> str:
    """The staff role that entered this for the participant, or "" (their own phone, or not known)."""
    return e.actor.role if e.entered_for(participant_id) else ""


def _on(cls: type) -> Callable[[Callable[[Meeting, Any, float], None]], Callable[[Meeting, Any, float], None]]:
    def register(fn: Callable[[Meeting, Any, float], None]) -> Callable[[Meeting, Any, float], None]:
        _APPLY[cls] = fn
        return fn

    return register


@_on(ev.MeetingCreated)
def _created(m: Meeting, e: ev.MeetingCreated, at: float) -> None:
    m.status, m.created_at = "open", at
    m.title, m.form, m.place, m.starts_at = e.title, e.form, e.place, e.starts_at
    m.language, m.speaking_seconds = e.language, e.speaking_seconds
    m.moderator, m.recorder = e.moderator, e.recorder
    m.categories = [dict(c) for c in e.categories]
    m.roster = [dict(r) for r in e.roster]
    m.convened = dict(e.convened)
    m.template, m.wording = dict(e.template), e.wording
    m.proxy_limit = e.proxy_limit
    m.issuer, m.notice_days = e.issuer, e.notice_days
    m.roster_names = {name_key(r["name"]) for r in m.roster}
    m.items = [Item(i, a["title"], a.get("background", ""), origin=a.get("origin", ""),
                    entrusted_by=a.get("entrusted_by", "")) for i, a in enumerate(e.agenda)]


def _count(m: Meeting, p: Participant, sign: int) -> None:
    """Add (+1) or take away (-1) a counted participant from the running counts."""
    m.category_counts[p.category] = m.category_counts.get(p.category, 0) + sign
    if p.role == "attendee":
        m.attendee_count += sign
    if p.invitee is not None:
        if sign > 0:
            m.invitees_in[p.invitee] = p.id
            if (proxy := m.proxies.get(p.invitee)) and proxy["status"] == "active":
                proxy["status"] = "lapsed"  # here in person: they speak and vote for themselves
        else:
            m.invitees_in.pop(p.invitee, None)
        if p.role == "attendee":
            m.invited_attendees += sign


def _here(m: Meeting, name: str, sign: int) -> None:
    key = name_key(name)
    m.names_here[key] = m.names_here.get(key, 0) + sign
    if m.names_here[key] <= 0:
        del m.names_here[key]


def _rename(m: Meeting, p: Participant, invitee: int, via: str) -> None:
    """The check-in is the invitee at `invitee`: it takes their name and category."""
    r = m.roster[invitee]
    _here(m, p.name, -1)
    p.invitee, p.via, p.name, p.category = invitee, via, r["name"], r["category"]
    _here(m, p.name, +1)


def _leave(m: Meeting, p: Participant, status: str) -> None:
    """No longer counted: their ballots in open polls and their waiting requests go with them."""
    if p.counted:
        _count(m, p, -1)
    if p.status in ("in", "held"):
        _here(m, p.name, -1)
    p.status = status
    for poll in m.open_polls():
        poll.void(p.id)
    for invitee, proxy in m.proxies.items():  # a holder taken back no longer holds proxies
        if proxy["holder"] == p.id and proxy["status"] == "active":
            proxy["status"] = "withdrawn"
            for poll in m.open_polls():
                poll.void(proxy_voter(invitee))
    for rid in [rid for rid in m.queue if m.requests[rid].participant_id == p.id]:
        m.requests[rid].status = "removed"
        m.queue.remove(rid)


@_on(ev.ParticipantCheckedIn)
def _checked_in(m: Meeting, e: ev.ParticipantCheckedIn, at: float) -> None:
    p = Participant(e.participant_id, e.name, e.category, e.role, e.by, at, e.invitee,
                    _entered_by(e, e.participant_id), via=e.via, status="held" if e.held else "in")
    m.participants[e.participant_id] = p
    _here(m, p.name, +1)
    if e.held:
        p.history.append({"what": "held", "at": at})
    else:
        _count(m, p, +1)


@_on(ev.CheckInConfirmed)
def _confirmed(m: Meeting, e: ev.CheckInConfirmed, at: float) -> None:
    p = m.participants[e.participant_id]
    if e.invitee is not None:
        _rename(m, p, e.invitee, "desk")
    p.status = "in"
    p.history.append({"what": "confirmed", "at": at, "by": e.actor.role})
    _count(m, p, +1)


@_on(ev.CheckInRefused)
def _refused(m: Meeting, e: ev.CheckInRefused, at: float) -> None:
    p = m.participants[e.participant_id]
    _leave(m, p, "refused")
    p.history.append({"what": "refused", "reason": e.reason, "at": at, "by": e.actor.role})


@_on(ev.CheckInWithdrawn)
def _withdrawn(m: Meeting, e: ev.CheckInWithdrawn, at: float) -> None:
    p = m.participants[e.participant_id]
    _leave(m, p, "withdrawn")
    p.history.append({"what": "withdrawn", "reason": e.reason, "at": at, "by": e.actor.role})


@_on(ev.ParticipantsMerged)
def _merged(m: Meeting, e: ev.ParticipantsMerged, at: float) -> None:
    keep, drop = m.participants[e.keep], m.participants[e.drop]
    invitee = drop.invitee if keep.invitee is None else None
    _leave(m, drop, "merged")
    drop.merged_into = keep.id
    drop.history.append({"what": "merged", "into": keep.id, "reason": e.reason, "at": at, "by": e.actor.role})
    if keep.counted:
        _count(m, keep, -1)
    if invitee is not None:  # the kept check-in is the invitee the dropped one was recognised as
        _rename(m, keep, invitee, drop.via)
    if keep.status not in ("in", "held"):
        _here(m, keep.name, +1)
    keep.status = "in"  # the desk says this is the person, and that they are here
    _count(m, keep, +1)
    keep.history.append({"what": "merged_from", "from": drop.id, "reason": e.reason, "at": at, "by": e.actor.role})


@_on(ev.IdentityRecovered)
def _recovered(m: Meeting, e: ev.IdentityRecovered, at: float) -> None:
    m.participants[e.participant_id].history.append({"what": "recovered", "via": e.via, "at": at, "by": e.actor.role})


@_on(ev.ItemOpened)
def _item_opened(m: Meeting, e: ev.ItemOpened, at: float) -> None:
    m.current_item = e.item
    if m.items[e.item].opened_at is None:
        m.items[e.item].opened_at = at


@_on(ev.TopicLinked)
def _topic_linked(m: Meeting, e: ev.TopicLinked, at: float) -> None:
    m.items[e.item].topic = dict(e.topic)


@_on(ev.TopicUpdated)
def _topic_updated(m: Meeting, e: ev.TopicUpdated, at: float) -> None:
    m.items[e.item].topic = apply_changes(m.items[e.item].topic or {}, e.changes)


@_on(ev.ItemAdded)
def _item_added(m: Meeting, e: ev.ItemAdded, at: float) -> None:
    m.items.append(Item(e.item, e.title, e.background, added_at=at, added_reason=e.reason))


@_on(ev.HandRaised)
def _hand_raised(m: Meeting, e: ev.HandRaised, at: float) -> None:
    m.requests[e.request_id] = Request(e.request_id, e.participant_id, e.item, e.stance, e.kind, at,
                                       entered_by=_entered_by(e, e.participant_id), replies_to=e.replies_to)
    if e.kind == "point_of_order":  # a point of order goes before every speech request
        # ...but after the points of order already waiting at the head, which came first
        at_head = 0
        while at_head < len(m.queue) and m.requests[m.queue[at_head]].kind == "point_of_order":
            at_head += 1
        m.queue.insert(at_head, e.request_id)
    else:
        m.queue.append(e.request_id)


@_on(ev.HandWithdrawn)
def _hand_withdrawn(m: Meeting, e: ev.HandWithdrawn, at: float) -> None:
    m.requests[e.request_id].status = "withdrawn" if e.by == "self" else "removed"
    m.queue.remove(e.request_id)


@_on(ev.RequestsLapsed)
def _lapsed(m: Meeting, e: ev.RequestsLapsed, at: float) -> None:
    for rid in e.request_ids:
        m.requests[rid].status = "lapsed"
        if rid in m.queue:
            m.queue.remove(rid)


@_on(ev.QueueReordered)
def _reordered(m: Meeting, e: ev.QueueReordered, at: float) -> None:
    # The moderator's order holds for everyone in it (newcomers are placed by the policy after
    # them); whoever it moves from where they were heard before was moved by hand (counted here, so
    # that a record read again counts as this version does; one only pushed back was not moved).
    moved = set(fairness.moved_by_hand([p.request_id for p in fairness.heard_order(m)], list(e.order)))
    for index, rid in enumerate(e.order):
        if rid not in m.requests:
            continue
        m.requests[rid].pinned = True
        if rid in moved:
            m.requests[rid].moved = True
            m.moves.append({"request": rid, "participant": m.requests[rid].participant_id, "at": at,
                            "by": e.actor.role, "to": index})
    m.queue = list(e.order)


@_on(ev.FloorPolicySet)
def _floor_policy(m: Meeting, e: ev.FloorPolicySet, at: float) -> None:
    m.floor_policy, m.floor_limits, m.show_balance = e.policy, dict(e.limits), e.show_balance
    m.floor_history.append({"policy": e.policy, "limits": dict(e.limits), "at": at})


@_on(ev.FloorGranted)
def _floor_granted(m: Meeting, e: ev.FloorGranted, at: float) -> None:
    r = m.requests[e.request_id]
    r.status = "granted"
    if e.request_id in m.queue:
        m.queue.remove(e.request_id)
    # A request left waiting from an earlier item is heard on the item open now.
    item = r.item if m.current_item is None else m.current_item
    speech = Speech(e.speech_id, r.id, r.participant_id, item, r.stance, r.kind, e.started_at, e.ends_at,
                    entered_by=r.entered_by, replies_to=r.replies_to)
    limit = m.floor_limits.get("person_speeches", 0)
    if limit and sum(1 for s in m.speeches.values() if s.participant_id == r.participant_id) >= limit:
        speech.over.append("person_speeches")
    m.speeches[e.speech_id] = speech
    m.current_speech = e.speech_id
    if m.hearing_stage == "questions" and r.kind not in ("testimony", "closing"):
        m.hearing_questions.append(e.speech_id)


@_on(ev.TimerPaused)
def _paused(m: Meeting, e: ev.TimerPaused, at: float) -> None:
    s = m.speeches[e.speech_id]
    s.ends_at, s.remaining = None, e.remaining


@_on(ev.TimerResumed)
def _resumed(m: Meeting, e: ev.TimerResumed, at: float) -> None:
    s = m.speeches[e.speech_id]
    s.ends_at, s.remaining = e.ends_at, None


@_on(ev.TimerExtended)
def _extended(m: Meeting, e: ev.TimerExtended, at: float) -> None:
    s = m.speeches[e.speech_id]
    if s.ends_at is None:
        s.remaining = (s.remaining or 0) + e.seconds
    else:
        s.ends_at += e.seconds


@_on(ev.SpeechEnded)
def _speech_ended(m: Meeting, e: ev.SpeechEnded, at: float) -> None:
    s = m.speeches[e.speech_id]
    if s.ends_at is not None and e.ended_at > s.ends_at:
        s.over.append("time")  # flagged, never cut off
    s.ended_at = e.ended_at
    s.ends_at, s.remaining = None, None
    m.current_speech = None
    s.over += fairness.limits_passed(m, s)


@_on(ev.SpeechSummarised)
def _summarised(m: Meeting, e: ev.SpeechSummarised, at: float) -> None:
    s = m.speeches[e.speech_id]
    s.summary = e.summary
    s.summarised_by = e.actor.role if e.actor.staff else ""


@_on(ev.OpinionSubmitted)
def _opinion(m: Meeting, e: ev.OpinionSubmitted, at: float) -> None:
    m.opinions[e.opinion_id] = Opinion(e.opinion_id, e.participant_id, e.item, e.text, at,
                                       entered_by=_entered_by(e, e.participant_id))


@_on(ev.OpinionModerated)
def _moderated(m: Meeting, e: ev.OpinionModerated, at: float) -> None:
    m.opinions[e.opinion_id].visible = e.visible


@_on(ev.ObjectionRaised)
def _objection(m: Meeting, e: ev.ObjectionRaised, at: float) -> None:
    m.objections[e.objection_id] = Objection(e.objection_id, e.participant_id, e.item, e.reason, at,
                                             entered_by=_entered_by(e, e.participant_id), invitee=e.invitee,
                                             during=e.during, basis={k: list(v) for k, v in e.basis.items()})


@_on(ev.ExplanationGiven)
def _explained(m: Meeting, e: ev.ExplanationGiven, at: float) -> None:
    m.objections[e.objection_id].explanations.append({"text": e.text, "by": e.by, "at": at})


@_on(ev.ObjectionAnswered)
def _answered(m: Meeting, e: ev.ObjectionAnswered, at: float) -> None:
    o = m.objections[e.objection_id]
    o.responses.append({"response": e.response, "comment": e.comment, "at": at,
                        "entered_by": _entered_by(e, o.participant_id)})


@_on(ev.PollOpened)
def _poll_opened(m: Meeting, e: ev.PollOpened, at: float) -> None:
    from .quorum import quorum

    m.polls[e.poll_id] = Poll(e.poll_id, e.item, e.question, e.kind, list(e.options), e.secret, opened_at=at,
                              rule=e.rule, quorum_override=e.quorum_override,
                              quorum_at_open=quorum(m) if e.rule else None, hide_results=e.hide_results,
                              max_choices=e.max_choices, method=e.method, named=e.named, changeable=e.changeable)


@_on(ev.ResultsRevealed)
def _revealed(m: Meeting, e: ev.ResultsRevealed, at: float) -> None:
    m.polls[e.poll_id].revealed_at = at


def proxy_voter(invitee: int) -> str:
    """The key a proxy's ballot is kept under in a poll (one ballot per invitee)."""
    return f"proxy:{invitee}"


def keep_secret_ballots(m: Meeting, *, participant_id: str | None = None, principal: int | None = None) -> None:
    """Refuse what would take back a ballot already in an open secret poll's box: it cannot be
    found there to be taken out (its voter is kept apart from it). After the poll closes it counts."""
    voters = set()
    if participant_id is not None:
        voters.add(participant_id)
        voters.update(proxy_voter(i) for i, x in m.proxies.items() if x["holder"] == participant_id and x["status"] == "active")
    if principal is not None:
        voters.add(proxy_voter(principal))
    if any(p.secret and voters & p.ballots.keys() for p in m.open_polls()):
        raise VotingError("in_secret_box")


def voter_categories(m: Meeting) -> dict[str, str]:
    """Each ballot's voter key and its category: a participant's, and a proxy's ballot its member's."""
    categories = {pid: x.category for pid, x in m.participants.items()}
    categories.update({proxy_voter(i): str(r.get("category", "")) for i, r in enumerate(m.roster)})
    return categories


@_on(ev.VoterMarked)
def _marked(m: Meeting, e: ev.VoterMarked, at: float) -> None:
    m.polls[e.poll_id].cast(e.participant_id if e.for_invitee is None else proxy_voter(e.for_invitee), SEALED)


@_on(ev.BallotsCounted)
def _counted(m: Meeting, e: ev.BallotsCounted, at: float) -> None:
    m.polls[e.poll_id].count_box([(str(r), tuple(b) if isinstance(b, list) else int(b)) for r, b in e.ballots])


@_on(ev.BallotCast)
def _ballot(m: Meeting, e: ev.BallotCast, at: float) -> None:
    voter = e.participant_id if e.for_invitee is None else proxy_voter(e.for_invitee)
    m.polls[e.poll_id].cast(voter, tuple(e.choices) if e.choices is not None else e.choice)
    if e.entered_for(e.participant_id):
        m.polls[e.poll_id].entered_by_staff.add(voter)
    else:  # changed on the voter's own phone, in a poll that allows it
        m.polls[e.poll_id].entered_by_staff.discard(voter)


@_on(ev.ProxyRecorded)
def _proxy(m: Meeting, e: ev.ProxyRecorded, at: float) -> None:
    m.proxies[e.principal] = {"holder": e.holder, "note": e.note, "at": at, "status": "active"}


@_on(ev.ProxyWithdrawn)
def _proxy_withdrawn(m: Meeting, e: ev.ProxyWithdrawn, at: float) -> None:
    proxy = m.proxies[e.principal]
    proxy.update(status="withdrawn", reason=e.reason, ended_at=at)
    for poll in m.open_polls():  # a ballot cast under a proxy withdrawn while the vote is open goes with it
        poll.void(proxy_voter(e.principal))


@_on(ev.HandCountAdded)
def _hands(m: Meeting, e: ev.HandCountAdded, at: float) -> None:
    m.polls[e.poll_id].add_hands(list(e.counts))


@_on(ev.HandCountCorrected)
def _hands_corrected(m: Meeting, e: ev.HandCountCorrected, at: float) -> None:
    m.polls[e.poll_id].set_hands(list(e.counts), reason=e.reason, at=at)


@_on(ev.PollClosed)
def _poll_closed(m: Meeting, e: ev.PollClosed, at: float) -> None:
    from .binding import AREA_RULES, base_now

    p = m.polls[e.poll_id]
    p.open, p.closed_at = False, at
    if p.binding:  # who was present and entitled when the vote closed decides what it needed
        p.base = base_now(m, areas=p.rule in AREA_RULES)


@_on(ev.OutcomeRecorded)
def _outcome(m: Meeting, e: ev.OutcomeRecorded, at: float) -> None:
    m.items[e.item].outcome = {"outcome": e.outcome, "opinion": e.opinion, "actions": list(e.actions), "at": at}


@_on(ev.MeetingClosed)
def _closed(m: Meeting, e: ev.MeetingClosed, at: float) -> None:
    m.status, m.closed_at = "closed", at


@_on(ev.DecisionCorrected)
def _corrected(m: Meeting, e: ev.DecisionCorrected, at: float) -> None:
    m.items[e.item].corrections.append({"outcome": e.outcome, "opinion": e.opinion, "reason": e.reason,
                                        "decided_by": e.decided_by, "by": e.actor.role, "at": at})


@_on(ev.ItemEscalated)
def _escalated(m: Meeting, e: ev.ItemEscalated, at: float) -> None:
    m.items[e.item].escalations.append({"to_form": e.to_form, "to_meeting": e.to_meeting, "reason": e.reason,
                                        "by": e.actor.role, "at": at, "decided": None})


@_on(ev.EscalationDecided)
def _decided_elsewhere(m: Meeting, e: ev.EscalationDecided, at: float) -> None:
    for x in m.items[e.item].escalations:
        if x["to_meeting"] == e.meeting:
            x["decided"] = {"outcome": e.outcome, "opinion": e.opinion, "at": at}


@_on(ev.MatterReported)
def _reported(m: Meeting, e: ev.MatterReported, at: float) -> None:
    m.items[e.item].reports.append({"to": e.to, "text": e.text, "by": e.actor.role, "at": at, "reply": None})


@_on(ev.ReplyRecorded)
def _replied(m: Meeting, e: ev.ReplyRecorded, at: float) -> None:
    m.items[e.item].reports[-1]["reply"] = {"by_body": e.by_body, "text": e.text, "at": at}


@_on(ev.ActionUpdated)
def _action_updated(m: Meeting, e: ev.ActionUpdated, at: float) -> None:
    m.action_updates.setdefault(e.action, []).append({
        "status": e.status, "percent": e.percent, "note": e.note, "due": e.due,
        "attachments": [dict(a) for a in e.attachments], "by": e.actor.role, "at": at})


@_on(ev.PartyRegistered)
def _party_registered(m: Meeting, e: ev.PartyRegistered, at: float) -> None:
    m.parties[e.party_id] = Party(e.party_id, e.name, e.category, e.for_kind, e.speaks_for, e.side, e.summary, at,
                                  e.actor.role if e.actor.staff else "", invitee=e.invitee,
                                  participant_id=e.participant_id)


@_on(ev.PartyWithdrawn)
def _party_withdrawn(m: Meeting, e: ev.PartyWithdrawn, at: float) -> None:
    m.parties[e.party_id].withdrawn = {"reason": e.reason, "by": e.actor.role, "at": at}


@_on(ev.HearingTimeSet)
def _hearing_time(m: Meeting, e: ev.HearingTimeSet, at: float) -> None:
    if e.party_id:
        party = m.parties[e.party_id]
        party.testimony_seconds, party.closing_seconds = e.testimony_seconds, e.closing_seconds
    else:
        m.hearing_seconds = {"testimony": e.testimony_seconds, "closing": e.closing_seconds}


@_on(ev.HearingStageBegun)
def _hearing_stage(m: Meeting, e: ev.HearingStageBegun, at: float) -> None:
    m.hearing_stage = e.stage
    m.hearing_stages.append({"stage": e.stage, "at": at, "by": e.actor.role})


@_on(ev.PartyCalled)
def _party_called(m: Meeting, e: ev.PartyCalled, at: float) -> None:
    setattr(m.parties[e.party_id], "closing" if e.part == "closing" else "testimony", e.speech_id)


@_on(ev.InviteesNotified)
def _notified(m: Meeting, e: ev.InviteesNotified, at: float) -> None:
    m.notices.append({"invitees": list(e.invitees), "how": e.how, "scope": e.scope, "note": e.note, "at": at,
                      "by": e.actor.role})


@_on(ev.ReplyGiven)
def _reply(m: Meeting, e: ev.ReplyGiven, at: float) -> None:
    before = m.replies.get(e.invitee)
    m.replies[e.invitee] = {"answer": e.answer, "holder": e.holder, "at": at, "by": e.actor.role,
                            "changes": before["changes"] + 1 if before else 0}
