"""Who may send which command (facilitation.commands.decide), and on whose behalf."""
import pytest

from facilitation.commands import COMMANDS
from facilitation.roles import ATTENDEE, FACILITATOR, GUEST, MODERATOR, OBSERVER, PROJECTOR, RECORDER, Actor
from support.meetings import GUEST_PHONE, MOD, new_meeting, phone

STAFF = {MODERATOR, RECORDER, FACILITATOR}
PHONE_OR_STAFF = {ATTENDEE, *STAFF}
CHAIR = {MODERATOR, FACILITATOR}  # the recorder runs no polls, queue or agenda

# The rules as the rest of the app relies on them: who may send each command.
ALLOWED = {
    "check_in": {GUEST, *STAFF},
    "raise_hand": PHONE_OR_STAFF,
    "withdraw_hand": {ATTENDEE},
    # after the close, from the public page with a personal code (live/ checks it: actor.invitee)
    "object_in_publicity": {GUEST},
    "answer_in_publicity": {GUEST},
    "correct_decision": {FACILITATOR},  # the office enters what an authority decided
    "report_matter": {FACILITATOR},  # an entrusted matter reported back, over HTTP
    "record_reply": {FACILITATOR},
    "escalate_item": {FACILITATOR},  # over HTTP only, once the other meeting is made
    "decision_elsewhere": {FACILITATOR},  # written back by the server itself
    "link_topic": {FACILITATOR},  # over HTTP only, when the office puts a topic on the agenda
    "record_notice": STAFF,  # who was told of the meeting, when and how
    "reply": {GUEST, *STAFF},  # an invitee's reply with their code (live/ checks it), or taken by staff
    "submit_opinion": PHONE_OR_STAFF,
    "register_party": {GUEST, *PHONE_OR_STAFF},  # a hearing's party: an invitee on their phone or with their code, or staff
    "withdraw_party": PHONE_OR_STAFF,
    "raise_objection": PHONE_OR_STAFF,
    "answer_objection": PHONE_OR_STAFF,
    "request_explanation": PHONE_OR_STAFF,
    "cast_ballot": PHONE_OR_STAFF,
    **{name: STAFF for name in ("add_speaker", "summarise_speech", "give_explanation", "confirm_check_in",
                                "refuse_check_in", "withdraw_check_in", "merge_participants", "record_proxy",
                                "withdraw_proxy", "update_action")},
    **{name: CHAIR for name in (
        "remove_request", "reorder_queue", "unheard_first", "set_floor_policy", "open_item", "add_item", "grant_floor",
        "end_speech", "pause_timer", "resume_timer", "extend_timer", "moderate_opinion",
        "open_poll", "add_hand_count", "correct_hand_count", "close_poll", "reveal_results", "record_outcome",
        "close_meeting", "set_hearing_time", "begin_hearing_stage", "call_party",
    )},
}
# Commands a phone sends for itself and the moderator sends for someone (participant_id).
ON_BEHALF = {"raise_hand", "submit_opinion", "raise_objection", "answer_objection", "request_explanation", "cast_ballot"}
ROLES = (MODERATOR, RECORDER, FACILITATOR, ATTENDEE, OBSERVER, PROJECTOR, GUEST)


def busy_room():
    """Item 0 open; Alice (p1) and Bob (p2) attendees, Carol (p3) an observer; Dora and Ed invited, not here."""
    room = new_meeting(roster=[{"name": "Dora", "category": "registered"}, {"name": "Ed", "category": "registered"}])
    for name in ("Alice", "Bob"):
        room.check_in(name)
    room.check_in("Carol", "expert", role="observer")
    return room


def alice_hand(room):
    room.run(phone("p1"), "raise_hand", stance="for")


def two_hands(room):
    room.run(phone("p2"), "raise_hand", stance="for")
    room.run(phone("p1"), "raise_hand", stance="for")


def bob_speaking(room):
    room.run(phone("p2"), "raise_hand", stance="for")
    room.mod("grant_floor")


def bob_paused(room):
    bob_speaking(room)
    room.mod("pause_timer")


def alice_objects(room):
    room.run(phone("p1"), "raise_objection", reason="Too costly")


