"""The floor: raising hands, the queue, giving the floor and the speaking timer."""
import pytest

from support.meetings import MOD, new_meeting, observer_phone, phone, queue_names


def room_with(*names, category="registered", **meeting):
    room = new_meeting(**meeting)
    return room, [room.check_in(n, category) for n in names]


# -- the queue ---------------------------------------------------------------------


def test_hands_are_queued_in_the_order_they_were_raised():
    room, (alice, bob, carol) = room_with("Alice", "Bob", "Carol")
    for pid, stance in [(bob, "against"), (alice, "for"), (carol, "question")]:
        room.run(phone(pid), "raise_hand", stance=stance)
    assert queue_names(room) == ["Bob", "Alice", "Carol"]
    assert [room.meeting.requests[r].stance for r in room.meeting.queue] == ["against", "for", "question"]


def test_a_raised_hand_belongs_to_the_item_under_discussion():
    room, (alice,) = room_with("Alice", open_item=1)
    (e,) = room.run(phone(alice), "raise_hand", stance="for")
    assert e.item == 1
    assert e.by == "self"
    assert room.meeting.requests[e.request_id].status == "waiting"


def test_point_of_order_goes_before_every_speech_request_and_a_reply():
    room, (alice, bob, carol, dan) = room_with("Alice", "Bob", "Carol", "Dan")
    room.run(phone(dan), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="other", kind="reply")
    room.run(phone(carol), "raise_hand", stance="other", kind="point_of_order")
    assert queue_names(room) == ["Carol", "Bob", "Alice"]


def test_points_of_order_are_taken_in_the_order_they_were_raised():
    room, (alice, bob, carol) = room_with("Alice", "Bob", "Carol")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="other", kind="point_of_order")
    room.run(phone(carol), "raise_hand", stance="other", kind="point_of_order")
    assert queue_names(room) == ["Bob", "Carol", "Alice"]


def test_a_point_of_order_goes_after_the_run_of_points_of_order_at_the_head_only():
    """One the moderator moved behind a speech is not at the head: a new point of order goes first."""
    room, (alice, bob, carol) = room_with("Alice", "Bob", "Carol")
    room.run(phone(bob), "raise_hand", stance="other", kind="point_of_order")
    room.run(phone(alice), "raise_hand", stance="for")
    m = room.meeting
    room.mod("reorder_queue", order=list(reversed(m.queue)))
    assert queue_names(room) == ["Alice", "Bob"]
    room.run(phone(carol), "raise_hand", stance="other", kind="point_of_order")
    assert queue_names(room) == ["Carol", "Alice", "Bob"]


def test_a_direct_reply_is_heard_right_after_the_speech_it_answers_one_at_a_time():
    room, (alice, bob, carol, dan) = room_with("Alice", "Bob", "Carol", "Dan")
    assert room.refused(phone(bob), "raise_hand", stance="against", kind="reply").code == "nobody_speaking"
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(carol), "raise_hand", stance="for")
    room.mod("grant_floor")  # Alice speaks
    assert room.refused(phone(alice), "raise_hand", stance="for", kind="reply").code == "reply_to_self"
    room.run(phone(bob), "raise_hand", stance="against", kind="reply")
    assert room.refused(phone(dan), "raise_hand", stance="against", kind="reply").code == "reply_waiting"
    assert queue_names(room) == ["Bob", "Carol"]
    room.later(100)
    room.mod("end_speech")
    assert queue_names(room) == ["Bob", "Carol"]  # still next once the speech has ended
    room.mod("grant_floor")
    reply = room.meeting.speaker()
    assert reply.kind == "reply" and reply.replies_to == "s1"
    assert reply.ends_at - reply.started_at == 60  # a reply's short time, not a whole speech's


def test_nobody_can_be_in_the_queue_twice():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    assert room.refused(phone(alice), "raise_hand", stance="against").code == "already_in_queue"
    assert room.refused(phone(alice), "raise_hand", stance="other", kind="point_of_order").code == "already_in_queue"
    assert room.refused(MOD, "add_speaker", stance="for", participant_id=alice).code == "already_in_queue"
    assert queue_names(room) == ["Alice"]


