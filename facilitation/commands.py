"""Every command a client can send, who may send it, and what it does to the meeting.

A command is a function `(meeting, actor, now, **payload) -> events`. Its keyword parameters
are its payload: live/ builds the payload validation from these signatures, so the table below
is the one place that says what a command takes and who may send it.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from . import agenda, attendance, objections, opinions, speakers, straw_polls
from . import events as ev
from .errors import MeetingError
from .meeting import Meeting
from .roles import ATTENDEE, GUEST, MODERATOR, Actor, require

PHONE = (ATTENDEE, MODERATOR)  # phone actions the moderator may also do for someone


@dataclass(frozen=True)
class Command:
    name: str
    fn: Callable[..., list[ev.Event]]
    roles: tuple[str, ...]


COMMANDS: dict[str, Command] = {}


def command(name: str, *roles: str) -> Callable:
    def register(fn: Callable) -> Callable:
        COMMANDS[name] = Command(name, fn, roles)
        return fn

    return register


def authorise(actor: Actor, name: str) -> Command:
    """The command, if this actor's role may send it (checked before its payload is looked at)."""
    if name not in COMMANDS:
        raise MeetingError("unknown_command", command=name)
    require(actor, COMMANDS[name].roles)
    return COMMANDS[name]


def decide(m: Meeting, actor: Actor, name: str, payload: dict[str, Any], now: float) -> list[ev.Event]:
    return authorise(actor, name).fn(m, actor, now, **payload)


def acting_for(actor: Actor, participant_id: str | None) -> tuple[str, str]:
    """The participant an action is for, and who did it: a phone only ever acts as itself."""
    if actor.is_moderator:
        if not participant_id:
            raise MeetingError("participant_required")
        return participant_id, "moderator"
    own = actor.own_participant()
    if participant_id not in (None, own):
        raise MeetingError("not_your_participant")
    return own, "self"


def _after(m: Meeting, events: list[ev.Event], now: float) -> Meeting:
    """The meeting as it would be after `events`: for commands made of two steps."""
    preview = copy.deepcopy(m)
    for e in events:
        preview.apply(e, now)
    return preview


# -- phones (and the moderator on someone's behalf) ---------------------------------


@command("check_in", GUEST, MODERATOR)
def _check_in(m: Meeting, actor: Actor, now: float, *, name: str = "", category: str = "", role: str = "attendee",
              invitee: int | None = None) -> list[ev.Event]:
    by = "moderator" if actor.is_moderator else "self"
    return attendance.check_in(m, name=name, category=category, role=role, by=by, invitee=invitee)


@command("raise_hand", *PHONE)
def _raise_hand(m: Meeting, actor: Actor, now: float, *, stance: str, kind: str = "speech",
                participant_id: str | None = None) -> list[ev.Event]:
    pid, by = acting_for(actor, participant_id)
    return speakers.raise_hand(m, participant_id=pid, stance=stance, kind=kind, by=by)


