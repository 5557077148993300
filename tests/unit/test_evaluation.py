"""Democratic evaluation (voting.evaluation): ratings per one evaluated, the two rates, refusals, properties."""
from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.errors import VotingError
from voting.evaluation import RATINGS, RatingCount, check_evaluation, count, percent

S, B, X, _ = 0, 1, 2, None  # 满意, 基本满意, 不满意, not rated
D = Decimal


def voting_error(fn: Callable[..., Any], *args: Any) -> VotingError:
    with pytest.raises(VotingError) as info:
        fn(*args)
    return info.value


def ballots_from(*columns: list[int | None]) -> list[list[int | None]]:
    """Ballots written one column per one evaluated, as the tally sheet reads."""
    return [list(row) for row in zip(*columns)]


def test_the_ratings_are_the_rating_polls():
    assert RATINGS == ("satisfied", "basically_satisfied", "dissatisfied")


def test_an_evaluation_of_the_residents_committee_director_the_property_company_and_the_cleaners():
    # 16 ballots.
    #   director:  10 满意, 4 基本满意, 1 不满意, 1 not rated   rated 15
    #              satisfaction (10+4)/15 = 14/15 = 93.33…% → 93.3;  satisfied 10/15 = 2/3 → 66.7
    #   property:   1 满意, 0 基本满意, 15 不满意              rated 16
    #              satisfaction 1/16 = 6.25% → 6.3 (half up);  satisfied the same
    #   cleaners:  nobody rated them: no rates
    #   overall:   11 满意, 4 基本满意, 16 不满意, 17 not rated   rated 31
    #              satisfaction 15/31 = 48.387…% → 48.4;  satisfied 11/31 = 35.483…% → 35.5
    director = [S] * 10 + [B] * 4 + [X] + [_]
    property_company = [S] + [X] * 15
    cleaners: list[int | None] = [_] * 16
    result = count(3, ballots_from(director, property_company, cleaners))
    assert result.ballots == 16
    first, second, third = result.evaluated
    assert first == RatingCount(satisfied=10, basically_satisfied=4, dissatisfied=1, not_rated=1)
    assert (first.rated, first.satisfaction_rate, first.satisfied_rate) == (15, Fraction(14, 15), Fraction(2, 3))
    assert (first.satisfaction_percent, first.satisfied_percent) == (D("93.3"), D("66.7"))
    assert second == RatingCount(1, 0, 15, 0)
    assert (second.satisfaction_rate, second.satisfaction_percent) == (Fraction(1, 16), D("6.3"))
    assert second.satisfied_percent == D("6.3")
    assert third == RatingCount(0, 0, 0, 16)
    assert (third.rated, third.satisfaction_rate, third.satisfied_rate) == (0, None, None)
    assert (third.satisfaction_percent, third.satisfied_percent) == (None, None)
    overall = result.overall
    assert overall == RatingCount(11, 4, 16, 17)
    assert (overall.satisfaction_percent, overall.satisfied_percent) == (D("48.4"), D("35.5"))


def test_the_evaluation_becomes_json_with_exact_rates_as_text():
    result = count(2, [[S, _], [B, _], [X, _]])
    data = result.to_data()
    assert json.loads(json.dumps(data)) == data
    assert data["method"] == "evaluation" and data["ballots"] == 3
    assert data["evaluated"][0] == {
        "satisfied": 1, "basically_satisfied": 1, "dissatisfied": 1, "not_rated": 0, "rated": 3,
        "satisfaction_rate": "2/3", "satisfaction_percent": "66.7", "satisfied_rate": "1/3", "satisfied_percent": "33.3"}
    assert data["evaluated"][1]["satisfaction_rate"] is None and data["evaluated"][1]["not_rated"] == 3
    assert Fraction(data["evaluated"][0]["satisfaction_rate"]) == Fraction(2, 3)


@pytest.mark.parametrize("rate, shown", [
    (Fraction(1, 16), "6.3"),     # 6.25: half up, where half-even would show 6.2
    (Fraction(5, 16), "31.3"),    # 31.25
    (Fraction(15, 16), "93.8"),   # 93.75
    (Fraction(1, 80), "1.3"),     # 1.25
    (Fraction(1, 8), "12.5"),
    (Fraction(2, 3), "66.7"),
    (Fraction(1, 3), "33.3"),
    (Fraction(1999, 2000), "100.0"),  # 99.95
    (Fraction(1), "100.0"),
    (Fraction(0), "0.0"),
])
def test_percentages_have_one_decimal_rounded_half_up(rate, shown):
    assert str(percent(rate)) == shown


def test_everyone_satisfied_or_no_one():
    result = count(2, [[S, X], [B, X]])
    assert result.evaluated[0].satisfaction_rate == 1 and result.evaluated[0].satisfied_rate == Fraction(1, 2)
    assert result.evaluated[1].satisfaction_rate == 0 and result.evaluated[1].satisfaction_percent == D("0.0")


def test_a_voter_may_skip_everyone():
    result = count(2, [[_, _], [S, _]])
    assert result.evaluated == (RatingCount(1, 0, 0, 1), RatingCount(0, 0, 0, 2))


@pytest.mark.parametrize("ballot", [[S], [S, B, X], [], [S, 3], [-1, S], [True, S], ["0", S], [0.0, S]])
def test_a_ballot_rates_each_one_evaluated_once_with_a_known_rating(ballot):
    error = voting_error(check_evaluation, 2, ballot)
    assert (error.code, error.params) == ("bad_evaluation", {"evaluated": 2})
    assert voting_error(count, 2, [[S, B], ballot]).code == "bad_evaluation"


def test_an_evaluation_needs_someone_to_evaluate():
    assert voting_error(count, 0, []).code == "bad_evaluation"


# -- properties -------------------------------------------------------------------------


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[int, list[list[int | None]]]:
    n = draw(st.integers(1, 6))
    rating = st.one_of(st.none(), st.integers(0, 2))
    return n, draw(st.lists(st.lists(rating, min_size=n, max_size=n), max_size=40))


@settings(max_examples=200, deadline=None)
@given(evaluations())
def test_rates_follow_the_counts(evaluation):
    n, ballots = evaluation
    result = count(n, ballots)
    assert len(result.evaluated) == n
    for i, r in enumerate(result.evaluated):
        column = [b[i] for b in ballots]
        assert (r.satisfied, r.basically_satisfied, r.dissatisfied, r.not_rated) == tuple(
            column.count(v) for v in (S, B, X, None))
        assert r.rated + r.not_rated == len(ballots)
        if r.rated == 0:
            assert r.satisfaction_rate is None and r.satisfied_rate is None
            continue
        assert r.satisfaction_rate == Fraction(r.satisfied + r.basically_satisfied, r.rated)
        assert r.satisfied_rate == Fraction(r.satisfied, r.rated)
        assert r.satisfaction_rate is not None and r.satisfied_rate is not None
        assert 0 <= r.satisfied_rate <= r.satisfaction_rate <= 1


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=0, max_value=1, max_denominator=10_000))
def test_the_percentage_is_the_nearest_tenth_halves_up(rate):
    shown = percent(rate)
    assert shown == shown.quantize(D("0.1"))
    tenths = Fraction(shown) * 10
    exact = rate * 1000
    assert abs(tenths - exact) <= Fraction(1, 2)
    assert tenths == math.floor(exact + Fraction(1, 2))
    assert D(0) <= shown <= D(100)
