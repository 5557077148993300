"""A phone guessing join codes is stopped as itself, long before it could lock the meeting's codes
for everyone: the resident beside it, on another address, still joins with their code."""
from __future__ import annotations

from typing import Any

from support.wire import connect_from

from live.misses import PER_ADDRESS


async def test_one_address_guessing_codes_is_refused_and_others_still_join(server: Any) -> None:
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    codes = await server.join_codes(mid, key)
    guest = {"meeting": mid, "role": "phone", "token": None}
    opened = []
    try:
        mallory, refused = await connect_from(server, "10.0.0.66", guest)
        assert refused is None, refused
        opened.append(mallory)
        answers = [await mallory.call("check_in", {"code": f"{n:09d}"}, timeout=60) for n in range(PER_ADDRESS + 1)]
        assert {a["code"] for a in answers[:-1]} == {"bad_code"}, answers
        assert answers[-1]["code"] == "too_many_code_attempts", answers[-1]
        # even a right code from that address waits now
        assert (await mallory.call("check_in", {"code": codes[1]}, timeout=60))["code"] == "too_many_code_attempts"
        # a resident on another phone is not held back by it
        neighbour, refused = await connect_from(server, "10.0.0.7", guest)
        assert refused is None, refused
        opened.append(neighbour)
        answer = await neighbour.call("check_in", {"code": codes[0]}, timeout=60)
        assert answer["ok"], answer
    finally:
        for c in opened:
            if c.connected:
                await c.disconnect()
