"""Written proxies (委托): an invited member who cannot come names someone to vote for them. The
desk sees the proxy form and records it; one person holds at most the meeting's limit of proxies;
a proxy counts towards the quorum and votes only while its principal is not here in person.
"""
from __future__ import annotations

from typing import Any

from . import events as ev
from . import texts
from .agenda import must_be_open
from .attendance import invitee_index, must_count
from .errors import MeetingError
from .meeting import Meeting, keep_secret_ballots


def active(m: Meeting) -> dict[int, dict[str, Any]]:
    return {i: p for i, p in m.proxies.items() if p["status"] == "active"}


def held_by(m: Meeting, holder: str) -> list[int]:
    """The invitees whose active proxy `holder` holds."""
    return [i for i, p in m.proxies.items() if p["status"] == "active" and p["holder"] == holder]


def record(m: Meeting, *, principal: int, holder: str, note: str = "") -> list[ev.Event]:
    must_be_open(m)
    invitee_index(m, principal)
    must_count(m, holder)
    if principal in m.invitees_in:
        raise MeetingError("principal_here")
    if principal in active(m):
        raise MeetingError("already_delegated")
    h = m.participants[holder]
    if h.role != "attendee":
        raise MeetingError("observers_cannot_vote")
    if h.invitee == principal:
        raise MeetingError("principal_here")
    if len(held_by(m, holder)) >= m.proxy_limit:
        raise MeetingError("proxy_limit", max=m.proxy_limit)
    return [ev.ProxyRecorded(principal=principal, holder=holder,
                             note=texts.clean(note, "comment", texts.SHORT, required=False))]


def withdraw(m: Meeting, *, principal: int, reason: str) -> list[ev.Event]:
    must_be_open(m)
    invitee_index(m, principal)
    if principal not in active(m):
        raise MeetingError("no_such_proxy")
    keep_secret_ballots(m, principal=principal)
    return [ev.ProxyWithdrawn(principal=principal, reason=texts.clean(reason, "reason", texts.SHORT))]


def may_vote_for(m: Meeting, holder: str, principal: int) -> None:
    """A ballot for `principal` may come only from the holder of their active proxy."""
    proxy = m.proxies.get(principal)
    if proxy is None or proxy["status"] != "active" or proxy["holder"] != holder:
        raise MeetingError("not_your_proxy")