def test_the_speaker_may_ask_to_speak_again():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.run(phone(alice), "raise_hand", stance="for")
    assert queue_names(room) == ["Alice"]


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"stance": "maybe"}, "unknown_stance"),
        ({"stance": "for", "kind": "filibuster"}, "unknown_request_kind"),
    ],
)
def test_a_hand_with_an_unknown_stance_or_kind_is_refused(payload, code):
    room, (alice,) = room_with("Alice")
    assert room.refused(phone(alice), "raise_hand", **payload).code == code


def test_no_hands_before_an_item_is_opened():
    room, (alice,) = room_with("Alice", open_item=None)
    assert room.refused(phone(alice), "raise_hand", stance="for").code == "no_current_item"


def test_an_observer_cannot_ask_for_the_floor_but_the_moderator_can_give_it_to_them():
    room = new_meeting()
    expert = room.check_in("Dr Zhou", "expert", role="observer")
    assert room.refused(phone(expert), "raise_hand", stance="other").code == "observers_cannot_speak"
    room.mod("raise_hand", stance="other", participant_id=expert)
    assert queue_names(room) == ["Dr Zhou"]


def test_the_moderator_cannot_queue_someone_who_is_not_here():
    room, _ = room_with("Alice")
    assert room.refused(MOD, "raise_hand", stance="for", participant_id="p9").code == "no_such_participant"


# -- withdrawing and removing ------------------------------------------------------


def test_withdrawing_takes_your_own_hand_down_and_leaves_the_others():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    room.run(phone(alice), "withdraw_hand")
    assert queue_names(room) == ["Bob"]
    assert room.meeting.requests["r1"].status == "withdrawn"


def test_you_cannot_withdraw_a_hand_you_have_not_raised():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(bob), "raise_hand", stance="for")
    assert room.refused(phone(alice), "withdraw_hand").code == "not_in_queue"
    assert queue_names(room) == ["Bob"]


def test_the_moderator_removing_a_request_is_recorded_as_removed():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    room.mod("remove_request", request_id="r2")
    assert queue_names(room) == ["Alice"]
    assert room.meeting.requests["r2"].status == "removed"
    assert room.refused(MOD, "remove_request", request_id="r2").code == "not_in_queue"


# -- reordering --------------------------------------------------------------------


def test_the_moderator_can_put_the_queue_in_any_order():
    room, people = room_with("Alice", "Bob", "Carol")
    for pid in people:
        room.run(phone(pid), "raise_hand", stance="for")
    room.mod("reorder_queue", order=["r3", "r1", "r2"])
    assert queue_names(room) == ["Carol", "Alice", "Bob"]


@pytest.mark.parametrize("order", [["r1"], ["r1", "r2", "r9"], ["r1", "r1"], ["r2", "r1", "r1"]])
def test_a_reordering_made_from_a_stale_queue_is_refused(order):
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    assert room.refused(MOD, "reorder_queue", order=order).code == "queue_changed"


def test_unheard_first_puts_new_voices_and_unheard_categories_ahead_keeping_points_of_order_on_top():
    room = new_meeting()
    alice = room.check_in("Alice", "registered")
    bob = room.check_in("Bob", "registered")
    carol = room.check_in("Carol", "committee")
    erin = room.check_in("Erin", "committee")
    dan = room.check_in("Dan", "party")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    for pid in (alice, bob, carol, erin):
        room.run(phone(pid), "raise_hand", stance="for")
    room.run(phone(dan), "raise_hand", stance="other", kind="point_of_order")
    assert queue_names(room) == ["Dan", "Alice", "Bob", "Carol", "Erin"]
    room.mod("unheard_first")
    # Carol and Erin: not spoken, category unheard; Bob: not spoken, but Alice spoke for his
    # category; Alice has spoken. Within a group the order is kept.
    assert queue_names(room) == ["Dan", "Carol", "Erin", "Bob", "Alice"]


def test_unheard_first_orders_points_of_order_among_themselves_by_the_same_rules():
    room = new_meeting()
    alice = room.check_in("Alice", "registered")
    bob = room.check_in("Bob", "registered")
    carol = room.check_in("Carol", "committee")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    for pid in (alice, bob, carol):
        room.run(phone(pid), "raise_hand", stance="other", kind="point_of_order")
    assert queue_names(room) == ["Alice", "Bob", "Carol"]
    room.mod("unheard_first")
    assert queue_names(room) == ["Carol", "Bob", "Alice"]


