"""Quorum of the formal decision bodies, counted against the invited members (the roster).

From the organic laws (see GLOSSARY; to be checked against the statute before relying on it):
a residents' assembly needs more than half of its members present (two thirds of the households
when convened by households), a representatives' assembly at least two thirds. Walk-ins and observers do not count towards the quorum.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the meeting folds through these: imported for types only
    from .meeting import Meeting


RULES = {"assembly": "more_than_half", "representatives": "two_thirds"}
# An assembly convened by households (one person for each) needs two thirds of the households.
BY_HOUSEHOLDS = "two_thirds"


def represented(m: Meeting) -> int:
    """Absent members whose written proxy the desk recorded (a proxy lapses when they come)."""
    return sum(1 for p in m.proxies.values() if p["status"] == "active")


def rule_of(m: Meeting) -> str | None:
    """The law's quorum, or the community's template's when it asks for more (it never asks for less)."""
    law = BY_HOUSEHOLDS if m.form == "assembly" and m.convened.get("who") == "households" else RULES.get(m.form)
    community = m.template.get("quorum")
    if community in ("more_than_half", "two_thirds") and (law is None or (law, community) == ("more_than_half", "two_thirds")):
        return str(community)
    return law


def required(rule: str, members: int) -> int:
    if rule == "more_than_half":
        return members // 2 + 1
    return -(-2 * members // 3)  # at least two thirds, rounded up


def quorum(m: Meeting) -> dict[str, Any] | None:
    """None for forms without a quorum; else the rule, the counts, and whether it is met."""
    rule = rule_of(m)
    if rule is None:
        return None
    members = len(m.roster)
    # members here as attendees, and those represented by a written proxy
    present = m.invited_attendees + represented(m)
    need = required(rule, members)
    return {"rule": rule, "members": members, "present": present, "required": need,
            "met": members > 0 and present >= need}
