"""Binding majorities (voting.majority): the boundaries a meeting would notice, and properties."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.errors import VotingError
from voting.majority import RULES, Check, Count, Outcome, decide, describe, rule_for_form

D = Decimal
SIMPLE_RULES = ["cast", "present", "entitled", "two_thirds_cast", "two_thirds_present", "two_thirds_entitled"]
OWNER_RULES = ["owners", "owners_special"]


def voting_error(rule: str, count: Count) -> VotingError:
    with pytest.raises(VotingError) as info:
        decide(rule, count)
    return info.value


def check(outcome: Outcome, what: str) -> Check:
    (found,) = [c for c in outcome.checks if c.what == what]
    return found


def room(yes: int, no: int = 0, abstain: int = 0, present: int | None = None, entitled: int | None = None) -> Count:
    present = yes + no + abstain if present is None else present
    return Count(yes, no, abstain, present, present if entitled is None else entitled)


# -- the rules and their labels ------------------------------------------------------


def test_every_rule_has_a_chinese_and_an_english_label():
    assert sorted(RULES) == sorted(SIMPLE_RULES + OWNER_RULES)
    for labels in RULES.values():
        assert set(labels) == {"zh", "en"} and all(labels.values())


@pytest.mark.parametrize("form, rule", [
    ("assembly", "present"), ("representatives", "present"), ("owners", "owners"),
    ("council", "cast"), ("hearing", "cast"), ("evaluation", "cast"), ("dialogue", "cast"), ("group", "cast"),
    ("something_new", "cast"),
])
def test_each_meeting_form_has_its_default_rule(form, rule):
    assert rule_for_form(form) == rule


def test_the_rules_read_in_both_languages():
    assert describe("present", "zh-CN") == "到会有表决权人员过半数同意"
    assert describe("present", "en") == "more than half of those present and entitled agree"
    assert describe("two_thirds_entitled", "en") == "at least two thirds of all entitled to vote agree"
    assert describe("cast") == "投票人数过半数同意"  # Chinese by default


def test_the_owners_rules_read_with_both_conditions():
    zh = describe("owners", "zh-CN")
    assert "三分之二以上" in zh and "参与表决人数过半数" in zh and "专有部分面积过半数" in zh
    en = describe("owners_special", "en")
    assert "two thirds of the exclusive area" in en and "three quarters of the participating owners" in en
    assert "四分之三以上" in describe("owners_special", "zh-CN")


def test_an_unknown_rule_is_refused_by_name():
    error = voting_error("unanimity", room(5))
    assert error.code == "unknown_rule" and error.params == {"rule": "unanimity"}
    with pytest.raises(VotingError):
        describe("unanimity", "en")


# -- more than half, two thirds ------------------------------------------------------


def test_exactly_half_of_those_present_is_not_a_majority():
    assert not decide("present", room(10, 8, 2)).passed
    outcome = decide("present", room(11, 7, 2))
    assert outcome.passed
    assert outcome.checks == (Check("approval", 11, 20, 11, "more_than_half", True),)


def test_those_present_who_do_not_vote_count_against_under_present():
    # 20 in the room, 11 hands up, 5 against, 4 sat still: still more than half of 20
    assert decide("present", room(11, 5, 0, present=20)).passed
    assert not decide("present", room(10, 5, 0, present=20)).passed
    # under "cast" the four who did not vote are not in the base
    assert decide("cast", room(10, 5, 0, present=20)).passed


def test_two_thirds_boundary():
    assert decide("two_thirds_present", room(14, 7)).passed
    assert not decide("two_thirds_present", room(13, 8)).passed
    assert check(decide("two_thirds_present", room(13, 8)), "approval").need == 14
    # 2/3 of 30 is exactly 20, and "以上" includes it
    assert decide("two_thirds_cast", room(20, 10)).passed
    assert not decide("two_thirds_cast", room(19, 11)).passed


def test_abstentions_count_against_under_cast():
    assert decide("cast", room(6, 5)).passed
    assert not decide("cast", room(6, 5, 1)).passed  # 6 of 12 cast is only half
    assert not decide("two_thirds_cast", room(8, 2, 3)).passed  # 8 of 13 < 2/3


def test_entitled_counts_everyone_entitled_however_few_came():
    count = room(30, 0, 0, present=30, entitled=61)
    assert decide("present", count).passed and decide("cast", count).passed
    assert not decide("entitled", count).passed
    assert check(decide("entitled", count), "approval").need == 31
    assert decide("two_thirds_entitled", room(41, 0, 0, present=50, entitled=61)).passed
    assert not decide("two_thirds_entitled", room(40, 0, 0, present=50, entitled=61)).passed


@pytest.mark.parametrize("rule", SIMPLE_RULES + OWNER_RULES)
def test_a_base_of_zero_never_passes(rule):
    outcome = decide(rule, Count(0, 0, 0, 0, 0))
    assert not outcome.passed
    assert all(not c.met for c in outcome.checks)


def test_nothing_cast_does_not_pass_even_at_two_thirds():
    outcome = decide("two_thirds_cast", room(0, 0, 0, present=12))
    assert not outcome.passed and check(outcome, "approval").need == 1


@pytest.mark.parametrize("count, field", [
    (Count(-1, 0, 0, 5, 5), "yes"),
    (Count(1, -1, 0, 5, 5), "no"),
    (Count(1, 0, -1, 5, 5), "abstain"),
    (Count(1, 0, 0, -1, 5), "present"),
    (Count(1, 0, 0, 0, -1), "entitled"),
    (Count(4, 2, 0, 5, 5), "cast"),
    (Count(1, 0, 0, 6, 5), "present"),
    (Count(1, 0, 0, 1, 5, yes_area=D("-0.01"), entitled_area=D(100)), "yes_area"),
    (Count(1, 0, 0, 1, 5, entitled_area=D("-1")), "entitled_area"),
    (Count(1, 0, 0, 1, 5, yes_area=D("NaN"), entitled_area=D(100)), "yes_area"),
    (Count(1, 0, 0, 1, 5, yes_area=D("Infinity"), entitled_area=D(100)), "yes_area"),
    (Count(1, 1, 0, 2, 5, yes_area=D(60), no_area=D("40.01"), entitled_area=D(100)), "participating_area"),
])
def test_impossible_counts_are_refused(count, field):
    for rule in RULES:
        error = voting_error(rule, count)
        assert error.code == "bad_count" and error.params == {"field": field}


def test_more_ballots_than_people_present_is_refused_where_the_room_is_the_base():
    count = room(8, 3, 0, present=10, entitled=40)
    assert voting_error("present", count).params == {"field": "cast"}
    assert voting_error("two_thirds_present", count).code == "bad_count"
    assert decide("cast", count).passed  # postal or written ballots may come from outside the room


# -- owners (Civil Code art. 278) ----------------------------------------------------

# A building of 24 owners (25 flats: one owner holds two and counts once), 2,486.40 m² in all.
BUILDING = dict(entitled=24, entitled_area=D("2486.40"), present=0)


def owners(yes: int, no: int, abstain: int, yes_area: str, no_area: str, abstain_area: str = "0") -> Count:
    return Count(yes, no, abstain, yes_area=D(yes_area), no_area=D(no_area), abstain_area=D(abstain_area),
                 **BUILDING)  # type: ignore[arg-type]


def test_the_building_example_passes_an_ordinary_matter():
    # 18 owners with 1,702.50 m² take part; 10 owners with 880.00 m² agree
    count = owners(10, 7, 1, "880.00", "731.20", "91.30")
    outcome = decide("owners", count)
    assert outcome.passed
    assert outcome.checks == (
        Check("participation_owners", 18, 24, 16, "two_thirds", True),
        Check("participation_area", D("1702.50"), D("2486.40"), D("1657.60"), "two_thirds", True),
        Check("approval_owners", 10, 18, 10, "more_than_half", True),
        Check("approval_area", D("880.00"), D("1702.50"), D("851.26"), "more_than_half", True),
    )


def test_the_same_vote_is_not_enough_for_a_special_matter():
    outcome = decide("owners_special", owners(10, 7, 1, "880.00", "731.20", "91.30"))
    assert not outcome.passed
    assert check(outcome, "approval_owners").need == 14  # 3/4 of 18 is 13.5
    assert check(outcome, "approval_area").need == D("1276.88")  # 3/4 of 1,702.50 is 1,276.875


def test_special_matters_need_three_quarters_by_number_and_by_area():
    assert decide("owners_special", owners(14, 4, 0, "1276.88", "425.62")).passed
    assert not decide("owners_special", owners(14, 4, 0, "1276.87", "425.63")).passed
    assert not decide("owners_special", owners(13, 5, 0, "1400.00", "302.50")).passed


def test_enough_owners_but_not_enough_area_fails_and_the_reverse():
    # 16 owners of small flats: 2/3 by number, 1,500 m² is less than 2/3 of the area
    few_metres = decide("owners", owners(16, 0, 0, "1500.00", "0"))
    assert not few_metres.passed
    assert check(few_metres, "participation_owners").met and not check(few_metres, "participation_area").met
    # 15 owners of large flats: 1,700 m² is enough, 15 of 24 owners is not
    few_owners = decide("owners", owners(15, 0, 0, "1700.00", "0"))
    assert not few_owners.passed
    assert check(few_owners, "participation_area").met and not check(few_owners, "participation_owners").met


def test_approval_needs_both_the_owners_and_the_area():
    by_number_only = decide("owners", owners(10, 8, 0, "800.00", "902.50"))
    assert not by_number_only.passed
    assert check(by_number_only, "approval_owners").met and not check(by_number_only, "approval_area").met
    by_area_only = decide("owners", owners(9, 9, 0, "1000.00", "702.50"))
    assert not by_area_only.passed
    assert check(by_area_only, "approval_area").met and not check(by_area_only, "approval_owners").met


def test_low_participation_fails_even_when_everyone_taking_part_agrees():
    outcome = decide("owners", owners(15, 0, 0, "1600.00", "0"))
    assert not outcome.passed
    assert check(outcome, "approval_owners").met and check(outcome, "approval_area").met


def test_owners_abstaining_take_part_and_count_against():
    # 17 take part; 8 yes is not more than half of 17 by number
    outcome = decide("owners", owners(8, 0, 9, "900.00", "0", "800.00"))
    assert check(outcome, "participation_owners").met and check(outcome, "participation_area").met
    assert not check(outcome, "approval_owners").met


def test_the_area_needed_is_rounded_up_so_it_really_suffices():
    # 2/3 of 100.01 is 66.6733…: 66.67 would fall short
    count = Count(1, 0, 0, 0, 1, yes_area=D("66.67"), entitled_area=D("100.01"))
    part = check(decide("owners", count), "participation_area")
    assert part.need == D("66.68") and not part.met
    assert check(decide("owners", replace(count, yes_area=D("66.68"))), "participation_area").met


def test_areas_are_added_exactly_however_many_digits():
    big = D("123456789012345678901234567.89")
    count = Count(1, 1, 0, 0, 2, yes_area=big, no_area=D("0.01"), entitled_area=big + 1)
    assert check(decide("owners", count), "participation_area").have == D("123456789012345678901234567.90")


# -- properties ----------------------------------------------------------------------

HALF, TWO_THIRDS, THREE_QUARTERS = Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)

cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))


@st.composite
def counts(draw: st.DrawFn) -> Count:
    yes, no, abstain = (draw(st.integers(0, 60)) for _ in range(3))
    present = yes + no + abstain + draw(st.integers(0, 20))
    entitled = present + draw(st.integers(0, 40))
    yes_area, no_area, abstain_area, spare = (draw(cents) for _ in range(4))
    return Count(yes, no, abstain, present, entitled, yes_area, no_area, abstain_area,
                 yes_area + no_area + abstain_area + spare)


def recount(rule: str, c: Count) -> bool:
    """The rule read off the statute, in fractions."""
    cast = c.yes + c.no + c.abstain
    area = Fraction(c.yes_area) + Fraction(c.no_area) + Fraction(c.abstain_area)

    def share(have: int | Fraction | Decimal, base: int | Fraction | Decimal) -> Fraction | None:
        return Fraction(have) / Fraction(base) if base else None

    def over(have: int | Fraction | Decimal, base: int | Fraction | Decimal, f: Fraction) -> bool:
        s = share(have, base)
        return s is not None and (s > f if f == HALF else s >= f)

    simple = {"cast": cast, "present": c.present, "entitled": c.entitled}
    if rule in simple:
        return over(c.yes, simple[rule], HALF)
    if rule.startswith("two_thirds_"):
        return over(c.yes, simple[rule.removeprefix("two_thirds_")], TWO_THIRDS)
    f = HALF if rule == "owners" else THREE_QUARTERS
    return (over(cast, c.entitled, TWO_THIRDS) and over(area, c.entitled_area, TWO_THIRDS)
            and over(c.yes, cast, f) and over(c.yes_area, area, f))


@settings(max_examples=400)
@given(counts(), st.sampled_from(sorted(RULES)))
def test_decide_agrees_with_a_recount_in_fractions(count, rule):
    outcome = decide(rule, count)
    assert outcome.passed == recount(rule, count)
    assert outcome.passed == all(c.met for c in outcome.checks)


@settings(max_examples=400)
@given(counts(), st.sampled_from(sorted(RULES)), st.data())
def test_moving_a_vote_from_no_to_yes_never_turns_a_pass_into_a_fail(count, rule, data):
    if count.no == 0:
        count = replace(count, no=1, present=count.present + 1, entitled=count.entitled + 1)
    moved_area = data.draw(st.integers(0, int(count.no_area * 100)).map(lambda c: D(c).scaleb(-2)))
    more_yes = replace(count, yes=count.yes + 1, no=count.no - 1,
                       yes_area=count.yes_area + moved_area, no_area=count.no_area - moved_area)
    if decide(rule, count).passed:
        assert decide(rule, more_yes).passed


@settings(max_examples=400)
@given(counts(), st.sampled_from(sorted(RULES)))
def test_need_is_the_smallest_figure_that_meets_each_check(count, rule):
    for c in decide(rule, count).checks:
        if isinstance(c.base, Decimal):
            assert isinstance(c.need, Decimal) and c.need == c.need.quantize(D("0.01"))
            step: int | Decimal = D("0.01")
        else:
            assert isinstance(c.need, int)
            step = 1
        if c.base == 0:
            assert not c.met
            continue
        probe = replace(c, have=c.need)
        assert meets_like(probe), c
        assert not meets_like(replace(c, have=c.need - step)), c
        if isinstance(c.have, int):
            assert c.met == (c.have >= c.need)
        elif c.have >= c.need:
            assert c.met


def meets_like(c: Check) -> bool:
    f = {"more_than_half": HALF, "two_thirds": TWO_THIRDS, "three_quarters": THREE_QUARTERS}[c.fraction]
    s = Fraction(c.have) / Fraction(c.base)
    return s > f if c.fraction == "more_than_half" else s >= f


@given(st.integers(1, 10**6), st.sampled_from(["more_than_half", "two_thirds", "three_quarters"]))
def test_need_of_a_head_count_is_the_familiar_formula(n, fraction):
    from voting.majority import needed
    expected = {"more_than_half": n // 2 + 1, "two_thirds": -(-2 * n // 3), "three_quarters": -(-3 * n // 4)}
    assert needed(n, fraction) == expected[fraction]
