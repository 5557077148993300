"""Screens told the current view again once Redis is back after an outage (live/redis_rooms.py).

While Redis is lost, each server process still tells its own screens what it commits, but not
the other processes' screens, and hears nothing of theirs. When it hears Redis again it sends
its own screens the whole current view of their meetings (read from the record first), and the
rooms whose broadcasts it could not publish get their current view on every process. A screen
keeps the newest view by its `seq`, so a view sent twice, or late, changes nothing.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from facilitation.views import me_view, moderator_view

from . import fanout
from .broadcast import moderator_room, phone_room, public_room, public_view_of, screen_room
from .services import Meetings
from .store import StoreUnavailable

log = logging.getLogger("yishi")

Message = tuple[str, dict[str, Any], str]  # event, data, room


def parse_room(room: str) -> tuple[str, str, str] | None:
    """(kind, meeting id, participant id) of one of live/broadcast.py's rooms, else None."""
    parts = room.split(":")
    if len(parts) == 2:
        mid = parts[1]
        for kind, name in (("public", public_room), ("screen", screen_room), ("moderator", moderator_room)):
            if name(mid) == room:
                return kind, mid, ""
    if len(parts) == 3 and phone_room(parts[1], parts[2]) == room:
        return "phone", parts[1], parts[2]
    return None


class Resync:
    def __init__(self, meetings: Meetings, sio: Any) -> None:
        self.meetings = meetings
        self.sio = sio

    async def here(self) -> None:
        """This process's screens, each given its meeting's current view (not published to others)."""
        messages = await self.messages(fanout.local_rooms(self.sio))
        for event, data, room in messages:
            await self.sio.emit(event, data, room=room, ignore_queue=True)
        log.info("after Redis came back: %d current views sent to this process's screens", len(messages))

    async def everywhere(self, rooms: set[str]) -> None:
        """These rooms' current views, to their screens on every process."""
        for event, data, room in await self.messages(sorted(rooms)):
            await self.sio.emit(event, data, room=room)

    async def messages(self, rooms: list[str]) -> list[Message]:
        by_meeting: dict[str, list[tuple[str, str, str]]] = {}
        for room in rooms:
            if (parsed := parse_room(room)) is not None:
                by_meeting.setdefault(parsed[1], []).append((room, parsed[0], parsed[2]))
        out: list[Message] = []
        for mid, wanted in by_meeting.items():
            try:
                await self.meetings.state(mid)  # what other processes committed while unheard
                m = await self.meetings.settled(mid)
            except StoreUnavailable:  # its screens are told again once the database answers
                log.warning("meeting %s: the database cannot be reached; its screens keep the view they have", mid)
                continue
            # built before the next pause: every message shows the same committed moment
            now = time.time()
            for room, kind, pid in wanted:
                if kind in ("public", "screen"):
                    out.append(("state", {"seq": m.seq, "view": public_view_of(m), "server_now": now}, room))
                elif kind == "moderator":
                    out.append(("state", {"seq": m.seq, "view": moderator_view(m), "server_now": now}, room))
                elif pid in m.participants:
                    out.append(("me", {"seq": m.seq, "me": me_view(m, pid)}, room))
        return out
