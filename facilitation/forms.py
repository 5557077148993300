"""Forms of consultation as templates a community edits (协商形式), and its rural or urban wording.

Each form of the seed's section 3 starts from a built-in template: the agenda steps a meeting of
that form opens with, the speaking time per speech, who may ask for the floor and who votes in a
binding poll ("everyone" checked in as an attendee, "invitees" only, or named stakeholder
categories), the poll kinds the console offers, and the quorum. A community edits its templates;
the law's quorum of the formal bodies (facilitation/quorum.py) is a floor it may raise, never lower.

A community is a village (村) or a neighbourhood (社区/居): its meetings name the villagers' or the
residents' bodies (category names given to new meetings, form names on pages and in the minutes).

Kept per community as a record of its own (`forms:<community>`), like its topics: each edit is an
event; `fold` reads them back, skipping what this version does not know. A meeting keeps what was
applied when it was created, so a template edited later changes no meeting already made.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voting.polls import KINDS as POLL_KINDS

from . import events as ev
from . import fairness, texts
from .errors import MeetingError
from .meeting import DEFAULT_CATEGORIES, FORMS
from .quorum import RULES as LAW_QUORUM

FORMS_RECORD = "forms"  # the record id (`forms:<community>` for a community's own)
VERSION = 1
WORDINGS = ("neighbourhood", "village")
WHO = ("everyone", "invitees")  # or a list of stakeholder category keys
QUORUMS = ("more_than_half", "two_thirds")  # from the least to the most demanding
MAX_STEPS = 20
MIN_SECONDS, MAX_SECONDS = 30, 3600
CATEGORY_KEYS = tuple(k for k, _, _ in DEFAULT_CATEGORIES)
FIELDS = ("agenda", "speaking_seconds", "speakers", "voters", "poll_kinds", "quorum", "floor_policy", "floor_limits")
# What a meeting keeps of its template (the agenda is its own); the floor's policy and limits are
# the defaults its creator may override (facilitation/fairness.py).
KEPT = ("speaking_seconds", "speakers", "voters", "poll_kinds", "quorum", "floor_policy", "floor_limits")

# The built-in agenda steps of each form, in Chinese and English.
_STEPS: dict[str, list[tuple[str, str]]] = {
    "council": [("通报议题和背景", "The topic and its background"), ("各方发表意见", "Each side's views"),
                ("讨论协商", "Discussion"), ("形成协商意见", "The consultation opinion")],
    "board": [("通报事项", "The matter in hand"), ("理事发表意见", "The board members' views"),
              ("表决", "Vote"), ("形成决定", "The decision")],
    "group": [("通报事项", "The matter in hand"), ("组员发表意见", "Members' views"),
              ("形成协商意见", "The consultation opinion")],
    "owners": [("通报事项和方案", "The matter and the proposal"), ("业主发表意见", "Owners' views"),
               ("业主表决", "Owners' vote"), ("公布结果", "The result")],
    "dialogue": [("通报情况", "What is happening"), ("群众发言", "Residents speak"),
                 ("现场答复", "Answers on the spot"), ("梳理意见", "The views gathered")],
    "hearing": [("主持人说明程序", "The chair explains the procedure"),
                ("组织方介绍方案", "The organisers present the proposal"), ("陈述", "Testimonies"),
                ("询问", "Questions"), ("总结陈述", "Closing statements")],
    "evaluation": [("述职", "Reports on duties"), ("评议", "Evaluation"), ("测评", "Rating")],
    "assembly": [("报告事项", "The matters reported"), ("审议讨论", "Deliberation"), ("表决", "Vote"),
                 ("宣布结果", "The result announced")],
    "representatives": [("报告事项", "The matters reported"), ("审议讨论", "Deliberation"), ("表决", "Vote"),
                        ("宣布结果", "The result announced")],
}
_SECONDS = {"hearing": 300, "evaluation": 300, "dialogue": 180, "assembly": 300, "representatives": 240}
MEMBER_FORMS = ("assembly", "representatives", "owners")  # facilitation/binding.py's
_VOTERS = {"assembly": "invitees", "representatives": "invitees", "owners": "invitees", "board": "invitees"}


def forms_id(community: str = "") -> str:
    return f"{FORMS_RECORD}:{community}" if community else FORMS_RECORD


def law_quorum(form: str) -> str | None:
    """The quorum the organic laws set for a form (None: the law sets none)."""
    return LAW_QUORUM.get(form)


def stricter(a: str | None, b: str | None) -> str | None:
    """The more demanding of two quorum rules (None asks for no quorum)."""
    def rank(q: str | None) -> int:
        return QUORUMS.index(q) if q in QUORUMS else -1

    return a if rank(a) >= rank(b) else b


def builtin(form: str, language: str = "zh-CN") -> dict[str, Any]:
    """The built-in template of a form, its steps in `language`."""
    if form not in FORMS:
        raise MeetingError("unknown_form", form=form[:40])
    steps = [en if language == "en" else zh for zh, en in _STEPS.get(form, _STEPS["council"])]
    return {"agenda": steps, "speaking_seconds": _SECONDS.get(form, 180), "speakers": "everyone",
            "voters": _VOTERS.get(form, "everyone"), "poll_kinds": list(POLL_KINDS),  # every kind: a community narrows its own
            "quorum": law_quorum(form), "floor_policy": fairness.FORM_POLICY.get(form, "first_come"), "floor_limits": {}}


def _who(value: Any, what: str) -> str | list[str]:
    if isinstance(value, str) and value in WHO:
        return value
    if isinstance(value, list) and value and all(isinstance(k, str) for k in value):
        unknown = [k for k in value if k not in CATEGORY_KEYS]
        if unknown:
            raise MeetingError("unknown_category", category=unknown[0][:40])
        return sorted(set(value), key=CATEGORY_KEYS.index)
    raise MeetingError("bad_who", what=what)


def check(form: str, data: Any) -> dict[str, Any]:
    """A community's edit of a form's template, cleaned; MeetingError names what is wrong.
    Fields left out keep the built-in's."""
    base = builtin(form)
    if not isinstance(data, dict) or set(data) - set(FIELDS):
        raise MeetingError("bad_template", field=", ".join(sorted(set(data) - set(FIELDS)))[:80]
                           if isinstance(data, dict) else "")
    out = dict(base)
    if "agenda" in data:
        steps = data["agenda"]
        if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
            raise MeetingError("bad_template", field="agenda")
        if not steps:
            raise MeetingError("empty_agenda")
        if len(steps) > MAX_STEPS:
            raise MeetingError("too_many_items", max=MAX_STEPS)
        out["agenda"] = [texts.clean(s, "item_title", texts.TITLE) for s in steps]
    if "speaking_seconds" in data:
        seconds = data["speaking_seconds"]
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise MeetingError("bad_speaking_time")
        out["speaking_seconds"] = seconds
    for who in ("speakers", "voters"):
        if who in data:
            out[who] = _who(data[who], who)
    if "poll_kinds" in data:
        kinds = data["poll_kinds"]
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
            raise MeetingError("bad_template", field="poll_kinds")
        if unknown := [k for k in kinds if k not in POLL_KINDS]:
            raise MeetingError("unknown_poll_kind", kind=unknown[0][:40])
        out["poll_kinds"] = [k for k in POLL_KINDS if k in kinds]
    if "quorum" in data:
        q = data["quorum"] or None
        if q is not None and q not in QUORUMS:
            raise MeetingError("bad_template", field="quorum")
        law = law_quorum(form)
        if stricter(q, law) != q:  # a community may ask for more than the law, never less
            raise MeetingError("quorum_below_law", form=form, law=law or "")
        out["quorum"] = q
    if "floor_policy" in data:
        out["floor_policy"] = fairness.check_policy(str(data["floor_policy"]))
    if "floor_limits" in data:
        if not isinstance(data["floor_limits"], dict):
            raise MeetingError("bad_template", field="floor_limits")
        out["floor_limits"] = {k: v for k, v in fairness.check_limits(data["floor_limits"]).items() if v}
    if form in MEMBER_FORMS and out["voters"] != "invitees":
        raise MeetingError("voters_are_members", form=form)  # the law's members vote, not whoever comes
    if out["quorum"] and out["voters"] != "invitees":
        raise MeetingError("quorum_needs_invitees")  # a quorum is counted against the invited
    return out


