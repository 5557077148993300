"""Checking in, and counting who is in the room by stakeholder category."""
from __future__ import annotations

from . import events as ev
from . import texts
from .agenda import must_be_open
from .errors import MeetingError
from .meeting import ROLES, Meeting, Participant, keep_secret_ballots


def check_in(m: Meeting, *, name: str = "", category: str = "", role: str = "attendee", by: str = "self",
             invitee: int | None = None, via: str = "") -> list[ev.Event]:
    """Check in someone invited (by their place in the roster) or a walk-in (by name and category).

    An invitee is checked in once: staff at the desk (via="desk") or the invitee's own code
    (via="code", where a second use gives the phone back its identity). A phone's walk-in whose
    name is an invitee's or that of someone already here is held until the desk confirms it.
    """
    must_be_open(m)
    if role not in ROLES:
        raise MeetingError("unknown_role", role=role)
    if invitee is not None:
        invitee_index(m, invitee)
        if invitee in m.invitees_in:
            if via == "code":  # the person's own code again: the same person, on another phone
                return [ev.IdentityRecovered(participant_id=m.invitees_in[invitee], via="code")]
            raise MeetingError("already_checked_in")
        name, category = m.roster[invitee]["name"], m.roster[invitee]["category"]
    if category not in m.category_keys():
        raise MeetingError("unknown_category", category=category)
    name = texts.clean(name, "name", texts.NAME)
    key = texts.name_key(name)
    held = by == "self" and invitee is None and (key in m.roster_names or key in m.names_here)
    pid = m.next_id("p", m.participants)
    return [ev.ParticipantCheckedIn(participant_id=pid, name=name, category=category, role=role, by=by,
                                    invitee=invitee, via=via, held=held)]


def invitee_index(m: Meeting, invitee: int) -> None:
    if not 0 <= invitee < len(m.roster):
        raise MeetingError("no_such_invitee")


def held(m: Meeting) -> list[str]:
    """Walk-ins waiting for the desk, in the order they asked."""
    return [p.id for p in m.participants.values() if p.status == "held"]


def confirm(m: Meeting, *, participant_id: str, invitee: int | None = None) -> list[ev.Event]:
    must_be_open(m)
    p = _get(m, participant_id)
    if p.status != "held":
        raise MeetingError("not_held")
    if invitee is not None:
        invitee_index(m, invitee)
        if invitee in m.invitees_in:
            raise MeetingError("already_checked_in")  # then merge the two check-ins instead
    return [ev.CheckInConfirmed(participant_id=participant_id, invitee=invitee)]


def refuse(m: Meeting, *, participant_id: str, reason: str) -> list[ev.Event]:
    must_be_open(m)
    if _get(m, participant_id).status != "held":
        raise MeetingError("not_held")
    return [ev.CheckInRefused(participant_id=participant_id, reason=texts.clean(reason, "reason", texts.SHORT))]


def withdraw(m: Meeting, *, participant_id: str, reason: str) -> list[ev.Event]:
    must_be_open(m)
    if _get(m, participant_id).status not in ("in", "held"):
        raise MeetingError("not_checked_in_now")
    keep_secret_ballots(m, participant_id=participant_id)
    return [ev.CheckInWithdrawn(participant_id=participant_id, reason=texts.clean(reason, "reason", texts.SHORT))]


def merge(m: Meeting, *, keep: str, drop: str, reason: str) -> list[ev.Event]:
    must_be_open(m)
    kept, dropped = _get(m, keep), _get(m, drop)
    if keep == drop:
        raise MeetingError("merge_same")
    if kept.status not in ("in", "held") or dropped.status not in ("in", "held"):
        raise MeetingError("not_checked_in_now")
    if kept.invitee is not None and dropped.invitee is not None:
        raise MeetingError("merge_two_invitees")  # two people on the list: withdraw the wrong one instead
    keep_secret_ballots(m, participant_id=drop)
    return [ev.ParticipantsMerged(keep=keep, drop=drop, reason=texts.clean(reason, "reason", texts.SHORT))]


def _get(m: Meeting, pid: str) -> Participant:
    participant(m, pid)
    return m.participants[pid]


def must_count(m: Meeting, pid: str) -> None:
    """A participant who may act: checked in, not held for the desk nor taken back."""
    participant(m, pid)
    status = m.participants[pid].status
    if status == "held":
        raise MeetingError("check_in_held")
    if status != "in":
        raise MeetingError("check_in_withdrawn")


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
    from .quorum import rule_of  # the law's, or the community's template's

    return rule_of(m) is not None
