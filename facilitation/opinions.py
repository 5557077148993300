"""Written opinions: submitted from phones, approved or hidden by the moderator for the wall."""
from __future__ import annotations

from . import events as ev
from . import texts
from .agenda import current_item, must_be_open
from .attendance import participant
from .errors import MeetingError
from .meeting import Meeting


MAX_PENDING = 5  # opinions one person may have waiting for the moderator: a wall, not a flood


def submit(m: Meeting, *, participant_id: str, text: str) -> list[ev.Event]:
    must_be_open(m)
    participant(m, participant_id)
    if sum(1 for o in m.opinions.values() if o.participant_id == participant_id and o.visible is None) >= MAX_PENDING:
        raise MeetingError("too_many_pending", max=MAX_PENDING)
    return [ev.OpinionSubmitted(
        opinion_id=m.next_id("o", m.opinions), participant_id=participant_id, item=current_item(m),
        text=texts.clean(text, "opinion", texts.TEXT),
    )]


def moderate(m: Meeting, *, opinion_id: str, visible: bool) -> list[ev.Event]:
    must_be_open(m)  # the wall and the public minutes are settled at close
    if opinion_id not in m.opinions:
        raise MeetingError("no_such_opinion")
    return [ev.OpinionModerated(opinion_id=opinion_id, visible=visible)]
