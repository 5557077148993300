"""Reading events stored in an older shape: pure functions from one version's data to the next.

The hash chain covers the stored text, so an old row is never rewritten; it is read through
these functions instead, every time. A stored event without `v` is version 1. To change an
event's shape: raise `Event.VERSION` (or the class's own), and add a function here from the
previous version of every affected type (see docs/record.md).
"""
from __future__ import annotations

from typing import Any, Callable

from . import events as ev

Data = dict[str, Any]
Upcaster = Callable[[str, Data], Data]

# Version 1 named nobody. What each type's shape still tells about who did it:
# - only the moderator key could send these commands in version 1;
_MODERATOR_ONLY = {
    "ItemOpened", "QueueReordered", "FloorGranted", "TimerPaused", "TimerResumed", "TimerExtended", "SpeechEnded",
    "SpeechSummarised", "OpinionModerated", "ExplanationGiven", "PollOpened", "HandCountAdded", "PollClosed",
    "OutcomeRecorded", "MeetingClosed",
}
# - a ballot could only be cast from the voter's own phone;
_OWN_PHONE = {"BallotCast"}
# - these say `by`: "self" (the participant's own phone) or "moderator".
_SAYS_BY = {"ParticipantCheckedIn", "HandRaised", "HandWithdrawn"}
# OpinionSubmitted, ObjectionRaised and ObjectionAnswered could be sent by the phone or by the
# moderator for someone, and version 1 did not say which: their actor stays unknown.


def _v1_to_v2(type_name: str, data: Data) -> Data:
    """Version 2 adds `actor`: inferred where version 1's shape shows it, else unknown."""
    if type_name == "MeetingCreated":
        actor = ev.By(ev.FACILITATOR)  # created with the facilitator's token
    elif type_name in _MODERATOR_ONLY:
        actor = ev.By(ev.MODERATOR)
    elif type_name in _OWN_PHONE:
        actor = ev.By(ev.PARTICIPANT, str(data.get("participant_id", "")))
    elif type_name in _SAYS_BY and data.get("by") == "moderator":
        actor = ev.By(ev.MODERATOR)
    elif type_name in _SAYS_BY and data.get("by") == "self":
        # A withdrawn hand does not name its participant; replay knows it from the request.
        actor = ev.By(ev.PARTICIPANT, str(data.get("participant_id", "")))
    else:
        actor = ev.NOBODY
    return {**data, "actor": actor.to_data(), "v": 2}


# UPCASTERS[n] takes version n's data to version n + 1.
UPCASTERS: dict[int, Upcaster] = {1: _v1_to_v2}


def version_of(data: Data) -> int:
    v = data.get("v", 1)
    return v if isinstance(v, int) and v >= 1 else 1


def current(type_name: str, data: Data) -> Data:
    """The stored data in the shape this code writes."""
    target = ev.EVENT_TYPES[type_name].VERSION
    v = version_of(data)
    while v < target:
        data = UPCASTERS[v](type_name, data)
        v = version_of(data)
    return data


def read(type_name: str, data: Data) -> ev.Event:
    """A stored event, whatever version it was written in."""
    return ev.event_from(type_name, current(type_name, data))


def readable(type_name: str, data: Any) -> bool:
    """Can this code read the row? (a type it knows, in a version it or an upcaster knows)"""
    if type_name not in ev.EVENT_TYPES or not isinstance(data, dict):
        return False
    return version_of(data) <= ev.EVENT_TYPES[type_name].VERSION
