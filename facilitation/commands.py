"""Every command a client can send, who may send it, and what it does to the meeting.

A command is a function `(meeting, actor, now, **payload) -> events`. Its keyword parameters
are its payload: live/ builds the payload validation from these signatures, so the table below
is the one place that says what a command takes and who may send it.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any, Callable

from . import agenda, attendance, followup, hearing, notice, objections, opinions, proxies, speakers, straw_polls
from . import events as ev
from .errors import MeetingError
from .meeting import Meeting
from .roles import ATTENDEE, CHAIR, FACILITATOR, GUEST, MODERATOR, OBSERVER, RECORDER, STAFF, Actor, require

PHONE = (ATTENDEE, *STAFF)  # phone actions staff may also do for someone without a phone
# Parameters the server fills in, never the sender (a sender naming one is refused): a secret
# ballot's receipt, made at random; the secret polls' boxes, read from the store at a close.
SERVER_SUPPLIED = frozenset({"receipt", "boxes"})


@dataclass(frozen=True)
class Command:
    name: str
    fn: Callable[..., list[ev.Event]]
    roles: tuple[str, ...]


COMMANDS: dict[str, Command] = {}


def command(name: str, *roles: str) -> Callable[[Callable[..., list[ev.Event]]], Callable[..., list[ev.Event]]]:
    def register(fn: Callable[..., list[ev.Event]]) -> Callable[..., list[ev.Event]]:
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
    """The events a command makes, each naming who did it."""
    cmd = authorise(actor, name)
    if actor.participant_id is not None and not actor.is_staff:  # held for the desk, or taken back
        attendance.must_count(m, actor.participant_id)
    return [attributed(e, actor) for e in cmd.fn(m, actor, now, **payload)]


_RECORD_ROLE = {MODERATOR: ev.MODERATOR, RECORDER: ev.RECORDER, FACILITATOR: ev.FACILITATOR}


def attributed(e: ev.Event, actor: Actor) -> ev.Event:
    """The event with its actor: staff by role, a phone as its participant."""
    if e.actor != ev.NOBODY:  # the rule already said (the system's own doing)
        return e
    if actor.role in _RECORD_ROLE:
        return replace(e, actor=ev.By(_RECORD_ROLE[actor.role]))
    if actor.role in (ATTENDEE, OBSERVER):
        return replace(e, actor=ev.By(ev.PARTICIPANT, actor.own_participant()))
    if actor.role == GUEST and isinstance(e, (ev.ParticipantCheckedIn, ev.IdentityRecovered)):  # a phone checking itself in
        return replace(e, actor=ev.By(ev.PARTICIPANT, e.participant_id))
    if actor.role == GUEST and actor.invitee is not None and isinstance(e, (ev.ObjectionRaised, ev.ObjectionAnswered,
                                                                              ev.ReplyGiven, ev.PartyRegistered)):
        return replace(e, actor=ev.By(ev.INVITEE, str(actor.invitee)))  # a resident with their code, not checked in
    raise MeetingError("not_allowed", role=actor.role)


def acting_for(m: Meeting, actor: Actor, participant_id: str | None) -> tuple[str, str]:
    """The participant an action is for, and who did it: a phone only ever acts as itself."""
    if actor.is_staff:
        if not participant_id:
            raise MeetingError("participant_required")
        attendance.must_count(m, participant_id)
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


@command("check_in", GUEST, *STAFF)
def _check_in(m: Meeting, actor: Actor, now: float, *, name: str = "", category: str = "", role: str = "attendee",
              invitee: int | None = None, code: str = "") -> list[ev.Event]:
    """Staff check anyone in (an invitee by their place in the roster); a phone checks in with its
    person's code (live/ turns it into `actor.invitee`) or as a walk-in, never by picking a name."""
    if actor.is_staff:
        if code:
            raise MeetingError("code_for_phones")  # the desk finds the person in the roster instead
        return attendance.check_in(m, name=name, category=category, role=role, by="moderator", invitee=invitee,
                                   via="desk" if invitee is not None else "")
    if invitee is not None:
        raise MeetingError("code_required")
    if actor.invitee is not None:
        return attendance.check_in(m, role=role, invitee=actor.invitee, via="code")
    if code:  # live/ resolves every code it knows before the rules see it
        raise MeetingError("bad_code")
    return attendance.check_in(m, name=name, category=category, role=role)


