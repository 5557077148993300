"""Straw polls: the voting rules (voting.polls) and how the meeting runs them (straw_polls)."""
import pytest

from voting.errors import VotingError
from voting.polls import FIXED_OPTIONS, Poll, options_for
from support.meetings import MOD, new_meeting, phone


def poll(kind="yes_no_abstain", options=None, **kw):
    return Poll("v1", 0, "Agree?", kind, options_for(kind, options or []), **kw)


def voting_error(fn, *args) -> VotingError:
    with pytest.raises(VotingError) as info:
        fn(*args)
    return info.value


# -- voting.polls: options ---------------------------------------------------------


def test_fixed_kinds_get_their_own_options_whatever_is_asked_for():
    assert options_for("yes_no_abstain", ["red", "blue"]) == ["yes", "no", "abstain"]
    assert options_for("rating", []) == ["satisfied", "basically_satisfied", "dissatisfied"]


def test_changing_a_polls_options_does_not_change_the_fixed_options_of_later_polls():
    options_for("yes_no_abstain", []).append("maybe")
    assert options_for("yes_no_abstain", []) == ["yes", "no", "abstain"]
    assert FIXED_OPTIONS["yes_no_abstain"] == ["yes", "no", "abstain"]


def test_single_choice_options_are_trimmed_and_blank_ones_dropped():
    assert options_for("single", [" North gate ", "", "  ", "South gate"]) == ["North gate", "South gate"]


@pytest.mark.parametrize(
    "kind, options, code",
    [
        ("ranked", ["a", "b"], "unknown_poll_kind"),
        ("single", ["only one", " "], "too_few_options"),
        ("single", [str(i) for i in range(13)], "too_many_options"),
        ("single", ["ok", "x" * 81], "option_too_long"),
        ("single", ["Gate", " Gate "], "duplicate_options"),
    ],
)
def test_bad_single_choice_options_are_refused(kind, options, code):
    assert voting_error(options_for, kind, options).code == code


def test_twelve_options_of_eighty_characters_are_allowed():
    options = [f"{i:02d}" + "x" * 78 for i in range(12)]
    assert options_for("single", options) == options


# -- voting.polls: ballots and counts ----------------------------------------------


def test_the_count_adds_hands_in_the_room_to_phone_ballots():
    p = poll()
    p.cast("p1", 0)
    p.cast("p2", 0)
    p.cast("p3", 2)
    p.add_hands([3, 1, 0])
    p.add_hands([1, 0, 0])
    assert p.phone_counts() == [2, 0, 1]
    assert p.hand_counts == [4, 1, 0]
    assert p.counts() == [6, 1, 1]
    assert p.total() == 8
    assert p.leader() == 0


def test_there_is_no_leader_without_votes_or_on_a_tie():
    p = poll()
    assert p.leader() is None
    p.cast("p1", 0)
    p.add_hands([0, 1, 0])
    assert p.leader() is None
    p.cast("p2", 1)
    assert p.leader() == 1


def test_each_person_votes_once_for_an_existing_option_while_the_poll_is_open():
    p = poll()
    p.check_ballot("p1", 2)
    p.cast("p1", 2)
    assert voting_error(p.check_ballot, "p1", 0).code == "already_voted"
    assert voting_error(p.check_ballot, "p2", 3).code == "no_such_option"
    assert voting_error(p.check_ballot, "p2", -1).code == "no_such_option"
    p.open = False
    assert voting_error(p.check_ballot, "p2", 0).code == "poll_closed"


def test_a_hand_count_needs_one_non_negative_number_per_option():
    p = poll()
    p.check_hand_count([0, 0, 0])
    assert voting_error(p.check_hand_count, [1, 2]).code == "bad_hand_count"
    assert voting_error(p.check_hand_count, [1, 2, 3, 4]).params == {"options": 3}
    assert voting_error(p.check_hand_count, [1, -1, 3]).code == "bad_hand_count"
    p.open = False
    assert voting_error(p.check_hand_count, [1, 1, 1]).code == "poll_closed"


def test_phone_ballots_are_broken_down_by_category_unless_the_poll_is_secret():
    p = poll()
    p.cast("p1", 0)
    p.cast("p2", 1)
    p.cast("p3", 0)
    p.add_hands([5, 5, 5])
    categories = {"p1": "registered", "p2": "registered", "p3": "party"}
    assert p.by_category(categories) == {"registered": [1, 1, 0], "party": [1, 0, 0]}
    secret = poll(secret=True)
    secret.cast("p1", 0)
    assert secret.by_category(categories) == {}


# -- straw polls in the meeting ----------------------------------------------------


def voting_room(*names, **meeting):
    room = new_meeting(**meeting)
    return room, [room.check_in(n) for n in names]


