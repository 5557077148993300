"""Secret polls: the record knows who voted, the box what was voted, and nothing joins them; the box
is counted into the record at the close, each ballot under its voter's receipt in receipt order."""
from __future__ import annotations

import json

import pytest

from facilitation.views import me_view, poll_view
from support.meetings import MOD, code_phone, new_meeting, phone

MEMBERS = [{"name": f"代表{i}", "category": "registered"} for i in range(1, 7)]


def voters(room, n):
    return [room.check_in(f"居民{i}") for i in range(n)]


def test_the_record_says_who_voted_and_the_box_what_with_nothing_joining_them():
    room = new_meeting()
    people = voters(room, 5)
    (opened,) = room.mod("open_poll", question="是否同意", secret=True)
    v = opened.poll_id
    choices = [0, 1, 0, 2, 0]
    for pid, choice in zip(people, choices):
        room.run(phone(pid), "cast_ballot", poll_id=v, choice=choice)
    marked = [r for r in room.record if r.type == "VoterMarked"]
    assert [r.data["participant_id"] for r in marked] == people
    for r in marked:  # who, never how
        assert set(r.data) == {"actor", "v", "poll_id", "participant_id", "for_invitee"}
    assert "SealedBallot" not in {r.type for r in room.record}
    assert sorted(b for _, b in room.boxes[v]) == sorted(choices)
    # nobody knows the count while it is open: not the room, not the moderator
    poll = room.meeting.polls[v]
    assert poll_view(room.meeting, poll)["counts"] is None and poll_view(room.meeting, poll, room=True)["counts"] is None
    assert poll_view(room.meeting, poll)["voters"] == 5
    assert me_view(room.meeting, people[0])["voted"] == {v: None}  # it voted; what, its phone alone keeps

    closed, counted = room.mod("close_poll", poll_id=v)
    assert (closed.type, counted.type) == ("PollClosed", "BallotsCounted")
    receipts = [r for r, _ in counted.ballots]
    assert receipts == sorted(receipts) and sorted(receipts) == sorted(room.receipts)
    assert receipts != room.receipts or len(set(room.receipts)) < 2  # the voting order is not kept
    assert poll.counts() == [3, 1, 1]
    assert poll_view(room.meeting, poll, room=True)["counts"] == [3, 1, 1]
    # each voter finds their receipt with their choice
    listed = dict((r, b) for r, b in counted.ballots)
    assert [listed[r] for r in room.receipts] == choices
    assert room.replay().polls[v].counts() == [3, 1, 1]
    assert room.replay().polls[v].box == poll.box


def test_one_ballot_per_voter_and_staff_enter_none():
    room = new_meeting()
    a, b = voters(room, 2)
    (opened,) = room.mod("open_poll", question="是否同意", secret=True)
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=1)
    assert room.refused(phone(a), "cast_ballot", poll_id=v, choice=0).code == "already_voted"
    assert room.refused(MOD, "cast_ballot", poll_id=v, choice=0, participant_id=b).code == "secret_own_ballot"
    assert room.refused(phone(b), "cast_ballot", poll_id=v, choice=0, receipt="short").code == "bad_receipt"
    assert room.refused(MOD, "reveal_results", poll_id=v).code == "secret_sealed"
    room.mod("add_hand_count", poll_id=v, counts=[2, 0, 1])  # paper ballots, as totals
    room.mod("close_poll", poll_id=v)
    assert room.meeting.polls[v].counts() == [2, 1, 1]


def test_a_ballot_in_the_box_cannot_be_taken_out_until_the_poll_closes():
    room = new_meeting(form="representatives", roster=MEMBERS)
    a, b = [room.run(code_phone(i), "check_in")[0].participant_id for i in (0, 1)]
    room.mod("record_proxy", principal=3, holder=a)
    (opened,) = room.mod("open_poll", question="通过", secret=True)
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0, for_invitee=3)
    room.run(phone(b), "cast_ballot", poll_id=v, choice=1)
    assert room.refused(MOD, "withdraw_proxy", principal=3, reason="撤回").code == "in_secret_box"
    assert room.refused(MOD, "withdraw_check_in", participant_id=b, reason="签错").code == "in_secret_box"
    assert room.refused(MOD, "withdraw_check_in", participant_id=a, reason="签错").code == "in_secret_box"  # holds a ballot cast
    # the member comes in person: the proxy's ballot stands, they cannot vote twice
    (late,) = room.run(code_phone(3), "check_in")
    assert room.refused(phone(late.participant_id), "cast_ballot", poll_id=v, choice=1).code == "already_voted"
    room.mod("close_poll", poll_id=v)
    room.mod("withdraw_check_in", participant_id=b, reason="签错")
    assert room.meeting.polls[v].counts() == [1, 1, 0]  # counted at the close, it stays counted


