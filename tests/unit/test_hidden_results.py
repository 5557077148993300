"""A poll opened with its results hidden: the room (projector, phones, the public minutes of the
open meeting) sees how many have voted and never how, until the moderator reveals the count; the
moderator sees it all along; after the close everyone does."""
from __future__ import annotations

import json

from facilitation.minutes import Identity, minutes
from facilitation.views import moderator_view, public_view
from live.broadcast import _tally
from support.meetings import MOD, new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)


def voting(hide: bool = True):
    room = new_meeting()
    for name in ("Alice", "Bob", "Carol"):
        room.check_in(name)
    room.mod("open_poll", question="是否同意加装电梯？", hide_results=hide)
    room.run(phone("p1"), "cast_ballot", poll_id="v1", choice=1)
    room.run(phone("p2"), "cast_ballot", poll_id="v1", choice=0)
    room.mod("add_hand_count", poll_id="v1", counts=[0, 2, 0])
    return room


def test_the_room_sees_how_many_voted_not_how_until_revealed():
    room = voting()
    (shown,) = public_view(room.meeting)["polls"]
    assert (shown["counts"], shown["hands"], shown["voters"], shown["hide_results"], shown["revealed"]) == \
        (None, None, 2, True, False)
    (tallied,) = _tally(room.meeting)["polls"]
    assert (tallied["counts"], tallied["hands"], tallied["voters"]) == (None, None, 2)
    # the moderator sees the count all along
    assert moderator_view(room.meeting)["polls"][0]["counts"] == [1, 3, 0]
    assert _tally(room.meeting, room=False)["polls"][0]["counts"] == [1, 3, 0]
    # nothing in what the room gets says how anyone voted
    text = json.dumps([public_view(room.meeting), _tally(room.meeting)], ensure_ascii=False)
    assert '"counts": [' not in text and '"hands": [' not in text

    room.mod("reveal_results", poll_id="v1")
    assert public_view(room.meeting)["polls"][0]["counts"] == [1, 3, 0]
    assert _tally(room.meeting)["polls"][0]["counts"] == [1, 3, 0]
    assert room.refused(MOD, "reveal_results", poll_id="v1").code == "results_shown"


def test_a_poll_shown_as_it_goes_cannot_be_revealed_and_an_unknown_one_is_refused():
    room = voting(hide=False)
    assert public_view(room.meeting)["polls"][0]["counts"] == [1, 3, 0]
    assert room.refused(MOD, "reveal_results", poll_id="v1").code == "results_shown"
    assert room.refused(MOD, "reveal_results", poll_id="v9").code == "no_such_poll"


def test_the_public_minutes_of_the_open_meeting_leave_the_hidden_poll_out_and_all_show_it_after_the_close():
    room = voting()
    assert minutes(room.meeting, IDENTITY, public=True)["items"][0]["polls"] == []
    assert minutes(room.meeting, IDENTITY)["items"][0]["polls"][0]["id"] == "v1"  # staff's minutes have it
    room.mod("close_poll", poll_id="v1")
    assert public_view(room.meeting)["polls"][0]["counts"] is None  # closed, still not revealed
    room.mod("close_meeting")
    assert public_view(room.meeting)["polls"][0]["counts"] == [1, 3, 0]
    (poll,) = minutes(room.meeting, IDENTITY, public=True)["items"][0]["polls"]
    assert poll["id"] == "v1"


def test_a_binding_polls_result_waits_for_the_reveal_too():
    room = new_meeting(form="council")
    for name in ("Alice", "Bob"):
        room.check_in(name)
    room.mod("open_poll", question="是否通过？", rule="cast", hide_results=True)
    room.run(phone("p1"), "cast_ballot", poll_id="v1", choice=0)
    room.mod("close_poll", poll_id="v1")
    assert public_view(room.meeting)["polls"][0]["result"] is None
    assert moderator_view(room.meeting)["polls"][0]["result"] is not None
    room.mod("reveal_results", poll_id="v1")
    assert public_view(room.meeting)["polls"][0]["result"] is not None
