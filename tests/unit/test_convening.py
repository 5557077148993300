"""Convening from the register: every adult, one per household, the representatives, the owners
with their areas, chosen groups — counted on the sample registers."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from facilitation.convening import invitees
from facilitation.errors import MeetingError
from facilitation.register import Person, read_rows
from live.register_files import read_file

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
YEAR = 2026


@pytest.fixture(scope="module")
def village() -> list[Person]:
    return read_rows(read_file(SAMPLES / "village-register.csv"), this_year=YEAR).people


@pytest.fixture(scope="module")
def building() -> list[Person]:
    return read_rows(read_file(SAMPLES / "building-owners.csv"), this_year=YEAR).people


def test_the_assembly_of_adults_takes_the_registered_of_eighteen_and_over(village):
    roster = invitees(village, "adults", year=YEAR)
    expected = [p for p in village if p.birth_year is not None and YEAR - p.birth_year >= 18 and p.registered is not False]
    assert len(roster) == len(expected) and 0 < len(roster) < len(village)
    assert [r["name"] for r in roster] == [p.name for p in expected]
    assert {r["category"] for r in roster} == {"registered"}


def test_one_per_household_is_its_head(village):
    roster = invitees(village, "households", year=YEAR)
    households = {p.household for p in village}
    assert len(roster) == len(households) == 324
    heads = {p.name for p in village if p.relation == "户主"}
    assert {r["name"] for r in roster} <= heads | {p.name for p in village}


def test_a_household_without_a_head_is_represented_by_its_first_member():
    people = [Person("甲", household="01", relation="子女"), Person("乙", household="01", relation="配偶"),
              Person("丙", household="02", relation="子女"), Person("丁", household="02", relation="户主")]
    assert [r["name"] for r in invitees(people, "households", year=YEAR)] == ["甲", "丁"]


def test_the_representatives_and_a_groups_adults(village):
    reps = invitees(village, "representatives", year=YEAR)
    assert len(reps) == sum(p.representative for p in village) > 0
    group = sorted({p.group for p in village})[0]
    one_group = invitees(village, "adults", year=YEAR, groups={group})
    assert 0 < len(one_group) < len(invitees(village, "adults", year=YEAR))
    names = {p.name for p in village if p.group == group}
    assert all(r["name"] in names for r in one_group)


def test_each_owner_is_invited_once_with_the_area_of_all_their_flats(building):
    roster = invitees(building, "owners", year=YEAR)
    assert len(roster) == 35
    assert sum(Decimal(r["area"]) for r in roster) == Decimal("3302.88")
    (yu,) = [r for r in roster if r["name"] == "余玉珍"]  # holds two flats
    flats = [p for p in building if p.name == "余玉珍"][0].flats
    assert len(flats) == 2 and Decimal(yu["area"]) == sum(f.area for f in flats)


def test_nobody_to_convene_and_an_unknown_way_are_refused(building):
    with pytest.raises(MeetingError) as info:
        invitees(building, "representatives", year=YEAR)
    assert info.value.code == "nobody_to_convene"
    with pytest.raises(MeetingError) as info:
        invitees(building, "everyone", year=YEAR)
    assert info.value.code == "unknown_convening"


def test_the_desk_can_find_the_invited_by_household_and_flat(village, building):
    from facilitation.views import moderator_view
    from support.meetings import new_meeting

    households = invitees(village, "households", year=YEAR)
    assert all(r["household"] for r in households)
    owners = invitees(building, "owners", year=YEAR)
    (yu,) = [r for r in owners if r["name"] == "余玉珍"]
    assert yu["flat"].count("、") == 1  # two flats, both findable
    room = new_meeting(form="owners", roster=owners)
    roster = moderator_view(room.meeting)["roster"]
    assert {r["name"]: r["flat"] for r in roster}["余玉珍"] == yu["flat"]
    assert "household" not in roster[0]  # an owners' list has flats, not households
