"""Everything that can happen in a meeting, in the past tense.

An event is a small frozen dataclass; its wire name is its class name. The record stores
`type` and the dataclass fields as JSON (see docs/protocol.md).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        EVENT_TYPES[cls.__name__] = cls

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


def event_from(type_name: str, data: dict[str, Any]) -> Event:
    cls = EVENT_TYPES[type_name]
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


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
    roster: list[dict[str, str]] = field(default_factory=list)  # the invited: name, category


@dataclass(frozen=True)
class ParticipantCheckedIn(Event):
    participant_id: str
    name: str
    category: str
    role: str  # attendee | observer
    by: str  # self | moderator
    invitee: int | None = None  # index in the roster; None for a walk-in


@dataclass(frozen=True)
class ItemOpened(Event):
    item: int


@dataclass(frozen=True)
class HandRaised(Event):
    request_id: str
    participant_id: str
    item: int
    stance: str
    kind: str  # speech | point_of_order | reply
    by: str


@dataclass(frozen=True)
class HandWithdrawn(Event):
    request_id: str
    by: str  # self | moderator


@dataclass(frozen=True)
class QueueReordered(Event):
    order: list[str]


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
    participant_id: str
    item: int
    reason: str


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


@dataclass(frozen=True)
class BallotCast(Event):
    poll_id: str
    participant_id: str
    choice: int


@dataclass(frozen=True)
class HandCountAdded(Event):
    poll_id: str
    counts: list[int]


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
