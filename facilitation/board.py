"""The public board (公开栏): every consultation held and what became of it, for anyone to read.

One entry per meeting that was held: its title, date, form, place and status; per agenda item the
outcome and the consultation opinion (协商意见), and each action item as it stands now: owner, due
date, status, how far along, overdue or not, the latest progress note and the photos the updates
carry. Everything is shown as the public minutes show it: private residents' names masked wherever
they appear (facilitation.masking), officials keeping theirs; no roster, no personal codes, no keys.

A meeting is on the board once it was held: an agenda item was opened, or it was closed. One only
created (a meeting announced, not yet held) is left out.

Filters (the board's `?status=`): `open`, a meeting with an action item neither done nor
cancelled; `done`, one whose action items are all done (cancelled ones aside, at least one done);
`overdue`, one with an overdue action item; `all`. And `?year=`: the year of the meeting's date.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from .followup import ENDED, Action, actions, due_date, publicity_period, standing
from .masking import Masker, masker_for
from .meeting import Meeting
from .minutes import DEFAULT_TIMEZONE

STATUS_FILTERS = ("all", "open", "done", "overdue")
PHOTO_TYPES = ("image/jpeg", "image/png")
FIRST_YEAR, LAST_YEAR = 1900, 9999  # what `?year=` may be


def held(m: Meeting) -> bool:
    """On the board: an item was opened, or the meeting was closed (never only created)."""
    return m.created and (m.closed or any(i.opened_at is not None for i in m.items))


def _day(at: float, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(at, tz).date()


def file_url(meeting_id: str, sha256: str) -> str:
    return f"/meetings/{meeting_id}/files/{sha256}"


def _action(m: Meeting, a: Action, mask: Masker, tz: ZoneInfo) -> dict[str, Any]:
    """An action item as it stands, whatever the day (`on_day` says whether it is overdue)."""
    s = a.summary(date.min)
    noted = next((u for u in reversed(a.updates) if u["note"]), None)
    files: dict[str, dict[str, Any]] = {}  # every file the updates carry, once, newest first
    for u in reversed(a.updates):
        for f in u["attachments"]:
            files.setdefault(str(f["sha256"]), f)
    shown = [{"sha256": sha, "name": mask.text(str(f["name"])), "type": f["type"], "url": file_url(m.id, sha)}
             for sha, f in files.items()]
    return {
        "id": a.id, "what": mask.text(a.what), "owner": mask.text(a.owner), "due": mask.text(s["due"]),
        "due_date": s["due_date"], "status": s["status"], "percent": s["percent"], "overdue": False,
        "updates": len(a.updates),
        "updated_on": _day(float(a.updates[-1]["at"]), tz).isoformat() if a.updates else None,
        "note": mask.text(str(noted["note"])) if noted else "",
        "note_on": _day(float(noted["at"]), tz).isoformat() if noted else None,
        "photos": [f for f in shown if f["type"] in PHOTO_TYPES],
        "documents": [f for f in shown if f["type"] not in PHOTO_TYPES],
    }


def counts(found: list[Action], today: date) -> dict[str, int]:
    """How many action items, and how many of them are open, done, cancelled, overdue."""
    return {"total": len(found), "open": sum(a.status not in ENDED for a in found),
            "done": sum(a.status == "done" for a in found), "cancelled": sum(a.status == "cancelled" for a in found),
            "overdue": sum(a.overdue(today) for a in found)}


def entry(m: Meeting, today: date, *, timezone: str = DEFAULT_TIMEZONE) -> dict[str, Any] | None:
    """One meeting's public entry on `today` (which decides what is overdue), masked as the public
    minutes are; None for a meeting not held (see `held`)."""
    made = undated_entry(m, timezone=timezone)
    return None if made is None else on_day(made, today)


def on_day(undated: dict[str, Any], today: date) -> dict[str, Any]:
    """An entry made by `undated_entry`, as it reads on `today`: which action items are overdue,
    and whether the decisions are still posted for objections. Only this depends on the day, so an
    install with hundreds of meetings keeps their entries and redoes only this (a new copy: the
    entry given is left as it was)."""
    items = []
    overdue = 0
    for item in undated["items"]:
        acts = []
        for a in item["actions"]:
            late = a["due_date"] is not None and date.fromisoformat(a["due_date"]) < today and a["status"] not in ENDED
            overdue += late
            acts.append({**a, "overdue": late})
        items.append({**item, "actions": acts})
    links = {k: v for k, v in undated["links"].items() if k != "object"}
    period = undated["publicity"]
    if period and date.fromisoformat(period[0]) <= today <= date.fromisoformat(period[1]):
        links["object"] = f"/meetings/{undated['id']}/object"  # while posted, a resident may object with their code
    return {**undated, "items": items, "actions": {**undated["actions"], "overdue": overdue}, "links": links}


def undated_entry(m: Meeting, *, timezone: str = DEFAULT_TIMEZONE) -> dict[str, Any] | None:
    """One meeting's public entry, whatever the day (see `on_day`); None for a meeting not held."""
    if not held(m):
        return None
    tz = ZoneInfo(timezone)
    mask = masker_for(m)
    opened = [i.opened_at for i in m.items if i.opened_at is not None]
    opened_on = _day(min(opened), tz) if opened else None
    # The day it is filed under: the date its start names, else the day it opened (else was created).
    day = due_date(m.starts_at) or opened_on or _day(m.created_at, tz)
    typed = mask.text(m.starts_at.strip())
    found = actions(m)
    items = []
    for item in m.items:
        outcome = standing(item) or {}  # a correction after the meeting stands in for what it recorded
        items.append({
            "number": item.index + 1, "title": mask.text(item.title),
            "outcome": str(outcome["outcome"]) if outcome else None,
            "opinion": mask.text(str(outcome.get("opinion") or "")),
            "corrections": [{"outcome": c["outcome"], "reason": mask.text(c["reason"]),
                             "decided_by": mask.text(c["decided_by"]), "day": _day(c["at"], tz).isoformat(),
                             "was": str((item.outcome or {}).get("outcome", ""))} for c in item.corrections],
            # sent on to an assembly or representatives' meeting, and what it decided once it closed
            "escalations": [{"to_form": x["to_form"], "to_meeting": x["to_meeting"],
                             "decided": x["decided"] and {"outcome": x["decided"]["outcome"],
                                                          "opinion": mask.text(x["decided"]["opinion"])}}
                            for x in item.escalations],
            "origin": item.origin.partition(":")[0] or None,
            # a matter entrusted by the township or a department: each report back and its reply
            "entrusted_by": mask.text(item.entrusted_by) or None,
            "reports": [{"to": mask.text(r["to"]), "text": mask.text(r["text"]), "day": _day(r["at"], tz).isoformat(),
                         "reply": r["reply"] and {"by_body": mask.text(r["reply"]["by_body"]),
                                                  "text": mask.text(r["reply"]["text"]),
                                                  "day": _day(r["reply"]["at"], tz).isoformat()}}
                        for r in item.reports],
            "actions": [_action(m, a, mask, tz) for a in found if a.item == item.index],
        })
    period = publicity_period(m, timezone)
    return {
        "id": m.id, "title": mask.text(m.title), "date": typed or day.isoformat(), "day": day.isoformat(),
        "year": day.year, "form": m.form, "place": mask.text(m.place), "status": m.status,
        "actions": counts(found, date.min), "items": items,
        "links": {"public": f"/meetings/{m.id}/public", "verify": f"/meetings/{m.id}/verify"},
        "publicity": [d.isoformat() for d in period] if period else None,
    }


