"""The view last sent to a moderators' room, kept in Redis when several processes serve a meeting.

A console follows its meeting by changes from the view it holds (live/broadcast.py). With one
process, that process remembers the view it last sent. With several, any of them may send the next
one (whichever committed the change), and the console gets every process's messages through Redis:
each must work out its change from the view the console was last sent, by whichever process. So
that view is kept in Redis, and one script swaps it for the new one in a single step, returning the
one it replaces. A view newer than the one being sent is never replaced by it (two processes may
send at once): the older sender then sends its view whole, which the console keeps only if newer.
Anything that goes wrong (Redis away, a view that cannot be kept) means a whole view, never a
wrong change.
"""
from __future__ import annotations

import logging
import marshal
from typing import Any

log = logging.getLogger("yishi")

KEPT_S = 24 * 3600  # a console that comes back after a day gets the whole view anyway
SEQ_WIDTH = 20  # the seq is kept before the view, as fixed-width digits

# KEYS[1]: the room's key; ARGV[1]: the new view (seq then marshal bytes); ARGV[2]: its seq.
# Returns the view it replaced, or false; a newer view kept is left in place (and returned).
SWAP = """
local old = redis.call('GET', KEYS[1])
if old and tonumber(string.sub(old, 1, %d)) >= tonumber(ARGV[2]) then return old end
redis.call('SET', KEYS[1], ARGV[1], 'EX', %d)
return old
""" % (SEQ_WIDTH, KEPT_S)


def _key(meeting_id: str, room: str) -> str:
    return f"yishi:last-view:{meeting_id}:{room}"


class SharedViews:
    def __init__(self, manager: Any) -> None:
        self.manager = manager  # a Redis room manager (live/redis_rooms.Recovering): its client is used

    async def swap(self, meeting_id: str, room: str, seq: int, view: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """Keep `view` as the last sent to `room` and return the one before it (None if there is
        none, or it cannot be had)."""
        try:
            new = b"%0*d" % (SEQ_WIDTH, seq) + marshal.dumps(view)
        except ValueError:  # something marshal does not take: whole views for this room from now on
            return None
        try:
            self.manager._redis_connect()
            old = await self.manager.redis.eval(SWAP, 1, _key(meeting_id, room), new, seq)
        except Exception as exc:  # Redis away: the room gets its whole view (redis_rooms covers the rest)
            log.debug("the last view of %s could not be kept in Redis: %s", room, exc)
            return None
        if not old:
            return None
        try:
            return int(old[:SEQ_WIDTH]), dict(marshal.loads(old[SEQ_WIDTH:]))
        except (ValueError, EOFError, TypeError):  # written by another Python's marshal, or cut short
            return None

    async def forget(self, meeting_id: str, room: str) -> None:
        try:
            await self.manager.redis.delete(_key(meeting_id, room))
        except Exception:
            pass