def check_wording(wording: Any) -> str:
    if wording not in WORDINGS:
        raise MeetingError("unknown_wording", wording=str(wording)[:40])
    return str(wording)


def applied(template: dict[str, Any], *, community: str, agenda_applied: bool) -> dict[str, Any]:
    """What a new meeting keeps of the template it was created with (its minutes and its rules
    read this, never the template, which may be edited later)."""
    return {"community": community, "agenda_applied": agenda_applied,
            **{k: template[k] for k in KEPT if k in template}}


def check_applied(form: str, kept: Any) -> dict[str, Any]:
    """A meeting's applied template as the create command is given it (from live/), checked again."""
    if not isinstance(kept, dict):
        raise MeetingError("bad_template", field="template")
    edit = {k: kept[k] for k in KEPT if k in kept}
    clean = check(form, edit)
    community = kept.get("community", "")
    return applied(clean, community=community if isinstance(community, str) else "",
                   agenda_applied=kept.get("agenda_applied") is True)


def may(who: str | list[str], *, category: str, invitee: bool) -> bool:
    """Whether someone of `category` (an invited member or not) is among `who`."""
    if who == "everyone":
        return True
    if who == "invitees":
        return invitee
    return category in who


# -- the record ----------------------------------------------------------------------------

@dataclass
class FormBook:
    seq: int = 0
    last_hash: str = ""
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)  # edited forms only
    wording: str = "neighbourhood"
    # Whom a residents' petition counts (its 1/10): the adult registered residents, as the seed's
    # notice reads by default, or every adult who lives in the community (facilitation/topics.py BASES).
    petition_base: str = "residents"
    history: list[dict[str, Any]] = field(default_factory=list)  # what, form, at, by

    def template(self, form: str, language: str = "zh-CN") -> dict[str, Any]:
        """The form's template as this community has it (the built-in one until edited)."""
        if form not in self.templates:
            return builtin(form, language)
        # a template edited before a field existed has the built-in's for it (the floor's policy)
        return {**builtin(form, language), **self.templates[form]}

    def apply(self, type_name: str, data: dict[str, Any], at: float) -> None:
        by = ev.By.from_data(data.get("actor")).role
        if type_name == "FormTemplateSet" and data.get("form") in FORMS:
            self.templates[data["form"]] = dict(data["template"])
            self.history.append({"what": "set", "form": data["form"], "at": at, "by": by})
        elif type_name == "FormTemplateReset":
            self.templates.pop(str(data.get("form")), None)
            self.history.append({"what": "reset", "form": data.get("form"), "at": at, "by": by})
        elif type_name == "WordingSet" and data.get("wording") in WORDINGS:
            self.wording = data["wording"]
            self.history.append({"what": "wording", "wording": self.wording, "at": at, "by": by})
        elif type_name == "PetitionBaseSet" and data.get("base") in RESIDENT_BASES:
            self.petition_base = data["base"]
            self.history.append({"what": "petition_base", "base": self.petition_base, "at": at, "by": by})
        # an event type this version does not know is skipped


