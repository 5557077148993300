"""Everything that can happen in a meeting, in the past tense.

An event is a small frozen dataclass; its wire name is its class name. The record stores
`type` and the dataclass fields as JSON, with `v` (the version of that shape) and `actor`
(who did it). Stored rows are never rewritten: an event stored in an older shape is read
through `facilitation.upcast` (see docs/record.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

EVENT_TYPES: dict[str, type[Event]] = {}

# Who did something, as the record names them. A phone acts as its own participant; staff
# (moderator, recorder, facilitator) act at the front and may enter things for someone.
PARTICIPANT, MODERATOR, RECORDER, FACILITATOR, SYSTEM = "participant", "moderator", "recorder", "facilitator", "system"
# An invited resident acting with their personal code after the meeting (the publicity period's
# objections), who was not there in person: `id` is their place in the roster.
INVITEE = "invitee"
# A person on a community's register acting with their resident code (居民码) in the topics record:
# proposing, co-signing, giving an opinion before any meeting. `id` is their register id.
RESIDENT = "resident"
STAFF = (MODERATOR, RECORDER, FACILITATOR)
# Version 1 events did not say who did them; where the shape cannot tell, the actor is unknown.
UNKNOWN = "unknown"
ACTOR_ROLES = (PARTICIPANT, MODERATOR, RECORDER, FACILITATOR, SYSTEM, INVITEE, RESIDENT, UNKNOWN)


@dataclass(frozen=True)
class By:
    """The actor of an event: a role, and for a participant their id."""

    role: str
    id: str = ""

    @property
    def staff(self) -> bool:
        return self.role in STAFF

    def to_data(self) -> dict[str, str]:
        return {"role": self.role, "id": self.id} if self.id else {"role": self.role}

    @staticmethod
    def from_data(data: Any) -> By:
        if isinstance(data, By):
            return data
        if isinstance(data, dict):
            return By(str(data.get("role", UNKNOWN)), str(data.get("id", "") or ""))
        return By(UNKNOWN)


NOBODY = By(UNKNOWN)


@dataclass(frozen=True)
class Event:
    VERSION: ClassVar[int] = 2  # the shape written today; older shapes go through facilitation.upcast
    RECORDED: ClassVar[bool] = True  # False: not an event of the record (SealedBallot)

    actor: By = field(default=NOBODY, kw_only=True)

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.__dict__.get("RECORDED", True):
            EVENT_TYPES[cls.__name__] = cls

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_data(self) -> dict[str, Any]:
        return asdict(self) | {"actor": self.actor.to_data(), "v": self.VERSION}

    def entered_for(self, participant_id: str | None) -> bool:
        """Staff entered this for a participant (who did not do it on their own phone)."""
        return bool(participant_id) and self.actor.staff


def event_from(type_name: str, data: dict[str, Any]) -> Event:
    """The event as this code knows it, from data already in the current shape (see upcast)."""
    cls = EVENT_TYPES[type_name]
    names = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in data.items() if k in names}
    kwargs["actor"] = By.from_data(data.get("actor"))
    return cls(**kwargs)


@dataclass(frozen=True)
class MeetingCreated(Event):
    title: str
    form: str
    place: str
    starts_at: str
    language: str
    speaking_seconds: int
    categories: list[dict[str, str]]
    agenda: list[dict[str, str]]
    moderator: str = ""
    recorder: str = ""
    roster: list[dict[str, str]] = field(default_factory=list)  # the invited: name, category (, area)
    # When drawn from the register: who (adults | households | representatives | owners), groups,
    # and the register event (seq, hash) they were drawn from; empty when typed in.
    convened: dict[str, Any] = field(default_factory=dict)
    proxy_limit: int = 1  # how many absent invitees one person may hold a written proxy for
    # Who issues the public minutes and takes questions on them (幸福里社区居委会); "": the body the
    # place names, else the residents' (villagers') committee. The publicity period of the public
    # minutes in days; 0: the default (7).
    issuer: str = ""
    notice_days: int = 0
    # The community's template of the form as applied (facilitation/forms.py `applied`): speaking
    # time, who speaks and votes, poll kinds, quorum; and the community's wording (village |
    # neighbourhood). Empty in meetings made before there were templates.
    template: dict[str, Any] = field(default_factory=dict)
    wording: str = ""


@dataclass(frozen=True)
class ParticipantCheckedIn(Event):
    participant_id: str
    name: str
    category: str
    role: str  # attendee | observer
    by: str  # self | moderator
    invitee: int | None = None  # index in the roster; None for a walk-in
    # How an invitee was recognised: "code" (their personal join code), "desk" (staff saw them);
    # "" in records from before codes existed, when a phone could pick any name from the roster.
    via: str = ""
    held: bool = False  # a walk-in whose name matches someone: waits for the desk before it counts


@dataclass(frozen=True)
class CheckInConfirmed(Event):
    """The desk let a held walk-in in, as the invitee it turned out to be (or as a walk-in)."""

    participant_id: str
    invitee: int | None = None


@dataclass(frozen=True)
class CheckInRefused(Event):
    participant_id: str
    reason: str


@dataclass(frozen=True)
class CheckInWithdrawn(Event):
    """A check-in taken back (someone checked in as another, or by mistake): no longer counted."""

    participant_id: str
    reason: str


@dataclass(frozen=True)
class ParticipantsMerged(Event):
    """Two check-ins of one person: `drop` becomes `keep` (its phone acts as `keep` from now on)."""

    keep: str
    drop: str
    reason: str


@dataclass(frozen=True)
class IdentityRecovered(Event):
    """A phone that lost its identity took it back with the person's code (or at the desk)."""

    participant_id: str
    via: str  # code | desk


