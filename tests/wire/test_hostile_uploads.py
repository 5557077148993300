"""Hostile bodies from anyone on the room's network: bombs that inflate to hundreds of megabytes,
bodies larger than their limit (announced or streamed), JSON nested too deep. Each is answered
with the one error shape, in bounded memory, and the server goes on."""
from __future__ import annotations

import io
import tracemalloc
import zipfile
import zlib
from typing import Any, AsyncIterator

from live.minutes_http import MAX_MINUTES_FILE

INFLATES_TO = 200 * 1024 * 1024  # what each bomb would become if inflated whole
BOUND = 64 * 1024 * 1024  # what the server may allocate while checking one


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(INFLATES_TO >> 20):
                part.write(block)
        z.writestr("docProps/core.xml", "<cp:keywords>nothing here</cp:keywords>")
    return buf.getvalue()


def pdf_bomb() -> bytes:
    stream = zlib.compress(b"\0" * INFLATES_TO, 9)
    return b"%%PDF-1.4\n1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + \
        b"\nendstream\nendobj\n%%EOF\n"


async def peak_while(coro: Any) -> tuple[Any, int]:
    """What the coroutine returns, and the most memory Python allocated meanwhile (server included:
    it runs in this process)."""
    tracemalloc.start()
    try:
        result = await coro
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_a_zip_bomb_and_a_pdf_bomb_are_checked_in_bounded_memory(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        for name, bomb in (("docx", zip_bomb()), ("pdf", pdf_bomb())):
            assert len(bomb) < 1024 * 1024, name  # small on the wire
            answer, peak = await peak_while(http.post(f"/meetings/{meeting['id']}/verify", content=bomb))
            assert answer.status_code == 200, (name, answer.text)
            assert answer.json()["minutes"]["matches"] is False
            assert peak < BOUND, f"{name}: {peak / 2**20:.0f} MiB allocated"
        assert (await http.get("/api/health")).json()["ok"] is True


async def test_a_body_over_its_limit_is_refused_before_it_is_read_whole(server: Any) -> None:
    meeting = await server.create_meeting()

    async def endless() -> AsyncIterator[bytes]:  # streamed, no length announced
        chunk = b"x" * (1 << 20)
        for _ in range(MAX_MINUTES_FILE // len(chunk) + 8):
            yield chunk

    async with server.http() as http:
        announced = await http.post(f"/meetings/{meeting['id']}/verify", content=b"x" * (MAX_MINUTES_FILE + 1))
        assert announced.status_code == 413 and announced.json()["code"] == "bad_payload"
        streamed, peak = await peak_while(http.post(f"/meetings/{meeting['id']}/verify", content=endless()))
        assert streamed.status_code == 413 and streamed.json()["code"] == "bad_payload"
        assert peak < MAX_MINUTES_FILE + 8 * 1024 * 1024  # never more than the limit (and a chunk) held
        made = await http.post("/api/meetings", headers={"Authorization": f"Bearer {server.token}"},
                               content=b"[" * 100_000 + b"]" * 100_000)
        assert made.status_code in (400, 413) and made.json()["code"] == "bad_payload"
        nested = b'{"schema": "yishi-minutes/4", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        checked = await http.post(f"/meetings/{meeting['id']}/verify", content=nested)
        assert checked.status_code == 200 and checked.json()["minutes"]["matches"] is False
        assert (await http.get("/api/health")).json()["ok"] is True
