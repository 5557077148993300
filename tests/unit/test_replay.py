"""Property: whatever anyone sends, the record replays to the meeting everyone saw."""
import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation import events as ev
from facilitation import texts, views
from facilitation.commands import COMMANDS
from facilitation.errors import MeetingError
from facilitation.replay import replay
from facilitation.roles import ATTENDEE, FACILITATOR, GUEST, MODERATOR, OBSERVER, PROJECTOR, RECORDER, STAFF, Actor
from voting.errors import VotingError
from support.meetings import Rec, new_meeting

PIDS = [f"p{i}" for i in range(1, 6)]


def ids(prefix, n):
    return st.sampled_from([f"{prefix}{i}" for i in range(1, n + 1)])


pid = st.sampled_from(PIDS)
text = st.sampled_from(["Yes", "More trees", "  spaced  ", "", "x" * 2001])
on_behalf = {"participant_id": st.one_of(st.none(), st.none(), pid)}
ON_BEHALF = ("register_party", "raise_hand", "submit_opinion", "raise_objection", "answer_objection", "request_explanation")


def payload(required, optional=None):
    return st.fixed_dictionaries(required, optional=optional or {})


PAYLOADS = {
    "check_in": payload({"name": st.sampled_from(["Erin", "Old Wang", ""]),
                         "category": st.sampled_from(["registered", "party", "nope"])},
                        {"role": st.sampled_from(["attendee", "observer", "boss"]), "invitee": st.integers(-1, 2),
                         "code": st.sampled_from(["", "123"])}),
    "confirm_check_in": payload({"participant_id": pid}, {"invitee": st.integers(-1, 2)}),
    "refuse_check_in": payload({"participant_id": pid, "reason": text}),
    "withdraw_check_in": payload({"participant_id": pid, "reason": text}),
    "merge_participants": payload({"keep": pid, "drop": pid, "reason": text}),
    "raise_hand": payload({"stance": st.sampled_from(["for", "against", "question", "other", "maybe"])},
                          {"kind": st.sampled_from(["speech", "point_of_order", "reply", "rant"]), **on_behalf}),
    "withdraw_hand": payload({}),
    "submit_opinion": payload({"text": text}, on_behalf),
    "raise_objection": payload({"reason": text}, {"item": st.integers(-1, 3), **on_behalf}),
    "answer_objection": payload({"objection_id": ids("x", 3), "response": st.sampled_from(["answered", "still_objects", "meh"])},
                                {"comment": text, **on_behalf}),
    "request_explanation": payload({"item": st.integers(-1, 3), "reason": text}, on_behalf),
    "cast_ballot": payload({"poll_id": ids("v", 3)},
                           {"choice": st.integers(-1, 3), "choices": st.lists(st.integers(-1, 3), max_size=4),
                            "for_invitee": st.integers(-1, 2), **on_behalf}),
    "record_proxy": payload({"principal": st.integers(-1, 2), "holder": pid}, {"note": text}),
    "withdraw_proxy": payload({"principal": st.integers(-1, 2), "reason": text}),
    "add_speaker": payload({"stance": st.sampled_from(["for", "against"])},
                           {"kind": st.sampled_from(["speech", "point_of_order"]), "name": st.sampled_from(["Wang", ""]),
                            "category": st.sampled_from(["registered", "nope"]), "participant_id": pid}),
    "remove_request": payload({"request_id": ids("r", 6)}),
    "reorder_queue": payload({"order": st.lists(ids("r", 6), max_size=6)}),
    "unheard_first": payload({}),
    "set_floor_policy": payload({"policy": st.sampled_from(["first_come", "unheard_people", "unheard_categories",
                                                            "alternate", "random"])},
                                {"limits": st.dictionaries(st.sampled_from(["person_speeches", "person_seconds",
                                                                            "category_seconds", "side_seconds",
                                                                            "reply_seconds", "nope"]),
                                                           st.integers(-1, 400), max_size=3),
                                 "show_balance": st.booleans()}),
    "open_item": payload({"item": st.integers(-1, 3)}),
    "add_item": payload({"title": text}, {"background": text, "reason": text}),
    "link_topic": payload({"item": st.integers(-1, 3), "topic": st.fixed_dictionaries({"id": st.sampled_from(["t1", "t2"])})}),
    "grant_floor": payload({}, {"request_id": ids("r", 6)}),
    "end_speech": payload({}),
    "pause_timer": payload({}),
    "resume_timer": payload({}),
    "extend_timer": payload({}, {"seconds": st.integers(-10, 700)}),
    "summarise_speech": payload({"speech_id": ids("s", 4), "summary": text}),
    "moderate_opinion": payload({"opinion_id": ids("o", 4), "visible": st.booleans()}),
    "give_explanation": payload({"objection_id": ids("x", 3), "text": text}, {"by": st.sampled_from(["", "Engineer Sun"])}),
    "open_poll": payload({"question": text},
                         {"kind": st.sampled_from(["yes_no_abstain", "rating", "single", "multiple", "ranking", "evaluation", "ranked"]),
                          "method": st.sampled_from(["", "borda", "instant_runoff", "x"]),
                          "max_choices": st.integers(-1, 4),
                          "options": st.lists(st.sampled_from(["A", "B", "C", " "]), max_size=4),
                          "hide_results": st.booleans()}),
    "add_hand_count": payload({"poll_id": ids("v", 3), "counts": st.lists(st.integers(-1, 5), min_size=2, max_size=4)}),
    "correct_hand_count": payload({"poll_id": ids("v", 3), "counts": st.lists(st.integers(-1, 5), min_size=2, max_size=4)},
                                  {"reason": text}),
    "close_poll": payload({"poll_id": ids("v", 3)}),
    "reveal_results": payload({"poll_id": ids("v", 3)}),
    "record_outcome": payload({"item": st.integers(-1, 3), "outcome": st.sampled_from(["consensus", "none", "victory"])},
                              {"actions": st.lists(st.fixed_dictionaries({"what": text, "due": st.sampled_from(
                                  ["", "2027-01-31"])}), max_size=2)}),
    "close_meeting": payload({}),
    "object_in_publicity": payload({"item": st.integers(-1, 3), "reason": text}),
    "answer_in_publicity": payload({"objection_id": ids("x", 3), "response": st.sampled_from(["answered", "still_objects"])},
                                   {"comment": text}),
    "report_matter": payload({"item": st.integers(-1, 3), "text": text}, {"to": st.sampled_from(["Township", ""])}),
    "record_reply": payload({"item": st.integers(-1, 3), "text": text}, {"by_body": st.sampled_from(["Township", ""])}),
    "correct_decision": payload({"item": st.integers(-1, 3), "outcome": st.sampled_from(["none", "partial", "x"]),
                                 "reason": text, "decided_by": st.sampled_from(["Township", ""])}, {"opinion": text}),
    "escalate_item": payload({"item": st.integers(-1, 3), "to_form": st.sampled_from(["assembly", "council"]),
                              "to_meeting": st.sampled_from(["m2", "m3"]), "reason": text}),
    "decision_elsewhere": payload({"item": st.integers(-1, 3), "meeting": st.sampled_from(["m2", "m9"]),
                                   "outcome": st.sampled_from(["consensus", "x"])}, {"opinion": text}),
    "register_party": payload({"for_kind": st.sampled_from(["concerned", "group", "club"]),
                               "side": st.sampled_from(["for", "against", "maybe"]), "summary": text},
                              {"speaks_for": text, "name": st.sampled_from(["Wang", "Ivy", ""]),
                               "category": st.sampled_from(["registered", "nope"]), "invitee": st.integers(-1, 2),
                               **on_behalf}),
    "withdraw_party": payload({"party_id": ids("h", 3)}, {"reason": text}),
    "set_hearing_time": payload({}, {"testimony_seconds": st.integers(-1, 4000), "closing_seconds": st.integers(-1, 200),
                                     "party_id": ids("h", 3)}),
    "begin_hearing_stage": payload({"stage": st.sampled_from(["explain", "plan", "testimony", "questions", "closing",
                                                              "close", "verdict"])}),
    "call_party": payload({}, {"party_id": ids("h", 3)}),
    "record_notice": payload({"how": st.sampled_from(["slip", "call", "message_group", "posted", "pigeon"])},
                             {"invitees": st.lists(st.integers(-1, 3), max_size=3),
                              "category": st.sampled_from(["", "registered", "nope"]), "note": text}),
    "reply": payload({"answer": st.sampled_from(["coming", "not_coming", "proxy", "maybe"])},
                     {"holder": st.sampled_from(["", "Wang", "x" * 41]), "invitee": st.integers(-1, 2)}),
    "update_action": payload({"action": st.sampled_from(["1.1", "1.2", "2.1"])},
                             {"status": st.sampled_from(["", "in_progress", "done", "blocked", "finished"]),
                              "percent": st.integers(-1, 101), "note": text, "due": st.sampled_from(["", "2027-01-31", "x"])}),
}

