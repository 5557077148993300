"""What the projector, the moderator's screen and each phone are shown."""
from facilitation import views
from support.meetings import new_meeting, phone


def test_attendance_counts_everyone_but_only_attendees_as_voters_in_every_category():
    room = new_meeting()
    room.check_in("Alice", "registered")
    room.check_in("Bob", "registered")
    room.check_in("Carol", "party")
    room.check_in("Dr Zhou", "expert", role="observer")
    attendance = views.public_view(room.meeting)["attendance"]
    assert (attendance["total"], attendance["voters"]) == (4, 3)
    assert attendance["by_category"]["registered"] == 2
    assert attendance["by_category"]["party"] == 1
    assert attendance["by_category"]["expert"] == 1
    assert attendance["by_category"]["property"] == 0
    assert list(attendance["by_category"]) == [c["key"] for c in room.meeting.categories]


def test_only_formal_decision_bodies_show_the_quorum_rule():
    assert views.public_view(new_meeting(form="assembly").meeting)["attendance"]["quorum_rule"] is True
    assert views.public_view(new_meeting(form="representatives").meeting)["attendance"]["quorum_rule"] is True
    assert views.public_view(new_meeting(form="council").meeting)["attendance"]["quorum_rule"] is False


def test_the_wall_shows_the_agenda_the_current_item_and_outcomes():
    room = new_meeting(("Parking", "Greening"), open_item=1)
    room.mod("record_outcome", item=0, outcome="consensus")
    view = views.public_view(room.meeting)
    assert view["current_item"] == 1
    assert [i["title"] for i in view["agenda"]] == ["Parking", "Greening"]
    assert view["agenda"][0]["outcome"]["outcome"] == "consensus"
    assert view["agenda"][1]["outcome"] is None
    assert view["status"] == "open"


def test_the_wall_shows_the_speaker_and_the_queue_in_order():
    room = new_meeting()
    alice, bob, carol = (room.check_in(n) for n in ("Alice", "Bob", "Carol"))
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="against")
    room.run(phone(carol), "raise_hand", stance="other", kind="point_of_order")
    assert views.public_view(room.meeting)["speaker"] is None
    room.mod("grant_floor")
    view = views.public_view(room.meeting)
    assert view["speaker"]["who"] == {"id": carol, "name": "Carol", "category": "registered"}
    assert view["speaker"]["kind"] == "point_of_order"
    assert view["speaker"]["ends_at"] == room.now + 180
    assert [(q["who"]["name"], q["stance"]) for q in view["queue"]] == [("Alice", "for"), ("Bob", "against")]


def test_the_wall_shows_only_the_latest_twelve_approved_opinions():
    room = new_meeting()
    alice = room.check_in("Alice")
    for i in range(15):
        room.run(phone(alice), "submit_opinion", text=f"Idea {i}")
        if i < 14:  # o1..o14 read as they come (o14 hidden), o15 not moderated yet
            room.mod("moderate_opinion", opinion_id=f"o{i + 1}", visible=i + 1 != 14)
    wall = views.public_view(room.meeting)["opinions"]
    assert [o["text"] for o in wall] == [f"Idea {i}" for i in range(1, 13)]
    assert wall[0]["who"]["name"] == "Alice"


def test_the_wall_shows_the_current_items_polls_and_any_poll_still_open():
    room = new_meeting(("A", "B", "C"))
    room.mod("open_poll", question="Closed on A?")
    room.mod("close_poll", poll_id="v1")
    room.mod("open_poll", question="Still open on A?")
    room.mod("open_item", item=1)
    room.mod("open_poll", question="On B?")
    room.mod("close_poll", poll_id="v3")
    public = views.public_view(room.meeting)["polls"]
    assert [p["question"] for p in public] == ["Still open on A?", "On B?"]
    assert [p["id"] for p in views.moderator_view(room.meeting)["polls"]] == ["v1", "v2", "v3"]


def test_a_poll_on_the_wall_shows_phones_and_hands_together_and_how_many_phones_voted():
    room = new_meeting()
    alice, bob = room.check_in("Alice"), room.check_in("Bob")
    room.mod("open_poll", question="Agree?")
    room.run(phone(alice), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone(bob), "cast_ballot", poll_id="v1", choice=1)
    room.mod("add_hand_count", poll_id="v1", counts=[4, 0, 1])
    (p,) = views.public_view(room.meeting)["polls"]
    assert (p["counts"], p["hands"], p["voters"], p["open"]) == ([5, 1, 1], [4, 0, 1], 2, True)


def test_the_public_view_leaves_out_what_only_the_moderator_sees():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.run(phone(alice), "submit_opinion", text="Hidden thought")
    room.run(phone(alice), "raise_objection", reason="Private reason")
    public = views.public_view(room.meeting)
    assert not {"participants", "speeches", "all_opinions", "objections", "open_objections"} & set(public)
    assert "Hidden thought" not in repr(public) and "Private reason" not in repr(public)


