"""Formal objections and the explanation log: every objector gets an answer and may reply.

Explanations and replies stay possible after the meeting closes; each is a new event.
"""
from __future__ import annotations

from . import events as ev
from . import texts
from .agenda import current_item, item_index, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import Meeting, Objection

RESPONSES = ("answered", "still_objects")


MAX_UNEXPLAINED = 5  # objections one person may have waiting for an explanation: each gets one, so few at a time


def raise_objection(m: Meeting, *, participant_id: str, reason: str, item: int | None = None) -> list[ev.Event]:
    must_be_open(m)
    participant(m, participant_id)
    waiting = sum(1 for o in m.objections.values() if o.participant_id == participant_id and not o.explanations)
    if waiting >= MAX_UNEXPLAINED:
        raise MeetingError("too_many_objections", max=MAX_UNEXPLAINED)
    target = current_item(m) if item is None else item_index(m, item)
    return [ev.ObjectionRaised(
        objection_id=m.next_id("x", m.objections), participant_id=participant_id, item=target,
        reason=texts.clean(reason, "reason", texts.TEXT),
    )]


def _objection(m: Meeting, objection_id: str) -> Objection:
    if objection_id not in m.objections:
        raise MeetingError("no_such_objection")
    return m.objections[objection_id]


def explain(m: Meeting, *, objection_id: str, text: str, by: str = "") -> list[ev.Event]:
    _objection(m, objection_id)
    return [ev.ExplanationGiven(
        objection_id=objection_id, text=texts.clean(text, "explanation", texts.TEXT),
        by=texts.clean(by or m.moderator, "by", texts.NAME, required=False),
    )]


def answer(m: Meeting, *, participant_id: str, objection_id: str, response: str, comment: str = "") -> list[ev.Event]:
    o = _objection(m, objection_id)
    if o.participant_id != participant_id:
        raise MeetingError("not_your_objection")
    if not o.explanations:
        raise MeetingError("not_explained_yet")
    if response not in RESPONSES:
        raise MeetingError("unknown_response", response=response)
    return [ev.ObjectionAnswered(
        objection_id=objection_id, response=response, comment=texts.clean(comment, "comment", texts.TEXT, required=False),
    )]


def unanswered(m: Meeting) -> list[Objection]:
    """The organisers' to-do list: objections with no explanation yet, and those whose objector
    still objects after the latest explanation (a newer explanation waits on the objector)."""
    def waiting_on_organisers(o: Objection) -> bool:
        if not o.explanations:
            return True
        return o.response == "still_objects" and float(o.responses[-1]["at"]) >= float(o.explanations[-1]["at"])  # type: ignore[arg-type]

    return [o for o in m.objections.values() if waiting_on_organisers(o)]
