"""Straw polls in the meeting: who may open, vote in and count them (rules in voting.polls)."""
from __future__ import annotations

from voting.errors import VotingError
from voting.polls import Poll, options_for

from . import events as ev
from . import texts
from .agenda import current_item, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import Meeting


def _poll(m: Meeting, poll_id: str) -> Poll:
    if poll_id not in m.polls:
        raise VotingError("no_such_poll")
    return m.polls[poll_id]


def open_poll(m: Meeting, *, question: str, kind: str = "yes_no_abstain", options: list[str] | None = None) -> list[ev.Event]:
    must_be_open(m)
    return [ev.PollOpened(
        poll_id=m.next_id("v", m.polls), item=current_item(m), question=texts.clean(question, "question", texts.SHORT),
        kind=kind, options=options_for(kind, options or []),
    )]


def cast_ballot(m: Meeting, *, participant_id: str, poll_id: str, choice: int) -> list[ev.Event]:
    must_be_open(m)
    participant(m, participant_id)
    if m.participants[participant_id].role != "attendee":
        raise MeetingError("observers_cannot_vote")
    _poll(m, poll_id).check_ballot(participant_id, choice)
    return [ev.BallotCast(poll_id=poll_id, participant_id=participant_id, choice=choice)]


def add_hand_count(m: Meeting, *, poll_id: str, counts: list[int]) -> list[ev.Event]:
    must_be_open(m)
    _poll(m, poll_id).check_hand_count(counts)
    return [ev.HandCountAdded(poll_id=poll_id, counts=list(counts))]


def close_poll(m: Meeting, *, poll_id: str) -> list[ev.Event]:
    must_be_open(m)
    if not _poll(m, poll_id).open:
        raise VotingError("poll_closed")
    return [ev.PollClosed(poll_id=poll_id)]


def correct_hand_count(m: Meeting, *, poll_id: str, counts: list[int], reason: str = "") -> list[ev.Event]:
    """Replace the hands counted so far (open or closed poll, while the meeting is open)."""
    must_be_open(m)
    _poll(m, poll_id).check_hand_correction(counts)
    return [ev.HandCountCorrected(poll_id=poll_id, counts=list(counts),
                                  reason=texts.clean(reason, "reason", texts.SHORT, required=False))]
