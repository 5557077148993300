"""What each kind of screen is shown, derived from the meeting's state.

The public view goes to the projector and every phone (nothing in it is private beyond what the
room sees on the wall); the moderator view adds the record's details; `me` is one phone's own part.
"""
from __future__ import annotations

from typing import Any

from voting.polls import Poll

from . import binding, fairness, hearing
from .attendance import by_category, has_quorum_rule, held, voters
from .masking import mask_document, masker_for
from .meeting import Meeting, Objection, Speech, proxy_voter, voter_categories
from . import notice, participant_warnings
from .followup import publicity_period
from .objections import may_request, unanswered
from .quorum import quorum, represented
from .straw_polls import count_shown

WALL_OPINIONS = 12  # the latest approved opinions the wall has room for


def _who(m: Meeting, pid: str) -> dict[str, str]:
    p = m.participants[pid]
    return {"id": p.id, "name": p.name, "category": p.category}


def _objector(m: Meeting, o: Objection) -> dict[str, Any]:
    """Who objected: a participant, or an invitee who objected with their code and was not there."""
    if o.participant_id:
        return _who(m, o.participant_id)
    r = m.roster[o.invitee] if o.invitee is not None else {"name": "", "category": ""}
    return {"id": "", "name": r["name"], "category": r["category"], "invitee": o.invitee}


def _speech(m: Meeting, s: Speech) -> dict[str, Any]:
    return {
        "id": s.id, "who": _who(m, s.participant_id), "item": s.item, "stance": s.stance, "kind": s.kind,
        "started_at": s.started_at, "ends_at": s.ends_at, "remaining": s.remaining, "ended_at": s.ended_at,
        "replies_to": s.replies_to, "over": list(s.over),
    }


NOT_VOTED_SHOWN = 200  # names of those yet to vote the console lists (the count is always whole)


class Categories:
    """Each ballot's voter and their category, worked out once for all the polls of one view."""

    def __init__(self, m: Meeting) -> None:
        self.of = voter_categories(m)
        self.key = hash(frozenset(self.of.items()))  # the polls' cells are kept until it changes


def poll_breakdown(m: Meeting, p: Poll, categories: Categories | None = None) -> dict[str, Any]:
    """For the moderator, in a named poll: the phones' ballots per category, and while it is open
    who may vote and has not yet (a proxy's ballot counts for its member)."""
    categories = categories or Categories(m)
    cells = p.by_category(categories.of, categories_key=categories.key)
    out: dict[str, Any] = {"by_category": [{"category": c["key"], "counts": cells[c["key"]]}
                                           for c in m.categories if c["key"] in cells]}
    if p.open:
        waiting = [x for x in m.participants.values()
                   if x.status == "in" and x.role == "attendee" and x.id not in p.ballots
                   and (x.invitee is None or proxy_voter(x.invitee) not in p.ballots)
                   and not (p.binding and binding.members_only(m) and x.invitee is None)]
        out["not_voted"] = [_who(m, x.id) for x in waiting[:NOT_VOTED_SHOWN]]
        out["not_voted_count"] = len(waiting)
    return out


def poll_view(m: Meeting, p: Poll, *, room: bool = False, categories: Categories | None = None) -> dict[str, Any]:
    """A poll as a screen shows it; for the `room` (projector, phones) without its count while the
    results are hidden: how many have voted, never how."""
    # a secret poll's count exists for nobody until its box is counted at the close
    shown = count_shown(m, p, room=room)
    view: dict[str, Any] = {
        "id": p.id, "item": p.item, "question": p.question, "kind": p.kind, "options": p.options,
        "open": p.open, "counts": p.counts() if shown else None, "hands": p.hand_counts if shown else None,
        "voters": len(p.ballots), "rule": p.rule, "secret": p.secret, "named": p.named, "changeable": p.changeable,
        "hide_results": p.hide_results, "revealed": p.revealed_at is not None,
        **({"max_choices": p.max_choices} if p.kind == "multiple" else {}),
        # a ranking's result by its method (each round of a runoff), when the counts are shown
        **({"method": p.method, "ranked": (r.to_data() if shown and (r := p.ranked()) else None)}
           if p.kind == "ranking" else {}),
        # an evaluation's ratings of each one evaluated, with the satisfaction rates
        **({"evaluated": p.evaluated().to_data() if shown else None} if p.kind == "evaluation" else {}),
    }
    if not room and not p.secret:
        view.update(poll_breakdown(m, p, categories))
    if p.binding:
        # The rule and what it counts against are shown before anyone votes; the result once closed.
        base = p.base or binding.base_now(m)
        view.update(entitled=base["entitled"], present=base["present"], quorum_override=p.quorum_override,
                    result=None if p.open or not shown else binding.result(m, p))
    return view


