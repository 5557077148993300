"""After the meeting (落实反馈): every action item is carried out in view, update by update.

An action item is fixed when the meeting closes (while it is open, recording an item's outcome
again replaces its actions). From then on staff append updates to it, as long as it takes: a
progress note, how far along it is, photos or documents, a new due date, and its status — done,
blocked or cancelled with the reason. Nothing is rewritten: the history is the list of updates.

An action is named by its place in the minutes, "2.1" for the second item's first action. Its
due date is what the meeting typed; when that reads as a date (2026-12-31, 2026/12/31,
2026年12月31日) the action can be overdue: past that day and neither done nor cancelled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import events as ev
from . import texts
from .errors import MeetingError
from .meeting import OUTCOMES, Meeting

# in_progress: being worked on; blocked: stopped, waiting on something (the note says what);
# done and cancelled end it (cancelled with the reason). Any may follow any: a done action found
# not done after all goes back to in_progress, with the note saying why.
STATUSES = ("open", "in_progress", "done", "blocked", "cancelled")
ENDED = ("done", "cancelled")
NEEDS_REASON = ("blocked", "cancelled")
MAX_UPDATES = 200  # per action: a weekly note for almost four years
MAX_ATTACHMENTS = 6  # per update
ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


PUBLICITY_DAYS = 7  # the publicity period (公示期) when the meeting set none
PUBLICITY_ZONE = "Asia/Shanghai"  # whose calendar the period's days are counted in


def publicity_period(m: Meeting, zone: str = PUBLICITY_ZONE) -> tuple[date, date] | None:
    """The first and last day the decisions are posted: from the day the meeting closed, for the
    days it set (both days count); None while it is open."""
    if m.closed_at is None:
        return None
    start = datetime.fromtimestamp(m.closed_at, ZoneInfo(zone)).date()
    return start, start + timedelta(days=(m.notice_days or PUBLICITY_DAYS) - 1)


def day_of(now: float, zone: str = PUBLICITY_ZONE) -> date:
    return datetime.fromtimestamp(now, ZoneInfo(zone)).date()


def action_id(item: int, n: int) -> str:
    return f"{item + 1}.{n + 1}"


def due_date(text: str) -> date | None:
    """The day an action is due, if its due text names one."""
    found = _DATE.search(text or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:  # 2026-02-30
        return None


@dataclass
class Action:
    """One action item as it stands: what the meeting decided, and every update since."""

    id: str
    item: int
    what: str
    owner: str
    due: str
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return str(self.updates[-1]["status"]) if self.updates else "open"

    @property
    def percent(self) -> int:
        for u in reversed(self.updates):
            if u["percent"] is not None:
                return int(u["percent"])
        return 0

    @property
    def current_due(self) -> str:
        """The due date as last set: the meeting's, or a later update's."""
        for u in reversed(self.updates):
            if u["due"]:
                return str(u["due"])
        return self.due

    def overdue(self, today: date) -> bool:
        due = due_date(self.current_due)
        return due is not None and due < today and self.status not in ENDED

    def summary(self, today: date) -> dict[str, Any]:
        return {"id": self.id, "item": self.item, "what": self.what, "owner": self.owner, "due": self.current_due,
                "due_date": (d.isoformat() if (d := due_date(self.current_due)) else None),
                "status": self.status, "percent": self.percent, "overdue": self.overdue(today),
                "updated_at": self.updates[-1]["at"] if self.updates else None,
                "updates": [dict(u) for u in self.updates]}


def actions(m: Meeting) -> list[Action]:
    """Every action item of the meeting, in the minutes' order, with its updates."""
    found = []
    for item in m.items:
        decided: list[dict[str, str]] = list((item.outcome or {}).get("actions") or [])  # type: ignore[call-overload]
        for n, a in enumerate(decided):
            aid = action_id(item.index, n)
            found.append(Action(aid, item.index, str(a.get("what", "")), str(a.get("owner", "")), str(a.get("due", "")),
                                list(m.action_updates.get(aid, []))))
    return found


