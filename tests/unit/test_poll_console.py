"""What the moderator sees of a named poll while it runs: the ballots per category and who may vote
and has not yet; none of it reaches the room's view."""
from __future__ import annotations

from facilitation.views import moderator_view, public_view
from live.broadcast import _tally
from support.meetings import new_meeting, phone


def test_the_moderator_sees_the_categories_and_who_has_not_voted_the_room_does_not():
    room = new_meeting(roster=[{"name": "Dora", "category": "registered"}, {"name": "Ed", "category": "registered"}])
    room.check_in("Alice")  # p1, registered
    room.check_in("Bob", "property")  # p2
    room.check_in("Carol", "expert", role="observer")  # p3: observers do not vote
    room.check_in("Dan")  # p4
    room.mod("open_poll", question="Agree?")
    room.run(phone("p1"), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone("p2"), "cast_ballot", poll_id="v1", choice=1)
    (poll,) = moderator_view(room.meeting)["polls"]
    # in the meeting's order of categories, those with ballots
    keys = [c["key"] for c in room.meeting.categories]
    assert poll["by_category"] == sorted([{"category": "registered", "counts": [1, 0, 0]},
                                          {"category": "property", "counts": [0, 1, 0]}],
                                         key=lambda row: keys.index(row["category"]))
    assert [w["name"] for w in poll["not_voted"]] == ["Dan"] and poll["not_voted_count"] == 1
    (shown,) = public_view(room.meeting)["polls"]
    assert "by_category" not in shown and "not_voted" not in shown
    # the moderators' tally after each ballot carries them too; the room's does not
    (tallied,) = _tally(room.meeting, room=False)["polls"]
    assert (tallied["not_voted_count"], tallied["by_category"]) == (1, poll["by_category"])
    assert "not_voted" not in _tally(room.meeting)["polls"][0]

    room.run(phone("p4"), "cast_ballot", poll_id="v1", choice=2)
    assert moderator_view(room.meeting)["polls"][0]["not_voted_count"] == 0
    room.mod("close_poll", poll_id="v1")
    assert "not_voted" not in moderator_view(room.meeting)["polls"][0]  # only while it runs
