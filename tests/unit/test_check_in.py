"""Check-in that cannot be faked: personal codes, walk-ins held for the desk, one check-in per
person, and the desk's confirm / refuse / withdraw / merge — each recorded with its reason."""
from facilitation import attendance
from facilitation.quorum import quorum
from facilitation.replay import replay
from facilitation.views import me_view, moderator_view, public_view
from support.meetings import GUEST_PHONE, MOD, code_phone, new_meeting, phone

ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "王秀兰", "category": "registered"},
          {"name": "Li Ming", "category": "registered"}]


def room_with_roster(form="assembly"):
    return new_meeting(roster=ROSTER, form=form)


def test_a_personal_code_checks_its_invitee_in_and_a_second_use_is_the_same_person():
    room = room_with_roster()
    (e,) = room.run(code_phone(1), "check_in")
    p = room.meeting.participants[e.participant_id]
    assert (p.name, p.invitee, p.via, p.status, p.by) == ("王秀兰", 1, "code", "in", "self")
    assert quorum(room.meeting)["present"] == 1
    # The same code on another phone (cleared storage, a new browser): the same participant again.
    (again,) = room.run(code_phone(1), "check_in")
    assert again.type == "IdentityRecovered" and again.participant_id == p.id
    assert len(room.meeting.participants) == 1 and quorum(room.meeting)["present"] == 1
    assert again.actor.role == "participant" and again.actor.id == p.id


def test_the_desk_cannot_check_in_an_invitee_who_came_with_their_code():
    room = room_with_roster()
    room.run(code_phone(0), "check_in")
    assert room.refused(MOD, "check_in", invitee=0).code == "already_checked_in"


def test_a_walk_in_giving_an_invited_name_waits_for_the_desk_and_counts_for_nothing():
    room = room_with_roster()
    pid = room.check_in("张 桂英")  # a space does not make another person
    p = room.meeting.participants[pid]
    assert p.status == "held" and p.invitee is None
    assert room.meeting.attendee_count == 0 and quorum(room.meeting)["present"] == 0
    assert moderator_view(room.meeting)["held"] == [pid]
    assert me_view(room.meeting, pid)["participant"]["status"] == "held"
    # While held, the phone can do nothing, and staff cannot act for it either.
    assert room.refused(phone(pid), "raise_hand", stance="for").code == "check_in_held"
    assert room.refused(MOD, "submit_opinion", participant_id=pid, text="x").code == "check_in_held"


def test_a_walk_in_giving_the_name_of_someone_already_here_is_held_too():
    room = new_meeting()  # no roster: an open consultation
    first = room.check_in("Wang Fang")
    second = room.check_in("wang  fang")
    assert room.meeting.participants[first].status == "in"
    assert room.meeting.participants[second].status == "held"
    assert room.meeting.participants[room.check_in("Zhao Lei")].status == "in"


def test_the_desk_confirms_a_held_walk_in_as_the_invitee_it_is():
    room = room_with_roster()
    pid = room.check_in("张桂英")
    (e,) = room.mod("confirm_check_in", participant_id=pid, invitee=0)
    p = room.meeting.participants[pid]
    assert (p.status, p.invitee, p.via) == ("in", 0, "desk")
    assert e.actor.role == "moderator"
    assert quorum(room.meeting)["present"] == 1
    assert room.refused(MOD, "confirm_check_in", participant_id=pid).code == "not_held"


def test_the_desk_confirms_a_namesake_as_a_walk_in_or_refuses_with_a_reason():
    room = new_meeting()
    room.check_in("Wang Fang")
    namesake = room.check_in("Wang Fang")
    room.mod("confirm_check_in", participant_id=namesake)
    assert room.meeting.participants[namesake].status == "in" and room.meeting.attendee_count == 2
    third = room.check_in("Wang Fang")
    assert room.refused(MOD, "refuse_check_in", participant_id=third, reason=" ").code == "empty_text"
    room.mod("refuse_check_in", participant_id=third, reason="Already here twice")
    p = room.meeting.participants[third]
    assert p.status == "refused" and p.history[-1]["reason"] == "Already here twice"
    assert room.meeting.attendee_count == 2


def test_a_held_walk_in_cannot_be_confirmed_as_an_invitee_already_in():
    room = room_with_roster()
    room.run(code_phone(0), "check_in")
    pid = room.check_in("张桂英")
    assert room.refused(MOD, "confirm_check_in", participant_id=pid, invitee=0).code == "already_checked_in"