def find(m: Meeting, action: str) -> Action:
    for a in actions(m):
        if a.id == action:
            return a
    raise MeetingError("no_such_action", action=action)


def update_action(m: Meeting, *, action: str, status: str = "", percent: int | None = None, note: str = "",
                  due: str = "", attachments: list[dict[str, Any]] | None = None) -> list[ev.Event]:
    """An update to an action after the meeting: `status` "" keeps it as it is."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if not m.closed:
        raise MeetingError("meeting_not_closed")  # while it is open the actions are still being drafted
    found = find(m, action)
    if len(found.updates) >= MAX_UPDATES:
        raise MeetingError("too_many_updates", max=MAX_UPDATES)
    status = status or found.status
    if status not in STATUSES:
        raise MeetingError("unknown_action_status", status=status)
    if percent is not None and not 0 <= percent <= 100:
        raise MeetingError("bad_percent")
    note = texts.clean(note, "note", texts.TEXT, required=status in NEEDS_REASON and status != found.status)
    due = texts.clean(due, "due", 40, required=False)
    if due and due_date(due) is None:
        raise MeetingError("bad_due_date", due=due)
    files = [_attachment(a) for a in attachments or []]
    if len(files) > MAX_ATTACHMENTS:
        raise MeetingError("too_many_attachments", max=MAX_ATTACHMENTS)
    if status == "done" and percent is None:
        percent = 100
    if not (note or files or due or percent is not None or status != found.status):
        raise MeetingError("empty_update")
    return [ev.ActionUpdated(action=action, status=status, percent=percent, note=note, due=due, attachments=files)]


def correct_decision(m: Meeting, *, item: int, outcome: str, opinion: str = "", reason: str,
                     decided_by: str) -> list[ev.Event]:
    """A decision found to break the law or policy is corrected after the meeting by whoever has
    the power to (the township, the party organisation): the record keeps both, with the reason."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if not m.closed:
        raise MeetingError("meeting_not_closed")  # while it is open the moderator records the outcome again
    if not 0 <= item < len(m.items):
        raise MeetingError("no_such_item", item=item)
    if m.items[item].outcome is None:
        raise MeetingError("no_outcome_to_correct")
    if outcome not in OUTCOMES:
        raise MeetingError("unknown_outcome", outcome=outcome)
    return [ev.DecisionCorrected(
        item=item, outcome=outcome, opinion=texts.clean(opinion, "opinion", texts.TEXT, required=False),
        reason=texts.clean(reason, "reason", texts.TEXT), decided_by=texts.clean(decided_by, "decided_by", texts.SHORT))]


def _closed_item(m: Meeting, item: int) -> Any:
    if not m.created:
        raise MeetingError("no_such_meeting")
    if not m.closed:
        raise MeetingError("meeting_not_closed")
    if not 0 <= item < len(m.items):
        raise MeetingError("no_such_item", item=item)
    return m.items[item]


def report_matter(m: Meeting, *, item: int, text: str, to: str = "") -> list[ev.Event]:
    """A matter entrusted by the township or a department is reported back to it after the meeting:
    to the body that entrusted it unless another is named; what the report says."""
    it = _closed_item(m, item)
    if it.outcome is None:
        raise MeetingError("no_outcome_to_report")
    to = texts.clean(to or it.entrusted_by, "report_to", texts.SHORT)
    return [ev.MatterReported(item=item, to=to, text=texts.clean(text, "report", texts.TEXT))]


def record_reply(m: Meeting, *, item: int, text: str, by_body: str = "") -> list[ev.Event]:
    """The reply to the latest report, as the office received it (from the body reported to unless
    another is named). A second reply to the same report is refused: a new report gets its own."""
    it = _closed_item(m, item)
    if not it.reports:
        raise MeetingError("not_reported")
    if it.reports[-1]["reply"] is not None:
        raise MeetingError("already_replied")
    by_body = texts.clean(by_body or it.reports[-1]["to"], "replied_by", texts.SHORT)
    return [ev.ReplyRecorded(item=item, by_body=by_body, text=texts.clean(text, "reply", texts.TEXT))]