@dataclass(frozen=True)
class ItemOpened(Event):
    item: int


@dataclass(frozen=True)
class TopicLinked(Event):
    """The topic for consultation (facilitation/topics.py) an item takes up, as it stood when it was
    put on the agenda: where it came from and, for a petition, how many signed of how many needed."""

    item: int
    topic: dict[str, Any]


@dataclass(frozen=True)
class TopicUpdated(Event):
    """The topic an item takes up, brought up to date (the opinions gathered on it in advance, as
    residents give them): only what changed since the meeting last held it, as
    facilitation/view_changes.py writes a change, so that a topic with hundreds of stances does not
    copy its whole summary into the record at each one."""

    item: int
    changes: dict[str, Any]


@dataclass(frozen=True)
class ItemAdded(Event):
    """An item the chair put on the agenda during the meeting (临时动议), with why; it goes last."""

    item: int
    title: str
    background: str = ""
    reason: str = ""


@dataclass(frozen=True)
class HandRaised(Event):
    request_id: str
    participant_id: str
    item: int
    stance: str
    kind: str  # speech | point_of_order | reply | testimony | closing (a hearing's party)
    by: str
    replies_to: str = ""  # a direct reply: the speech it answers (since the fair floor; "" before)


@dataclass(frozen=True)
class PartyRegistered(Event):
    """A party registered to testify at a hearing (听证陈述人; facilitation/hearing.py): by staff, or
    by the invitee on their own phone (the actor says which)."""

    party_id: str
    name: str
    category: str
    for_kind: str  # concerned | group | building | organisation: whom they speak for
    speaks_for: str  # that group, building or organisation ("" for a party concerned)
    side: str  # for | against | other
    summary: str  # what they will say, in short
    invitee: int | None = None  # their place in the roster, when they are invited
    participant_id: str = ""  # the phone that registered itself ("" when staff registered them)


@dataclass(frozen=True)
class PartyWithdrawn(Event):
    party_id: str
    reason: str = ""


@dataclass(frozen=True)
class HearingTimeSet(Event):
    """A hearing's speaking times: the defaults for every party (party_id ""), or one party's own.
    0: the default."""

    party_id: str = ""
    testimony_seconds: int = 0
    closing_seconds: int = 0


@dataclass(frozen=True)
class HearingStageBegun(Event):
    stage: str  # explain | plan | testimony | questions | closing | close


@dataclass(frozen=True)
class PartyCalled(Event):
    """A party is given the floor for its testimony or its closing statement: the speech it is."""

    party_id: str
    part: str  # testimony | closing
    speech_id: str


