"""Checking in, and counting who is in the room by stakeholder category."""
from __future__ import annotations

from collections import Counter

from . import events as ev
from . import texts
from .agenda import must_be_open
from .errors import MeetingError
from .meeting import QUORUM_FORMS, ROLES, Meeting


def check_in(m: Meeting, *, name: str, category: str, role: str = "attendee", by: str = "self") -> list[ev.Event]:
    must_be_open(m)
    if category not in m.category_keys():
        raise MeetingError("unknown_category", category=category)
    if role not in ROLES:
        raise MeetingError("unknown_role", role=role)
    pid = m.next_id("p", m.participants)
    return [ev.ParticipantCheckedIn(
        participant_id=pid, name=texts.clean(name, "name", texts.NAME), category=category, role=role, by=by
    )]


def participant(m: Meeting, pid: str) -> None:
    if pid not in m.participants:
        raise MeetingError("no_such_participant", participant=pid)


def by_category(m: Meeting) -> dict[str, int]:
    counts = Counter(p.category for p in m.participants.values())
    return {c["key"]: counts.get(c["key"], 0) for c in m.categories}


def voters(m: Meeting) -> int:
    return sum(1 for p in m.participants.values() if p.role == "attendee")


def has_quorum_rule(m: Meeting) -> bool:
    return m.form in QUORUM_FORMS