def test_the_moderator_sees_who_is_here_every_opinion_every_speech_and_the_objections():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.mod("check_in", name="Dr Zhou", category="expert", role="observer")
    room.run(phone(alice), "submit_opinion", text="Hidden thought")
    room.mod("moderate_opinion", opinion_id="o1", visible=False)
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("summarise_speech", speech_id="s1", summary="For it")
    view = views.moderator_view(room.meeting)
    assert [(p["name"], p["role"], p["by"]) for p in view["participants"]] == [
        ("Alice", "attendee", "self"), ("Dr Zhou", "observer", "moderator"),
    ]
    assert [(o["text"], o["visible"]) for o in view["all_opinions"]] == [("Hidden thought", False)]
    assert [(s["who"]["name"], s["summary"]) for s in view["speeches"]] == [("Alice", "For it")]
    assert [(o["reason"], o["response"]) for o in view["objections"]] == [("Too costly", "none")]
    assert view["open_objections"] == ["x1"]


def test_a_phone_sees_its_place_in_the_queue_and_when_it_has_the_floor():
    room = new_meeting()
    alice, bob = room.check_in("Alice"), room.check_in("Bob")
    assert views.me_view(room.meeting, alice)["queue_place"] is None
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    assert views.me_view(room.meeting, bob)["queue_place"] == 2
    room.mod("grant_floor")
    assert views.me_view(room.meeting, bob)["queue_place"] == 1
    assert views.me_view(room.meeting, alice)["speaking"] is True
    assert views.me_view(room.meeting, bob)["speaking"] is False


def test_a_phone_sees_its_own_votes_objections_and_opinions_and_nobody_elses():
    room = new_meeting()
    alice, bob = room.check_in("Alice"), room.check_in("Bob")
    room.mod("open_poll", question="Agree?")
    room.mod("open_poll", question="Really?")
    room.run(phone(alice), "cast_ballot", poll_id="v2", choice=1)
    room.run(phone(bob), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.run(phone(bob), "raise_objection", reason="Too loud")
    room.mod("give_explanation", objection_id="x1", text="The district pays")
    room.run(phone(alice), "submit_opinion", text="Not yet moderated")
    room.run(phone(bob), "submit_opinion", text="Bob's")
    me = views.me_view(room.meeting, alice)
    assert me["participant"] == {"id": alice, "name": "Alice", "category": "registered", "role": "attendee",
                                 "status": "in", "invited": False, "reason": ""}
    assert me["voted"] == {"v2": 1}
    assert [(o["reason"], o["explanations"][0]["text"]) for o in me["objections"]] == [("Too costly", "The district pays")]
    assert me["opinions"] == [{"id": "o1", "text": "Not yet moderated", "visible": None}]


def test_the_view_carries_the_number_of_events_so_far():
    room = new_meeting()
    room.check_in("Alice")
    assert views.public_view(room.meeting)["seq"] == len(room.record) == 3
    room.mod("close_meeting")
    view = views.public_view(room.meeting)
    assert (view["seq"], view["status"]) == (4, "closed")


def test_the_desk_sees_who_of_the_invited_has_arrived_and_the_wall_only_how_many():
    room = new_meeting(roster=[{"name": "Alice", "category": "registered"}, {"name": "Bob", "category": "party"}])
    (bob,) = room.mod("check_in", invitee=1)
    assert views.moderator_view(room.meeting)["roster"] == [
        {"index": 0, "name": "Alice", "category": "registered", "checked_in": None},
        {"index": 1, "name": "Bob", "category": "party", "checked_in": bob.participant_id},
    ]
    assert views.public_view(room.meeting)["invited"] == {"total": 2, "in": 1}


def test_an_event_about_an_objection_or_opinion_concerns_the_phone_of_its_author():
    room = new_meeting()
    alice, bob = room.check_in("Alice"), room.check_in("Bob")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.run(phone(bob), "submit_opinion", text="Trees")
    m = room.meeting
    assert views.concerned(m, {"participant_id": bob, "objection_id": "x1"}) == bob
    assert views.concerned(m, {"objection_id": "x1", "text": "Because"}) == alice
    assert views.concerned(m, {"opinion_id": "o1", "visible": True}) == bob
    assert views.concerned(m, {"opinion_id": "o9"}) is None
    assert views.concerned(m, {"poll_id": "v1"}) is None


def test_the_views_carry_the_quorum_the_minutes_state_and_none_without_a_rule():
    from facilitation.minutes import Identity, minutes
    IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
    roster = [{"name": f"成员{i}", "category": "registered"} for i in range(5)]
    room = new_meeting(form="assembly", roster=roster)
    for view in (views.public_view(room.meeting), views.moderator_view(room.meeting)):
        assert view["attendance"]["quorum"] == {
            "rule": "more_than_half", "members": 5, "present": 0, "required": 3, "met": False}
    for i in range(3):
        room.mod("check_in", invitee=i)
    q = views.public_view(room.meeting)["attendance"]["quorum"]
    assert q == minutes(room.meeting, IDENTITY)["attendance"]["quorum"]
    assert (q["present"], q["met"]) == (3, True)
    assert views.moderator_view(room.meeting)["attendance"]["quorum"] == q
    council = new_meeting(form="council", roster=roster).meeting
    assert views.public_view(council)["attendance"]["quorum"] is None
    assert views.moderator_view(council)["attendance"]["quorum"] is None
