"""Meetings for the unit tests, built the way the server builds them.

Every change goes through `facilitation.commands.decide` (creation, which is not a command,
through `agenda.create_meeting`), and the events are applied with `facilitation.replay.advance`,
as the server applies a committed event. The room keeps the record as the store would (type
name and JSON fields), so a test can replay it from scratch.
"""
from __future__ import annotations

import copy
import dataclasses
import random
from dataclasses import dataclass
from typing import Any

import pytest

from facilitation import agenda
from facilitation import events as ev
from facilitation.commands import decide
from facilitation.fairness import heard_order
from facilitation.errors import MeetingError
from facilitation.meeting import Meeting
from facilitation.replay import advance, replay
from facilitation.roles import ATTENDEE, GUEST, MODERATOR, OBSERVER, PROJECTOR, Actor
from voting.errors import VotingError
from voting.polls import RECEIPT_ALPHABET, RECEIPT_LENGTH

MOD = Actor(MODERATOR)
GUEST_PHONE = Actor(GUEST)
PROJECTOR_SCREEN = Actor(PROJECTOR)
START = 1000.0


def phone(participant_id: str | None) -> Actor:
    """A checked-in phone, acting as its own participant."""
    return Actor(ATTENDEE, participant_id)


def code_phone(invitee: int) -> Actor:
    """A phone not yet checked in that gave the personal code of the invitee at `invitee`
    (the server checks codes; the rules see whose code it was)."""
    return Actor(GUEST, None, invitee)


def observer_phone(participant_id: str) -> Actor:
    return Actor(OBSERVER, participant_id)


@dataclass(frozen=True)
class Rec:
    """One stored event, as `facilitation.replay.Stored` describes it."""

    seq: int
    type: str
    data: dict[str, Any]
    at: float
    hash: str = ""


class Room:
    """One meeting, its record and a clock."""

    def __init__(self, meeting_id: str = "m1", now: float = START) -> None:
        self.meeting = Meeting(id=meeting_id)
        self.record: list[Rec] = []
        self.now = now
        # secret ballots as the store keeps them: (receipt, ballot) per poll, apart from the record
        self.boxes: dict[str, list[tuple[str, Any]]] = {}
        self._receipts = random.Random(7)
        self.receipts: list[str] = []  # every receipt handed out, in the order the ballots came

    def later(self, seconds: float) -> float:
        self.now += seconds
        return self.now

    def apply(self, events: list[ev.Event]) -> list[ev.Event]:
        for e in events:
            if isinstance(e, ev.SealedBallot):  # into the box, as live.services does: not the record
                ballot = e.choice if e.choices is None else tuple(e.choices)
                self.boxes.setdefault(e.poll_id, []).append((e.receipt, ballot))
                continue
            seq = self.meeting.seq + 1
            advance(self.meeting, e, self.now, seq, "")
            self.record.append(Rec(seq, e.type, e.to_data(), self.now))
        return events

    def run(self, actor: Actor, command: str, **payload: Any) -> list[ev.Event]:
        # what the server supplies (facilitation.commands.SERVER_SUPPLIED), unless a test says
        if command == "cast_ballot" and "receipt" not in payload:
            payload["receipt"] = "".join(self._receipts.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
        if command in ("close_poll", "close_meeting") and "boxes" not in payload:
            payload["boxes"] = {k: list(v) for k, v in self.boxes.items()}
        events = self.apply(decide(self.meeting, actor, command, payload, self.now))
        if command == "cast_ballot" and any(isinstance(e, ev.SealedBallot) for e in events):
            self.receipts.append(payload["receipt"])
        return events

    def mod(self, command: str, **payload: Any) -> list[ev.Event]:
        return self.run(MOD, command, **payload)

    def check_in(self, name: str, category: str = "registered", role: str = "attendee") -> str:
        """Check in from the person's own phone; returns the new participant id."""
        (e,) = self.run(GUEST_PHONE, "check_in", name=name, category=category, role=role)
        return e.participant_id  # type: ignore[attr-defined]

    def refused(self, actor: Actor, command: str, **payload: Any) -> MeetingError | VotingError:
        """Run a command the rules must refuse; the meeting and its record stay as they were."""
        before = copy.deepcopy(self.meeting)
        length = len(self.record)
        with pytest.raises((MeetingError, VotingError)) as info:
            self.run(actor, command, **payload)
        assert self.meeting == before
        assert len(self.record) == length
        return info.value

    def replay(self) -> Meeting:
        return replay(self.record, self.meeting.id)

    def types(self, events: list[ev.Event]) -> list[str]:
        return [e.type for e in events]


def new_meeting(
    items: tuple[str, ...] = ("Parking on Elm Street", "Greening the courtyard"),
    *,
    open_item: int | None = 0,
    form: str = "council",
    speaking_seconds: int = 180,
    moderator: str = "Director Li",
    agenda_items: list[dict[str, str]] | None = None,
    **create: Any,
) -> Room:
    """A created meeting, with its first agenda item opened unless `open_item` is None; its agenda
    the `items` titled, or `agenda_items` as given."""
    room = Room()
    created = agenda.create_meeting(
        room.meeting, title="Residents' council", form=form, speaking_seconds=speaking_seconds,
        agenda=agenda_items or [{"title": t, "background": f"About {t}"} for t in items], moderator=moderator, **create,
    )
    room.apply([dataclasses.replace(e, actor=ev.By(ev.FACILITATOR)) for e in created])  # as live.services does
    if open_item is not None:
        room.mod("open_item", item=open_item)
    return room


def queue_names(room: Room) -> list[str]:
    """The waiting, in the order the floor's policy hears them."""
    m = room.meeting
    return [m.participants[m.requests[p.request_id].participant_id].name for p in heard_order(m)]
