"""Formal objections and the explanation log: every objector gets an answer and may reply.

Explanations and replies stay possible after the meeting closes; each is a new event.
"""
from __future__ import annotations

from typing import Any

from . import events as ev
from . import texts
from .followup import day_of, publicity_period
from .agenda import current_item, item_index, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import Meeting, Objection

RESPONSES = ("answered", "still_objects")
AGAINST = {"yes_no_abstain": "no", "rating": "dissatisfied"}  # the choice that disagrees, by poll kind


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


def raise_in_publicity(m: Meeting, *, invitee: int, item: int, reason: str, now: float) -> list[ev.Event]:
    """An invited resident objects to a decision while it is posted, with their personal code —
    whether or not they came to the meeting. It enters the explanation log like any other."""
    if not m.closed:
        raise MeetingError("meeting_not_closed")
    period = publicity_period(m)
    assert period is not None
    if not period[0] <= day_of(now) <= period[1]:
        raise MeetingError("publicity_over", end=period[1].isoformat())
    if not 0 <= invitee < len(m.roster):
        raise MeetingError("bad_code")
    target = item_index(m, item)
    pid = m.invitees_in.get(invitee, "")  # they came: the objection is also their phone's
    waiting = sum(1 for o in m.objections.values() if _objectors(o, m, invitee) and not o.explanations)
    if waiting >= MAX_UNEXPLAINED:
        raise MeetingError("too_many_objections", max=MAX_UNEXPLAINED)
    return [ev.ObjectionRaised(
        objection_id=m.next_id("x", m.objections), participant_id=pid, item=target,
        reason=texts.clean(reason, "reason", texts.TEXT), invitee=invitee, during="publicity",
    )]


def dissent(m: Meeting, participant_id: str, item: int) -> dict[str, list[str]]:
    """Where a participant stood against on an item: the named polls they voted "no" in (their own
    ballot, entered by them or for them) and the speeches they made against."""
    polls = [p.id for p in m.polls.values() if p.item == item and not p.secret and p.kind in AGAINST
             and p.ballots.get(participant_id) == p.options.index(AGAINST[p.kind])]
    speeches = [s.id for s in m.speeches.values() if s.item == item and s.participant_id == participant_id
                and s.stance == "against"]
    return {k: v for k, v in (("polls", polls), ("speeches", speeches)) if v}


def dissenter(m: Meeting, event_type: str, data: dict[str, Any]) -> str | None:
    """The participant an event (already applied) makes one who voted or spoke against: their phone
    may now ask for an explanation. Their own ballot against in a named poll; a speech against."""
    if event_type == "BallotCast" and data.get("for_invitee") is None:
        poll = m.polls.get(str(data.get("poll_id")))
        if poll and not poll.secret and poll.kind in AGAINST and data.get("choice") == poll.options.index(AGAINST[poll.kind]):
            return str(data.get("participant_id") or "") or None
    if event_type == "FloorGranted":
        speech = m.speeches.get(str(data.get("speech_id")))
        if speech is not None and speech.stance == "against" and speech.participant_id in m.participants:
            return speech.participant_id
    return None


def requested(m: Meeting, participant_id: str, item: int) -> bool:
    return any(o.during == "request" and o.participant_id == participant_id and o.item == item
               for o in m.objections.values())


def may_request(m: Meeting, participant_id: str, now: float | None = None) -> list[int]:
    """The items this participant may still ask the organisers to explain (see `request_explanation`)."""
    if m.closed and now is not None and _publicity_over(m, now):
        return []
    return [i.index for i in m.items if dissent(m, participant_id, i.index) and not requested(m, participant_id, i.index)]


def _publicity_over(m: Meeting, now: float) -> bool:
    period = publicity_period(m)
    return period is not None and day_of(now) > period[1]


def request_explanation(m: Meeting, *, participant_id: str, item: int, reason: str, now: float) -> list[ev.Event]:
    """Someone who voted against in a named poll, or spoke against, asks the organisers why the
    decision went the other way: it enters the explanation log like an objection, naming what it
    rests on. During the meeting and, after it, until the publicity period ends; once per item."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if m.closed and _publicity_over(m, now):
        period = publicity_period(m)
        assert period is not None
        raise MeetingError("publicity_over", end=period[1].isoformat())
    participant(m, participant_id)
    target = item_index(m, item)
    basis = dissent(m, participant_id, target)
    if not basis:
        raise MeetingError("nothing_against", item=target + 1)
    if requested(m, participant_id, target):
        raise MeetingError("already_requested", item=target + 1)
    return [ev.ObjectionRaised(
        objection_id=m.next_id("x", m.objections), participant_id=participant_id, item=target,
        reason=texts.clean(reason, "reason", texts.TEXT), during="request", basis=basis,
    )]


def _objectors(o: Objection, m: Meeting, invitee: int) -> bool:
    """The objection is this invitee's: raised with their code, or from their phone at the meeting."""
    return o.invitee == invitee or (bool(o.participant_id) and m.invitees_in.get(invitee) == o.participant_id)


def of_invitee(m: Meeting, invitee: int) -> list[Objection]:
    return [o for o in m.objections.values() if _objectors(o, m, invitee)]


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


def answer(m: Meeting, *, participant_id: str = "", objection_id: str, response: str, comment: str = "",
           invitee: int | None = None) -> list[ev.Event]:
    """The objector's reply: from their phone (`participant_id`) or with their code (`invitee`)."""
    o = _objection(m, objection_id)
    mine = o.participant_id == participant_id if participant_id else invitee is not None and _objectors(o, m, invitee)
    if not mine:
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
