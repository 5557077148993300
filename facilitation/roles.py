"""Who is acting, and which roles may issue which commands."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import MeetingError

MODERATOR = "moderator"
ATTENDEE = "attendee"
OBSERVER = "observer"
PROJECTOR = "projector"
GUEST = "guest"  # opened the join page, not yet checked in


@dataclass(frozen=True)
class Actor:
    role: str
    participant_id: str | None = None

    @property
    def is_moderator(self) -> bool:
        return self.role == MODERATOR

    def own_participant(self) -> str:
        """The participant a phone acts as; only checked-in phones have one."""
        if self.participant_id is None:
            raise MeetingError("not_checked_in")
        return self.participant_id


def require(actor: Actor, allowed: tuple[str, ...]) -> None:
    if actor.role == GUEST and ATTENDEE in allowed:
        raise MeetingError("not_checked_in")
    if actor.role not in allowed:
        raise MeetingError("not_allowed", role=actor.role)
