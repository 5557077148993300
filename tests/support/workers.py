"""Two (or more) Yishi server processes' worth of servers sharing PostgreSQL and Redis, as
`yishi serve --workers N` runs them, with the screens a test opens on them."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.servers import postgres, redis
from support.wire import Running, Screen, start_server, stop_all


@dataclass
class Workers:
    running: list[Running]
    database_url: str
    redis_url: str
    screens: list[Screen] = field(default_factory=list)

    async def screen(self, worker: Running, auth: dict[str, Any]) -> Screen:
        """A screen connected to `worker`, closed when the workers stop."""
        s = await Screen(worker.url, auth).connect()
        self.screens.append(s)
        return s


@asynccontextmanager
async def workers(data: Path, count: int = 2) -> AsyncIterator[Workers]:
    """`count` servers on one data folder, a fresh PostgreSQL and a fresh Redis."""
    with postgres() as db_url, redis() as redis_url:
        started = [await start_server(data, database_url=db_url, redis_url=redis_url) for _ in range(count)]
        shared = Workers([r for r, _, _ in started], db_url, redis_url)
        try:
            yield shared
        finally:
            await stop_all(shared.screens, *[(srv, task) for _, srv, task in started])