def test_withdrawing_a_check_in_frees_the_invitee_and_voids_its_ballot_in_open_polls():
    room = room_with_roster()
    (e,) = room.mod("check_in", invitee=2)  # the desk picked the wrong Li Ming
    pid = e.participant_id
    room.mod("open_poll", question="Repair the lift?")
    room.run(phone(pid), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone(pid), "raise_hand", stance="for")
    room.mod("withdraw_check_in", participant_id=pid, reason="Not Li Ming: his neighbour")
    m = room.meeting
    assert m.polls["v1"].counts() == [0, 0, 0] and m.queue == []
    assert m.participants[pid].status == "withdrawn" and 2 not in m.invitees_in
    assert quorum(m)["present"] == 0
    assert room.refused(phone(pid), "cast_ballot", poll_id="v1", choice=1).code == "check_in_withdrawn"
    # The real Li Ming then checks in with his code.
    (real,) = room.run(code_phone(2), "check_in")
    assert real.type == "ParticipantCheckedIn" and m.invitees_in[2] == real.participant_id


def test_merging_two_check_ins_of_one_person_keeps_one_and_the_invitee():
    room = room_with_roster()
    walk_in = room.check_in("Old Zhang", "registered")  # checked in as a walk-in first
    (coded,) = room.run(code_phone(0), "check_in")  # then with her code on a second phone
    room.mod("merge_participants", keep=walk_in, drop=coded.participant_id, reason="Same person, two phones")
    m = room.meeting
    kept = m.participants[walk_in]
    assert (kept.status, kept.invitee, kept.name) == ("in", 0, "张桂英")
    assert m.participants[coded.participant_id].status == "merged"
    assert m.participants[coded.participant_id].merged_into == walk_in
    assert m.attendee_count == 1 and quorum(m)["present"] == 1
    assert room.refused(MOD, "merge_participants", keep=walk_in, drop=walk_in, reason="x").code == "merge_same"


def test_two_invitees_are_never_merged():
    room = room_with_roster()
    (a,) = room.run(code_phone(0), "check_in")
    (b,) = room.run(code_phone(1), "check_in")
    assert room.refused(MOD, "merge_participants", keep=a.participant_id, drop=b.participant_id,
                        reason="x").code == "merge_two_invitees"


def test_the_room_sees_how_many_were_invited_never_who():
    room = room_with_roster()
    room.run(code_phone(0), "check_in")
    view = public_view(room.meeting)
    assert "roster" not in view and view["invited"] == {"total": 3, "in": 1}
    assert [r["name"] for r in moderator_view(room.meeting)["roster"]] == ["张桂英", "王秀兰", "Li Ming"]


def test_every_desk_decision_replays_to_the_same_meeting():
    room = room_with_roster()
    held = room.check_in("王秀兰")
    room.mod("confirm_check_in", participant_id=held, invitee=1)
    other = room.check_in("Someone")
    room.mod("withdraw_check_in", participant_id=other, reason="Left")
    room.run(code_phone(0), "check_in")
    room.run(code_phone(0), "check_in")
    assert replay(room.record, room.meeting.id) == room.meeting
    assert attendance.held(room.meeting) == []


def test_a_phone_with_a_code_cannot_also_name_itself():
    room = room_with_roster()
    (e,) = room.run(code_phone(1), "check_in", name="Mallory", category="party")
    assert room.meeting.participants[e.participant_id].name == "王秀兰"
    assert room.refused(GUEST_PHONE, "check_in", code="123456789").code == "bad_code"


def test_only_check_ins_that_count_are_attendance_on_the_wall_and_in_the_minutes():
    from facilitation.minutes import Identity, minutes

    room = room_with_roster(form="council")
    room.run(code_phone(0), "check_in")
    held = room.check_in("王秀兰")  # held: an invitee's name
    refused = room.check_in("Li Ming")
    room.mod("refuse_check_in", participant_id=refused, reason="Not him")
    taken_back = room.check_in("Zhao Lei")
    room.mod("withdraw_check_in", participant_id=taken_back, reason="Left before the start")
    room.check_in("Sun Li")
    m = room.meeting
    assert public_view(m)["attendance"]["total"] == 2  # 张桂英 and Sun Li
    a = minutes(m, Identity(m.id, m.seq, m.last_hash, 0.0))["attendance"]
    assert (a["total"], a["voters"], a["walk_ins"]) == (2, 2, 1)
    # The phone whose check-in was refused is told why.
    assert me_view(m, refused)["participant"]["reason"] == "Not him"
    assert me_view(m, held)["participant"]["reason"] == ""
