"""Polls in the meeting: who may open, vote in and count them (rules in voting.polls; a binding
poll's rule, quorum and voters in facilitation.binding)."""
from __future__ import annotations

from voting.errors import VotingError
from voting.polls import MAX_OPTION_LENGTH, RANKING_METHODS, Ballot, Poll, check_receipt, options_for
from voting.selection import check_limit

from . import binding, proxies
from . import events as ev
from . import texts
from .agenda import current_item, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import Meeting, proxy_voter

# A secret poll's box as the live layer hands it to the close: (receipt, ballot) per ballot in it.
Boxes = dict[str, list[tuple[str, Ballot]]]


def shown_to_room(m: Meeting, p: Poll) -> bool:
    """Whether the room (projector, phones, the public minutes) sees a poll's count: unless it was
    opened with its results hidden and the moderator has not revealed them; all once the meeting closed."""
    return p.results_shown or m.closed


def count_shown(m: Meeting, p: Poll, *, room: bool) -> bool:
    """Whether a view carries the poll's count: the room's as `shown_to_room` says, staff's always,
    and nobody's while a secret poll is still open (its box is counted at the close)."""
    return (not room or shown_to_room(m, p)) and not p.sealed


def _poll(m: Meeting, poll_id: str) -> Poll:
    if poll_id not in m.polls:
        raise VotingError("no_such_poll")
    return m.polls[poll_id]


def open_poll(m: Meeting, *, question: str, kind: str = "yes_no_abstain", options: list[str] | None = None,
              rule: str = "", quorum_override: str = "", hide_results: bool = False,
              max_choices: int = 0, method: str = "", secret: bool = False, named: bool = False,
              changeable: bool = False) -> list[ev.Event]:
    """A straw poll, or with `rule` a binding one (which needs quorum, or the chair's reason to go
    without); with `hide_results` the room sees only how many have voted until the moderator reveals
    the count (so that a running count does not sway those still to vote). A `secret` poll keeps
    who voted apart from what they voted, and nobody sees its count before it closes; a `named`
    one (a roll call) shows everyone's vote. In a `changeable` poll a voter may vote again until it
    closes (the record keeps every ballot; the last counts) instead of confirming once and for all."""
    must_be_open(m)
    if secret and named:
        raise VotingError("secret_or_named")
    if secret and changeable:
        raise VotingError("secret_not_changeable")  # a ballot in the box cannot be found again to be replaced
    if secret and rule in binding.AREA_RULES:
        raise VotingError("secret_not_weighed")  # weighing a ballot by its owner's area would name the owner
    item = current_item(m)
    if (offered := m.template.get("poll_kinds")) and kind not in offered:
        raise MeetingError("poll_kind_not_offered", kind=kind[:40])  # the form's template (facilitation/forms.py)
    question = texts.clean(question, "question", texts.SHORT)
    override = texts.clean(quorum_override, "reason", texts.SHORT, required=False)
    # Without quorum to override, the record keeps no reason for what did not happen.
    if not (rule and binding.check_opening(m, rule=rule, kind=kind, quorum_override=override)):
        override = ""
    chosen_from = options_for(kind, [texts.clean(o, "option", MAX_OPTION_LENGTH * 4, required=False) for o in options or []])
    if kind == "multiple":
        check_limit(len(chosen_from), max_choices)  # "at most N", N from 1 to every option
    if kind == "ranking" and method not in RANKING_METHODS:
        raise VotingError("unknown_method", method=method[:40])
    return [ev.PollOpened(
        poll_id=m.next_id("v", m.polls), item=item, question=question,
        kind=kind, rule=rule, quorum_override=override, options=chosen_from,
        max_choices=max_choices if kind == "multiple" else 0, method=method if kind == "ranking" else "",
        secret=secret, named=named, hide_results=hide_results or secret, changeable=changeable,
    )]


