"""The yardstick: a minimal python-socketio broadcast server with no database and no rules.

It answers the same events as Yishi with the same shapes, keeps a tally in memory, and
broadcasts it coalesced with the same window as Yishi, under the same uvicorn settings (default
garbage collection, per-message deflate off). Measured in the same run, it tells what the
transport alone costs on this machine, so Yishi's figures can be read as a ratio of it.

Run as its own process: `python -m live.bench.baseline --port P`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import socketio

from live.broadcast import window

ROOM = "hall"


class Baseline:
    def __init__(self) -> None:
        self.sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], ping_interval=25, ping_timeout=20,
                                        http_compression=False, compression_threshold=10**9)
        self.seq = 0
        self.participants = 0
        self.ballots: dict[str, dict[str, int]] = {}  # poll id -> participant -> choice
        self.counts: dict[str, list[int]] = {}  # poll id -> ballots per choice
        self.full = self.tally = False
        self.last_sent = 0.0
        self.flusher: asyncio.Task[None] | None = None
        self.sio.on("connect", self.connect)
        for name in ("sync", "check_in", "raise_hand", "submit_opinion", "open_item", "open_poll", "cast_ballot"):
            self.sio.on(name, getattr(self, name))

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        await self.sio.save_session(sid, {"participant": token})
        await self.sio.enter_room(sid, ROOM)

    def changed(self, tally_only: bool) -> dict[str, Any]:
        self.seq += 1
        self.tally, self.full = self.tally or tally_only, self.full or not tally_only
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self.flush())
        return {"ok": True, "seq": self.seq}

    async def flush(self) -> None:
        while self.full or self.tally:
            screens = len(self.sio.manager.rooms.get("/", {}).get(ROOM, {}))
            wait = self.last_sent + window(screens) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            full, self.full, self.tally = self.full, False, False
            self.last_sent = time.monotonic()
            if full:
                await self.sio.emit("state", {"seq": self.seq, "view": self.view(), "server_now": time.time()}, room=ROOM)
            else:
                await self.sio.emit("tally", {"seq": self.seq, "polls": self.polls()}, room=ROOM)

    def polls(self) -> list[dict[str, Any]]:
        return [{"id": poll, "counts": list(self.counts[poll]), "hands": [0, 0, 0], "voters": len(ballots), "open": True}
                for poll, ballots in self.ballots.items()]

    def view(self) -> dict[str, Any]:
        return {"seq": self.seq, "attendance": {"total": self.participants}, "polls": self.polls()}

    async def sync(self, sid: str, data: Any = None) -> dict[str, Any]:
        if isinstance(data, dict) and data.get("last_seq") == self.seq:
            return {"ok": True, "up_to_date": True, "seq": self.seq, "me": None, "server_now": time.time()}
        return {"ok": True, "seq": self.seq, "view": self.view(), "me": None, "role": "phone", "server_now": time.time()}

    async def check_in(self, sid: str, data: Any = None) -> dict[str, Any]:
        self.participants += 1
        pid = f"p{self.participants}"
        await self.sio.save_session(sid, {"participant": pid})
        return {**self.changed(False), "token": pid, "participant_id": pid}

    async def raise_hand(self, sid: str, data: Any = None) -> dict[str, Any]:
        return self.changed(False)

    async def submit_opinion(self, sid: str, data: Any = None) -> dict[str, Any]:
        return self.changed(False)

    async def open_item(self, sid: str, data: Any = None) -> dict[str, Any]:
        return self.changed(False)

    async def open_poll(self, sid: str, data: Any = None) -> dict[str, Any]:
        poll = f"v{len(self.ballots) + 1}"
        self.ballots[poll], self.counts[poll] = {}, [0, 0, 0]
        return {**self.changed(False), "poll_id": poll}

    async def cast_ballot(self, sid: str, data: Any = None) -> dict[str, Any]:
        pid = (await self.sio.get_session(sid))["participant"]
        ballots = self.ballots.get(data.get("poll_id")) if isinstance(data, dict) else None
        if ballots is None or not pid:
            return {"ok": False, "code": "no_such_poll"}
        if pid in ballots:
            return {"ok": False, "code": "already_voted"}
        ballots[pid] = choice = int(data.get("choice", 0)) % 3
        self.counts[data["poll_id"]][choice] += 1
        # like Yishi, the acknowledgement carries the tally that includes the ballot
        return {**self.changed(True), "tally": {"seq": self.seq, "polls": self.polls()}}


async def http(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Just enough HTTP for the bench: health, and a meeting to create."""
    if scope["type"] != "http":
        return
    body = {"ok": True, "id": "hall", "key": "key"} if scope["path"] == "/api/meetings" else {"ok": True}
    status = 201 if scope["method"] == "POST" else 200
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


def main() -> None:
    import uvicorn

    from live.cli import raise_open_files

    p = argparse.ArgumentParser(description="a minimal python-socketio broadcast server, the bench's yardstick")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    raise_open_files()
    app = socketio.ASGIApp(Baseline().sio, other_asgi_app=http, socketio_path="socket.io")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", ws_per_message_deflate=False)


if __name__ == "__main__":
    main()
