"""The floor: requests to speak, the queue, the speaker and the speaking timer."""
from __future__ import annotations

from typing import Any

from . import events as ev
from . import fairness, forms, texts
from .agenda import current_item, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import REQUEST_KINDS, STANCES, Meeting, Speech

MAX_EXTENSION = 600


def raise_hand(m: Meeting, *, participant_id: str, stance: str, kind: str = "speech", by: str = "self") -> list[ev.Event]:
    must_be_open(m)
    participant(m, participant_id)
    item = current_item(m)
    if stance not in STANCES:
        raise MeetingError("unknown_stance", stance=stance)
    if kind not in REQUEST_KINDS:
        raise MeetingError("unknown_request_kind", kind=kind)
    if m.participants[participant_id].role != "attendee" and by == "self":
        raise MeetingError("observers_cannot_speak")
    who = m.participants[participant_id]
    if by == "self" and not forms.may(m.template.get("speakers", "everyone"), category=who.category,
                                      invitee=who.invitee is not None):
        raise MeetingError("may_not_speak")  # the form's template says who speaks; the chair may still call anyone
    if any(m.requests[r].participant_id == participant_id for r in m.queue):
        raise MeetingError("already_in_queue")
    replies_to = ""
    if kind == "reply":  # a direct reply to the speech under way: heard right after it, one at a time
        speech = m.speaker()
        if speech is None:
            raise MeetingError("nobody_speaking")
        if speech.participant_id == participant_id:
            raise MeetingError("reply_to_self")
        if any(m.requests[r].kind == "reply" and m.requests[r].replies_to == speech.id for r in m.queue):
            raise MeetingError("reply_waiting")
        replies_to = speech.id
    return [ev.HandRaised(
        request_id=m.next_id("r", m.requests), participant_id=participant_id, item=item,
        stance=stance, kind=kind, by=by, replies_to=replies_to,
    )]


def withdraw(m: Meeting, *, request_id: str, by: str) -> list[ev.Event]:
    must_be_open(m)
    if request_id not in m.queue:
        raise MeetingError("not_in_queue")
    return [ev.HandWithdrawn(request_id=request_id, by=by)]


def own_request(m: Meeting, participant_id: str) -> str:
    for rid in m.queue:
        if m.requests[rid].participant_id == participant_id:
            return rid
    raise MeetingError("not_in_queue")


def reorder(m: Meeting, *, order: list[str]) -> list[ev.Event]:
    must_be_open(m)
    if sorted(order) != sorted(m.queue):
        raise MeetingError("queue_changed")
    return [ev.QueueReordered(order=list(order))]


def set_policy(m: Meeting, *, policy: str, limits: dict[str, Any] | None = None,
               show_balance: bool | None = None) -> list[ev.Event]:
    """The standing policy for the queue (and the limits, and the projector's balance), from now on.
    Limits not given stay as they were."""
    if m.closed:
        raise MeetingError("meeting_closed")
    merged = {**m.floor_limits, **fairness.check_limits(limits or {})}
    return [ev.FloorPolicySet(policy=fairness.check_policy(policy), limits={k: v for k, v in merged.items() if v},
                              show_balance=m.show_balance if show_balance is None else show_balance)]


def unheard_first(m: Meeting) -> list[ev.Event]:
    """Points of order first; then those who have not had the floor in this meeting (any item, the
    speech under way included); among each of those, those whose category nobody who had the floor
    belongs to. The sort is stable: within each group the queue keeps its order.
    """
    must_be_open(m)
    spoken = {s.participant_id for s in m.speeches.values()}
    heard = {m.participants[p].category for p in spoken}

    def rank(rid: str) -> tuple[int, int, int]:
        r = m.requests[rid]
        cat = m.participants[r.participant_id].category
        return (r.kind != "point_of_order", r.participant_id in spoken, cat in heard)

    return [ev.QueueReordered(order=sorted(m.queue, key=rank))]


def grant_floor(m: Meeting, now: float, *, request_id: str | None = None) -> list[ev.Event]:
    """Give the floor to a request (the first the policy hears by default); ends the running speech.
    A direct reply gets the meeting's reply time, not a whole speech's."""
    must_be_open(m)
    if not m.queue:
        raise MeetingError("queue_empty")
    rid = request_id or fairness.next_request(m) or m.queue[0]
    if rid not in m.queue:
        raise MeetingError("not_in_queue")
    events: list[ev.Event] = []
    if m.current_speech:
        events.append(ev.SpeechEnded(speech_id=m.current_speech, ended_at=now))
    r = m.requests[rid]
    seconds = m.floor_limits.get("reply_seconds", fairness.DEFAULT_REPLY_SECONDS) if r.kind == "reply" else m.speaking_seconds
    events.append(ev.FloorGranted(
        speech_id=m.next_id("s", m.speeches), request_id=rid, started_at=now, ends_at=now + seconds,
    ))
    return events


def _speaking(m: Meeting) -> Speech:
    s = m.speaker()
    if s is None:
        raise MeetingError("nobody_speaking")
    return s


def end_speech(m: Meeting, now: float) -> list[ev.Event]:
    must_be_open(m)
    return [ev.SpeechEnded(speech_id=_speaking(m).id, ended_at=now)]


def pause_timer(m: Meeting, now: float) -> list[ev.Event]:
    must_be_open(m)
    s = _speaking(m)
    if s.ends_at is None:
        raise MeetingError("timer_paused")
    return [ev.TimerPaused(speech_id=s.id, remaining=s.ends_at - now)]


def resume_timer(m: Meeting, now: float) -> list[ev.Event]:
    must_be_open(m)
    s = _speaking(m)
    if s.ends_at is not None:
        raise MeetingError("timer_running")
    return [ev.TimerResumed(speech_id=s.id, ends_at=now + (s.remaining or 0))]


def extend_timer(m: Meeting, *, seconds: int) -> list[ev.Event]:
    must_be_open(m)
    s = _speaking(m)
    if not 1 <= seconds <= MAX_EXTENSION:
        raise MeetingError("bad_extension", max=MAX_EXTENSION)
    return [ev.TimerExtended(speech_id=s.id, seconds=seconds)]


def summarise(m: Meeting, *, speech_id: str, summary: str) -> list[ev.Event]:
    """The recorder's note of what was said; may be written or corrected after the meeting too."""
    if speech_id not in m.speeches:
        raise MeetingError("no_such_speech")
    return [ev.SpeechSummarised(speech_id=speech_id, summary=texts.clean(summary, "summary", texts.TEXT))]