@command("confirm_check_in", *STAFF)
def _confirm(m: Meeting, actor: Actor, now: float, *, participant_id: str, invitee: int | None = None) -> list[ev.Event]:
    return attendance.confirm(m, participant_id=participant_id, invitee=invitee)


@command("refuse_check_in", *STAFF)
def _refuse(m: Meeting, actor: Actor, now: float, *, participant_id: str, reason: str) -> list[ev.Event]:
    return attendance.refuse(m, participant_id=participant_id, reason=reason)


@command("withdraw_check_in", *STAFF)
def _withdraw_check_in(m: Meeting, actor: Actor, now: float, *, participant_id: str, reason: str) -> list[ev.Event]:
    return attendance.withdraw(m, participant_id=participant_id, reason=reason)


@command("merge_participants", *STAFF)
def _merge(m: Meeting, actor: Actor, now: float, *, keep: str, drop: str, reason: str) -> list[ev.Event]:
    return attendance.merge(m, keep=keep, drop=drop, reason=reason)


@command("raise_hand", *PHONE)
def _raise_hand(m: Meeting, actor: Actor, now: float, *, stance: str, kind: str = "speech",
                participant_id: str | None = None) -> list[ev.Event]:
    pid, by = acting_for(m, actor, participant_id)
    return speakers.raise_hand(m, participant_id=pid, stance=stance, kind=kind, by=by)