def test_a_box_that_does_not_match_its_voters_is_not_counted():
    room = new_meeting()
    (a,) = voters(room, 1)
    (opened,) = room.mod("open_poll", question="是否同意", secret=True)
    room.run(phone(a), "cast_ballot", poll_id=opened.poll_id, choice=0)
    err = room.refused(MOD, "close_poll", poll_id=opened.poll_id, boxes={opened.poll_id: []})
    assert (err.code, err.params) == ("box_mismatch", {"voters": 1, "ballots": 0})
    assert room.meeting.polls[opened.poll_id].open


def test_closing_the_meeting_counts_every_open_box():
    room = new_meeting()
    a, b = voters(room, 2)
    (first,) = room.mod("open_poll", question="一", secret=True)
    (second,) = room.mod("open_poll", question="二", kind="multiple", options=["甲", "乙", "丙"], max_choices=2,
                         secret=True)
    room.run(phone(a), "cast_ballot", poll_id=first.poll_id, choice=2)
    room.run(phone(b), "cast_ballot", poll_id=second.poll_id, choices=[0, 2])
    room.run(phone(a), "cast_ballot", poll_id=second.poll_id, choices=[2])
    events = room.mod("close_meeting")
    assert [e.type for e in events].count("BallotsCounted") == 2
    assert room.meeting.polls[first.poll_id].counts() == [0, 0, 1]
    assert room.meeting.polls[second.poll_id].counts() == [1, 0, 2]


@pytest.mark.parametrize("kind, options, ballots, check", [
    ("ranking", ["甲", "乙", "丙"], [[0, 1, 2], [1, 0, 2], [0, 2, 1]],
     lambda p: p.ranked().to_data()["points"] == [5, 3, 1]),
    ("evaluation", ["物业", "居委会"], [[0, 2], [1, -1], [0, 0]],
     lambda p: [(r["satisfied"], r["basically_satisfied"], r["dissatisfied"]) for r in p.evaluated().to_data()["evaluated"]]
     == [(2, 1, 0), (1, 0, 1)]),
])
def test_every_kind_counts_from_the_box(kind, options, ballots, check):
    room = new_meeting()
    people = voters(room, len(ballots))
    extra = {"method": "borda"} if kind == "ranking" else {}
    (opened,) = room.mod("open_poll", question="评", kind=kind, options=options, secret=True, **extra)
    for pid, ballot in zip(people, ballots):
        room.run(phone(pid), "cast_ballot", poll_id=opened.poll_id, choices=ballot)
    room.mod("close_poll", poll_id=opened.poll_id)
    poll = room.replay().polls[opened.poll_id]
    assert check(poll), json.dumps(poll.evaluated().to_data() if kind == "evaluation" else poll.ranked().to_data())


def test_what_a_secret_poll_cannot_be():
    room = new_meeting()
    assert room.refused(MOD, "open_poll", question="q", secret=True, named=True).code == "secret_or_named"
    owners = new_meeting(form="owners", roster=[{"name": "张桂英", "category": "registered", "area": "120.00"}])
    owners.run(code_phone(0), "check_in")
    assert owners.refused(MOD, "open_poll", question="q", secret=True, rule="owners").code == "secret_not_weighed"


def test_a_named_poll_records_each_vote_by_name_and_takes_no_hands():
    room = new_meeting()
    a, b = voters(room, 2)
    (opened,) = room.mod("open_poll", question="点名表决", named=True)
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0)
    (entered,) = room.mod("cast_ballot", poll_id=v, choice=1, participant_id=b)  # a hand vote, by name
    assert entered.participant_id == b and entered.actor.role == "moderator"
    assert room.refused(MOD, "add_hand_count", poll_id=v, counts=[1, 0, 0]).code == "named_needs_names"
    assert room.replay().polls[v].named and room.meeting.polls[v].ballots == {a: 0, b: 1}


def test_a_changeable_poll_counts_each_voters_last_ballot_and_keeps_every_one():
    room = new_meeting()
    a, b = voters(room, 2)
    (opened,) = room.mod("open_poll", question="绿化方案", kind="single", options=["甲", "乙"], changeable=True)
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0)
    room.run(phone(a), "cast_ballot", poll_id=v, choice=1)  # changed before the close
    room.mod("cast_ballot", poll_id=v, choice=0, participant_id=b)
    assert room.meeting.polls[v].entered_by_staff == {b}
    room.run(phone(b), "cast_ballot", poll_id=v, choice=1)  # later, on their own phone
    assert room.meeting.polls[v].counts() == [0, 2] and room.meeting.polls[v].entered_by_staff == set()
    assert [r.data["choice"] for r in room.record if r.type == "BallotCast"] == [0, 1, 0, 1]
    room.mod("close_poll", poll_id=v)
    assert room.refused(phone(a), "cast_ballot", poll_id=v, choice=0).code == "poll_closed"
    assert room.replay().polls[v].counts() == [0, 2]
    assert room.refused(MOD, "open_poll", question="q", secret=True, changeable=True).code == "secret_not_changeable"