MATTER_STATES = ("to_report", "awaiting_reply", "replied")  # the office's order: what waits on it first


def matters(m: Meeting) -> list[dict[str, Any]]:
    """The closed meeting's entrusted matters (and any item reported on): each with where it stands —
    to report, awaiting the reply (since the report), replied — and its reports."""
    if not m.closed:
        return []
    found = []
    for it in m.items:
        if not (it.entrusted_by or it.reports):
            continue
        last = it.reports[-1] if it.reports else None
        state = "to_report" if last is None else "awaiting_reply" if last["reply"] is None else "replied"
        since = m.closed_at if last is None else last["at"] if last["reply"] is None else last["reply"]["at"]
        found.append({"item": it.index, "title": it.title, "entrusted_by": it.entrusted_by, "state": state,
                      "since": since, "reports": [dict(r) for r in it.reports]})
    return found


ESCALATE_TO = ("assembly", "representatives")  # the bodies that decide what a consultation could not


def escalate(m: Meeting, *, item: int, to_form: str, to_meeting: str, reason: str) -> list[ev.Event]:
    """Send an item on to a residents' assembly or a representatives' meeting (live/ creates that
    meeting, its agenda item naming this one as its origin, before this is recorded)."""
    if not m.created:
        raise MeetingError("no_such_meeting")
    if not 0 <= item < len(m.items):
        raise MeetingError("no_such_item", item=item)
    if m.items[item].outcome is None:
        raise MeetingError("no_outcome_to_escalate")
    if to_form not in ESCALATE_TO:
        raise MeetingError("unknown_form", form=to_form)
    return [ev.ItemEscalated(item=item, to_form=to_form, to_meeting=to_meeting,
                             reason=texts.clean(reason, "reason", texts.TEXT))]


def decided_elsewhere(m: Meeting, *, item: int, meeting: str, outcome: str, opinion: str) -> list[ev.Event]:
    """The decision of the meeting an item went on to, written back to it by the system."""
    if not 0 <= item < len(m.items) or not any(x["to_meeting"] == meeting for x in m.items[item].escalations):
        raise MeetingError("no_such_item", item=item)
    if outcome not in OUTCOMES:
        raise MeetingError("unknown_outcome", outcome=outcome)
    # Checked here, in the meeting's one writer: two write-backs at once (a close and a restart's
    # reconciliation) record the decision once.
    told = [x["decided"] for x in m.items[item].escalations if x["to_meeting"] == meeting][-1]
    if told and (told["outcome"], told["opinion"]) == (outcome, opinion):
        raise MeetingError("already_written_back")
    return [ev.EscalationDecided(item=item, meeting=meeting, outcome=outcome, opinion=opinion, actor=ev.By(ev.SYSTEM))]


def standing(item: Any) -> dict[str, Any] | None:
    """An item's outcome as it stands: the latest correction's, else the one the meeting recorded."""
    if item.outcome is None:
        return None
    if item.corrections:
        last = item.corrections[-1]
        return {**item.outcome, "outcome": last["outcome"], "opinion": last["opinion"]}
    return dict(item.outcome)


def _attachment(a: Any) -> dict[str, Any]:
    """A file already stored by live/ (named by its SHA-256): its name as shown, its type and size."""
    if not isinstance(a, dict) or not _SHA256.fullmatch(str(a.get("sha256", ""))):
        raise MeetingError("bad_attachment")
    if a.get("type") not in ATTACHMENT_TYPES or not isinstance(a.get("size"), int) or a["size"] <= 0:
        raise MeetingError("bad_attachment")
    name = texts.clean(str(a.get("name", "") or "file"), "file_name", texts.NAME)
    return {"sha256": a["sha256"], "type": a["type"], "size": a["size"], "name": name}