@command("withdraw_hand", ATTENDEE)
def _withdraw(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    agenda.must_be_open(m)  # after the close the queue is gone: the phone is told the meeting is closed
    return speakers.withdraw(m, request_id=speakers.own_request(m, actor.own_participant()), by="self")


@command("submit_opinion", *PHONE)
def _submit_opinion(m: Meeting, actor: Actor, now: float, *, text: str, participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(m, actor, participant_id)
    return opinions.submit(m, participant_id=pid, text=text)


@command("raise_objection", *PHONE)
def _raise_objection(m: Meeting, actor: Actor, now: float, *, reason: str, item: int | None = None,
                     participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(m, actor, participant_id)
    return objections.raise_objection(m, participant_id=pid, reason=reason, item=item)


@command("request_explanation", *PHONE)
def _request_explanation(m: Meeting, actor: Actor, now: float, *, item: int, reason: str,
                         participant_id: str | None = None) -> list[ev.Event]:
    """One who voted or spoke against asks why: during the meeting and after it, while the decision is posted."""
    pid, _ = acting_for(m, actor, participant_id)
    return objections.request_explanation(m, participant_id=pid, item=item, reason=reason, now=now)


@command("answer_objection", *PHONE)
def _answer_objection(m: Meeting, actor: Actor, now: float, *, objection_id: str, response: str, comment: str = "",
                      participant_id: str | None = None) -> list[ev.Event]:
    pid, _ = acting_for(m, actor, participant_id)
    return objections.answer(m, participant_id=pid, objection_id=objection_id, response=response, comment=comment)


@command("cast_ballot", *PHONE)
def _cast_ballot(m: Meeting, actor: Actor, now: float, *, poll_id: str, choice: int | None = None,
                 participant_id: str | None = None, for_invitee: int | None = None,
                 choices: list[int] | None = None, receipt: str = "") -> list[ev.Event]:
    """A phone votes as itself (or, with `for_invitee`, for the absent member whose proxy it holds);
    staff enter the ballot of someone without a phone, who tells them (never in a secret poll).
    `choices` in a multiple-choice poll, `choice` in any other."""
    pid, _ = acting_for(m, actor, participant_id)
    return straw_polls.cast_ballot(m, participant_id=pid, poll_id=poll_id, choice=choice, for_invitee=for_invitee,
                                   choices=choices, receipt=receipt, entered_by_staff=actor.is_staff)


@command("record_proxy", *STAFF)
def _record_proxy(m: Meeting, actor: Actor, now: float, *, principal: int, holder: str, note: str = "") -> list[ev.Event]:
    return proxies.record(m, principal=principal, holder=holder, note=note)


@command("withdraw_proxy", *STAFF)
def _withdraw_proxy(m: Meeting, actor: Actor, now: float, *, principal: int, reason: str) -> list[ev.Event]:
    return proxies.withdraw(m, principal=principal, reason=reason)


@command("register_party", GUEST, *PHONE)
def _register_party(m: Meeting, actor: Actor, now: float, *, for_kind: str, side: str, summary: str,
                    speaks_for: str = "", name: str = "", category: str = "", invitee: int | None = None,
                    participant_id: str | None = None, code: str = "") -> list[ev.Event]:
    """A party for a hearing: staff register anyone by name (an invitee by their place in the
    roster); an invitee registers themselves, by no other name than their own: on the phone their
    personal code checked in, or before the meeting with the code on their slip, without checking
    in (live/ turns the code into `actor.invitee`)."""
    if actor.is_staff:
        if code:
            raise MeetingError("code_for_phones")
        if participant_id is not None:
            attendance.must_count(m, participant_id)
        return hearing.register(m, name=name, category=category, for_kind=for_kind, speaks_for=speaks_for, side=side,
                                summary=summary, invitee=invitee, participant_id=participant_id or "")
    if actor.role == GUEST:
        if actor.invitee is None and code:  # live/ resolves every code it knows before the rules see it
            raise MeetingError("bad_code")
        if actor.invitee is None:
            raise MeetingError("code_required")
        if participant_id is not None or invitee not in (None, actor.invitee) or category or name:
            raise MeetingError("not_your_participant")
        return hearing.register(m, name="", category="", for_kind=for_kind, speaks_for=speaks_for, side=side,
                                summary=summary, invitee=actor.invitee)
    own = actor.own_participant()
    if participant_id not in (None, own) or invitee is not None or category or name not in ("", m.participants[own].name):
        raise MeetingError("not_your_participant")
    if m.participants[own].invitee is None:
        raise MeetingError("party_needs_code")
    return hearing.register(m, name="", category="", for_kind=for_kind, speaks_for=speaks_for, side=side,
                            summary=summary, participant_id=own)


@command("withdraw_party", *PHONE)
def _withdraw_party(m: Meeting, actor: Actor, now: float, *, party_id: str, reason: str = "") -> list[ev.Event]:
    if not actor.is_staff:
        hearing.own_party(m, actor.own_participant(), party_id)
    return hearing.withdraw(m, party_id=party_id, reason=reason)


# -- before the meeting: notices and replies (facilitation/notice.py) ---------------


@command("record_notice", *STAFF)
def _record_notice(m: Meeting, actor: Actor, now: float, *, how: str, invitees: list[int] | None = None,
                   category: str = "", note: str = "") -> list[ev.Event]:
    """Invitees were told: those named, those of a category, or (neither given) everyone invited."""
    return notice.record(m, how=how, invitees=invitees, category=category, note=note)


@command("reply", GUEST, *STAFF)
def _reply(m: Meeting, actor: Actor, now: float, *, answer: str, holder: str = "",
           invitee: int | None = None) -> list[ev.Event]:
    """An invitee's reply: with their code (live/ checks it: `actor.invitee`), only ever their own;
    staff enter the reply someone gave them by telephone."""
    if not actor.is_staff:
        if actor.invitee is None:
            raise MeetingError("code_required")
        if invitee not in (None, actor.invitee):
            raise MeetingError("not_your_invitee")
        invitee = actor.invitee
    elif invitee is None:
        raise MeetingError("invitee_required")
    return notice.reply(m, invitee=invitee, answer=answer, holder=holder)


# -- the moderator ------------------------------------------------------------------


@command("set_hearing_time", *CHAIR)
def _set_hearing_time(m: Meeting, actor: Actor, now: float, *, testimony_seconds: int | None = None,
                      closing_seconds: int | None = None, party_id: str = "") -> list[ev.Event]:
    return hearing.set_time(m, testimony_seconds=testimony_seconds, closing_seconds=closing_seconds, party_id=party_id)


@command("begin_hearing_stage", *CHAIR)
def _begin_hearing_stage(m: Meeting, actor: Actor, now: float, *, stage: str) -> list[ev.Event]:
    return hearing.begin_stage(m, now, stage=stage)


@command("call_party", *CHAIR)
def _call_party(m: Meeting, actor: Actor, now: float, *, party_id: str = "") -> list[ev.Event]:
    return hearing.call(m, now, party_id=party_id)


@command("add_speaker", *STAFF)
def _add_speaker(m: Meeting, actor: Actor, now: float, *, stance: str, kind: str = "speech", name: str = "",
                 category: str = "", participant_id: str | None = None) -> list[ev.Event]:
    """A hand raised without a phone: check the person in by name first if needed."""
    events: list[ev.Event] = []
    if participant_id is None:
        events = attendance.check_in(m, name=name, category=category, by="moderator")
        participant_id = events[0].participant_id  # type: ignore[attr-defined]
        m = _after(m, events, now)
    else:
        attendance.must_count(m, participant_id)
    return events + speakers.raise_hand(m, participant_id=participant_id, stance=stance, kind=kind, by="moderator")


@command("remove_request", *CHAIR)
def _remove_request(m: Meeting, actor: Actor, now: float, *, request_id: str) -> list[ev.Event]:
    return speakers.withdraw(m, request_id=request_id, by="moderator")


@command("reorder_queue", *CHAIR)
def _reorder(m: Meeting, actor: Actor, now: float, *, order: list[str]) -> list[ev.Event]:
    return speakers.reorder(m, order=order)


@command("set_floor_policy", *CHAIR)
def _set_floor_policy(m: Meeting, actor: Actor, now: float, *, policy: str, limits: dict[str, int] | None = None,
                      show_balance: bool | None = None) -> list[ev.Event]:
    return speakers.set_policy(m, policy=policy, limits=limits, show_balance=show_balance)


@command("unheard_first", *CHAIR)
def _unheard_first(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.unheard_first(m)


@command("open_item", *CHAIR)
def _open_item(m: Meeting, actor: Actor, now: float, *, item: int) -> list[ev.Event]:
    return agenda.open_item(m, item=item)


@command("add_item", *CHAIR)
def _add_item(m: Meeting, actor: Actor, now: float, *, title: str, background: str = "", reason: str = "") -> list[ev.Event]:
    return agenda.add_item(m, title=title, background=background, reason=reason)


@command("grant_floor", *CHAIR)
def _grant(m: Meeting, actor: Actor, now: float, *, request_id: str | None = None) -> list[ev.Event]:
    return speakers.grant_floor(m, now, request_id=request_id)


@command("end_speech", *CHAIR)
def _end_speech(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.end_speech(m, now)


@command("pause_timer", *CHAIR)
def _pause(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.pause_timer(m, now)


@command("resume_timer", *CHAIR)
def _resume(m: Meeting, actor: Actor, now: float) -> list[ev.Event]:
    return speakers.resume_timer(m, now)


@command("extend_timer", *CHAIR)
def _extend(m: Meeting, actor: Actor, now: float, *, seconds: int = 60) -> list[ev.Event]:
    return speakers.extend_timer(m, seconds=seconds)


@command("summarise_speech", *STAFF)
def _summarise(m: Meeting, actor: Actor, now: float, *, speech_id: str, summary: str) -> list[ev.Event]:
    return speakers.summarise(m, speech_id=speech_id, summary=summary)


@command("moderate_opinion", *CHAIR)
def _moderate(m: Meeting, actor: Actor, now: float, *, opinion_id: str, visible: bool) -> list[ev.Event]:
    return opinions.moderate(m, opinion_id=opinion_id, visible=visible)


@command("give_explanation", *STAFF)
def _explain(m: Meeting, actor: Actor, now: float, *, objection_id: str, text: str, by: str = "") -> list[ev.Event]:
    return objections.explain(m, objection_id=objection_id, text=text, by=by)


@command("open_poll", *CHAIR)
def _open_poll(m: Meeting, actor: Actor, now: float, *, question: str, kind: str = "yes_no_abstain",
               options: list[str] | None = None, rule: str = "", quorum_override: str = "",
               hide_results: bool = False, max_choices: int = 0, method: str = "", secret: bool = False,
               named: bool = False, changeable: bool = False) -> list[ev.Event]:
    return straw_polls.open_poll(m, question=question, kind=kind, options=options, rule=rule,
                                 quorum_override=quorum_override, hide_results=hide_results, max_choices=max_choices,
                                 method=method, secret=secret, named=named, changeable=changeable)


@command("reveal_results", *CHAIR)
def _reveal(m: Meeting, actor: Actor, now: float, *, poll_id: str) -> list[ev.Event]:
    return straw_polls.reveal_results(m, poll_id=poll_id)


@command("add_hand_count", *CHAIR)
def _hands(m: Meeting, actor: Actor, now: float, *, poll_id: str, counts: list[int]) -> list[ev.Event]:
    return straw_polls.add_hand_count(m, poll_id=poll_id, counts=counts)


@command("correct_hand_count", *CHAIR)
def _correct_hands(m: Meeting, actor: Actor, now: float, *, poll_id: str, counts: list[int],
                   reason: str = "") -> list[ev.Event]:
    return straw_polls.correct_hand_count(m, poll_id=poll_id, counts=counts, reason=reason)


@command("close_poll", *CHAIR)
def _close_poll(m: Meeting, actor: Actor, now: float, *, poll_id: str,
                boxes: straw_polls.Boxes | None = None) -> list[ev.Event]:
    return straw_polls.close_poll(m, poll_id=poll_id, boxes=boxes)


@command("record_outcome", *CHAIR)
def _outcome(m: Meeting, actor: Actor, now: float, *, item: int, outcome: str, opinion: str = "",
             actions: list[dict[str, str]] | None = None) -> list[ev.Event]:
    return agenda.record_outcome(m, item=item, outcome=outcome, opinion=opinion, actions=actions)


@command("close_meeting", *CHAIR)
def _close(m: Meeting, actor: Actor, now: float, *, boxes: straw_polls.Boxes | None = None) -> list[ev.Event]:
    # every poll still open closes with it, a secret one's box counted as close_poll counts it
    return [c for e in agenda.close_meeting(m, now)
            for c in (straw_polls.closing(m, m.polls[e.poll_id], boxes or {}) if isinstance(e, ev.PollClosed) else [e])]


# -- after the close ------------------------------------------------------------------


@command("object_in_publicity", GUEST)
def _object_in_publicity(m: Meeting, actor: Actor, now: float, *, item: int, reason: str) -> list[ev.Event]:
    """From the public page, with the personal code live/ has checked (`actor.invitee`)."""
    if actor.invitee is None:
        raise MeetingError("code_required")
    return objections.raise_in_publicity(m, invitee=actor.invitee, item=item, reason=reason, now=now)


@command("answer_in_publicity", GUEST)
def _answer_in_publicity(m: Meeting, actor: Actor, now: float, *, objection_id: str, response: str,
                         comment: str = "") -> list[ev.Event]:
    if actor.invitee is None:
        raise MeetingError("code_required")
    return objections.answer(m, invitee=actor.invitee, objection_id=objection_id, response=response, comment=comment)


@command("report_matter", FACILITATOR)
def _report_matter(m: Meeting, actor: Actor, now: float, *, item: int, text: str, to: str = "") -> list[ev.Event]:
    """The office reports an entrusted matter back to the township or department (over HTTP)."""
    return followup.report_matter(m, item=item, text=text, to=to)


@command("record_reply", FACILITATOR)
def _record_reply(m: Meeting, actor: Actor, now: float, *, item: int, text: str, by_body: str = "") -> list[ev.Event]:
    return followup.record_reply(m, item=item, text=text, by_body=by_body)


@command("correct_decision", FACILITATOR)
def _correct_decision(m: Meeting, actor: Actor, now: float, *, item: int, outcome: str, reason: str, decided_by: str,
                      opinion: str = "") -> list[ev.Event]:
    """The office enters a correction decided by those with the power to (never the meeting's own staff)."""
    return followup.correct_decision(m, item=item, outcome=outcome, opinion=opinion, reason=reason, decided_by=decided_by)


# Sent by live/ itself over HTTP, never over the socket (live/escalation.py checks the other meeting).
@command("escalate_item", FACILITATOR)
def _escalate(m: Meeting, actor: Actor, now: float, *, item: int, to_form: str, to_meeting: str,
              reason: str) -> list[ev.Event]:
    return followup.escalate(m, item=item, to_form=to_form, to_meeting=to_meeting, reason=reason)


# Sent by live/ itself when the office puts a topic on the agenda (live/topics_http.py), never over the socket.
@command("link_topic", FACILITATOR)
def _link_topic(m: Meeting, actor: Actor, now: float, *, item: int, topic: dict[str, Any],
                refresh: bool = False) -> list[ev.Event]:
    return agenda.link_topic(m, item=item, topic=topic, refresh=refresh)


@command("decision_elsewhere", FACILITATOR)
def _decision_elsewhere(m: Meeting, actor: Actor, now: float, *, item: int, meeting: str, outcome: str,
                        opinion: str = "") -> list[ev.Event]:
    return followup.decided_elsewhere(m, item=item, meeting=meeting, outcome=outcome, opinion=opinion)


@command("update_action", *STAFF)
def _update_action(m: Meeting, actor: Actor, now: float, *, action: str, status: str = "", percent: int | None = None,
                   note: str = "", due: str = "", attachments: list[dict[str, Any]] | None = None) -> list[ev.Event]:
    return followup.update_action(m, action=action, status=status, percent=percent, note=note, due=due,
                                  attachments=attachments)
