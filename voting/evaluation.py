"""Democratic evaluation (民主评议): several officials or services rated on one ballot, each as
满意 / 基本满意 / 不满意 (the keys of the rating poll: satisfied, basically_satisfied, dissatisfied).

A ballot holds one entry per one evaluated, in the ballot's order: a rating index (0 satisfied,
1 basically satisfied, 2 dissatisfied) or None where the voter did not rate that one. Skipping is
allowed: a voter may not know every official. For each one evaluated, with
rated = 满意 + 基本满意 + 不满意 (ballots that skipped them are left out):

    satisfaction rate = (满意 + 基本满意) / rated
    satisfied rate    = 满意 / rated

Offices report one or both, under names that vary (满意率, 综合满意率, 满意度): the minutes should
name the formula with the figure. Rates are exact fractions; the percentage shown has one decimal,
rounded half up (93.75% shows as 93.8, 6.25% as 6.3). With nobody rating someone, their rates are
None: there is nothing to report, which is not 0%.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import VotingError
from .polls import FIXED_OPTIONS

RATINGS = tuple(FIXED_OPTIONS["rating"])  # satisfied, basically_satisfied, dissatisfied
SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = range(3)


def percent(rate: Fraction) -> Decimal:
    """The rate as a percentage with one decimal, rounded half up, computed exactly."""
    tenths = (2 * 1000 * rate.numerator + rate.denominator) // (2 * rate.denominator)
    return Decimal(tenths).scaleb(-1)


@dataclass(frozen=True)
class RatingCount:
    """The ratings one official or service received."""

    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    not_rated: int

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def satisfaction_rate(self) -> Fraction | None:
        """(满意 + 基本满意) / rated."""
        return Fraction(self.satisfied + self.basically_satisfied, self.rated) if self.rated else None

    @property
    def satisfied_rate(self) -> Fraction | None:
        """满意 / rated."""
        return Fraction(self.satisfied, self.rated) if self.rated else None

    @property
    def satisfaction_percent(self) -> Decimal | None:
        rate = self.satisfaction_rate
        return None if rate is None else percent(rate)

    @property
    def satisfied_percent(self) -> Decimal | None:
        rate = self.satisfied_rate
        return None if rate is None else percent(rate)

    def to_data(self) -> dict[str, Any]:
        """Rates as exact fractions ("14/15") and percentages as decimals ("93.3"), both strings; null when unrated."""
        def text(value: Fraction | Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {"satisfied": self.satisfied, "basically_satisfied": self.basically_satisfied,
                "dissatisfied": self.dissatisfied, "not_rated": self.not_rated, "rated": self.rated,
                "satisfaction_rate": text(self.satisfaction_rate), "satisfaction_percent": text(self.satisfaction_percent),
                "satisfied_rate": text(self.satisfied_rate), "satisfied_percent": text(self.satisfied_percent)}


@dataclass(frozen=True)
class Evaluation:
    ballots: int
    evaluated: tuple[RatingCount, ...]  # in the ballot's order

    @property
    def overall(self) -> RatingCount:
        """Every rating on every ballot together, for offices that report one figure for all."""
        return RatingCount(*(sum(getattr(r, name) for r in self.evaluated)
                             for name in ("satisfied", "basically_satisfied", "dissatisfied", "not_rated")))

    def to_data(self) -> dict[str, Any]:
        return {"method": "evaluation", "ballots": self.ballots, "evaluated": [r.to_data() for r in self.evaluated],
                "overall": self.overall.to_data()}


def check_evaluation(n_evaluated: int, ballot: Sequence[int | None]) -> None:
    """One entry per one evaluated, each a rating index or None."""
    # Booleans are ints in Python but never a rating someone gave.
    if len(ballot) != n_evaluated or any(r is not None and (type(r) is not int or not 0 <= r < len(RATINGS))
                                         for r in ballot):
        raise VotingError("bad_evaluation", evaluated=n_evaluated)


def count(n_evaluated: int, ballots: Sequence[Sequence[int | None]]) -> Evaluation:
    """The ratings of each one evaluated, with their rates (see the module for the formulas)."""
    if n_evaluated < 1:
        raise VotingError("bad_evaluation", evaluated=n_evaluated)
    for ballot in ballots:
        check_evaluation(n_evaluated, ballot)
    columns = [[b[i] for b in ballots] for i in range(n_evaluated)]
    return Evaluation(len(ballots), tuple(
        RatingCount(column.count(SATISFIED), column.count(BASICALLY_SATISFIED), column.count(DISSATISFIED),
                    column.count(None))
        for column in columns))