ANYONE = st.one_of(
    st.sampled_from([Actor(MODERATOR), Actor(RECORDER), Actor(FACILITATOR)]),
    st.builds(Actor, st.just(ATTENDEE), st.one_of(st.none(), pid)),
    st.builds(Actor, st.sampled_from([OBSERVER, PROJECTOR, GUEST]), st.one_of(st.none(), pid)),
    st.builds(Actor, st.just(GUEST), st.none(), st.integers(0, 2)),  # a phone that gave an invitee's code
)
# Closing ends most of the fun, so it comes up less often than the other commands.
NAMES = [n for n in PAYLOADS if n != "close_meeting"] * 4 + ["close_meeting", "shout"]


@st.composite
def steps(draw):
    """Mostly someone allowed to send the command (so the meeting gets somewhere), sometimes anyone."""
    name = draw(st.sampled_from(NAMES))
    data = draw(PAYLOADS[name]) if name in PAYLOADS else {}
    roles = COMMANDS[name].roles if name in COMMANDS else ()
    if roles and draw(st.integers(0, 9)) < 8:
        role = draw(st.sampled_from(roles))
        # a guest sends the publicity period's commands with an invitee's code (Ivy's or Jun's)
        actor = Actor(role, draw(pid) if role == ATTENDEE else None,
                      draw(st.sampled_from([0, 1, None])) if role == GUEST else None)
        if role in STAFF and name in ON_BEHALF and draw(st.integers(0, 9)) < 9:
            data["participant_id"] = draw(pid)
    else:
        actor = draw(ANYONE)
    return actor, name, data, draw(st.sampled_from([0, 1, 5, 60]))


