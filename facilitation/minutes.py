"""The minutes (会议纪要) of a meeting: one model, computed from the folded record, that every
format (HTML, PDF, Word, Markdown, JSON) is drawn from.

`minutes(meeting, identity, public=...)` is pure: the same record, identity and options give
the same dictionary, which is what lets `yishi verify` recompute a minutes file and compare.
It holds data, not words: outcomes, stances and poll options are keys that the renderers
translate; times are ISO 8601 in the chosen time zone (Asia/Shanghai by default). The public
version (公示) masks private residents' names (see facilitation.masking). The JSON schema is
docs/minutes.schema.json.

Each minutes file states its schema. Schema 2 adds who entered what for whom (`entered_by`:
the staff role, "" when the person did it on their own phone or the record does not say) and
hand-count corrections. Schema 3 hides, in the public version, the ballots of a poll's
category in which fewer than MIN_CELL_VOTERS voted (`counts` null). `as_schema` gives the
minutes in an older schema, so that a file issued under it is checked against what that schema
said (for schemas 1 and 2, from minutes made with `small_cells_hidden=False`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from . import binding, hearing
from . import notice
from .attendance import absent
from .masking import mask_name, masker_for
from .meeting import Meeting, Objection, Party, Speech, voter_categories
from .straw_polls import shown_to_room
from .objections import unanswered
from .quorum import quorum

SCHEMA_PREFIX = "yishi-minutes/"
SCHEMA_VERSION = 9
# In the public version, a poll's breakdown by category shows no category in which fewer voted.
MIN_CELL_VOTERS = 3
SCHEMA = f"{SCHEMA_PREFIX}{SCHEMA_VERSION}"
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Identity:
    """What the minutes were generated from: the record up to `events`, ending in `last_hash`."""

    meeting_id: str
    events: int
    last_hash: str
    generated_at: float  # seconds since the epoch; kept to the whole second


def iso(at: float | None, tz: ZoneInfo) -> str | None:
    return None if at is None else datetime.fromtimestamp(at, tz).isoformat(timespec="seconds")


class _Builder:
    def __init__(self, m: Meeting, public: bool, tz: ZoneInfo, small_cells_hidden: bool = True) -> None:
        self.m, self.public, self.tz = m, public, tz
        self.small_cells_hidden = small_cells_hidden
        self.mask = masker_for(m, active=public)
        self.text = self.mask.text

    def time(self, at: float | None) -> str | None:
        return iso(at, self.tz)

    def invited(self, index: int) -> dict[str, Any]:
        r = self.m.roster[index]
        name, masked = self.mask.name(r["name"], r["category"])
        return {"name": name, "category": r["category"], "masked": masked}

    def advance_opinions(self, given: Any) -> dict[str, Any] | None:
        """Schema 9: the opinions gathered on an item's topic in advance, as the meeting last had them
        (facilitation/advance_opinions.summary); the public minutes mask the residents who gave them."""
        if not isinstance(given, dict):
            return None
        return {"opens": self.time(given.get("opens")), "until": self.time(given.get("until")),
                "closed_at": self.time(given.get("closed_at")), "channels": dict(given.get("channels") or {}),
                "hidden": int(given.get("hidden") or 0), "consensus": list(given.get("consensus") or []),
                "divided": list(given.get("divided") or []),
                "statements": [{"id": s["id"], "name": mask_name(s["name"]) if self.public else s["name"],
                                "categories": list(s["categories"]), "channel": s["channel"], "at": self.time(s["at"]),
                                "text": self.text(s["text"]), "agree": s["agree"], "disagree": s["disagree"],
                                "by_category": s["by_category"]} for s in given.get("statements") or []]}

    def who(self, pid: str) -> dict[str, Any]:
        p = self.m.participants[pid]
        name, masked = self.mask.name(p.name, p.category)
        return {"name": name, "category": p.category, "masked": masked}

    # -- sections -------------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        m = self.m
        opened = [i.opened_at for i in m.items if i.opened_at is not None]
        return {
            "id": m.id, "title": self.text(m.title), "form": m.form, "place": self.text(m.place),
            "scheduled": m.starts_at, "started_at": self.time(min(opened) if opened else None),
            "ended_at": self.time(m.closed_at), "status": m.status, "language": m.language,
            "moderator": self.text(m.moderator), "recorder": self.text(m.recorder),
            "speaking_seconds": m.speaking_seconds,
            # schema 9: the community's template of the form as applied, and its wording (null: made before them)
            "wording": m.wording or None, "template": m.template or None,
            # schema 6: who issues the public minutes ("": not said) and their publicity period (null: not said)
            "issuer": self.text(m.issuer), "notice_days": m.notice_days or None,
            # schema 9: the notice given before the meeting and the replies (facilitation/notice.py)
            "notice": self.notice(),
        }

    def notice(self) -> dict[str, Any]:
        given = notice.summary(self.m)
        return {**given, "first_at": self.time(given["first_at"])}

    def attendance(self) -> dict[str, Any]:
        m = self.m
        # Held, refused, taken-back and merged check-ins are not attendance (the record keeps them).
        people = [p for p in m.participants.values() if p.counted]
        invited = Counter(r["category"] for r in m.roster)
        missing = absent(m)
        rows = []
        for c in m.categories:
            here = [p for p in people if p.category == c["key"]]
            if not here and not invited[c["key"]]:
                continue
            rows.append({
                "category": c["key"], "present": len(here), "invited": invited[c["key"]],
                "absent": sum(1 for r in missing if r["category"] == c["key"]),
                "walk_ins": sum(1 for p in here if p.invitee is None),
                "people": None if self.public else [
                    {"name": p.name, "role": p.role, "walk_in": p.invitee is None, "entered_by": p.entered_by}
                    for p in here],
            })
        return {
            "total": len(people), "voters": sum(1 for p in people if p.role == "attendee"),
            "observers": sum(1 for p in people if p.role != "attendee"),
            "invited": len(m.roster), "absent": len(missing),
            "walk_ins": sum(1 for p in people if p.invitee is None),
            "by_category": rows,
            "absent_people": None if self.public else [{"name": r["name"], "category": r["category"]} for r in missing],
            "quorum": quorum(m),
            # schema 4: written proxies, whoever they were recorded for (a lapsed one: the principal came)
            "proxies": [{"principal": self.invited(i), "holder": self.who(str(p["holder"])),
                         "note": self.text(str(p["note"])), "status": p["status"]} for i, p in m.proxies.items()],
        }

    def speech(self, number: int, s: Speech, numbers: dict[str, int]) -> dict[str, Any]:
        return {
            "id": s.id, "number": number, "speaker": self.who(s.participant_id), "stance": s.stance, "kind": s.kind,
            "started_at": self.time(s.started_at),
            "seconds": round(s.duration()) if s.ended_at is not None else None,
            "summary": self.text(s.summary),
            "entered_by": s.entered_by, "summarised_by": s.summarised_by,
            # schema 5: the speech a direct reply answers (its number), and the limits it went past
            "replies_to": numbers.get(s.replies_to), "over": list(s.over),
        }

    def poll(self, p: Any) -> dict[str, Any]:
        category_of = voter_categories(self.m)  # a proxy's ballot in its member's category
        by_cat = p.by_category(category_of)
        voters = Counter(category_of.get(pid, "") for pid in p.ballots)  # ballots, not ticks: a ballot may tick several
        return {
            "id": p.id, "question": self.text(p.question), "kind": p.kind, "options": [self.text(o) for o in p.options],
            "secret": p.secret, "open": p.open, "counts": p.counts(), "phone_counts": p.phone_counts(),
            "hand_counts": list(p.hand_counts), "hands_used": any(p.hand_counts), "ballots": len(p.ballots),
            "total": p.total(), "leader": p.leader(),
            # schema 6: multiple choice's limit per ballot (0 for the other kinds); a ranking's method
            # and result (every round of a runoff), None for the other kinds
            "max_choices": p.max_choices, "method": p.method or None,
            "ranked": r.to_data() if (r := p.ranked()) else None,
            "evaluated": p.evaluated().to_data() if p.kind == "evaluation" else None,
            "by_category": [{"category": c["key"], "counts": self.cell(by_cat[c["key"]], voters[c["key"]])}
                            for c in self.m.categories if c["key"] in by_cat],
            "opened_at": self.time(p.opened_at), "closed_at": self.time(p.closed_at),
            "corrections": [{"before": list(c["before"]), "after": list(c["after"]), "reason": self.text(str(c["reason"])),
                             "at": self.time(float(c["at"]))} for c in p.corrections],
            # schema 4: a binding poll's rule, the quorum when it opened (and the chair's reason to go
            # without it), and whether it passed, each check with both counts; ballots staff entered
            "rule": p.rule or None,
            "quorum_at_open": dict(p.quorum_at_open) if p.quorum_at_open else None,
            "quorum_override": self.text(p.quorum_override) or None,
            "result": binding.result(self.m, p),
            "staff_ballots": len(p.entered_by_staff),
            # schema 7: a roll call's every vote with its voter's name (masked as everywhere in the
            # public version); a secret poll's ballots by receipt once counted (null otherwise)
            "named": p.named, "changeable": p.changeable,
            "roll": [self.roll_entry(p, voter, ballot) for voter, ballot in p.ballots.items()] if p.named else None,
            "receipts": [[receipt, list(b) if isinstance(b, tuple) else b] for receipt, b in p.box] if p.secret and not p.open else None,
        }

    def roll_entry(self, p: Any, voter: str, ballot: Any) -> dict[str, Any]:
        """One vote of a roll call: who (a proxy's ballot: the member it was cast for), named as the
        rest of these minutes name them: in the public version a private resident masked, those in
        a public role (a representative, an official) in full."""
        proxy = voter.startswith("proxy:")
        if proxy:
            member = self.m.roster[int(voter.removeprefix("proxy:"))]
            name, category = str(member["name"]), str(member["category"])
        else:
            name, category = self.m.participants[voter].name, self.m.participants[voter].category
        shown, masked = self.mask.name(name, category)
        return {"voter": {"name": shown, "category": category, "masked": masked}, "proxy": proxy,
                "choice": list(ballot) if isinstance(ballot, tuple) else ballot,
                "entered_by": "staff" if voter in p.entered_by_staff else ""}

    def cell(self, counts: list[int], voters: int) -> list[int] | None:
        """A category's phone ballots; in the public version None when fewer than MIN_CELL_VOTERS
        voted in it, so that nobody's vote can be told from the breakdown (the totals keep them).
        Counted in ballots: in multiple choice or an evaluation one ballot marks several cells."""
        if self.public and self.small_cells_hidden and voters < MIN_CELL_VOTERS:
            return None
        return counts

    def objection(self, o: Objection, still_open: set[str]) -> dict[str, Any]:
        return {
            "id": o.id, "objector": self.who(o.participant_id) if o.participant_id else self.invited(o.invitee or 0),
            "reason": self.text(o.reason),
            # schema 6: raised at the meeting, or in the publicity period with the objector's code
            "during": o.during,
            # a request for an explanation: the polls voted against and the speeches against (schema 6)
            "basis": {"polls": list(o.basis.get("polls", [])), "speeches": list(o.basis.get("speeches", []))},
            "raised_at": self.time(o.raised_at),
            "explanations": [{"text": self.text(str(e["text"])), "by": self.text(str(e["by"])),
                              "at": self.time(float(e["at"]))} for e in o.explanations],  # type: ignore[arg-type]
            "responses": [{"response": str(r["response"]), "comment": self.text(str(r["comment"])),
                           "at": self.time(float(r["at"])),  # type: ignore[arg-type]
                           "entered_by": str(r.get("entered_by", ""))} for r in o.responses],
            "response": o.response, "open": o.id in still_open, "entered_by": o.entered_by,
        }

    def items(self) -> list[dict[str, Any]]:
        m = self.m
        still_open = {o.id for o in unanswered(m)}
        numbered = sorted(m.speeches.values(), key=lambda s: s.started_at)
        number = {s.id: n for n, s in enumerate(numbered, 1)}
        out = []
        for item in m.items:
            i = item.index
            opinions = [o for o in m.opinions.values() if o.item == i]
            outcome = item.outcome
            out.append({
                "index": i, "title": self.text(item.title), "background": self.text(item.background),
                # schema 6: the meeting's item it was sent from ("meeting:item"), and where it was sent on to
                "origin": item.origin or None,
                "escalations": [{"to_form": x["to_form"], "to_meeting": x["to_meeting"], "reason": self.text(x["reason"]),
                                 "at": self.time(x["at"]), "decided": x["decided"] and {
                                     "outcome": x["decided"]["outcome"], "opinion": self.text(x["decided"]["opinion"]),
                                     "at": self.time(x["decided"]["at"])}} for x in item.escalations],
                # schema 6: a matter entrusted by the township or a department, each report back and its reply
                "entrusted_by": self.text(item.entrusted_by) or None,
                "reports": [{"to": self.text(r["to"]), "text": self.text(r["text"]), "at": self.time(r["at"]),
                             "reply": r["reply"] and {"by_body": self.text(r["reply"]["by_body"]),
                                                      "text": self.text(r["reply"]["text"]),
                                                      "at": self.time(r["reply"]["at"])}} for r in item.reports],
                "opened_at": self.time(item.opened_at),
                # schema 8: put on the agenda during the meeting (临时动议), when and why
                "added": None if item.added_at is None else {"at": self.time(item.added_at),
                                                             "reason": self.text(item.added_reason)},
                # schema 8: the topic for consultation it takes up: where it came from, a petition's signatures
                "topic": None if item.topic is None else {
                    "title": self.text(str(item.topic.get("title", ""))), "kind": item.topic.get("kind"),
                    "source": item.topic.get("source"), "proposer": self.text(str(item.topic.get("proposer", ""))),
                    "proposed_at": self.time(item.topic.get("proposed_at")), "accepted_by": item.topic.get("accepted_by"),
                    "petition": item.topic.get("petition"),
                    "opinions": self.advance_opinions(item.topic.get("opinions"))},
                "speeches": [self.speech(number[s.id], s, number) for s in numbered if s.item == i],
                "opinions": {
                    "approved": [{"id": o.id, "author": self.who(o.participant_id), "text": self.text(o.text),
                                  "submitted_at": self.time(o.submitted_at), "entered_by": o.entered_by}
                                 for o in opinions if o.visible],
                    "hidden": sum(1 for o in opinions if o.visible is False),
                    "unmoderated": sum(1 for o in opinions if o.visible is None),
                },
                # the public version of an open meeting leaves out a poll whose count the room has not seen
                "polls": [self.poll(p) for p in m.polls.values() if p.item == i and (not self.public or shown_to_room(m, p))],
                "objections": [self.objection(o, still_open) for o in m.objections.values() if o.item == i],
                "outcome": None if outcome is None else {
                    "outcome": outcome["outcome"], "opinion": self.text(str(outcome["opinion"])),
                    "recorded_at": self.time(float(outcome["at"])),  # type: ignore[arg-type]
                    "actions": [{"what": self.text(a["what"]), "owner": self.text(a["owner"]), "due": a["due"]}
                                for a in outcome["actions"]],  # type: ignore[attr-defined]
                    # schema 6: corrections after the close (the outcome above stays as the meeting recorded it)
                    "corrections": [{"outcome": c["outcome"], "opinion": self.text(c["opinion"]),
                                     "reason": self.text(c["reason"]), "decided_by": self.text(c["decided_by"]),
                                     "at": self.time(c["at"])} for c in item.corrections],
                },
            })
        return out

    def hearing(self) -> dict[str, Any] | None:
        """Schema 9: a hearing's record (听证笔录): its stages, each party with whom they speak for, their
        side and registered summary, their testimony and closing statement (the recorder's notes of
        what was said, times and durations), and the questions asked from the floor."""
        m = self.m
        if m.form != "hearing" or not (m.parties or m.hearing_stages):
            return None
        numbered = sorted(m.speeches.values(), key=lambda s: s.started_at)
        number = {s.id: n for n, s in enumerate(numbered, 1)}

        def part(x: Party, kind: str) -> dict[str, Any] | None:
            s = m.speeches.get(x.closing if kind == "closing" else x.testimony)
            if s is None:
                return None
            return {"speech": number[s.id], "started_at": self.time(s.started_at),
                    "seconds": round(s.duration()) if s.ended_at is not None else None,
                    "allotted": hearing.seconds_for(m, x, kind), "summary": self.text(s.summary),
                    "summarised_by": s.summarised_by, "over": list(s.over)}

        order = {x.id: n for n, x in enumerate(hearing.active(m), 1)}
        return {
            "stages": [{"stage": s["stage"], "at": self.time(s["at"])} for s in m.hearing_stages],
            "seconds": {k: m.hearing_seconds.get(k, 0) or hearing.DEFAULT_SECONDS[k] for k in hearing.PARTS},
            "parties": [{
                "order": order.get(x.id), "party": dict(zip(("name", "masked"), self.mask.name(x.name, x.category)),
                                                         category=x.category),
                "for_kind": x.for_kind, "speaks_for": self.text(x.speaks_for), "side": x.side,
                "summary": self.text(x.summary), "registered_at": self.time(x.registered_at),
                "registered_by": x.registered_by,
                "withdrawn": None if x.withdrawn is None else {"reason": self.text(str(x.withdrawn["reason"])),
                                                               "at": self.time(x.withdrawn["at"])},
                "testimony": part(x, "testimony"), "closing": part(x, "closing"),
            } for x in m.parties.values()],
            "questions": [self.speech(number[sid], m.speeches[sid], number) for sid in m.hearing_questions],
        }

    def heard(self) -> dict[str, Any]:
        """Speaking time and speeches per category: every category present or heard."""
        m = self.m
        seconds: dict[str, float] = {}
        speeches: Counter[str] = Counter()
        speakers: dict[str, set[str]] = {}
        for s in m.speeches.values():
            cat = m.participants[s.participant_id].category
            seconds[cat] = seconds.get(cat, 0.0) + (s.duration() if s.ended_at is not None else 0.0)
            speeches[cat] += 1
            speakers.setdefault(cat, set()).add(s.participant_id)
        present = {p.category for p in m.participants.values()}
        rows = [{"category": c["key"], "speeches": speeches[c["key"]], "speakers": len(speakers.get(c["key"], ())),
                 "seconds": round(seconds.get(c["key"], 0.0))}
                for c in m.categories if c["key"] in present or speeches[c["key"]]]
        silent = [c["key"] for c in m.categories
                  if any(p.category == c["key"] and p.role == "attendee" for p in m.participants.values())
                  and not speeches[c["key"]]]
        numbered = sorted(m.speeches.values(), key=lambda s: s.started_at)
        number = {s.id: n for n, s in enumerate(numbered, 1)}
        return {"by_category": rows, "total_seconds": sum(r["seconds"] for r in rows),
                "speeches": len(m.speeches), "silent_categories": silent,
                # schema 5: the floor's policy and each change of it, the moderator's moves, the
                # limits set and the speeches that went past them, the direct replies
                "policy": m.floor_policy,
                "policy_changes": [{"policy": h["policy"], "limits": dict(h["limits"]), "at": self.time(float(h["at"]))}
                                   for h in m.floor_history],
                "limits": dict(m.floor_limits),
                "moves": [{"speaker": self.who(str(mv["participant"])), "to": int(mv["to"]) + 1,
                           "at": self.time(float(mv["at"]))} for mv in m.moves],
                "limits_reached": [{"speech": number[s.id], "speaker": self.who(s.participant_id), "over": list(s.over)}
                                   for s in numbered if s.over],
                "replies": sum(1 for s in m.speeches.values() if s.kind == "reply" and s.replies_to)}


def minutes(m: Meeting, identity: Identity, *, public: bool = False, timezone: str = DEFAULT_TIMEZONE,
            small_cells_hidden: bool = True) -> dict[str, Any]:
    """The minutes of `m` (folded from the first `identity.events` events of its record).

    `small_cells_hidden=False` gives the public version as schemas before 3 had it (every
    category's ballots shown), to check a file issued under one of them."""
    tz = ZoneInfo(timezone)
    b = _Builder(m, public, tz, small_cells_hidden)
    items = b.items()
    return {
        "schema": SCHEMA,
        "public": public,
        "meeting": b.header(),
        "categories": [dict(c) for c in m.categories],
        "attendance": b.attendance(),
        "items": items,
        "heard": b.heard(),
        "hearing": b.hearing(),  # schema 9: a hearing's record (听证笔录); null for the other forms
        "open_objections": [o["id"] for i in items for o in i["objections"] if o["open"]],
        "record": {
            "meeting_id": identity.meeting_id, "events": identity.events, "last_hash": identity.last_hash,
            "generated_at": iso(float(int(identity.generated_at)), tz), "timezone": timezone,
        },
        "links": {"public": f"/meetings/{m.id}/public", "verify": f"/meetings/{m.id}/verify"},
    }


def schema_version(schema: Any) -> int | None:
    """The version a minutes file's `schema` names, or None if it is not one of ours."""
    if isinstance(schema, str) and schema.startswith(SCHEMA_PREFIX) and schema[len(SCHEMA_PREFIX):].isdigit():
        return int(schema[len(SCHEMA_PREFIX):])
    return None


def as_schema(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """The minutes as the given (older) schema had them; unknown versions raise ValueError."""
    if version == SCHEMA_VERSION:
        return doc
    if version not in (1, 2, 3, 4, 5, 6, 7, 8):
        raise ValueError(f"unknown minutes schema {SCHEMA_PREFIX}{version}")
    # Schema 9 added the form's template and the community's wording, and the residents' board (理事会),
    # which was held as a council before.
    meeting = _without(doc["meeting"], "wording", "template")
    doc = {**doc, "meeting": {**meeting, "form": "council" if meeting["form"] == "board" else meeting["form"]}}
    # Schema 9 added what came before the meeting: the notice given, opinions gathered in advance, a hearing's parties.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}8", "meeting": _without(doc["meeting"], "notice")}
    doc = {**doc, "items": [{**item, "topic": item["topic"] and _without(item["topic"], "opinions")}
                            for item in doc["items"]]}  # the opinions gathered on an item's topic in advance
    doc = {**_without(doc, "hearing"), "items": [  # a hearing's record; its parties' speeches as speeches
        {**item, "speeches": [{**sp, "kind": "speech"} if sp["kind"] in hearing.PARTS else sp for sp in item["speeches"]]}
        for item in doc["items"]]}
    if version == 8:
        return doc
    # Schema 8 added the items put on the agenda during the meeting (`added`) and the topic an item takes up.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}7", "items": [_without(item, "added", "topic") for item in doc["items"]]}
    if version == 7:
        return doc
    # Schema 7 added roll calls' votes by name, secret polls' ballots by receipt, changeable ballots.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}6", "items": [
        {**item, "polls": [_without(p, "named", "changeable", "roll", "receipts") for p in item["polls"]]} for item in doc["items"]]}
    if version == 6:
        return doc
    # Schema 6 added the issuing body and the publicity period the meeting set, objections raised in
    # that period or asked for by dissenters, the chain of decision, entrusted matters, multiple choice.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}5", "meeting": _without(doc["meeting"], "issuer", "notice_days"),
           "items": [{**_without(item, "origin", "escalations", "entrusted_by", "reports"),
                      "polls": [_without(p, "max_choices", "method", "ranked", "evaluated") for p in item["polls"]],
                      "objections": [_without(o, "during", "basis") for o in item["objections"]],
                      "outcome": item["outcome"] and _without(item["outcome"], "corrections")} for item in doc["items"]]}
    if version == 5:
        return doc
    # Schema 5 added the fair floor: the policy, moves, limits and replies.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}4", "heard": _without(doc["heard"], *_SCHEMA_5_HEARD), "items": [
        {**item, "speeches": [_without(sp, "replies_to", "over") for sp in item["speeches"]]} for item in doc["items"]]}
    if version == 4:
        return doc
    # Schema 4 added binding polls' rule, quorum and result, the ballots staff entered, and proxies.
    doc = {**doc, "schema": f"{SCHEMA_PREFIX}3", "attendance": _without(doc["attendance"], "proxies"), "items": [
        {**item, "polls": [_without(p, *_SCHEMA_4_POLL) for p in item["polls"]]} for item in doc["items"]]}
    if version == 3:
        return doc
    if version == 2:  # schema 3 only hides small categories' ballots: give `doc` made with them shown
        return {**doc, "schema": f"{SCHEMA_PREFIX}2"}
    out = {**doc, "schema": f"{SCHEMA_PREFIX}1"}
    out["attendance"] = {**doc["attendance"], "by_category": [
        {**row, "people": None if row["people"] is None else [_without(p, "entered_by") for p in row["people"]]}
        for row in doc["attendance"]["by_category"]]}
    out["items"] = [{
        **item,
        "speeches": [_without(s, "entered_by", "summarised_by") for s in item["speeches"]],
        "opinions": {**item["opinions"], "approved": [_without(o, "entered_by") for o in item["opinions"]["approved"]]},
        "polls": [_without(p, "corrections") for p in item["polls"]],
        "objections": [{**_without(o, "entered_by"), "responses": [_without(r, "entered_by") for r in o["responses"]]}
                       for o in item["objections"]],
    } for item in doc["items"]]
    return out


_SCHEMA_5_HEARD = ("policy", "policy_changes", "limits", "moves", "limits_reached", "replies")
_SCHEMA_4_POLL = ("rule", "quorum_at_open", "quorum_override", "result", "staff_ballots")


def _without(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in keys}