def alice_objection_explained(room):
    alice_objects(room)
    room.mod("give_explanation", objection_id="x1", text="The district pays half")


def alice_opinion(room):
    room.run(phone("p1"), "submit_opinion", text="More trees")


def alice_again(room):
    """A second phone checks in as "Alice": held for the desk as p4."""
    room.check_in("Alice")


def bob_holds_doras_proxy(room):
    room.mod("record_proxy", principal=0, holder="p2")


def a_poll(room):
    room.mod("open_poll", question="Agree?")


def closed_with_an_action(room):
    room.mod("record_outcome", item=0, outcome="consensus", opinion="", actions=[{"what": "Plant trees", "owner": "", "due": ""}])
    room.mod("close_meeting")


DORA_WITH_HER_CODE = Actor(GUEST, None, 0)


def closed(room):
    room.mod("close_meeting")


def dora_objected_after_the_close(room):
    closed(room)
    room.run(DORA_WITH_HER_CODE, "object_in_publicity", item=0, reason="Nobody asked the ground floor")
    room.mod("give_explanation", objection_id="x1", text="The ground floor was asked in writing")


def sent_to_m2(room):
    closed_with_an_action(room)
    room.run(Actor(FACILITATOR), "escalate_item", item=0, to_form="representatives", to_meeting="m2", reason="No consensus")


def alice_voted_no(room):
    """Alice voted no in a named poll; a phone may ask for an explanation (acting for her: Alice)."""
    a_poll(room)
    room.run(phone("p1"), "cast_ballot", poll_id="v1", choice=1)


def reported(room):
    closed_with_an_action(room)
    room.run(Actor(FACILITATOR), "report_matter", item=0, to="Township", text="Trees planted as asked")


def a_hidden_poll(room):
    room.mod("open_poll", question="Agree?", hide_results=True)


def hands_counted(room):
    a_poll(room)
    room.mod("add_hand_count", poll_id="v1", counts=[1, 2, 0])


def a_hearing(room):
    """The room held as a hearing, Alice (p1) recognised by the desk as Dora, who is invited."""
    room.meeting.form = "hearing"
    room.mod("check_in", invitee=0)
    room.mod("merge_participants", keep="p1", drop="p4", reason="Dora's slip, Alice's phone")


def dora_registered(room):
    a_hearing(room)
    room.run(phone("p1"), "register_party", for_kind="concerned", side="against", summary="Noise")


def hearing_under_way(room):
    dora_registered(room)
    for stage in ("explain", "plan", "testimony"):
        room.mod("begin_hearing_stage", stage=stage)


def not_opened_yet(room):
    """Before the meeting opens (replies are taken until then): the busy room as it was before item 0 opened."""
    room.meeting.items[0].opened_at = None
    room.meeting.current_item = None