def test_unheard_first_counts_the_speech_under_way_and_speeches_on_earlier_items():
    room = new_meeting()
    alice = room.check_in("Alice", "registered")  # spoke on item 0
    bob = room.check_in("Bob", "committee")  # speaking now, on item 1
    carol = room.check_in("Carol", "committee")  # not spoken, but Bob is of her category
    dan = room.check_in("Dan", "party")  # not spoken, nobody of his category has
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    room.mod("open_item", item=1)
    room.run(phone(bob), "raise_hand", stance="for")
    room.mod("grant_floor")
    for pid in (alice, bob, carol, dan):
        room.run(phone(pid), "raise_hand", stance="for")
    assert queue_names(room) == ["Alice", "Bob", "Carol", "Dan"]
    (e,) = room.mod("unheard_first")
    assert e.type == "QueueReordered"
    assert queue_names(room) == ["Dan", "Carol", "Alice", "Bob"]


# -- the floor ---------------------------------------------------------------------


def test_granting_the_floor_goes_to_the_head_of_the_queue_and_starts_the_timer():
    room, (alice, bob) = room_with("Alice", "Bob", speaking_seconds=120)
    room.run(phone(alice), "raise_hand", stance="against")
    room.run(phone(bob), "raise_hand", stance="for")
    room.later(5)
    room.mod("grant_floor")
    s = room.meeting.speaker()
    assert (s.id, s.participant_id, s.stance, s.item) == ("s1", alice, "against", 0)
    assert (s.started_at, s.ends_at) == (room.now, room.now + 120)
    assert queue_names(room) == ["Bob"]
    assert room.meeting.requests["r1"].status == "granted"


def test_the_moderator_can_give_the_floor_to_anyone_in_the_queue():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    room.mod("grant_floor", request_id="r2")
    assert room.meeting.speaker().participant_id == bob
    assert queue_names(room) == ["Alice"]