@dataclass(frozen=True)
class HandWithdrawn(Event):
    request_id: str
    by: str  # self | moderator


@dataclass(frozen=True)
class RequestsLapsed(Event):
    """Requests still waiting when their item ended (another item opened) or the meeting closed."""

    request_ids: list[str]
    reason: str  # item_changed | meeting_closed


@dataclass(frozen=True)
class QueueReordered(Event):
    """The moderator's order for the queue; a request it puts elsewhere than the policy did is
    marked moved by hand and keeps that place (facilitation/fairness.py)."""

    order: list[str]


@dataclass(frozen=True)
class FloorPolicySet(Event):
    """The standing policy for the queue's order, the limits on speaking, and whether the projector
    shows the balance of who has been heard (facilitation/fairness.py)."""

    policy: str
    limits: dict[str, int] = field(default_factory=dict)
    show_balance: bool = False


@dataclass(frozen=True)
class FloorGranted(Event):
    speech_id: str
    request_id: str
    started_at: float
    ends_at: float


@dataclass(frozen=True)
class TimerPaused(Event):
    speech_id: str
    remaining: float


@dataclass(frozen=True)
class TimerResumed(Event):
    speech_id: str
    ends_at: float


@dataclass(frozen=True)
class TimerExtended(Event):
    speech_id: str
    seconds: int


@dataclass(frozen=True)
class SpeechEnded(Event):
    speech_id: str
    ended_at: float


@dataclass(frozen=True)
class SpeechSummarised(Event):
    speech_id: str
    summary: str


@dataclass(frozen=True)
class OpinionSubmitted(Event):
    opinion_id: str
    participant_id: str
    item: int
    text: str


@dataclass(frozen=True)
class OpinionModerated(Event):
    opinion_id: str
    visible: bool


@dataclass(frozen=True)
class ObjectionRaised(Event):
    objection_id: str
    participant_id: str  # "" for an invitee who was not there, objecting in the publicity period
    item: int
    reason: str
    invitee: int | None = None  # the objector's place in the roster, when they object with their code
    # meeting | publicity: raised after the close, while the decision is posted | request: an
    # explanation asked for by someone who voted or spoke against (`basis` names the polls and speeches)
    during: str = "meeting"
    basis: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExplanationGiven(Event):
    objection_id: str
    text: str
    by: str


@dataclass(frozen=True)
class ObjectionAnswered(Event):
    objection_id: str
    response: str  # answered | still_objects
    comment: str


@dataclass(frozen=True)
class PollOpened(Event):
    poll_id: str
    item: int
    question: str
    kind: str
    options: list[str]
    secret: bool = False
    rule: str = ""  # a binding poll's majority rule (voting.majority.RULES); "" for a straw poll
    quorum_override: str = ""  # the moderator's reason for opening a binding poll without quorum
    # The room sees the count only once the moderator reveals it (ResultsRevealed); until then how
    # many have voted. False (before it existed too): the count shows as ballots come in.
    hide_results: bool = False
    max_choices: int = 0  # multiple choice: at most this many options per ballot
    method: str = ""  # a ranking's counting method: borda | instant_runoff
    named: bool = False  # a roll call: every voter's ballot is public by design (never with `secret`)
    changeable: bool = False  # a voter may cast again until it closes, the last ballot counting (never secret)


@dataclass(frozen=True)
class ResultsRevealed(Event):
    """The moderator shows the room a poll's count (one opened with its results hidden)."""

    poll_id: str


@dataclass(frozen=True)
class BallotCast(Event):
    poll_id: str
    participant_id: str
    choice: int = -1  # the option chosen; -1 in a multiple-choice ballot, whose options are `choices`
    for_invitee: int | None = None  # a proxy's ballot: cast by participant_id for the invitee at this place
    choices: list[int] | None = None  # multiple choice: the options chosen; a ranking: in order of preference


@dataclass(frozen=True)
class VoterMarked(Event):
    """Someone voted in a secret poll: who (or for whom, a proxy's ballot), never how. The ballot
    went into the poll's box apart from the record (SealedBallot), to be counted at the close."""

    poll_id: str
    participant_id: str
    for_invitee: int | None = None


