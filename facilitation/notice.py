"""Telling the invited in advance (会议通知) and their replies (参会回复).

The seed asks that participants be told in good time, with the material. Staff record that
invitees were told — all of them, the invitees of one category, or one person — and how; an
invitee replies that they are coming, not coming, or sending someone with a written proxy, from
their phone with their personal code or through staff who took the reply by telephone. Replies
are taken until the meeting opens (its first item), notices until it closes. The minutes state
how many were told, how, and how long before the meeting the first notice went out.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from . import events as ev
from . import texts
from .errors import MeetingError
from .meeting import Meeting

WAYS = ("slip", "call", "message_group", "posted")  # the slip handed out, a call, a message group, the notice board
ANSWERS = ("coming", "not_coming", "proxy")
ZONE = "Asia/Shanghai"  # a meeting's `starts_at` is a time on the community's own clock
MAX_NOTICES = 500  # notices recorded for one meeting: far more than any office sends


def opened_at(m: Meeting) -> float | None:
    """When the meeting opened: its first item opened; None before."""
    opened = [i.opened_at for i in m.items if i.opened_at is not None]
    return min(opened) if opened else None


def record(m: Meeting, *, how: str, invitees: list[int] | None, category: str, note: str) -> list[ev.Event]:
    """Invitees told: the ones named, or those of `category`, or else everyone invited."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if m.closed:
        raise MeetingError("meeting_closed")
    if how not in WAYS:
        raise MeetingError("unknown_notice_way", how=str(how)[:40])
    if not m.roster:
        raise MeetingError("no_invitees")
    if len(m.notices) >= MAX_NOTICES:
        raise MeetingError("too_many_notices", max=MAX_NOTICES)
    if invitees is not None and category:
        raise MeetingError("notice_whom")
    if invitees is not None:
        chosen = sorted(set(invitees))
        if not chosen or any(not 0 <= i < len(m.roster) for i in chosen):
            raise MeetingError("no_such_invitee")
        scope = "one" if len(chosen) == 1 else "some"
    elif category:
        chosen = [i for i, r in enumerate(m.roster) if r["category"] == category]
        if not chosen:
            raise MeetingError("nobody_in_category", category=str(category)[:40])
        scope = f"category:{category}"
    else:
        chosen, scope = list(range(len(m.roster))), "all"
    return [ev.InviteesNotified(invitees=chosen, how=how, scope=scope,
                                note=texts.clean(note, "note", 200, required=False))]


def reply(m: Meeting, *, invitee: int, answer: str, holder: str) -> list[ev.Event]:
    """An invitee's reply; a later one replaces it, until the meeting opens."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if m.closed:
        raise MeetingError("meeting_closed")
    if opened_at(m) is not None:
        raise MeetingError("replies_closed")
    if not 0 <= invitee < len(m.roster):
        raise MeetingError("no_such_invitee")
    if answer not in ANSWERS:
        raise MeetingError("unknown_reply", answer=str(answer)[:40])
    holder = texts.clean(holder, "holder", 40, required=answer == "proxy") if answer == "proxy" else ""
    return [ev.ReplyGiven(invitee=invitee, answer=answer, holder=holder)]


def starts(m: Meeting) -> float | None:
    """`starts_at` as a moment, when it reads as a date and time (2026-12-10 19:00); else None."""
    text = m.starts_at.strip().replace("T", " ")
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(ZONE))
    return at.timestamp()


def lead(m: Meeting) -> dict[str, Any] | None:
    """How long before the meeting the first notice went out: to `starts_at` when it reads as a
    time, else to the opening; None when nobody was told or neither is known."""
    if not m.notices:
        return None
    first = min(float(n["at"]) for n in m.notices)
    start, to = starts(m), "starts_at"
    if start is None:
        start, to = opened_at(m), "opening"
    if start is None:
        return None
    seconds = max(0.0, start - first)
    hours = int(seconds // 3600)
    return {"to": to, "days": hours // 24, "hours": hours % 24, "seconds": int(seconds)}


def told(m: Meeting) -> dict[int, list[dict[str, Any]]]:
    """Each invitee told, with every time they were (how, at, by)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for n in m.notices:
        for i in n["invitees"]:
            out.setdefault(i, []).append({"how": n["how"], "at": n["at"], "by": n["by"]})
    return out


def reply_counts(m: Meeting) -> dict[str, int]:
    counts = {a: 0 for a in ANSWERS}
    for r in m.replies.values():
        counts[r["answer"]] += 1
    counts["none"] = len(m.roster) - len(m.replies)
    return counts


def summary(m: Meeting) -> dict[str, Any]:
    """What the minutes state of the notice: how many invitees were told, how, how long before,
    and the replies' counts."""
    ways: dict[str, int] = {}
    for n in m.notices:
        ways[n["how"]] = ways.get(n["how"], 0) + len(n["invitees"])
    first = min((float(n["at"]) for n in m.notices), default=None)
    return {"invitees": len(m.roster), "told": len(told(m)), "ways": ways, "first_at": first,
            "notices": len(m.notices), "lead": lead(m), "replies": reply_counts(m)}
