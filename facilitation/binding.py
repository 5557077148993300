"""Binding polls: the rule they state, the quorum they need, who may vote in them, and whether they
passed (counted by voting.majority).

A straw poll (意向表决) shows where the room stands; a binding poll (表决) decides. In the formal
bodies and the owners' consultation only the invited members vote in a binding poll (a walk-in
or an observer never does), and "present" means members checked in as attendees. In the other
forms everyone checked in as an attendee is entitled. The owners' rules (Civil Code art. 278)
weigh each owner's ballot by their exclusive area, which comes from the roster (`area`).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from voting.errors import VotingError
from voting.majority import RULES, Count, Outcome, decide
from voting.polls import Poll, chosen

from .errors import MeetingError
from .quorum import quorum, represented, required, rule_of

if TYPE_CHECKING:  # the meeting folds through these: imported for types only
    from .meeting import Meeting

MEMBER_FORMS = ("assembly", "representatives", "owners")
AREA_RULES = ("owners", "owners_special")
BINDING_KINDS = ("yes_no_abstain",)
MAX_AREA = Decimal("100000")  # ㎡ per owner: a figure past this is a typing error


def area_of(entry: dict[str, Any]) -> Decimal | None:
    """A roster entry's exclusive area, or None when it has none."""
    try:
        return Decimal(str(entry["area"])) if entry.get("area") not in (None, "") else None
    except InvalidOperation:
        return None


def clean_area(text: object) -> str:
    """An area as the roster stores it (a plain decimal to the hundredth), or MeetingError bad_area."""
    raw = str(text).strip().replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise MeetingError("bad_area", area=raw[:20]) from None
    if not value.is_finite() or value < 0 or value > MAX_AREA or value != value.quantize(Decimal("0.01")):
        raise MeetingError("bad_area", area=raw[:20])
    return str(value.quantize(Decimal("0.01")))


def check_opening(m: Meeting, *, rule: str, kind: str, quorum_override: str) -> bool:
    """A binding poll may open: its rule is known and fits the meeting, and quorum is there (or
    overridden). True when it opens without quorum (the override is then the record's reason)."""
    if rule not in RULES:
        raise VotingError("unknown_rule", rule=rule)
    if kind not in BINDING_KINDS:
        raise VotingError("rule_needs_yes_no")
    if members_only(m) and not m.roster:
        raise VotingError("rule_needs_members")
    if rule in AREA_RULES and (not m.roster or any(area_of(r) is None for r in m.roster)):
        raise VotingError("rule_needs_areas")
    q = quorum(m)
    if q is None or q["met"]:
        return False
    if not quorum_override:
        raise MeetingError("no_quorum", present=q["present"], required=q["required"])
    return True


def invitee_of(m: Meeting, voter: str) -> int | None:
    """The invitee a ballot is for: its voter's, or the principal of a proxy's ballot."""
    if voter.startswith("proxy:"):
        return int(voter.removeprefix("proxy:"))
    return m.participants[voter].invitee


def members_only(m: Meeting) -> bool:
    """Only the invited vote in its binding polls: a formal body, the owners, or a form whose
    community template says so (facilitation/forms.py; a template may instead name categories,
    whose attendees vote, invited or not)."""
    return m.form in MEMBER_FORMS or m.template.get("voters") == "invitees"


def may_vote(m: Meeting, poll: Poll, participant_id: str) -> None:
    """In a binding poll of a formal body or of owners, only the invited members vote; the
    community's template may narrow who votes to stakeholder categories."""
    p = m.participants[participant_id]
    if not poll.binding:
        return
    if members_only(m) and p.invitee is None:
        raise VotingError("not_entitled")
    voters = m.template.get("voters", "everyone")
    if isinstance(voters, list) and p.category not in voters:
        raise VotingError("not_entitled")


def hands_allowed(poll: Poll) -> None:
    """Hands raised carry no area: an owners' vote is counted ballot by ballot (staff enter a
    ballot for an owner without a phone)."""
    if poll.rule in AREA_RULES:
        raise VotingError("hands_not_weighted")


def base_now(m: Meeting, *, areas: bool = False) -> dict[str, Any]:
    """Who is entitled, and who of them is present, at this moment; with `areas` (the owners'
    rules only: it reads the whole roster) the entitled owners' total area too."""
    voters = m.template.get("voters")
    if members_only(m):
        present, entitled = m.invited_attendees + represented(m), len(m.roster)
    elif isinstance(voters, list):  # the template's categories: those of them here as attendees
        present = entitled = sum(1 for p in m.participants.values()
                                 if p.counted and p.role == "attendee" and p.category in voters)
    else:
        present = entitled = m.attendee_count
    base: dict[str, Any] = {"present": present, "entitled": entitled}
    if areas:
        base["entitled_area"] = str(sum((a for r in m.roster if (a := area_of(r)) is not None), Decimal(0)))
    return base


def hands_fit(m: Meeting, poll: Poll, hands: list[int]) -> None:
    """In a binding poll no more can vote, phones and hands together, than are present and entitled."""
    if poll.binding and len(poll.ballots) + sum(hands) > int(base_now(m)["present"]):
        raise VotingError("bad_count")


def count(m: Meeting, poll: Poll) -> Count:
    """The figures of a binding poll: frozen at its close, live while it is open."""
    weighed = poll.rule in AREA_RULES  # the other rules count heads only
    base = poll.base or base_now(m, areas=weighed)
    yes, no, abstain = poll.counts()[:3]
    areas = [Decimal(0)] * 3
    for voter, ballot in poll.ballots.items() if weighed else ():
        invitee = invitee_of(m, voter)
        if invitee is not None and (a := area_of(m.roster[invitee])) is not None:
            for choice in chosen(ballot):  # a binding poll is yes/no/abstain: one choice
                areas[choice] += a
    return Count(yes, no, abstain, int(base["present"]), int(base["entitled"]),
                 areas[0], areas[1], areas[2], Decimal(str(base.get("entitled_area", 0))))


def outcome(m: Meeting, poll: Poll) -> Outcome | str | None:
    """Whether a binding poll passed (None for a straw poll; the error code if its figures cannot be)."""
    if not poll.binding:
        return None
    try:
        return decide(poll.rule, count(m, poll))
    except VotingError as exc:
        return exc.code


def quorum_check(m: Meeting, poll: Poll) -> dict[str, Any] | None:
    """A formal body decides only with its quorum present when the vote closes (or now, while open):
    a vote opened without it, on the chair's reason, is recorded but passes nothing."""
    rule = rule_of(m)
    if rule is None:
        return None
    base = poll.base or base_now(m)
    members, present = int(base["entitled"]), int(base["present"])
    need = required(rule, members)
    return {"what": "quorum", "have": present, "base": members, "need": need,
            "fraction": rule, "met": members > 0 and present >= need}


def result(m: Meeting, poll: Poll) -> dict[str, Any] | None:
    """The outcome as data: passed, and each check (the quorum first, for the formal bodies) with
    what was had, its base and what was needed."""
    o = outcome(m, poll)
    if o is None:
        return None
    checks = [q] if (q := quorum_check(m, poll)) is not None else []
    if isinstance(o, str):
        return {"passed": False, "error": o, "checks": checks}
    checks += [{"what": c.what, "have": _num(c.have), "base": _num(c.base), "need": _num(c.need),
                "fraction": c.fraction, "met": c.met} for c in o.checks]
    return {"passed": all(c["met"] for c in checks), "error": None, "checks": checks}


def _num(value: int | Decimal) -> int | str:
    """Counts as numbers, areas as decimal strings (JSON numbers would round them)."""
    return value if isinstance(value, int) else str(value)