def cast_ballot(m: Meeting, *, participant_id: str, poll_id: str, choice: int | None = None,
                for_invitee: int | None = None, choices: list[int] | None = None, receipt: str = "",
                entered_by_staff: bool = False) -> list[ev.Event]:
    """A ballot of `participant_id`, or (`for_invitee`) of the absent member whose proxy they hold:
    the option chosen, or in a multiple-choice poll the options chosen (`choices`). In a secret poll
    the record gets who voted, and the box (apart) the ballot under its `receipt`."""
    ballot: Ballot = tuple(choices) if choices is not None else (-1 if choice is None else choice)
    must_be_open(m)
    participant(m, participant_id)
    if m.participants[participant_id].role != "attendee":
        raise MeetingError("observers_cannot_vote")
    poll = _poll(m, poll_id)
    if for_invitee is None:
        poll.check_ballot(participant_id, ballot)
        binding.may_vote(m, poll, participant_id)
        invitee = m.participants[participant_id].invitee
        if invitee is not None and proxy_voter(invitee) in poll.ballots:
            raise VotingError("already_voted")  # their proxy voted for them before they came
    else:
        proxies.may_vote_for(m, participant_id, for_invitee)
        poll.check_ballot(proxy_voter(for_invitee), ballot)
    if poll.secret:
        if entered_by_staff:
            raise VotingError("secret_own_ballot")  # staff would see it: paper ballots, counted as totals
        check_receipt(receipt)
        return [ev.VoterMarked(poll_id=poll_id, participant_id=participant_id, for_invitee=for_invitee),
                ev.SealedBallot(poll_id=poll_id, receipt=receipt, choice=ballot if isinstance(ballot, int) else -1,
                                choices=list(ballot) if isinstance(ballot, tuple) else None)]
    if isinstance(ballot, tuple):
        return [ev.BallotCast(poll_id=poll_id, participant_id=participant_id, choices=list(ballot), for_invitee=for_invitee)]
    return [ev.BallotCast(poll_id=poll_id, participant_id=participant_id, choice=ballot, for_invitee=for_invitee)]


def add_hand_count(m: Meeting, *, poll_id: str, counts: list[int]) -> list[ev.Event]:
    must_be_open(m)
    poll = _poll(m, poll_id)
    poll.check_hand_count(counts)
    binding.hands_allowed(poll)
    binding.hands_fit(m, poll, [a + b for a, b in zip(poll.hand_counts, counts)])
    return [ev.HandCountAdded(poll_id=poll_id, counts=list(counts))]


def reveal_results(m: Meeting, *, poll_id: str) -> list[ev.Event]:
    """Show the room the count of a poll opened with its results hidden: during the vote or after."""
    must_be_open(m)
    poll = _poll(m, poll_id)
    if poll.sealed:
        raise VotingError("secret_sealed")  # counted only when it closes
    if poll.results_shown:
        raise VotingError("results_shown")
    return [ev.ResultsRevealed(poll_id=poll_id)]


def close_poll(m: Meeting, *, poll_id: str, boxes: Boxes | None = None) -> list[ev.Event]:
    must_be_open(m)
    if not _poll(m, poll_id).open:
        raise VotingError("poll_closed")
    return closing(m, m.polls[poll_id], boxes or {})


def closing(m: Meeting, poll: Poll, boxes: Boxes) -> list[ev.Event]:
    """A poll closes; a secret one's box is opened and counted with it, each ballot under its
    receipt in receipt order. It must hold one ballot per voter marked, or nothing is counted."""
    events: list[ev.Event] = [ev.PollClosed(poll_id=poll.id)]
    if poll.secret:
        box = sorted(boxes.get(poll.id, []), key=lambda entry: entry[0])
        if len(box) != len(poll.ballots) or len({r for r, _ in box}) != len(box):
            raise VotingError("box_mismatch", voters=len(poll.ballots), ballots=len(box))
        events.append(ev.BallotsCounted(poll_id=poll.id, ballots=[[r, list(b) if isinstance(b, tuple) else b] for r, b in box]))
    return events


def correct_hand_count(m: Meeting, *, poll_id: str, counts: list[int], reason: str = "") -> list[ev.Event]:
    """Replace the hands counted so far (open or closed poll, while the meeting is open)."""
    must_be_open(m)
    poll = _poll(m, poll_id)
    poll.check_hand_correction(counts)
    binding.hands_allowed(poll)
    if poll.open:  # once closed, the count is checked against who was there at the close
        binding.hands_fit(m, poll, counts)
    elif poll.binding and len(poll.ballots) + sum(counts) > int((poll.base or {}).get("present", 0)):
        raise VotingError("bad_count")
    return [ev.HandCountCorrected(poll_id=poll_id, counts=list(counts),
                                  reason=texts.clean(reason, "reason", texts.SHORT, required=False))]
