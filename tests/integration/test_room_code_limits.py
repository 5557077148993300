"""Trying codes to find meetings is slow: codes that are no open meeting's count against the network
address they come from, and past the limit that address gets no answer but "wait" (even for a right
code) while other addresses go on. The app is called in this process (as uvicorn would call it) so
that requests can come from addresses other than the machine's own, which is never limited."""
from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any, AsyncIterator

import httpx
import pytest

from live.app import Yishi
from live.room_codes import LENGTH, MISS_BURST, MISS_RATE, code_of
from live.settings import Settings

from support.wire import LIFT


@pytest.fixture
async def yishi(tmp_path: Path) -> AsyncIterator[Yishi]:
    made = Yishi(Settings(data=tmp_path / "data"))
    yield made
    await made.meetings.close()
    made.store.close()


def phone_at(app: Any, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://yishi.local")


async def test_wrong_codes_from_one_address_are_limited_and_others_go_on(yishi: Any) -> None:
    app = yishi.asgi()  # one server: the two phones reach the same limits
    async with phone_at(app, "10.0.0.23") as phone, phone_at(app, "10.0.0.24") as neighbour:
        made = await phone.post("/api/meetings", json=LIFT, headers={"Authorization": f"Bearer {yishi.settings.token}"})
        code = code_of(made.json()["id"])
        wrong = (c for c in ("".join(p) for p in itertools.product("XYZ", repeat=LENGTH)) if c != code)
        started, tried = time.monotonic(), 0
        while True:
            r = await phone.get(f"/j/{next(wrong)}")
            if r.status_code == 429:
                break
            assert r.status_code == 404, r.text
            tried += 1
            assert tried <= MISS_BURST + (time.monotonic() - started) * MISS_RATE + 1, "never limited"
        assert tried >= MISS_BURST
        assert "从这个网络输错会议码的次数太多，请" in r.text and "秒后再试" in r.text
        # While it waits, even the right code gets no answer from that address...
        assert (await phone.get(f"/j/{code}")).status_code == 429
        assert "Too many wrong meeting codes" in (await phone.get(f"/j/{code}", headers={"Accept-Language": "en"})).text
        # ...and a text that cannot be a code is still said to be none, costing nothing.
        assert (await phone.get("/j/0000")).status_code == 404
        # Another address is not held up.
        r = await neighbour.get(f"/j/{code.lower()}")
        assert r.status_code == 303 and r.headers["location"] == f"/m/{made.json()['id']}/join"
