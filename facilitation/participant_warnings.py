"""Warnings about who is invited (确定协商主体): said to the organisers, never a refusal.

The seed asks that participants be chosen for relevance and representativeness. Three things are
checked against a meeting's list of invited: a topic taken up by an item affects groups (村民小组,
楼栋) none of the invited belong to; a stakeholder category the form needs is missing (an owners'
consultation without the owners' committee or the property company, a hearing without the parties
concerned, a council without the residents' committee); the officials outnumber the residents.
Each warning is a code with its figures, put into words by the pages in both languages.
"""
from __future__ import annotations

from typing import Any

from .meeting import Meeting

# The categories each form needs among its invited.
NEEDED = {
    "owners": ("owners_committee", "property"),
    "hearing": ("other",),  # 其他利益相关方: the parties concerned
    "council": ("committee",),
}
OFFICIALS = ("street_office", "party", "committee", "supervision")
RESIDENTS = ("registered", "non_registered", "resident_group")


def warnings(m: Meeting) -> list[dict[str, Any]]:
    """What the organisers should look at in the list of invited; [] when nothing, or no list."""
    if not m.roster:
        return []
    out: list[dict[str, Any]] = []
    invited = {str(r.get("category", "")) for r in m.roster}
    # Groups are known for invitees drawn from the register; a typed list says nothing of them.
    groups = {str(r["group"]) for r in m.roster if r.get("group")}
    if groups or m.convened.get("groups"):
        groups |= set(m.convened.get("groups") or [])
        for item in m.items:
            affected = list((item.topic or {}).get("groups") or [])
            missing = [g for g in affected if g not in groups]
            if missing:
                out.append({"code": "groups_not_invited", "item": item.index, "title": item.title,
                            "groups": missing})
    known = m.category_keys()
    for key in NEEDED.get(m.form, ()):
        if key in known and key not in invited:
            out.append({"code": "category_missing", "form": m.form, "category": key})
    officials = sum(1 for r in m.roster if r.get("category") in OFFICIALS)
    residents = sum(1 for r in m.roster if r.get("category") in RESIDENTS)
    if officials > residents:
        out.append({"code": "officials_outnumber", "officials": officials, "residents": residents})
    return out
