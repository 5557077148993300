"""Setting the meeting up, moving through its agenda, recording outcomes, closing."""
from __future__ import annotations

import re
from typing import Any

from . import events as ev
from . import fairness
from . import forms
from .binding import clean_area
from . import texts
from .errors import MeetingError
from .meeting import FORMS, OUTCOMES, Meeting, default_categories
from .view_changes import view_changes

LANGUAGES = ("zh-CN", "en")
MAX_ITEMS = 50
MAX_ACTIONS = 20
MAX_ROSTER = 5000
MAX_PROXY_LIMIT = 5  # proxies one person may hold (a charter often says one or two)
_ORIGIN = re.compile(r"[0-9A-Za-z_-]{1,64}:\d{1,3}")
MAX_NOTICE_DAYS = 90  # the public minutes' publicity period (offices post for 5 to 30 days)


def must_be_open(m: Meeting) -> None:
    if not m.created:
        raise MeetingError("no_such_meeting")
    if m.closed:
        raise MeetingError("meeting_closed")


def item_index(m: Meeting, item: int) -> int:
    if not 0 <= item < len(m.items):
        raise MeetingError("no_such_item", item=item)
    return item


def current_item(m: Meeting) -> int:
    if m.current_item is None:
        raise MeetingError("no_current_item")
    return m.current_item


def create_meeting(
    m: Meeting,
    *,
    title: str,
    form: str,
    place: str = "",
    starts_at: str = "",
    language: str = "zh-CN",
    speaking_seconds: int = 180,
    agenda: list[dict[str, str]],
    categories: list[dict[str, str]] | None = None,
    moderator: str = "",
    recorder: str = "",
    roster: list[dict[str, str]] | None = None,
    convened: dict[str, Any] | None = None,
    proxy_limit: int = 1,
    floor_policy: str | None = None,
    floor_limits: dict[str, int] | None = None,
    issuer: str = "",
    notice_days: int = 0,
    template: dict[str, Any] | None = None,
    wording: str = "",
) -> list[ev.Event]:
    if m.created:
        raise MeetingError("meeting_exists")
    if form not in FORMS:
        raise MeetingError("unknown_form", form=form)
    if language not in LANGUAGES:
        raise MeetingError("unknown_language", language=language)
    if not 30 <= speaking_seconds <= 3600:
        raise MeetingError("bad_speaking_time")
    if not agenda:
        raise MeetingError("empty_agenda")
    if len(agenda) > MAX_ITEMS:
        raise MeetingError("too_many_items", max=MAX_ITEMS)
    items = [
        {
            "title": texts.clean(a.get("title", ""), "item_title", texts.TITLE),
            "background": texts.clean(a.get("background", ""), "background", texts.TEXT, required=False),
            # sent here from another meeting's item ("meeting:item"; live/ checks it names one)
            **({"origin": a["origin"]} if _ORIGIN.fullmatch(str(a.get("origin", ""))) else {}),
            # a matter the township or a department entrusted to the consultation: reported back to it
            **({"entrusted_by": texts.clean(a["entrusted_by"], "entrusted_by", texts.SHORT)}
               if str(a.get("entrusted_by") or "").strip() else {}),
        }
        for a in agenda
    ]
    if wording and wording not in forms.WORDINGS:
        raise MeetingError("unknown_wording", wording=wording[:40])
    applied = forms.check_applied(form, template) if template is not None else {}
    cats = categories or default_categories(wording)
    keys = [c.get("key", "") for c in cats]
    if len(set(keys)) != len(keys) or not all(keys):
        raise MeetingError("bad_categories")
    cats = [
        {"key": c["key"], "zh": texts.clean(c.get("zh") or c.get("en", ""), "category", texts.SHORT),
         "en": texts.clean(c.get("en") or c.get("zh", ""), "category", texts.SHORT)}
        for c in cats
    ]
    invited = [
        {"name": texts.clean(r.get("name", ""), "name", texts.NAME), "category": r.get("category", ""),
         # an owner's exclusive area (㎡), which the owners' majorities weigh; kept only when given
         **({"area": clean_area(r["area"])} if r.get("area") not in (None, "") else {}),
         # the household and flat the desk finds people by, and the group (from the register)
         **{k: texts.clean(str(r[k]), k, texts.SHORT) for k in ("household", "flat", "group") if r.get(k)}}
        for r in roster or []
    ]
    if not 0 <= proxy_limit <= MAX_PROXY_LIMIT:
        raise MeetingError("bad_proxy_limit", max=MAX_PROXY_LIMIT)
    if not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise MeetingError("bad_notice_days", max=MAX_NOTICE_DAYS)
    if len(invited) > MAX_ROSTER:
        raise MeetingError("roster_too_long", max=MAX_ROSTER)
    if any(r["category"] not in keys for r in invited):
        raise MeetingError("unknown_category", category=next(r["category"] for r in invited if r["category"] not in keys))
    return [
        ev.MeetingCreated(
            title=texts.clean(title, "title", texts.TITLE),
            form=form,
            place=texts.clean(place, "place", texts.SHORT, required=False),
            starts_at=texts.clean(starts_at, "starts_at", 40, required=False),
            language=language,
            speaking_seconds=speaking_seconds,
            categories=cats,
            agenda=items,
            moderator=texts.clean(moderator, "moderator", texts.NAME, required=False),
            recorder=texts.clean(recorder, "recorder", texts.NAME, required=False),
            roster=invited,
            convened=dict(convened or {}),
            proxy_limit=proxy_limit,
            issuer=texts.clean(issuer, "issuer", texts.SHORT, required=False),
            notice_days=notice_days,
            template=applied,
            wording=wording,
        )
    ] + _floor(form, applied, floor_policy, floor_limits)