def test_a_poll_is_asked_about_the_current_item():
    room, _ = voting_room(open_item=1)
    (e,) = room.mod("open_poll", question=" Plant trees? ")
    p = room.meeting.polls["v1"]
    assert (e.poll_id, p.item, p.question, p.options, p.open) == ("v1", 1, "Plant trees?", ["yes", "no", "abstain"], True)
    assert p.opened_at == room.now
    room.mod("open_poll", question="Which gate?", kind="single", options=["North", "South"])
    assert room.meeting.polls["v2"].options == ["North", "South"]


def test_a_poll_needs_an_item_a_question_and_good_options():
    room, _ = voting_room(open_item=None)
    assert room.refused(MOD, "open_poll", question="Agree?").code == "no_current_item"
    room.mod("open_item", item=0)
    assert room.refused(MOD, "open_poll", question="").code == "empty_text"
    assert room.refused(MOD, "open_poll", question="Which?", kind="single", options=["A"]).code == "too_few_options"
    assert room.refused(MOD, "open_poll", question="Which?", kind="ranked").code == "unknown_poll_kind"
    assert room.meeting.polls == {}


def test_phones_vote_once_each_and_the_count_shows_it():
    room, (alice, bob) = voting_room("Alice", "Bob")
    room.mod("open_poll", question="Agree?")
    room.run(phone(alice), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone(bob), "cast_ballot", poll_id="v1", choice=1)
    assert room.refused(phone(alice), "cast_ballot", poll_id="v1", choice=1).code == "already_voted"
    assert room.meeting.polls["v1"].counts() == [1, 1, 0]
    assert room.meeting.polls["v1"].ballots == {alice: 0, bob: 1}


def test_observers_do_not_vote():
    room = new_meeting()
    expert = room.check_in("Dr Zhou", "expert", role="observer")
    room.mod("open_poll", question="Agree?")
    assert room.refused(phone(expert), "cast_ballot", poll_id="v1", choice=0).code == "observers_cannot_vote"


def test_a_ballot_needs_an_existing_poll_and_option():
    room, (alice,) = voting_room("Alice")
    assert room.refused(phone(alice), "cast_ballot", poll_id="v1", choice=0).code == "no_such_poll"
    room.mod("open_poll", question="Agree?")
    assert room.refused(phone(alice), "cast_ballot", poll_id="v1", choice=3).code == "no_such_option"
    assert room.refused(phone("p8"), "cast_ballot", poll_id="v1", choice=0).code == "no_such_participant"


def test_hands_counted_in_the_room_add_up_across_counts():
    room, (alice,) = voting_room("Alice")
    room.mod("open_poll", question="Agree?")
    room.run(phone(alice), "cast_ballot", poll_id="v1", choice=2)
    room.mod("add_hand_count", poll_id="v1", counts=[10, 2, 0])
    room.mod("add_hand_count", poll_id="v1", counts=[3, 0, 1])
    p = room.meeting.polls["v1"]
    assert p.counts() == [13, 2, 2]
    assert p.total() == 17
    assert room.refused(MOD, "add_hand_count", poll_id="v1", counts=[1, 1]).code == "bad_hand_count"
    assert room.refused(MOD, "add_hand_count", poll_id="v2", counts=[1, 1, 1]).code == "no_such_poll"


def test_a_closed_poll_takes_no_more_votes_and_cannot_be_closed_again():
    room, (alice,) = voting_room("Alice")
    room.mod("open_poll", question="Agree?")
    room.later(120)
    room.mod("close_poll", poll_id="v1")
    p = room.meeting.polls["v1"]
    assert (p.open, p.closed_at) == (False, room.now)
    assert room.refused(phone(alice), "cast_ballot", poll_id="v1", choice=0).code == "poll_closed"
    assert room.refused(MOD, "add_hand_count", poll_id="v1", counts=[1, 0, 0]).code == "poll_closed"
    assert room.refused(MOD, "close_poll", poll_id="v1").code == "poll_closed"
    assert room.refused(MOD, "close_poll", poll_id="v2").code == "no_such_poll"


def test_a_poll_on_an_earlier_item_stays_open_for_votes_until_closed():
    room, (alice,) = voting_room("Alice")
    room.mod("open_poll", question="Agree?")
    room.mod("open_item", item=1)
    room.run(phone(alice), "cast_ballot", poll_id="v1", choice=0)
    assert room.meeting.polls["v1"].total() == 1


def test_a_hand_count_past_any_room_is_refused():
    from voting.polls import MAX_HANDS

    p = Poll("v1", 0, "Agree?", "yes_no_abstain", ["yes", "no", "abstain"])
    assert voting_error(p.check_hand_count, [10**99, 0, 0]).code == "bad_hand_count"
    assert voting_error(p.check_hand_correction, [MAX_HANDS + 1, 0, 0]).code == "bad_hand_count"
    p.check_hand_count([MAX_HANDS, 0, 0])