@dataclass(frozen=True)
class SealedBallot(Event):
    """A secret ballot on its way into the box: never stored as an event, nor with its voter, its
    time or its place in the record (live/store.py keeps (receipt, ballot) in receipt order)."""

    RECORDED: ClassVar[bool] = False

    poll_id: str
    receipt: str
    choice: int = -1
    choices: list[int] | None = None


@dataclass(frozen=True)
class BallotsCounted(Event):
    """A secret poll's box, opened at its close: every ballot with its receipt, in receipt order
    (anyone can recount it; each voter can find their receipt and what it says)."""

    poll_id: str
    ballots: list[list[Any]]  # [receipt, choice] or [receipt, [choices]]


@dataclass(frozen=True)
class ProxyRecorded(Event):
    """The desk saw a written proxy (委托书): `holder` votes for the invitee at `principal`."""

    principal: int
    holder: str
    note: str = ""


@dataclass(frozen=True)
class ProxyWithdrawn(Event):
    principal: int
    reason: str


@dataclass(frozen=True)
class HandCountAdded(Event):
    poll_id: str
    counts: list[int]


@dataclass(frozen=True)
class HandCountCorrected(Event):
    """The hands counted so far were miscounted: `counts` replaces their total (phones unchanged)."""

    poll_id: str
    counts: list[int]
    reason: str = ""


@dataclass(frozen=True)
class PollClosed(Event):
    poll_id: str


@dataclass(frozen=True)
class OutcomeRecorded(Event):
    item: int
    outcome: str
    opinion: str
    actions: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingClosed(Event):
    pass


@dataclass(frozen=True)
class DecisionCorrected(Event):
    """After the close: an item's outcome found to break the law or policy, corrected — never erased."""

    item: int
    outcome: str  # the outcome as corrected (consensus | partial | none | deferred)
    opinion: str  # the consultation opinion as corrected
    reason: str  # what it broke
    decided_by: str  # who decided the correction (幸福街道党工委, 2027年1月5日会议)


@dataclass(frozen=True)
class ItemEscalated(Event):
    """An item sent on to a residents' assembly or a representatives' meeting, which takes it up as
    one of its own agenda items (whose `origin` names this one)."""

    item: int
    to_form: str  # assembly | representatives
    to_meeting: str
    reason: str


@dataclass(frozen=True)
class EscalationDecided(Event):
    """What the meeting an item was sent on to decided, written back to the item (by the system,
    when that meeting closes)."""

    item: int
    meeting: str
    outcome: str
    opinion: str


@dataclass(frozen=True)
class MatterReported(Event):
    """After the close: a matter the township or a department entrusted to the consultation is
    reported back to it, with what the report says (facilitation/followup.py)."""

    item: int
    to: str  # the body reported to (幸福街道办事处)
    text: str


@dataclass(frozen=True)
class ReplyRecorded(Event):
    """The reply of the body a matter was reported to, entered by the office (to the latest report)."""

    item: int
    by_body: str  # the body that replied
    text: str


@dataclass(frozen=True)
class ActionUpdated(Event):
    """After the close: an action item's progress (facilitation/followup.py)."""

    action: str  # "2.1": the second item's first action
    status: str  # open | in_progress | done | blocked | cancelled
    percent: int | None = None  # how far along; None: not said in this update
    note: str = ""  # progress, or the reason it is blocked or cancelled
    due: str = ""  # a new due date; "" when unchanged
    attachments: list[dict[str, Any]] = field(default_factory=list)  # {sha256, type, size, name}


@dataclass(frozen=True)
class InviteesNotified(Event):
    """Staff record that invitees were told of the meeting (通知回执): whom, how, in what scope."""

    invitees: list[int]  # places in the roster
    how: str  # slip | call | message_group | posted (facilitation/notice.py WAYS)
    scope: str  # all | category:<key> | some | one: how staff chose them
    note: str = ""


@dataclass(frozen=True)
class ReplyGiven(Event):
    """An invitee's reply before the meeting (参会回复), from their phone with their code (actor:
    the invitee) or taken by staff; a later reply replaces an earlier one."""

    invitee: int
    answer: str  # coming | not_coming | proxy
    holder: str = ""  # the proxy holder's name, for `proxy`
