"""Checking in, and counting who is in the room by stakeholder category."""
from __future__ import annotations

from . import events as ev
from . import texts
from .agenda import must_be_open
from .errors import MeetingError
from .meeting import QUORUM_FORMS, ROLES, Meeting


def check_in(m: Meeting, *, name: str = "", category: str = "", role: str = "attendee", by: str = "self",
             invitee: int | None = None) -> list[ev.Event]:
    """Check in someone invited (by their place in the roster) or a walk-in (by name and category)."""
    must_be_open(m)
    if invitee is not None:
        if not 0 <= invitee < len(m.roster):
            raise MeetingError("no_such_invitee")
        if invitee in m.invitees_in:
            raise MeetingError("already_checked_in")
        name, category = m.roster[invitee]["name"], m.roster[invitee]["category"]
    if category not in m.category_keys():
        raise MeetingError("unknown_category", category=category)
    if role not in ROLES:
        raise MeetingError("unknown_role", role=role)
    pid = m.next_id("p", m.participants)
    return [ev.ParticipantCheckedIn(
        participant_id=pid, name=texts.clean(name, "name", texts.NAME), category=category, role=role, by=by,
        invitee=invitee,
    )]


def absent(m: Meeting) -> list[dict[str, str]]:
    """The invited who have not checked in."""
    return [r for i, r in enumerate(m.roster) if i not in m.invitees_in]


def participant(m: Meeting, pid: str) -> None:
    if pid not in m.participants:
        raise MeetingError("no_such_participant", participant=pid)


def by_category(m: Meeting) -> dict[str, int]:
    return {c["key"]: m.category_counts.get(c["key"], 0) for c in m.categories}


def voters(m: Meeting) -> int:
    return m.attendee_count


def has_quorum_rule(m: Meeting) -> bool:
    return m.form in QUORUM_FORMS
