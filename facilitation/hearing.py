"""A hearing's own procedure (听证会): parties registered to testify beforehand, and the stages the
chair steps through: the procedure explained, the plan presented, each party's testimony in the
order registered with its own time, questions from the floor, each party's closing statement,
the close.

A testimony or a closing statement is a speech of the floor (facilitation/speakers.py) given to
the party's participant, so the timer, its pause and extension, the recorder's notes and the
minutes' speeches all hold for it; `PartyCalled` says which party's part a speech is.
"""
from __future__ import annotations

from typing import Any

from . import attendance, texts
from . import events as ev
from .agenda import current_item, must_be_open
from .errors import MeetingError
from .meeting import Meeting, Party

STAGES = ("explain", "plan", "testimony", "questions", "closing", "close")
# Parties register until the testimonies begin.
REGISTRATION_STAGES = ("", "explain", "plan")
PARTS = ("testimony", "closing")  # the stages in which parties are called, and their speeches' kind
SIDES = ("for", "against", "other")
# Whom a party speaks for: themselves as a party concerned, a group, a building's residents, an organisation.
FOR_KINDS = ("concerned", "group", "building", "organisation")
DEFAULT_SECONDS = {"testimony": 300, "closing": 120}
MIN_SECONDS, MAX_SECONDS = 30, 3600
MAX_PARTIES = 30
SPEAKS_FOR = 100
SUMMARY = 500


def must_be_hearing(m: Meeting) -> None:
    must_be_open(m)
    if m.form != "hearing":
        raise MeetingError("not_a_hearing")


def active(m: Meeting) -> list[Party]:
    """The parties still registered, in the order they registered (the order they are heard in)."""
    return [p for p in m.parties.values() if p.withdrawn is None]


def seconds_for(m: Meeting, party: Party, part: str) -> int:
    own = party.closing_seconds if part == "closing" else party.testimony_seconds
    return own or m.hearing_seconds.get(part, 0) or DEFAULT_SECONDS[part]


def register(m: Meeting, *, name: str, category: str, for_kind: str, speaks_for: str, side: str, summary: str,
             invitee: int | None = None, participant_id: str = "") -> list[ev.Event]:
    """A party for the hearing: by name (someone invited, at their place in the roster, or anyone
    the office names), or the checked-in invitee on their own phone (`participant_id`)."""
    must_be_hearing(m)
    if m.hearing_stage not in REGISTRATION_STAGES:
        raise MeetingError("registration_closed")
    if len(active(m)) >= MAX_PARTIES:
        raise MeetingError("too_many_parties", max=MAX_PARTIES)
    if side not in SIDES:
        raise MeetingError("unknown_stance", stance=side)
    if for_kind not in FOR_KINDS:
        raise MeetingError("unknown_party_kind", kind=for_kind)
    if participant_id:
        p = m.participants[participant_id]
        name, category, invitee = p.name, p.category, p.invitee
    elif invitee is not None:
        attendance.invitee_index(m, invitee)
        name, category = m.roster[invitee]["name"], m.roster[invitee]["category"]
    category = category or ("other" if "other" in m.category_keys() else "")  # one the office names: by default "other"
    if category not in m.category_keys():
        raise MeetingError("unknown_category", category=category)
    name = texts.clean(name, "name", texts.NAME)
    speaks_for = texts.clean(speaks_for, "speaks_for", SPEAKS_FOR, required=for_kind != "concerned")
    summary = texts.clean(summary, "testimony_summary", SUMMARY)
    key = texts.name_key(name)
    for other in active(m):
        if texts.name_key(other.name) == key or (invitee is not None and other.invitee == invitee):
            raise MeetingError("party_registered", name=other.name)
    return [ev.PartyRegistered(party_id=m.next_id("h", m.parties), name=name, category=category, for_kind=for_kind,
                               speaks_for=speaks_for, side=side, summary=summary, invitee=invitee,
                               participant_id=participant_id)]


def party(m: Meeting, party_id: str) -> Party:
    if party_id not in m.parties:
        raise MeetingError("no_such_party")
    return m.parties[party_id]


def own_party(m: Meeting, participant_id: str, party_id: str) -> Party:
    """The party a phone may act on: the one it registered, or its invitee's."""
    x = party(m, party_id)
    p = m.participants[participant_id]
    if x.participant_id != participant_id and (p.invitee is None or x.invitee != p.invitee):
        raise MeetingError("not_your_party")
    return x


def withdraw(m: Meeting, *, party_id: str, reason: str = "") -> list[ev.Event]:
    """A party withdraws (or staff take them off the list) until their testimony has been called."""
    must_be_hearing(m)
    x = party(m, party_id)
    if x.withdrawn is not None:
        raise MeetingError("no_such_party")
    if x.testimony:
        raise MeetingError("party_already_heard", name=x.name)
    return [ev.PartyWithdrawn(party_id=party_id, reason=texts.clean(reason, "reason", texts.SHORT, required=False))]


def _check_seconds(seconds: int | None) -> int:
    if seconds is None or seconds == 0:
        return 0
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise MeetingError("bad_speaking_time")
    return seconds