def _wall(m: Meeting) -> list[dict[str, Any]]:
    """The latest approved opinions, oldest first: read from the newest back, so that a day's
    thousand opinions cost no more than the dozen shown."""
    shown: list[dict[str, Any]] = []
    for o in reversed(m.opinions.values()):
        if len(shown) == WALL_OPINIONS:
            break
        if o.visible:
            shown.append({"id": o.id, "text": o.text, "who": _who(m, o.participant_id), "item": o.item})
    return shown[::-1]


def public_view(m: Meeting) -> dict[str, Any]:
    item = m.current_item
    return {
        "id": m.id, "seq": m.seq, "title": m.title, "form": m.form, "place": m.place, "starts_at": m.starts_at,
        "language": m.language, "status": m.status, "speaking_seconds": m.speaking_seconds,
        "categories": m.categories,
        # village | neighbourhood ("" before communities had one): the pages name the bodies by it
        "wording": m.wording, "template": m.template,
        # Who was invited is the desk's business: the room sees how many, never the list.
        "invited": {"total": len(m.roster), "in": len(m.invitees_in)},
        "agenda": [{"title": i.title, "background": i.background, "outcome": i.outcome,
                    **({"added": True} if i.added_at is not None else {})} for i in m.items],
        "current_item": item,
        "attendance": {"total": sum(m.category_counts.values()), "voters": voters(m), "by_category": by_category(m),
                       "quorum_rule": has_quorum_rule(m), "proxies": represented(m),
                       # the figures the minutes state (O(1): counts kept in the state); None without a rule
                       "quorum": quorum(m)},
        "speaker": dict(_speech(m, s), left=fairness.left_for(m, s)) if (s := m.speaker()) else None,
        # In the order the floor's policy hears them, each with why they are there.
        "queue": [
            {"id": place.request_id, "who": _who(m, r.participant_id), "stance": r.stance, "kind": r.kind,
             "reason": place.reason, "replies_to": r.replies_to}
            for place in fairness.heard_order(m)
            for r in [m.requests[place.request_id]]
        ],
        "floor": {"policy": m.floor_policy, "limits": m.floor_limits, "show_balance": m.show_balance},
        "balance": fairness.balance(m, people=False),  # per category and side: the projector's bars
        "opinions": _wall(m),
        "polls": [poll_view(m, p, room=True) for p in m.polls.values() if p.item == item or p.open],
        # a hearing's stage, the party speaking and those to come (None for the other forms)
        "hearing": hearing.view(m),
        # the public minutes (公示), for the projector to show at the end, and their verification
        "minutes": {"public": f"/meetings/{m.id}/public", "verify": f"/meetings/{m.id}/verify"},
    }