def through_json(record):
    """The record as the store keeps it: type name and JSON fields."""
    return [Rec(**row) for row in json.loads(json.dumps([r.__dict__ for r in record]))]


def test_the_random_commands_cover_every_command():
    assert set(PAYLOADS) == set(COMMANDS)


def start(form="council"):
    """Item 0 open, two invited, Alice, Bob and Carol (p1-p3) and an observer (p4) in, a poll open, a hand up."""
    room = new_meeting(("A", "B", "C"), form=form, roster=[{"name": "Ivy", "category": "party"}, {"name": "Jun", "category": "expert"}])
    for name in ("Alice", "Bob", "Carol"):
        room.check_in(name)
    room.check_in("Dr Zhou", "expert", role="observer")
    room.mod("open_poll", question="Agree?")
    room.mod("raise_hand", stance="for", participant_id="p1")
    return room


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps(), min_size=10, max_size=80), st.sampled_from(["council", "hearing"]))
def test_replaying_the_record_gives_the_same_meeting_as_applying_it_live_and_polls_add_up(script, form):
    room = start(form)
    for actor, name, data, wait in script:
        room.later(wait)
        before = copy.deepcopy(room.meeting)
        try:
            room.run(actor, name, **data)
        except (MeetingError, VotingError):
            assert room.meeting == before  # a refused command changes nothing

        m = room.meeting
        for p in m.polls.values():
            assert p.total() == len(p.ballots) + sum(p.hand_counts)
            assert all(c >= 0 for c in p.counts())
        assert len(set(m.queue)) == len(m.queue)
        # every event names who did it: a phone as its own participant, or a member of staff
        for r in room.record:
            by = ev.By.from_data(r.data["actor"])
            assert by.role in ev.ACTOR_ROLES and by.role != ev.UNKNOWN, r
            assert (by.role in (ev.PARTICIPANT, ev.INVITEE)) == bool(by.id), r  # an invitee is named by roster place
        assert all(m.requests[r].status == "waiting" for r in m.queue)
        queued = [m.requests[r].participant_id for r in m.queue]
        assert len(set(queued)) == len(queued)
        # the running attendance counts every view shows agree with counting everyone in again
        people = [p for p in m.participants.values() if p.counted]
        invited = [p.invitee for p in people if p.invitee is not None]
        assert len(set(invited)) == len(invited)  # an invitee is checked in once
        here = [texts.name_key(p.name) for p in m.participants.values() if p.status in ("in", "held")]
        assert m.names_here == {k: here.count(k) for k in set(here)}
        assert m.attendee_count == sum(p.role == "attendee" for p in people)
        assert {c: n for c, n in m.category_counts.items() if n} == {c: sum(p.category == c for p in people) for c in {p.category for p in people}}
        assert m.invitees_in == {p.invitee: p.id for p in people if p.invitee is not None}
        assert m.invited_attendees == sum(p.invitee is not None and p.role == "attendee" for p in people)
        if m.current_speech:
            assert m.speeches[m.current_speech].ended_at is None
        views.moderator_view(m)
        for p in m.participants:
            views.me_view(m, p)

    assert replay(room.record, room.meeting.id) == room.meeting
    assert replay(through_json(room.record), room.meeting.id) == room.meeting