def entries(meetings: Iterable[Meeting], today: date, *, timezone: str = DEFAULT_TIMEZONE) -> list[dict[str, Any]]:
    """Every meeting held, newest first (by its date, then the one created later)."""
    made = [(m.created_at, e) for m in meetings if (e := entry(m, today, timezone=timezone)) is not None]
    made.sort(key=lambda pair: (pair[1]["day"], pair[0], pair[1]["id"]), reverse=True)
    return [e for _, e in made]


def status_filter(text: str | None) -> str:
    """`?status=` as the board reads it: one of STATUS_FILTERS, anything else being `all`."""
    return text if text in STATUS_FILTERS else "all"


def year_filter(text: str | None) -> int | None:
    """`?year=` as the board reads it: a year, or None (every year) for anything else."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def matches(e: dict[str, Any], status: str = "all", year: int | None = None) -> bool:
    if year is not None and e["year"] != year:
        return False
    c = e["actions"]
    if status == "open":
        return bool(c["open"])
    if status == "done":
        return bool(c["done"]) and not c["open"]
    if status == "overdue":
        return bool(c["overdue"])
    return True


def select(found: list[dict[str, Any]], status: str = "all", year: int | None = None) -> list[dict[str, Any]]:
    return [e for e in found if matches(e, status, year)]


def years(found: list[dict[str, Any]]) -> list[int]:
    """The years the board has meetings in, newest first (what `?year=` offers)."""
    return sorted({int(e["year"]) for e in found}, reverse=True)
