"""Multiple choice, "at most N of the options" (voting.selection): worked counts, refusals, properties."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.errors import VotingError
from voting.selection import SelectionCount, check_choices, check_limit, count


def voting_error(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> VotingError:
    with pytest.raises(VotingError) as info:
        fn(*args, **kwargs)
    return info.value


def test_five_candidate_works_at_most_three_each():
    # Options: 0 lifts, 1 parking, 2 lighting, 3 benches, 4 bicycle shed; at most three per ballot.
    #   [0, 2, 4]   lifts, lighting, shed
    #   [2]         lighting
    #   []          a blank vote
    #   [4, 2, 1]   shed, lighting, parking
    #   [2, 0]      lighting, lifts
    # lifts 2, parking 1, lighting 4, benches 0, shed 2: 9 choices on 5 ballots, 1 blank
    result = count(5, [[0, 2, 4], [2], [], [4, 2, 1], [2, 0]], at_most=3)
    assert result == SelectionCount(ballots=5, blank=1, counts=(2, 1, 4, 0, 2))
    assert result.chosen == 9
    assert result.to_data() == {"method": "at_most", "ballots": 5, "blank": 1, "counts": [2, 1, 4, 0, 2],
                                "chosen": 9}
    assert json.loads(json.dumps(result.to_data())) == result.to_data()


def test_nothing_to_count():
    assert count(3, []) == SelectionCount(0, 0, (0, 0, 0))


def test_a_ballot_may_choose_up_to_the_limit_or_nothing():
    for choices in ([], [1], [3, 0], [0, 1, 2]):
        check_choices(4, 3, choices)
    check_choices(4, 4, [3, 2, 1, 0])  # "tick all you support"


def test_more_choices_than_allowed_are_refused_with_the_limit():
    error = voting_error(check_choices, 5, 2, [0, 1, 4])
    assert (error.code, error.params) == ("too_many_choices", {"max": 2})
    assert voting_error(count, 5, [[0], [0, 1, 4]], at_most=2).code == "too_many_choices"


@pytest.mark.parametrize("choices", [[5], [-1], [0, 7], [True], ["1"], [1.0]])
def test_choices_must_be_options(choices):
    error = voting_error(check_choices, 5, 3, choices)
    assert (error.code, error.params) == ("bad_choice", {"options": 5})
    assert voting_error(count, 5, [choices]).code == "bad_choice"


def test_an_option_is_chosen_once_per_ballot():
    assert voting_error(check_choices, 5, 3, [2, 2]).code == "duplicate_choice"
    assert voting_error(count, 5, [[1], [3, 1, 3]]).code == "duplicate_choice"


@pytest.mark.parametrize("at_most", [0, -1, 6, True])
def test_the_limit_runs_from_one_to_every_option(at_most):
    error = voting_error(check_limit, 5, at_most)
    assert (error.code, error.params) == ("bad_choice_limit", {"max": 5})
    assert voting_error(check_choices, 5, at_most, []).code == "bad_choice_limit"
    assert voting_error(count, 5, [], at_most=at_most).code == "bad_choice_limit"


def test_a_choice_needs_two_options():
    assert voting_error(check_limit, 1, 1).code == "too_few_options"
    assert voting_error(count, 1, []).code == "too_few_options"


# -- properties -------------------------------------------------------------------------


@st.composite
def polls(draw: st.DrawFn) -> tuple[int, int, list[list[int]]]:
    n = draw(st.integers(2, 8))
    at_most = draw(st.integers(1, n))
    ballot = st.permutations(range(n)).flatmap(lambda order: st.integers(0, at_most).map(lambda k: order[:k]))
    return n, at_most, draw(st.lists(ballot, max_size=40))


@settings(max_examples=200, deadline=None)
@given(polls(), st.data())
def test_counts_add_up_to_the_choices_made(poll, data):
    n, at_most, ballots = poll
    result = count(n, ballots, at_most=at_most)
    assert result.chosen == sum(len(b) for b in ballots)
    assert result.ballots == len(ballots)
    assert result.blank == sum(1 for b in ballots if not b)
    assert all(0 <= c <= len(ballots) - result.blank for c in result.counts)
    assert result.chosen <= (len(ballots) - result.blank) * at_most
    assert count(n, data.draw(st.permutations(ballots)), at_most=at_most) == result
    assert count(n, ballots) == result  # the limit only refuses, it never changes a count