def set_time(m: Meeting, *, testimony_seconds: int | None = None, closing_seconds: int | None = None,
             party_id: str = "") -> list[ev.Event]:
    """The default times for every party, or one party's own (0: back to the default). Times not
    given stay as they were."""
    must_be_hearing(m)
    if party_id:
        x = party(m, party_id)
        before = {"testimony": x.testimony_seconds, "closing": x.closing_seconds}
    else:
        before = {"testimony": m.hearing_seconds.get("testimony", 0), "closing": m.hearing_seconds.get("closing", 0)}
    testimony = before["testimony"] if testimony_seconds is None else _check_seconds(testimony_seconds)
    closing = before["closing"] if closing_seconds is None else _check_seconds(closing_seconds)
    return [ev.HearingTimeSet(party_id=party_id, testimony_seconds=testimony, closing_seconds=closing)]


def next_stage(m: Meeting) -> str | None:
    at = STAGES.index(m.hearing_stage) + 1 if m.hearing_stage else 0
    return STAGES[at] if at < len(STAGES) else None


def begin_stage(m: Meeting, now: float, *, stage: str) -> list[ev.Event]:
    """The next stage, one at a time and never back; the speech under way ends with the stage."""
    must_be_hearing(m)
    if stage not in STAGES:
        raise MeetingError("unknown_hearing_stage", stage=stage)
    if stage != next_stage(m):
        raise MeetingError("hearing_stage_order", stage=stage, next=next_stage(m) or "")
    if stage == "testimony" and not active(m):
        raise MeetingError("no_parties")
    events: list[ev.Event] = []
    if m.current_speech:
        events.append(ev.SpeechEnded(speech_id=m.current_speech, ended_at=now))
    return events + [ev.HearingStageBegun(stage=stage)]


def to_call(m: Meeting) -> list[Party]:
    """The parties still to be heard in the stage under way, in order."""
    if m.hearing_stage not in PARTS:
        return []
    part = m.hearing_stage
    return [x for x in active(m) if not getattr(x, part)]


def call(m: Meeting, now: float, *, party_id: str = "") -> list[ev.Event]:
    """Give the floor to a party for its testimony or closing statement: the next in order by
    default, or the one named (a party not in the room can be passed over and called later). A
    party not yet checked in is checked in by the desk: they are at the front, speaking."""
    must_be_hearing(m)
    part = m.hearing_stage
    if part not in PARTS:
        raise MeetingError("not_party_stage")
    item = current_item(m)
    waiting = to_call(m)
    if party_id:
        x = party(m, party_id)
        if x.withdrawn is not None:
            raise MeetingError("no_such_party")
        if x not in waiting:
            raise MeetingError("party_already_heard", name=x.name)
    elif waiting:
        x = waiting[0]
    else:
        raise MeetingError("no_party_left")
    events: list[ev.Event] = []
    if m.current_speech:
        events.append(ev.SpeechEnded(speech_id=m.current_speech, ended_at=now))
    pid, checked_in = _participant(m, x)
    events += checked_in
    request_id = m.next_id("r", m.requests)
    speech_id = m.next_id("s", m.speeches)
    return events + [
        ev.HandRaised(request_id=request_id, participant_id=pid, item=item, stance=x.side, kind=part, by="moderator"),
        ev.FloorGranted(speech_id=speech_id, request_id=request_id, started_at=now,
                        ends_at=now + seconds_for(m, x, part)),
        ev.PartyCalled(party_id=x.id, part=part, speech_id=speech_id),
    ]


def _participant(m: Meeting, x: Party) -> tuple[str, list[ev.Event]]:
    """The party's participant, and the check-in that makes one if they have none yet."""
    if x.participant_id and m.participants[x.participant_id].counted:
        return x.participant_id, []
    if x.invitee is not None and x.invitee in m.invitees_in:
        return m.invitees_in[x.invitee], []
    if x.invitee is not None:
        events = attendance.check_in(m, invitee=x.invitee, by="moderator", via="desk")
    else:
        here = [p for p in m.participants.values() if p.counted and texts.name_key(p.name) == texts.name_key(x.name)]
        if len(here) == 1:
            return here[0].id, []
        events = attendance.check_in(m, name=x.name, category=x.category, by="moderator")
    return events[0].participant_id, events  # type: ignore[attr-defined]


def party_view(m: Meeting, x: Party) -> dict[str, Any]:
    """A party as every screen shows it: at a hearing the parties testify in public."""
    return {"id": x.id, "name": x.name, "category": x.category, "for_kind": x.for_kind, "speaks_for": x.speaks_for,
            "side": x.side, "summary": x.summary, "testimony_seconds": seconds_for(m, x, "testimony"),
            "closing_seconds": seconds_for(m, x, "closing"), "testified": bool(x.testimony), "closed": bool(x.closing),
            "invitee": x.invitee is not None}


def view(m: Meeting) -> dict[str, Any] | None:
    """The hearing as the room sees it: the stage, the party speaking, the order to come."""
    if m.form != "hearing":
        return None
    speaking = next((x for x in m.parties.values() if m.current_speech and m.current_speech in (x.testimony, x.closing)),
                    None)
    return {
        "stage": m.hearing_stage, "next_stage": next_stage(m), "stages": list(STAGES),
        "registration_open": m.hearing_stage in REGISTRATION_STAGES and not m.closed,
        "seconds": {part: m.hearing_seconds.get(part, 0) or DEFAULT_SECONDS[part] for part in PARTS},
        "parties": [party_view(m, x) for x in active(m)],
        "speaking": speaking.id if speaking else None,
        "to_come": [x.id for x in to_call(m) if x is not speaking],
    }