TYPES = ("FormTemplateSet", "FormTemplateReset", "WordingSet", "PetitionBaseSet")
RESIDENT_BASES = ("residents", "adults")  # the adult registered residents (the default), or every adult


def fold(records: list[tuple[str, dict[str, Any], float, int, str]]) -> FormBook:
    """The community's templates and wording from their stored events: (type, data, at, seq, hash)."""
    book = FormBook()
    for type_name, data, at, seq, hash_ in records:
        book.seq, book.last_hash = seq, hash_
        book.apply(type_name, data, at)
    return book


def _event(type_name: str, actor: ev.By, **data: Any) -> tuple[str, dict[str, Any]]:
    return type_name, {**data, "actor": actor.to_data(), "v": VERSION}


def set_template(book: FormBook, form: str, data: Any, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    return _event("FormTemplateSet", actor, form=form, template=check(form, data))


def reset_template(book: FormBook, form: str, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    if form not in FORMS:
        raise MeetingError("unknown_form", form=form[:40])
    return _event("FormTemplateReset", actor, form=form)


def set_wording(book: FormBook, wording: Any, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    return _event("WordingSet", actor, wording=check_wording(wording))


def set_petition_base(book: FormBook, base: Any, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """Whom the community's residents' petitions count from now on; a petition keeps the base it
    was proposed with."""
    if base not in RESIDENT_BASES:
        raise MeetingError("unknown_residents_base", base=str(base)[:40])
    return _event("PetitionBaseSet", actor, base=base)