@command("withdraw_hand", ATTENDEE)
def _withdraw(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.withdraw(m, request_id=speakers.own_request(m, actor.own_participant()), by="self")


@command("submit_opinion", *PHONE)
def _submit_opinion(m: Meeting, actor: Actor, now: float, *, text: str, participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(actor, participant_id)
    return opinions.submit(m, participant_id=pid, text=text)


@command("raise_objection", *PHONE)
def _raise_objection(m: Meeting, actor: Actor, now: float, *, reason: str, item: int | None = None,
                     participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(actor, participant_id)
    return objections.raise_objection(m, participant_id=pid, reason=reason, item=item)


@command("answer_objection", *PHONE)
def _answer_objection(m: Meeting, actor: Actor, now: float, *, objection_id: str, response: str, comment: str = "",
                      participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(actor, participant_id)
    return objections.answer(m, participant_id=pid, objection_id=objection_id, response=response, comment=comment)


@command("cast_ballot", ATTENDEE)
def _cast_ballot(m: Meeting, actor: Actor, now: float, *, poll_id: str, choice: int) -> list[ev.Event]:
    return straw_polls.cast_ballot(m, participant_id=actor.own_participant(), poll_id=poll_id, choice=choice)


# -- the moderator ------------------------------------------------------------------


@command("add_speaker", MODERATOR)
def _add_speaker(m: Meeting, actor: Actor, now: float, *, stance: str, kind: str = "speech", name: str = "",
                 category: str = "", participant_id: str | None = None) -> list[ev.Event]:
    """A hand raised without a phone: check the person in by name first if needed."""
    events: list[ev.Event] = []
    if participant_id is None:
        events = attendance.check_in(m, name=name, category=category, by="moderator")
        participant_id = events[0].participant_id  # type: ignore[attr-defined]
        m = _after(m, events, now)
    return events + speakers.raise_hand(m, participant_id=participant_id, stance=stance, kind=kind, by="moderator")


@command("remove_request", MODERATOR)
def _remove_request(m: Meeting, actor: Actor, now: float, *, request_id: str) -> list[ev.Event]:
    return speakers.withdraw(m, request_id=request_id, by="moderator")


@command("reorder_queue", MODERATOR)
def _reorder(m: Meeting, actor: Actor, now: float, *, order: list[str]) -> list[ev.Event]:
    return speakers.reorder(m, order=order)


@command("unheard_first", MODERATOR)
def _unheard_first(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.unheard_first(m)


@command("open_item", MODERATOR)
def _open_item(m: Meeting, actor: Actor, now: float, *, item: int) -> list[ev.Event]:
    return agenda.open_item(m, item=item)


@command("grant_floor", MODERATOR)
def _grant(m: Meeting, actor: Actor, now: float, *, request_id: str | None = None) -> list[ev.Event]:
    return speakers.grant_floor(m, now, request_id=request_id)


@command("end_speech", MODERATOR)
def _end_speech(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.end_speech(m, now)


@command("pause_timer", MODERATOR)
def _pause(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.pause_timer(m, now)


@command("resume_timer", MODERATOR)
def _resume(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.resume_timer(m, now)


@command("extend_timer", MODERATOR)
def _extend(m: Meeting, actor: Actor, now: float, *, seconds: int = 60) -> list[ev.Event]:
    return speakers.extend_timer(m, seconds=seconds)


@command("summarise_speech", MODERATOR)
def _summarise(m: Meeting, actor: Actor, now: float, *, speech_id: str, summary: str) -> list[ev.Event]:
    return speakers.summarise(m, speech_id=speech_id, summary=summary)


@command("moderate_opinion", MODERATOR)
def _moderate(m: Meeting, actor: Actor, now: float, *, opinion_id: str, visible: bool) -> list[ev.Event]:
    return opinions.moderate(m, opinion_id=opinion_id, visible=visible)


@command("give_explanation", MODERATOR)
def _explain(m: Meeting, actor: Actor, now: float, *, objection_id: str, text: str, by: str = "") -> list[ev.Event]:
    return objections.explain(m, objection_id=objection_id, text=text, by=by)


@command("open_poll", MODERATOR)
def _open_poll(m: Meeting, actor: Actor, now: float, *, question: str, kind: str = "yes_no_abstain",
               options: list[str] | None = None) -> list[ev.Event]:
    return straw_polls.open_poll(m, question=question, kind=kind, options=options)


@command("add_hand_count", MODERATOR)
def _hands(m: Meeting, actor: Actor, now: float, *, poll_id: str, counts: list[int]) -> list[ev.Event]:
    return straw_polls.add_hand_count(m, poll_id=poll_id, counts=counts)


@command("close_poll", MODERATOR)
def _close_poll(m: Meeting, actor: Actor, now: float, *, poll_id: str) -> list[ev.Event]:
    return straw_polls.close_poll(m, poll_id=poll_id)


@command("record_outcome", MODERATOR)
def _outcome(m: Meeting, actor: Actor, now: float, *, item: int, outcome: str, opinion: str = "",
             actions: list[dict[str, str]] | None = None) -> list[ev.Event]:
    return agenda.record_outcome(m, item=item, outcome=outcome, opinion=opinion, actions=actions)


@command("close_meeting", MODERATOR)
def _close(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return agenda.close_meeting(m, now)
