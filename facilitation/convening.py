"""Convening a meeting from the community register (名册): who is invited, drawn from its people.

Each way of convening matches a body of the seed's procedure: a residents' or villagers' assembly
of every adult, or of one person per household (the head of household speaks for it); the
representatives' assembly; the owners of a building, each owner once with the area of all their
flats (which the owners' majorities weigh); or the people of chosen groups. The result is a
meeting's roster, taken once when the meeting is created: later changes to the register never
change who was entitled in a meeting already convened.
"""
from __future__ import annotations

from decimal import Decimal

from .errors import MeetingError
from .register import Person

WHO = ("adults", "households", "representatives", "owners")
ADULT_AGE = 18  # 年满十八周岁
HEAD = "户主"
AREA_STEP = Decimal("0.01")


def _category(p: Person) -> str:
    # Registered residents and the others are different stakeholder categories in the seed.
    return "non_registered" if p.registered is False else "registered"


def of_age(p: Person, year: int) -> bool:
    """Of age in `year` (a birth year alone: whoever turns 18 this year counts)."""
    return p.birth_year is not None and year - p.birth_year >= ADULT_AGE


def adult(p: Person, year: int) -> bool:
    """Of age in `year`, and registered."""
    return of_age(p, year) and p.registered is not False


def _heads(people: list[Person]) -> list[Person]:
    """One person per household: its head, or else its first member as listed."""
    chosen: dict[str, Person] = {}
    for p in people:
        if not p.household:
            continue
        if p.household not in chosen or (p.relation == HEAD and chosen[p.household].relation != HEAD):
            chosen[p.household] = p
    order = {id(p): i for i, p in enumerate(people)}
    return sorted(chosen.values(), key=lambda p: order[id(p)])


def invitees(people: list[Person], who: str, *, year: int, groups: set[str] | None = None) -> list[dict[str, str]]:
    """The roster for a meeting convened from `people`: `who` is one of WHO; `groups` (村民小组,
    楼栋 …) narrows it to those groups. Raises MeetingError when nobody is left."""
    if who not in WHO:
        raise MeetingError("unknown_convening", who=who)
    pool = [p for p in people if not groups or p.group in groups]
    if who == "adults":
        chosen = [p for p in pool if adult(p, year)]
    elif who == "households":
        chosen = _heads(pool)
    elif who == "representatives":
        chosen = [p for p in pool if p.representative]
    else:
        chosen = [p for p in pool if p.flats]
    if not chosen:
        raise MeetingError("nobody_to_convene")
    roster = []
    for p in chosen:
        entry = {"name": p.name, "category": _category(p)}
        # what the check-in desk finds people by, besides the name
        if p.household:
            entry["household"] = p.household
        if p.group:  # what a topic's affected groups are checked against (facilitation/participant_warnings.py)
            entry["group"] = p.group
        if p.flats:
            entry["flat"] = "、".join(f"{f.building}{f.unit}{f.room}" for f in p.flats)
        if who == "owners":
            entry["area"] = str(p.area.quantize(AREA_STEP))
        roster.append(entry)
    return roster