def test_giving_the_floor_to_the_next_person_ends_the_running_speech():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_hand", stance="for")
    room.run(phone(bob), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.later(90)
    events = room.mod("grant_floor")
    assert room.types(events) == ["SpeechEnded", "FloorGranted"]
    assert room.meeting.speeches["s1"].ended_at == room.now
    assert room.meeting.speaker().id == "s2"
    assert room.meeting.speaker().participant_id == bob


def test_the_floor_cannot_be_given_from_an_empty_queue_or_to_someone_not_waiting():
    room, (alice,) = room_with("Alice")
    assert room.refused(MOD, "grant_floor").code == "queue_empty"
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.run(phone(alice), "raise_hand", stance="for")
    assert room.refused(MOD, "grant_floor", request_id="r1").code == "not_in_queue"


def test_ending_a_speech_frees_the_floor():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.later(75)
    room.mod("end_speech")
    s = room.meeting.speeches["s1"]
    assert room.meeting.speaker() is None
    assert s.ended_at == room.now and s.duration() == 75
    assert room.refused(MOD, "end_speech").code == "nobody_speaking"


def test_adding_a_speaker_without_a_phone_checks_them_in_by_name_and_queues_them():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    events = room.mod("add_speaker", stance="against", name="Old Wang", category="registered")
    assert room.types(events) == ["ParticipantCheckedIn", "HandRaised"]
    wang = room.meeting.participants["p2"]
    assert (wang.name, wang.by, wang.role) == ("Old Wang", "moderator", "attendee")
    assert queue_names(room) == ["Alice", "Old Wang"]
    assert room.meeting.requests["r2"].stance == "against"


def test_adding_a_speaker_who_cannot_speak_yet_checks_nobody_in():
    room = new_meeting(open_item=None)
    assert room.refused(MOD, "add_speaker", stance="for", name="Old Wang", category="registered").code == "no_current_item"
    assert room.refused(MOD, "add_speaker", stance="for", name="", category="registered").code == "empty_text"
    assert room.meeting.participants == {}


def test_the_moderator_can_queue_a_checked_in_person_by_id():
    room, (alice,) = room_with("Alice")
    (e,) = room.mod("add_speaker", stance="question", kind="point_of_order", participant_id=alice)
    assert (e.participant_id, e.kind, e.by) == (alice, "point_of_order", "moderator")


# -- the timer ---------------------------------------------------------------------


def speaking(**meeting):
    room, (alice,) = room_with("Alice", **meeting)
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    return room


def test_pausing_keeps_the_time_left_and_resuming_starts_from_it():
    room = speaking(speaking_seconds=180)
    room.later(60)
    room.mod("pause_timer")
    s = room.meeting.speaker()
    assert (s.ends_at, s.remaining) == (None, 120)
    room.later(300)
    room.mod("resume_timer")
    assert (s.ends_at, s.remaining) == (room.now + 120, None)


def test_a_paused_timer_cannot_be_paused_and_a_running_one_cannot_be_resumed():
    room = speaking()
    assert room.refused(MOD, "resume_timer").code == "timer_running"
    room.mod("pause_timer")
    assert room.refused(MOD, "pause_timer").code == "timer_paused"


def test_extending_adds_to_the_running_clock_or_to_the_time_left_when_paused():
    room = speaking(speaking_seconds=180)
    start = room.now
    room.mod("extend_timer", seconds=30)
    assert room.meeting.speaker().ends_at == start + 210
    room.later(10)
    room.mod("pause_timer")
    room.mod("extend_timer")
    assert room.meeting.speaker().remaining == 200 + 60


@pytest.mark.parametrize("seconds", [0, -5, 601])
def test_an_extension_must_be_between_one_second_and_ten_minutes(seconds):
    room = speaking()
    error = room.refused(MOD, "extend_timer", seconds=seconds)
    assert (error.code, error.params) == ("bad_extension", {"max": 600})


def test_an_extension_of_exactly_ten_minutes_is_allowed():
    room = speaking(speaking_seconds=30)
    room.mod("extend_timer", seconds=600)
    assert room.meeting.speaker().ends_at == room.now + 630


@pytest.mark.parametrize("command", ["pause_timer", "resume_timer", "extend_timer"])
def test_the_timer_cannot_be_touched_when_nobody_is_speaking(command):
    room, _ = room_with("Alice")
    assert room.refused(MOD, command).code == "nobody_speaking"


# -- summaries ---------------------------------------------------------------------


def test_the_recorder_can_summarise_a_speech_even_after_the_meeting():
    room = speaking()
    room.mod("close_meeting")
    room.mod("summarise_speech", speech_id="s1", summary="  Wants more parking  ")
    assert room.meeting.speeches["s1"].summary == "Wants more parking"
    assert room.refused(MOD, "summarise_speech", speech_id="s2", summary="x").code == "no_such_speech"
    assert room.refused(MOD, "summarise_speech", speech_id="s1", summary="").code == "empty_text"


def test_an_observer_phone_cannot_raise_a_hand_at_all():
    room = new_meeting()
    expert = room.check_in("Dr Zhou", "expert", role="observer")
    assert room.refused(observer_phone(expert), "raise_hand", stance="other").code == "not_allowed"


def test_a_request_left_waiting_from_an_earlier_item_is_heard_on_the_current_item():
    from facilitation import events as ev
    from facilitation.meeting import Meeting

    m = Meeting(id="m")
    m.apply(ev.MeetingCreated(title="t", form="council", place="", starts_at="", language="zh-CN",
                              speaking_seconds=60, categories=[{"key": "registered", "zh": "居民", "en": "resident"}],
                              agenda=[{"title": "a"}, {"title": "b"}]), 0.0)
    m.apply(ev.ParticipantCheckedIn(participant_id="p1", name="张", category="registered", role="attendee", by="self"), 1.0)
    m.apply(ev.ItemOpened(item=0), 2.0)
    m.apply(ev.HandRaised(request_id="r1", participant_id="p1", item=0, stance="for", kind="speech", by="self"), 3.0)
    m.apply(ev.ItemOpened(item=1), 4.0)
    m.apply(ev.FloorGranted(speech_id="s1", request_id="r1", started_at=5.0, ends_at=65.0), 5.0)
    assert m.speeches["s1"].item == 1
