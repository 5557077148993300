"""Who is acting, and which roles may issue which commands."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import MeetingError

MODERATOR = "moderator"
RECORDER = "recorder"  # summarises speeches and enters what people say without a phone; runs no polls
FACILITATOR = "facilitator"  # the community office's token: may do everything a moderator may
ATTENDEE = "attendee"
OBSERVER = "observer"
PROJECTOR = "projector"
GUEST = "guest"  # opened the join page, not yet checked in

CHAIR = (MODERATOR, FACILITATOR)  # who runs the meeting
STAFF = (MODERATOR, RECORDER, FACILITATOR)  # who may enter things for someone without a phone


@dataclass(frozen=True)
class Actor:
    role: str
    participant_id: str | None = None
    # The roster entry whose personal code this phone gave with its command (live/ checks the
    # code; the payload never carries the entry itself).
    invitee: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    def own_participant(self) -> str:
        """The participant a phone acts as; only checked-in phones have one."""
        if self.participant_id is None:
            raise MeetingError("not_checked_in")
        return self.participant_id


def require(actor: Actor, allowed: tuple[str, ...]) -> None:
    if actor.role == FACILITATOR and MODERATOR in allowed:
        return
    if actor.role == GUEST and ATTENDEE in allowed and GUEST not in allowed:
        raise MeetingError("not_checked_in")
    if actor.role == RECORDER and RECORDER not in allowed and MODERATOR in allowed:
        raise MeetingError("chair_only")  # the recorder keeps the record; chairing is the moderator's
    if actor.role not in allowed:
        raise MeetingError("not_allowed", role=actor.role)