# command -> (what must have happened first, a payload that then succeeds)
CASES = {
    "check_in": (None, {"name": "Erin", "category": "registered"}),
    "raise_hand": (None, {"stance": "for"}),
    "withdraw_hand": (alice_hand, {}),
    "submit_opinion": (None, {"text": "More trees"}),
    "raise_objection": (None, {"reason": "Too costly"}),
    "answer_objection": (alice_objection_explained, {"objection_id": "x1", "response": "answered"}),
    "cast_ballot": (a_poll, {"poll_id": "v1", "choice": 0}),
    "request_explanation": (alice_voted_no, {"item": 0, "reason": "Why not the cheaper plan?"}),
    "add_speaker": (None, {"stance": "for", "name": "Old Wang", "category": "registered"}),
    "remove_request": (alice_hand, {"request_id": "r1"}),
    "reorder_queue": (two_hands, {"order": ["r2", "r1"]}),
    "unheard_first": (two_hands, {}),
    "set_floor_policy": (None, {"policy": "alternate", "limits": {"person_seconds": 300}}),
    "open_item": (None, {"item": 1}),
    "add_item": (None, {"title": "Parking", "reason": "Raised by residents"}),
    "link_topic": (None, {"item": 0, "topic": {"id": "t1", "title": "Lift", "kind": "planning", "source": "committee"}}),
    "grant_floor": (alice_hand, {}),
    "end_speech": (bob_speaking, {}),
    "pause_timer": (bob_speaking, {}),
    "resume_timer": (bob_paused, {}),
    "extend_timer": (bob_speaking, {"seconds": 30}),
    "summarise_speech": (bob_speaking, {"speech_id": "s1", "summary": "Wants trees"}),
    "moderate_opinion": (alice_opinion, {"opinion_id": "o1", "visible": True}),
    "give_explanation": (alice_objects, {"objection_id": "x1", "text": "The district pays half"}),
    "open_poll": (None, {"question": "Agree?"}),
    "add_hand_count": (a_poll, {"poll_id": "v1", "counts": [1, 2, 0]}),
    "correct_hand_count": (hands_counted, {"poll_id": "v1", "counts": [2, 2, 0], "reason": "Miscounted"}),
    "close_poll": (a_poll, {"poll_id": "v1"}),
    "reveal_results": (a_hidden_poll, {"poll_id": "v1"}),
    "record_outcome": (None, {"item": 0, "outcome": "consensus"}),
    "close_meeting": (None, {}),
    "object_in_publicity": (closed, {"item": 0, "reason": "Too costly"}),
    "answer_in_publicity": (dora_objected_after_the_close, {"objection_id": "x1", "response": "answered"}),
    "correct_decision": (closed_with_an_action, {"item": 0, "outcome": "none", "reason": "Broke the rules",
                                                 "decided_by": "Township"}),
    "escalate_item": (closed_with_an_action, {"item": 0, "to_form": "representatives", "to_meeting": "m2",
                                              "reason": "No consensus"}),
    "report_matter": (closed_with_an_action, {"item": 0, "to": "Township", "text": "Trees planted as asked"}),
    "record_reply": (reported, {"item": 0, "text": "Noted, thank you"}),
    "decision_elsewhere": (sent_to_m2, {"item": 0, "meeting": "m2", "outcome": "consensus", "opinion": "Go ahead"}),
    "update_action": (closed_with_an_action, {"action": "1.1", "status": "in_progress", "note": "Saplings ordered"}),
    "confirm_check_in": (alice_again, {"participant_id": "p4"}),
    "refuse_check_in": (alice_again, {"participant_id": "p4", "reason": "Alice is already here"}),
    "withdraw_check_in": (None, {"participant_id": "p2", "reason": "Checked in by mistake"}),
    "merge_participants": (alice_again, {"keep": "p1", "drop": "p4", "reason": "Same person, second phone"}),
    "record_proxy": (None, {"principal": 0, "holder": "p2", "note": "Proxy form seen"}),
    "withdraw_proxy": (bob_holds_doras_proxy, {"principal": 0, "reason": "Dora phoned: she takes it back"}),
    "record_notice": (None, {"how": "call", "invitees": [0]}),
    "reply": (not_opened_yet, {"answer": "coming", "invitee": 0}),
    "register_party": (a_hearing, {"name": "Dora", "for_kind": "concerned", "side": "against", "summary": "Noise"}),
    "withdraw_party": (dora_registered, {"party_id": "h1", "reason": "Settled"}),
    "set_hearing_time": (a_hearing, {"testimony_seconds": 240}),
    "begin_hearing_stage": (a_hearing, {"stage": "explain"}),
    "call_party": (hearing_under_way, {}),
}


def actor_for(role):
    return {
        MODERATOR: MOD,
        RECORDER: Actor(RECORDER),
        FACILITATOR: Actor(FACILITATOR),
        ATTENDEE: phone("p1"),
        OBSERVER: Actor(OBSERVER, "p3"),
        PROJECTOR: Actor(PROJECTOR),
        GUEST: GUEST_PHONE,
    }[role]


def prepared(command):
    room = busy_room()
    setup, payload = CASES[command]
    if setup:
        setup(room)
    return room, dict(payload)


def test_the_role_table_here_covers_every_command_there_is():
    assert set(ALLOWED) == set(COMMANDS) == set(CASES)


