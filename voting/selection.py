"""Multiple choice (多选): each voter picks at most N of the options, say three of the year's
candidate community works. A ballot is the list of chosen option indexes, in any order. An empty
ballot is a blank vote: allowed, counted among the ballots, choosing nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import VotingError
from .ranking import check_options


def check_limit(n_options: int, at_most: int) -> None:
    """The N of "at most N" runs from 1 to every option (then it is "tick all you support")."""
    check_options(n_options)
    if type(at_most) is not int or not 1 <= at_most <= n_options:
        raise VotingError("bad_choice_limit", max=n_options)


def _check_ballot(n_options: int, at_most: int | None, choices: Sequence[int]) -> None:
    # Booleans are ints in Python but never a choice someone made.
    if any(type(c) is not int or not 0 <= c < n_options for c in choices):
        raise VotingError("bad_choice", options=n_options)
    if len(set(choices)) != len(choices):
        raise VotingError("duplicate_choice")
    if at_most is not None and len(choices) > at_most:
        raise VotingError("too_many_choices", max=at_most)


def check_choices(n_options: int, at_most: int, choices: Sequence[int]) -> None:
    """Existing options, each once, no more than `at_most` of them; none at all is a blank vote."""
    check_limit(n_options, at_most)
    _check_ballot(n_options, at_most, choices)


@dataclass(frozen=True)
class SelectionCount:
    ballots: int
    blank: int  # ballots choosing nothing
    counts: tuple[int, ...]  # per option: ballots choosing it

    @property
    def chosen(self) -> int:
        """Choices made on all ballots together."""
        return sum(self.counts)

    def to_data(self) -> dict[str, Any]:
        return {"method": "at_most", "ballots": self.ballots, "blank": self.blank, "counts": list(self.counts),
                "chosen": self.chosen}


def count(n_options: int, ballots: Sequence[Sequence[int]], at_most: int | None = None) -> SelectionCount:
    """Ballots choosing each option. Each ballot is checked: against `at_most` too when given."""
    if at_most is None:
        check_options(n_options)
    else:
        check_limit(n_options, at_most)
    for choices in ballots:
        _check_ballot(n_options, at_most, choices)
    counts = [0] * n_options
    for choices in ballots:
        for c in choices:
            counts[c] += 1
    return SelectionCount(len(ballots), sum(1 for b in ballots if not b), tuple(counts))
