"""Rooms shared through Redis that come back by themselves after Redis was restarted or lost.

python-socketio's AsyncRedisManager (5.18), on losing Redis: its listener logs an error and tries
again after 1, 2, 4 ... up to 60 s, so a Redis back after ten seconds may stay unheard for ten
more; whatever other processes published meanwhile is gone (Redis keeps no published message);
each failed publish makes a new client and leaves the old one open, and is then dropped after
one more try. Delivery to this process's own screens never depended on Redis and goes on.

`Recovering` keeps that, and adds:
- the listener tries again at most every RETRY_MAX_S, and keeps one client;
- once subscribed again after a loss, `on_resubscribed` is called: this process sends its own
  screens the current view of their meetings (live/resync.py), which covers everything published
  by others while it was not listening;
- a broadcast that could not be published is remembered by room, and once Redis answers again
  (the next publish that succeeds, or the listener back) `on_reachable` sends those rooms'
  current view to every process: what others missed of this process's changes.
While Redis is lost, publishing is tried at most every RETRY_MAX_S (a Redis that does not answer
must not delay every broadcast to this process's own screens).
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, AsyncIterator, Awaitable, Callable

log = logging.getLogger("yishi")

RETRY_FIRST_S = 0.25
RETRY_MAX_S = 2.0
REDIS_OPTIONS = {"socket_connect_timeout": 2.0}  # an unreachable Redis host: refused in 2 s, not the OS's minutes


class Recovering:
    """A mixin for socketio.AsyncRedisManager (put before it): see the module's docstring."""

    # AsyncRedisManager's, used here
    channel: str
    json: Any
    redis: Any
    pubsub: Any
    connected: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("redis_options", dict(REDIS_OPTIONS))
        super().__init__(*args, **kwargs)
        self.listening = False  # subscribed, and the subscription has not failed since
        self.lost_at: float | None = None  # when the listener lost Redis (monotonic); None while it is heard
        self.failed_at = 0.0  # the last publish that failed (monotonic)
        self.owed: set[str] = set()  # rooms whose broadcast other processes may have missed
        self.dropped = 0  # broadcasts not published (counted for /api/health)
        self.recoveries = 0  # times the listener came back after a loss
        self.on_resubscribed: Callable[[], Awaitable[None]] | None = None
        self.on_reachable: Callable[[set[str]], Awaitable[None]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def state(self) -> dict[str, Any]:
        return {"connected": self.listening, "dropped": self.dropped, "recoveries": self.recoveries}

    def _redis_connect(self) -> None:
        # One client for publishing, kept: its pool connects again by itself once Redis is back.
        if self.redis is None:
            super()._redis_connect()  # type: ignore[misc]
        self.connected = True

    async def _publish(self, data: Any) -> None:
        room = data.get("room") if isinstance(data, dict) and data.get("method") == "emit" else None
        if self.failed_at and time.monotonic() - self.failed_at < RETRY_MAX_S:
            self._owe(room)  # failed a moment ago: not tried again yet
            return
        try:
            self._redis_connect()
            await self.redis.publish(self.channel, self.json.dumps(data))
        except Exception as exc:
            if not self.failed_at:
                log.warning("broadcasts cannot reach the other server processes (Redis: %s); this process's own "
                            "screens are still told", exc)
            self.failed_at = time.monotonic()
            self._owe(room)
            return
        self.failed_at = 0.0
        if self.owed:
            self._repay()

    def _owe(self, room: Any) -> None:
        self.dropped += 1
        if isinstance(room, str):
            self.owed.add(room)
        elif isinstance(room, list):
            self.owed.update(r for r in room if isinstance(r, str))

    def _repay(self) -> None:
        rooms, self.owed = self.owed, set()
        if self.on_reachable is not None and rooms:
            self._spawn(self.on_reachable(rooms))

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("sending the current views again after Redis came back failed")

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        wait = RETRY_FIRST_S
        while True:
            try:
                if not self.listening:
                    await self._subscribe()
                    wait = RETRY_FIRST_S
                    if self.lost_at is not None:
                        log.warning("Redis is back after %.1f s: broadcasts reach the other server processes again",
                                    time.monotonic() - self.lost_at)
                        self.lost_at = None
                        self.recoveries += 1
                        self.failed_at = 0.0
                        if self.on_resubscribed is not None:
                            self._spawn(self.on_resubscribed())
                        self._repay()
                async for message in self.pubsub.listen():
                    yield message
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.lost_at is None:
                    log.warning("lost Redis (%s): other server processes' broadcasts are not heard until it is back; "
                                "trying again every %.0f s at most", exc, RETRY_MAX_S)
                    self.lost_at = time.monotonic()
                self.listening = False
                await asyncio.sleep(wait)
                wait = min(wait * 2, RETRY_MAX_S)

    async def _subscribe(self) -> None:
        """A new subscription (the old one, broken, is closed)."""
        self._redis_connect()
        old, self.pubsub = self.pubsub, self.redis.pubsub(ignore_subscribe_messages=True)
        if old is not None:
            try:
                await old.aclose()
            except Exception:  # broken already
                pass
        await self.pubsub.subscribe(self.channel)
        self.listening = True
