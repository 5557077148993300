"""Ranked ballots (排序投票): several plans, say three compensation schemes, put in order of preference.

A ballot is a list of option indexes, most preferred first. It may stop early (a partial ranking:
the voter has no preference among the rest) or be empty (a blank ballot, counted but giving
nothing). Two counts are offered:

- Borda points: on a ballot the first option gets n-1 points, the second n-2, and so on down to 0.
  Options a partial ballot leaves out get 0, the same as the last of a full ranking, so ranking
  every option but one says the same as ranking them all. Equal points are a tie: the count
  names every option tied first and never picks one.
- Instant runoff (即时淘汰): each round counts every ballot for its highest-ranked option still in
  the count; an option with more than half of the ballots still counting wins. Otherwise the
  option with the fewest is eliminated and its ballots pass to their next choice; a ballot with no
  choice left is exhausted and no longer counts. Ties for the fewest are broken, in this order,
  by the fewest first preferences in the first round, then by the fewest Borda points; options
  still tied are eliminated together. When that would eliminate every option left, the count
  ends in a tie between them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import VotingError

# What decided an elimination among options tied for the fewest votes.
TIE_BREAKS = ("", "first_round", "borda", "all_tied")


def check_options(n_options: int) -> None:
    if n_options < 2:
        raise VotingError("too_few_options")


def check_ranking(n_options: int, ranking: Sequence[int]) -> None:
    """Each option at most once, each an index of the poll's options; may be partial or empty."""
    # Booleans are ints in Python but never a choice someone made.
    if any(type(o) is not int or not 0 <= o < n_options for o in ranking) or len(set(ranking)) != len(ranking):
        raise VotingError("bad_ranking", options=n_options)


def _checked(n_options: int, ballots: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    check_options(n_options)
    for ranking in ballots:
        check_ranking(n_options, ranking)
    return [tuple(r) for r in ballots]


class _Winners:
    """What both methods' results say of who came first."""

    winners: tuple[int, ...]

    @property
    def winner(self) -> int | None:
        return self.winners[0] if len(self.winners) == 1 else None

    @property
    def tied(self) -> bool:
        return len(self.winners) > 1


@dataclass(frozen=True)
class BordaResult(_Winners):
    ballots: int
    blank: int  # empty ballots: counted, no points
    points: tuple[int, ...]  # per option
    order: tuple[int, ...]  # options by points, most first; equal points in the options' own order
    places: tuple[int, ...]  # per option: 1 + the number of options with more points (tied options share a place)
    winners: tuple[int, ...]  # every option with the most points; () when nobody ranked anything

    def to_data(self) -> dict[str, Any]:
        return {"method": "borda", "ballots": self.ballots, "blank": self.blank, "points": list(self.points),
                "order": list(self.order), "places": list(self.places), "winners": list(self.winners)}


def borda(n_options: int, ballots: Sequence[Sequence[int]]) -> BordaResult:
    """Borda points of each option: n-1 for a first place, down to 0 for the last or unranked."""
    rankings = _checked(n_options, ballots)
    points = [0] * n_options
    for ranking in rankings:
        for place, option in enumerate(ranking):
            points[option] += n_options - 1 - place
    best = max(points)
    return BordaResult(
        ballots=len(rankings),
        blank=sum(1 for r in rankings if not r),
        points=tuple(points),
        order=tuple(sorted(range(n_options), key=lambda o: (-points[o], o))),
        places=tuple(1 + sum(p > points[o] for p in points) for o in range(n_options)),
        # Any ranked ballot gives its first option n-1 > 0 points: no points means no ranking.
        winners=tuple(o for o in range(n_options) if points[o] == best) if best > 0 else (),
    )


@dataclass(frozen=True)
class Round:
    number: int  # from 1
    counts: tuple[int | None, ...]  # per option: ballots counting for it; None once it is eliminated
    exhausted: int  # ballots with no option left in the count, blank ballots included
    eliminated: tuple[int, ...]  # options out after this round; () in the last round
    tie_break: str  # one of TIE_BREAKS: "" unless options were tied for the fewest

    @property
    def continuing(self) -> tuple[int, ...]:
        """Options still in the count this round."""
        return tuple(o for o, c in enumerate(self.counts) if c is not None)

    @property
    def continuing_ballots(self) -> int:
        return sum(c for c in self.counts if c is not None)

    def to_data(self) -> dict[str, Any]:
        return {"round": self.number, "counts": list(self.counts), "exhausted": self.exhausted,
                "continuing_ballots": self.continuing_ballots, "eliminated": list(self.eliminated),
                "tie_break": self.tie_break}


@dataclass(frozen=True)
class RunoffResult(_Winners):
    ballots: int
    blank: int
    rounds: tuple[Round, ...]
    winners: tuple[int, ...]  # (winner,), the options tied at the end, or () when nobody ranked anything

    def to_data(self) -> dict[str, Any]:
        return {"method": "instant_runoff", "ballots": self.ballots, "blank": self.blank,
                "rounds": [r.to_data() for r in self.rounds], "winners": list(self.winners)}


def _fewest(among: Sequence[int], score: Sequence[int]) -> list[int]:
    low = min(score[o] for o in among)
    return [o for o in among if score[o] == low]


def _to_eliminate(continuing: list[int], tally: list[int], first_round: list[int],
                  points: Sequence[int]) -> tuple[list[int], str]:
    """The options with the fewest ballots, narrowed by the tie-breaks, and the tie-break that decided."""
    out, tie_break = _fewest(continuing, tally), ""
    for step, score in (("first_round", first_round), ("borda", points)):
        if len(out) > 1:
            narrowed = _fewest(out, score)
            if len(narrowed) < len(out):
                out, tie_break = narrowed, step
    return out, "all_tied" if len(out) > 1 else tie_break


def instant_runoff(n_options: int, ballots: Sequence[Sequence[int]]) -> RunoffResult:
    """Round by round until an option has more than half of the ballots still counting (see the module)."""
    rankings = _checked(n_options, ballots)
    points = borda(n_options, rankings).points
    blank = sum(1 for r in rankings if not r)
    continuing = list(range(n_options))
    first_round: list[int] = []
    rounds: list[Round] = []
    while True:
        tally = [0] * n_options
        exhausted = 0
        for ranking in rankings:
            top = next((o for o in ranking if o in continuing), None)
            if top is None:
                exhausted += 1
            else:
                tally[top] += 1
        first_round = first_round or tally
        counts = tuple(tally[o] if o in continuing else None for o in range(n_options))
        counting = len(rankings) - exhausted
        winners: list[int] | None = None
        if counting == 0:  # nobody ranked anything
            winners = []
        elif majority := [o for o in continuing if tally[o] * 2 > counting]:
            winners = majority
        else:
            out, tie_break = _to_eliminate(continuing, tally, first_round, points)
            if len(out) == len(continuing):
                winners = out
        if winners is not None:
            rounds.append(Round(len(rounds) + 1, counts, exhausted, (), ""))
            return RunoffResult(len(rankings), blank, tuple(rounds), tuple(winners))
        rounds.append(Round(len(rounds) + 1, counts, exhausted, tuple(out), tie_break))
        continuing = [o for o in continuing if o not in out]