@pytest.mark.parametrize("command", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_command_is_accepted_only_from_the_roles_allowed_to_send_it(command, role):
    room, payload = prepared(command)
    if role in STAFF and command in ON_BEHALF:
        payload["participant_id"] = "p1"
    if role == GUEST and command == "register_party":  # staff name the party; a code registers its own holder
        del payload["name"]
        assert room.refused(actor_for(role), command, **payload).code == "code_required"
        assert room.run(DORA_WITH_HER_CODE, command, **payload)
    elif role == GUEST and command == "reply":  # staff name the invitee; a phone's code names its own
        del payload["invitee"]
        assert room.refused(actor_for(role), command, **payload).code == "code_required"
        assert room.run(DORA_WITH_HER_CODE, command, **payload)
    elif role in ALLOWED[command] and ALLOWED[command] == {GUEST}:  # a resident's personal code, checked by live/
        assert room.refused(actor_for(role), command, **payload).code == "code_required"
        assert room.run(DORA_WITH_HER_CODE, command, **payload)
    elif role in ALLOWED[command]:
        assert room.run(actor_for(role), command, **payload)
    elif role == GUEST and ATTENDEE in ALLOWED[command]:  # a phone yet to check in is told so
        assert room.refused(actor_for(role), command, **payload).code == "not_checked_in"
    elif role == RECORDER and ALLOWED[command] == CHAIR:  # the recorder is told it is the chair's to do
        assert room.refused(actor_for(role), command, **payload).code == "chair_only"
    else:
        error = room.refused(actor_for(role), command, **payload)
        assert (error.code, error.params) == ("not_allowed", {"role": role})


def test_an_unknown_command_is_refused_by_name():
    room = busy_room()
    error = room.refused(MOD, "dissolve_parliament")
    assert (error.code, error.params) == ("unknown_command", {"command": "dissolve_parliament"})


@pytest.mark.parametrize("command", sorted(ON_BEHALF))
def test_a_phone_cannot_act_as_another_participant(command):
    room, payload = prepared(command)
    assert room.refused(phone("p1"), command, participant_id="p2", **payload).code == "not_your_participant"


@pytest.mark.parametrize("command", sorted(ON_BEHALF))
def test_a_phone_may_name_itself_as_the_participant(command):
    room, payload = prepared(command)
    assert room.run(phone("p1"), command, participant_id="p1", **payload)


@pytest.mark.parametrize("command", sorted(ON_BEHALF))
@pytest.mark.parametrize("participant_id", [None, ""])
def test_the_moderator_acting_on_someones_behalf_must_say_whose(command, participant_id):
    room, payload = prepared(command)
    assert room.refused(MOD, command, participant_id=participant_id, **payload).code == "participant_required"


@pytest.mark.parametrize("command", ["raise_hand", "withdraw_hand", "submit_opinion", "raise_objection",
                                     "answer_objection", "cast_ballot"])
def test_a_phone_that_has_not_checked_in_can_only_check_in(command):
    room, payload = prepared(command)
    assert room.refused(phone(None), command, **payload).code == "not_checked_in"


def test_what_the_moderator_does_for_someone_is_recorded_as_done_by_the_moderator():
    room = busy_room()
    (by_phone,) = room.run(phone("p1"), "raise_hand", stance="for")
    (by_moderator,) = room.mod("raise_hand", stance="against", participant_id="p2")
    assert (by_phone.participant_id, by_phone.by) == ("p1", "self")
    assert (by_moderator.participant_id, by_moderator.by) == ("p2", "moderator")


def test_staff_enter_a_ballot_only_for_someone_named_and_the_record_says_they_did():
    room, payload = prepared("cast_ballot")
    assert room.refused(MOD, "cast_ballot", **payload).code == "participant_required"
    (ballot,) = room.mod("cast_ballot", participant_id="p1", **payload)
    assert (ballot.participant_id, ballot.actor.role) == ("p1", "moderator") and ballot.entered_for("p1")
    assert room.refused(MOD, "cast_ballot", participant_id="p1", **payload).code == "already_voted"
    assert room.refused(phone("p1"), "cast_ballot", **payload).code == "already_voted"
    assert room.meeting.polls["v1"].total() == 1


def test_a_phone_withdraws_only_its_own_hand():
    room = busy_room()
    room.run(phone("p2"), "raise_hand", stance="for")
    assert room.refused(phone("p1"), "withdraw_hand").code == "not_in_queue"
    room.run(phone("p2"), "withdraw_hand")
    assert room.meeting.queue == []
