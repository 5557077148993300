"""Ranked ballots (voting.ranking): Borda points and instant runoff, worked by hand, and properties."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.errors import VotingError
from voting.ranking import Round, borda, check_ranking, instant_runoff

A, B, C, D = range(4)


def voting_error(fn: Callable[..., Any], *args: Any) -> VotingError:
    with pytest.raises(VotingError) as info:
        fn(*args)
    return info.value


def times(n: int, ranking: list[int]) -> list[list[int]]:
    return [list(ranking) for _ in range(n)]


# Four sites for a new service centre, voted on with the shares of the textbook "capital of
# Tennessee" example (100 voters):
#   42  A > B > C > D      (A: the site at one end of the district, where most voters live)
#   26  B > C > D > A
#   15  C > D > B > A
#   17  D > C > B > A
FOUR_SITES = times(42, [A, B, C, D]) + times(26, [B, C, D, A]) + times(15, [C, D, B, A]) + times(17, [D, C, B, A])


# -- Borda ------------------------------------------------------------------------------


def test_the_borda_winner_can_differ_from_the_plurality_winner():
    # Three compensation schemes: cash (A), a replacement flat (B), cash and flat mixed (C).
    #   3 voters  A > B > C      A 3×2 = 6,  B 3×1 = 3, C 0
    #   2 voters  B > C > A      B 2×2 = 4,  C 2×1 = 2, A 0
    # A has most first places (3 of 5) but B has most points: 7 against 6 and 2.
    result = borda(3, times(3, [A, B, C]) + times(2, [B, C, A]))
    assert result.points == (6, 7, 2)
    assert result.order == (B, A, C)
    assert result.places == (2, 1, 3)
    assert (result.winners, result.winner, result.tied) == ((B,), B, False)


def test_borda_points_of_the_four_sites():
    # A: 42×3 = 126
    # B: 42×2 + 26×3 + 15×1 + 17×1 = 84 + 78 + 15 + 17 = 194
    # C: 42×1 + 26×2 + 15×3 + 17×2 = 42 + 52 + 45 + 34 = 173
    # D: 26×1 + 15×2 + 17×3 = 26 + 30 + 51 = 107          (total 600 = 100 ballots × 6)
    result = borda(4, FOUR_SITES)
    assert result.points == (126, 194, 173, 107)
    assert result.order == (B, C, A, D)
    assert result.places == (3, 1, 2, 4)
    assert result.winner == B
    assert (result.ballots, result.blank) == (100, 0)


def test_options_left_out_of_a_partial_ranking_get_nothing():
    # Four options; first place is worth 3 whether or not the voter ranks the rest.
    #   [A]       A 3
    #   [B, C]    B 3, C 2
    #   []        a blank ballot: counted, no points
    # A and B tie on 3 points: both are named, neither is picked.
    result = borda(4, [[A], [B, C], []])
    assert result.points == (3, 3, 2, 0)
    assert (result.ballots, result.blank) == (3, 1)
    assert result.order == (A, B, C, D)
    assert result.places == (1, 1, 3, 4)
    assert (result.winners, result.winner, result.tied) == ((A, B), None, True)


def test_ranking_all_but_the_last_option_is_the_same_as_ranking_them_all():
    assert borda(4, [[C, A, D]]) == borda(4, [[C, A, D, B]])


def test_a_tie_for_second_place_shares_the_place():
    # A>B>C and A>C>B: A 4, B 1, C 1
    result = borda(3, [[A, B, C], [A, C, B]])
    assert result.points == (4, 1, 1)
    assert result.places == (1, 2, 2)
    assert result.winner == A


def test_without_rankings_there_is_no_borda_winner():
    for ballots in ([], [[], []]):
        result = borda(3, ballots)
        assert result.points == (0, 0, 0)
        assert result.places == (1, 1, 1)
        assert (result.winners, result.winner, result.tied) == ((), None, False)
        assert result.blank == len(ballots)


# -- instant runoff ---------------------------------------------------------------------


def test_the_first_round_leader_can_lose_the_runoff():
    # The four sites, 100 ballots, more than half is 51:
    #   round 1  A 42, B 26, C 15, D 17         C has fewest: its 15 go on to D
    #   round 2  A 42, B 26,       D 32         B has fewest: its 26 go on (past C) to D
    #   round 3  A 42,             D 58         D has more than half
    result = instant_runoff(4, FOUR_SITES)
    assert result.rounds == (
        Round(1, (42, 26, 15, 17), 0, (C,), ""),
        Round(2, (42, 26, None, 32), 0, (B,), ""),
        Round(3, (42, None, None, 58), 0, (), ""),
    )
    assert (result.winners, result.winner, result.tied) == ((D,), D, False)


def test_a_runoff_in_three_rounds_with_exhausted_ballots():
    #   8  A
    #   6  B > C
    #   5  C > B
    #   3  D > C
    #   2  D            (24 ballots)
    # Borda points (3, 2, 1, 0): A 24, B 6×3 + 5×2 = 28, C 5×3 + 6×2 + 3×2 = 33, D 5×3 = 15.
    #   round 1  A 8, B 6, C 5, D 5   24 counting, none has 13. C and D tie on 5, and had the same
    #            in the first round (it is the first round): D has fewer Borda points and goes.
    #            3 of D's ballots go to C, 2 name nobody else and are exhausted.
    #   round 2  A 8, B 6, C 8        22 counting, none has 12: B goes, its 6 go to C.
    #   round 3  A 8,      C 14       22 counting: C has more than 11.
    ballots = times(8, [A]) + times(6, [B, C]) + times(5, [C, B]) + times(3, [D, C]) + times(2, [D])
    result = instant_runoff(4, ballots)
    assert result.rounds == (
        Round(1, (8, 6, 5, 5), 0, (D,), "borda"),
        Round(2, (8, 6, 8, None), 2, (B,), ""),
        Round(3, (8, None, 14, None), 2, (), ""),
    )
    assert [r.continuing_ballots for r in result.rounds] == [24, 22, 22]
    assert result.rounds[1].continuing == (A, B, C)
    assert result.winner == C


def test_the_majority_is_of_the_ballots_still_counting():
    #   5 A, 4 B, 3 C, nobody ranks a second choice (12 ballots)
    #   round 1  A 5, B 4, C 3       12 counting, none has 7: C goes, 3 ballots exhausted
    #   round 2  A 5, B 4            9 counting: 5 is more than half of 9 (not of 12)
    result = instant_runoff(3, times(5, [A]) + times(4, [B]) + times(3, [C]))
    assert result.rounds == (
        Round(1, (5, 4, 3), 0, (C,), ""),
        Round(2, (5, 4, None), 3, (), ""),
    )
    assert result.winner == A


def test_a_tie_for_the_fewest_is_broken_by_the_first_round():
    #   10 A
    #    6 B > C
    #    9 C
    #    3 D > B        (28 ballots)
    #   round 1  A 10, B 6, C 9, D 3    none has 15: D goes, its 3 go to B
    #   round 2  A 10, B 9, C 9         B and C tie on 9; in the first round B had 6, C 9: B goes.
    #            B's own 6 go to C; the 3 that came from D name nobody else.
    #   round 3  A 10, C 15             25 counting: C has more than 12.5
    ballots = times(10, [A]) + times(6, [B, C]) + times(9, [C]) + times(3, [D, B])
    result = instant_runoff(4, ballots)
    assert result.rounds == (
        Round(1, (10, 6, 9, 3), 0, (D,), ""),
        Round(2, (10, 9, 9, None), 0, (B,), "first_round"),
        Round(3, (10, None, 15, None), 3, (), ""),
    )
    assert result.winner == C


def test_options_still_tied_after_both_tie_breaks_go_together():
    #   4 A, 2 B > C, 2 C > B       (8 ballots)
    # Borda points (2, 1, 0): A 8, B 2×2 + 2×1 = 6, C 6.
    #   round 1  A 4, B 2, C 2     4 is not more than half of 8. B and C tie on 2, in the first
    #            round and on points: both go, and their ballots are exhausted.
    #   round 2  A 4               4 counting
    result = instant_runoff(3, times(4, [A]) + times(2, [B, C]) + times(2, [C, B]))
    assert result.rounds == (
        Round(1, (4, 2, 2), 0, (B, C), "all_tied"),
        Round(2, (4, None, None), 4, (), ""),
    )
    assert result.winner == A


def test_a_tie_no_rule_can_break_ends_the_count_as_a_tie():
    # A > B > C, B > C > A, C > A > B: one first place each, 3 Borda points each.
    cycle = instant_runoff(3, [[A, B, C], [B, C, A], [C, A, B]])
    assert cycle.rounds == (Round(1, (1, 1, 1), 0, (), ""),)
    assert (cycle.winners, cycle.winner, cycle.tied) == ((A, B, C), None, True)
    # Two against two, each ranking the other second.
    even = instant_runoff(2, times(2, [A, B]) + times(2, [B, A]))
    assert even.rounds == (Round(1, (2, 2), 0, (), ""),)
    assert even.winners == (A, B)


def test_a_tie_between_the_last_two_is_broken_like_any_tie_for_the_fewest():
    #   3 A, 2 B, 1 C > B          (6 ballots)
    #   round 1  A 3, B 2, C 1     3 is not more than half of 6: C goes, its ballot to B
    #   round 2  A 3, B 3          a tie; in the first round A had 3, B 2: B goes
    #   round 3  A 3               3 counting, B's ballots are exhausted
    result = instant_runoff(3, times(3, [A]) + times(2, [B]) + [[C, B]])
    assert result.rounds == (
        Round(1, (3, 2, 1), 0, (C,), ""),
        Round(2, (3, 3, None), 0, (B,), "first_round"),
        Round(3, (3, None, None), 3, (), ""),
    )
    assert result.winner == A


def test_without_rankings_there_is_no_runoff_winner():
    result = instant_runoff(3, [[], []])
    assert result.rounds == (Round(1, (0, 0, 0), 2, (), ""),)
    assert (result.winners, result.blank, result.ballots) == ((), 2, 2)
    assert instant_runoff(3, []).rounds == (Round(1, (0, 0, 0), 0, (), ""),)


def test_results_become_json_for_the_minutes():
    data = instant_runoff(4, FOUR_SITES).to_data()
    assert json.loads(json.dumps(data)) == data
    assert data["method"] == "instant_runoff" and data["winners"] == [D]
    assert data["rounds"][1] == {"round": 2, "counts": [42, 26, None, 32], "exhausted": 0,
                                 "continuing_ballots": 100, "eliminated": [B], "tie_break": ""}
    assert borda(3, [[A, B], []]).to_data() == {
        "method": "borda", "ballots": 2, "blank": 1, "points": [2, 1, 0], "order": [A, B, C],
        "places": [1, 2, 3], "winners": [A]}


# -- what a ballot may be ---------------------------------------------------------------


@pytest.mark.parametrize("ranking", [[A, A], [A, B, A], [3], [-1], [True], ["0"], [0.0], [A, B, C, 3]])
def test_a_ranking_names_existing_options_once_each(ranking):
    error = voting_error(check_ranking, 3, ranking)
    assert (error.code, error.params) == ("bad_ranking", {"options": 3})
    assert voting_error(borda, 3, [[A], ranking]).code == "bad_ranking"
    assert voting_error(instant_runoff, 3, [ranking]).code == "bad_ranking"


def test_partial_and_empty_rankings_are_allowed():
    for ranking in ([], [B], [C, A], [A, B, C]):
        check_ranking(3, ranking)


@pytest.mark.parametrize("n", [0, 1])
def test_ranking_needs_two_options(n):
    assert voting_error(borda, n, []).code == "too_few_options"
    assert voting_error(instant_runoff, n, []).code == "too_few_options"


# -- properties -------------------------------------------------------------------------

PROPERTY = settings(max_examples=200, deadline=None)


@st.composite
def rankings(draw: st.DrawFn, n: int, full: bool = False) -> list[int]:
    order = draw(st.permutations(range(n)))
    return order if full else order[: draw(st.integers(0, n))]


@st.composite
def elections(draw: st.DrawFn, full: bool = False) -> tuple[int, list[list[int]]]:
    n = draw(st.integers(2, 5))
    return n, draw(st.lists(rankings(n, full), max_size=30))


@PROPERTY
@given(elections(full=True))
def test_borda_points_of_full_rankings_add_up_to_the_points_of_each_ballot(election):
    n, ballots = election
    assert sum(borda(n, ballots).points) == len(ballots) * n * (n - 1) // 2


@PROPERTY
@given(elections())
def test_borda_points_never_exceed_those_of_full_rankings(election):
    n, ballots = election
    assert sum(borda(n, ballots).points) <= len(ballots) * n * (n - 1) // 2


@PROPERTY
@given(elections(), st.data())
def test_the_order_of_the_ballots_changes_nothing(election, data):
    n, ballots = election
    shuffled = data.draw(st.permutations(ballots))
    assert borda(n, shuffled) == borda(n, ballots)
    assert instant_runoff(n, shuffled) == instant_runoff(n, ballots)


@PROPERTY
@given(elections(), st.data())
def test_adding_a_ballot_ranking_a_borda_winner_first_makes_it_the_only_winner(election, data):
    n, ballots = election
    before = borda(n, ballots)
    favourite = data.draw(st.sampled_from(before.winners or tuple(range(n))))
    rest = data.draw(st.permutations([o for o in range(n) if o != favourite]))
    after = borda(n, [*ballots, [favourite, *rest[: data.draw(st.integers(0, n - 1))]]])
    assert after.winners == (favourite,)


@PROPERTY
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1),
                                                     st.lists(rankings(n), max_size=20))), st.data())
def test_an_option_first_on_more_than_half_the_ballots_wins_the_first_round(case, data):
    n, favourite, others = case
    ballots = list(others)
    for _ in range(len(others) + 1):
        rest = data.draw(st.permutations([o for o in range(n) if o != favourite]))
        ballots.append([favourite, *rest[: data.draw(st.integers(0, n - 1))]])
    shuffled = data.draw(st.permutations(ballots))
    result = instant_runoff(n, shuffled)
    assert len(result.rounds) == 1 and result.winner == favourite


@PROPERTY
@given(elections())
def test_every_round_accounts_for_every_ballot_and_eliminated_options_stay_out(election):
    n, ballots = election
    result = instant_runoff(n, ballots)
    out: set[int] = set()
    exhausted = 0
    for number, r in enumerate(result.rounds, start=1):
        assert r.number == number
        assert r.continuing_ballots + r.exhausted == len(ballots)
        assert r.exhausted >= exhausted  # an exhausted ballot never counts again
        exhausted = r.exhausted
        assert set(r.continuing) == set(range(n)) - out
        assert set(r.eliminated) <= set(r.continuing) and len(r.eliminated) < len(r.continuing)
        out |= set(r.eliminated)
    assert result.rounds[0].exhausted == result.blank
    assert result.rounds[-1].eliminated == ()
    assert len(result.rounds) <= n
    assert not set(result.winners) & out  # nobody eliminated earlier wins
    assert set(result.winners) <= set(result.rounds[-1].continuing)


@PROPERTY
@given(elections())
def test_a_runoff_winner_has_more_than_half_of_the_last_rounds_ballots(election):
    n, ballots = election
    result = instant_runoff(n, ballots)
    last = result.rounds[-1]
    if result.winner is not None:
        assert (last.counts[result.winner] or 0) * 2 > last.continuing_ballots
    elif result.tied:
        assert result.winners == last.continuing
        assert len({last.counts[o] for o in result.winners}) == 1
    else:
        assert all(not r for r in ballots)


@PROPERTY
@given(elections())
def test_results_are_json_ready(election):
    n, ballots = election
    for result in (borda(n, ballots), instant_runoff(n, ballots)):
        data = result.to_data()
        assert json.loads(json.dumps(data)) == data