def masked_public_view(m: Meeting, view: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public view as the public minutes (公示) show it: every private resident's name masked
    (the roster, speakers, the queue, opinions' authors, and any free text naming them). What the
    HTTP API gives anyone without a key; `view` is `public_view(m)` if already built."""
    return mask_document(public_view(m) if view is None else view, masker_for(m))  # type: ignore[no-any-return]


def moderator_view(m: Meeting) -> dict[str, Any]:
    """The public view with the record's details; each person's entry says whether staff entered it
    for them (`entered_by`: the staff role, "" when they did it on their own phone)."""
    view = public_view(m)
    if view["speaker"] is not None:
        view["speaker"]["entered_by"] = m.speeches[view["speaker"]["id"]].entered_by
    for r in view["queue"]:
        r["entered_by"] = m.requests[r["id"]].entered_by
    view["roster"] = [{"index": i, "name": r["name"], "category": r["category"],
                       **{k: r[k] for k in ("household", "flat") if k in r},
                       "checked_in": m.invitees_in.get(i)} for i, r in enumerate(m.roster)]
    view["participants"] = [
        {"id": p.id, "name": p.name, "category": p.category, "role": p.role, "by": p.by, "entered_by": p.entered_by,
         "status": p.status, "invitee": p.invitee, "via": p.via, "merged_into": p.merged_into, "history": p.history}
        for p in m.participants.values()
    ]
    view["balance"] = fairness.balance(m, people=True)
    view["moves"] = len(m.moves)
    view["held"] = held(m)
    view["proxies"] = [{"principal": i, "name": m.roster[i]["name"], **proxy} for i, proxy in m.proxies.items()]
    view["proxy_limit"] = m.proxy_limit
    view["speeches"] = [dict(_speech(m, s), summary=s.summary, entered_by=s.entered_by) for s in m.speeches.values()]
    view["all_opinions"] = [
        {"id": o.id, "text": o.text, "who": _who(m, o.participant_id), "item": o.item, "visible": o.visible,
         "entered_by": o.entered_by}
        for o in m.opinions.values()
    ]
    view["objections"] = [
        {"id": o.id, "who": _objector(m, o), "item": o.item, "reason": o.reason,
         "explanations": o.explanations, "response": o.response, "responses": o.responses,  # each with entered_by
         "entered_by": o.entered_by, "during": o.during, "basis": o.basis}
        for o in m.objections.values()
    ]
    view["open_objections"] = [o.id for o in unanswered(m)]
    # the topic each item takes up, with the opinions gathered on it in advance (None: none)
    view["topics"] = [i.topic for i in m.items]
    categories = Categories(m)
    view["polls"] = [poll_view(m, p, categories=categories) for p in m.polls.values()]
    view["notice"] = notice_view(m)
    return view


def notice_view(m: Meeting) -> dict[str, Any]:
    """Before the meeting: who was told, when and how, who not yet, the replies, and the warnings
    about who is invited (facilitation/notice.py, facilitation/participant_warnings.py)."""
    told = notice.told(m)
    return {
        "open_for_replies": not m.closed and notice.opened_at(m) is None,
        "notices": [{"how": n["how"], "scope": n["scope"], "count": len(n["invitees"]), "note": n["note"],
                     "at": n["at"], "by": n["by"]} for n in m.notices],
        # per invitee (roster order): the latest time they were told, and their reply
        "people": [{"index": i, "told": told[i][-1] if i in told else None,
                    "reply": m.replies.get(i)} for i in range(len(m.roster))],
        "not_told": len(m.roster) - len(told),
        "replies": notice.reply_counts(m),
        "lead": notice.lead(m),
        "warnings": participant_warnings.warnings(m),
    }


def me_view(m: Meeting, pid: str) -> dict[str, Any]:
    """One phone's own state: its place in the queue, its votes, its objections and their answers."""
    p = m.participants[pid]
    order = fairness.heard_order(m)
    place = next((i + 1 for i, p in enumerate(order) if m.requests[p.request_id].participant_id == pid), None)
    return {
        "participant": {"id": p.id, "name": p.name, "category": p.category, "role": p.role, "status": p.status,
                        "invited": p.invitee is not None,
                        # why the desk refused or took back this check-in, for the phone to say
                        "reason": next((str(h.get("reason", "")) for h in reversed(p.history)
                                        if h["what"] in ("refused", "withdrawn")), "")},
        "queue_place": place,
        "next": place == 1,  # heard next: the phone says so
        "speaking": bool((s := m.speaker()) and s.participant_id == pid),
        # what it voted; in a secret poll only that it did (None: the phone keeps its own choice and receipt)
        "voted": {poll.id: None if poll.secret else poll.ballots[pid] for poll in m.polls.values() if pid in poll.ballots},
        "objections": [
            {"id": o.id, "item": o.item, "reason": o.reason, "explanations": o.explanations, "response": o.response,
             "during": o.during}
            for o in m.objections.values()
            if o.participant_id == pid
        ],
        # items this phone voted or spoke against and may ask the organisers to explain, until the
        # last day of the publicity period (Beijing's date) once the meeting has closed
        "may_request": may_request(m, pid),
        "request_until": (period[1].isoformat() if (period := publicity_period(m)) else None),
        "opinions": [{"id": o.id, "text": o.text, "visible": o.visible} for o in m.opinions.values() if o.participant_id == pid],
        # at a hearing, the party this phone registered to testify (or its invitee's), while registered
        "party": next((hearing.party_view(m, x) for x in hearing.active(m)
                       if x.participant_id == pid or (p.invitee is not None and x.invitee == p.invitee)), None),
        # absent members whose written proxy this phone holds, and what it voted for them
        "proxies": [{"principal": i, "name": m.roster[i]["name"],
                     "voted": {poll.id: None if poll.secret else poll.ballots[proxy_voter(i)] for poll in m.polls.values()
                               if proxy_voter(i) in poll.ballots}}
                    for i, proxy in m.proxies.items() if proxy["holder"] == pid and proxy["status"] == "active"],
    }


def concerned(m: Meeting, data: dict[str, Any]) -> str | None:
    """The participant whose own view an event's data changes, if any."""
    if pid := data.get("participant_id") or data.get("keep") or data.get("holder"):
        return str(pid)
    if isinstance(data.get("principal"), int) and (proxy := m.proxies.get(data["principal"])):
        return str(proxy["holder"])  # a proxy withdrawn: its holder's phone stops offering its ballot
    if (oid := data.get("objection_id")) in m.objections:
        return m.objections[oid].participant_id or None
    if (oid := data.get("opinion_id")) in m.opinions:
        return m.opinions[oid].participant_id
    if (hid := data.get("party_id")) in m.parties:  # a hearing's party: the phone it registered on, or its invitee's
        x = m.parties[hid]
        return x.participant_id or (m.invitees_in.get(x.invitee) if x.invitee is not None else None)
    return None