def _floor(form: str, applied: dict[str, Any], policy: str | None, limits: dict[str, int] | None) -> list[ev.Event]:
    """The floor's policy and limits a new meeting starts with: the creator's, else its community's
    template of the form, else the form's own (a hearing hears both sides in turn); the creator's
    limits added to the template's, 0 lifting one. Nothing recorded for first come and no limits
    unless the creator said so."""
    chosen = fairness.check_policy(policy or applied.get("floor_policy") or fairness.FORM_POLICY.get(form, "first_come"))
    merged = {**dict(applied.get("floor_limits") or {}), **fairness.check_limits(limits or {})}
    kept = {k: v for k, v in merged.items() if v}
    if not (policy or limits or chosen != "first_come" or kept):
        return []
    return [ev.FloorPolicySet(policy=chosen, limits=kept)]


def open_item(m: Meeting, *, item: int) -> list[ev.Event]:
    must_be_open(m)
    item_index(m, item)
    if m.current_speech:
        raise MeetingError("speech_in_progress")
    # Each item has its own list of speakers: requests made on another item lapse (their
    # people ask again if they still want to speak); the record keeps them as asked, not heard.
    stale = [rid for rid in m.queue if m.requests[rid].item != item]
    lapsed: list[ev.Event] = [ev.RequestsLapsed(request_ids=stale, reason="item_changed")] if stale else []
    return lapsed + [ev.ItemOpened(item=item)]


def add_item(m: Meeting, *, title: str, background: str = "", reason: str = "") -> list[ev.Event]:
    """An item added during the meeting (临时动议): it goes last on the agenda, and the record keeps
    when and why, so the minutes say it was not on the agenda the invitation gave."""
    must_be_open(m)
    if len(m.items) >= MAX_ITEMS:
        raise MeetingError("too_many_items", max=MAX_ITEMS)
    return [ev.ItemAdded(item=len(m.items), title=texts.clean(title, "item_title", texts.TITLE),
                         background=texts.clean(background, "background", texts.TEXT, required=False),
                         reason=texts.clean(reason, "reason", texts.SHORT, required=False))]


def link_topic(m: Meeting, *, item: int, topic: dict[str, Any], refresh: bool = False) -> list[ev.Event]:
    """The topic an item takes up, as facilitation.topics.summary gives it (live/ takes it from the
    community's topics when it schedules the topic); linked again only when it changed (the opinions
    gathered on it in advance, brought up to date while the meeting is open). A `refresh` is the
    system's copy after someone's opinion or stance (which their own topics record names), not the
    office's doing."""
    must_be_open(m)
    item_index(m, item)
    held = m.items[item].topic
    if held == topic:
        raise MeetingError("topic_already_linked")
    if refresh and held is not None and held.get("id") == topic.get("id"):
        # only what changed: the record does not grow with the summary at every stance
        return [ev.TopicUpdated(item=item, changes=view_changes(held, topic), actor=ev.By(ev.SYSTEM))]
    return [ev.TopicLinked(item=item, topic=dict(topic), **({"actor": ev.By(ev.SYSTEM)} if refresh else {}))]


def record_outcome(
    m: Meeting, *, item: int, outcome: str, opinion: str, actions: list[dict[str, str]] | None = None
) -> list[ev.Event]:
    must_be_open(m)
    item_index(m, item)
    if outcome not in OUTCOMES:
        raise MeetingError("unknown_outcome", outcome=outcome)
    actions = actions or []
    if len(actions) > MAX_ACTIONS:
        raise MeetingError("too_many_actions", max=MAX_ACTIONS)
    cleaned = [
        {
            "what": texts.clean(a.get("what", ""), "action", texts.SHORT),
            "owner": texts.clean(a.get("owner", ""), "owner", texts.NAME, required=False),
            "due": texts.clean(a.get("due", ""), "due", 40, required=False),
        }
        for a in actions
    ]
    return [
        ev.OutcomeRecorded(
            item=item, outcome=outcome, opinion=texts.clean(opinion, "opinion", texts.TEXT, required=False),
            actions=cleaned,
        )
    ]


def close_meeting(m: Meeting, now: float) -> list[ev.Event]:
    """Closing ends the running speech, every open poll and the queue first, so the record says when."""
    must_be_open(m)
    events: list[ev.Event] = []
    if m.current_speech:
        events.append(ev.SpeechEnded(speech_id=m.current_speech, ended_at=now))
    events += [ev.PollClosed(poll_id=p.id) for p in m.open_polls()]
    if m.queue:  # nobody is waiting for the floor of a closed meeting
        events.append(ev.RequestsLapsed(request_ids=list(m.queue), reason="meeting_closed"))
    events.append(ev.MeetingClosed())
    return events
