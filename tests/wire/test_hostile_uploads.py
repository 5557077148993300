"""Hostile bodies from anyone on the room's network: bombs that inflate to hundreds of megabytes,
bodies larger than their limit (announced or streamed), JSON nested too deep. Each is answered
with the one error shape, in bounded memory, and the server goes on."""
from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
import zlib
from typing import Any, AsyncIterator

import pytest

from live import record
from live.errors import message
from live.i18n import gettext
from live.minutes_http import MAX_MINUTES_FILE, UPLOADS_BURST
from live.record import MAX_STREAMS, PROBLEMS
from live.zips import MAX_ENTRIES

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


def stream_markers() -> bytes:
    """Nearly 20 MiB of `stream` markers and one `endstream` at the end: every marker seems to
    open a stream that ends at the end of the file."""
    return b"%PDF" + b"stream\n" * ((MAX_MINUTES_FILE - 32) // 7) + b"endstream\n"


def empty_streams() -> bytes:
    unit = b"stream\nx\nendstream\n"
    return b"%PDF" + unit * ((MAX_MINUTES_FILE - 4) // len(unit))


def empty_parts(n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"{i:x}", b"")
    return buf.getvalue()


def counted_inflations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each stream of a PDF the server inflates while checking (it runs in this process)."""
    calls: list[int] = []
    inflate = record._inflate

    def counting(blob: Any, budget: int) -> bytes:
        calls.append(len(blob))
        return inflate(blob, budget)

    monkeypatch.setattr(record, "_inflate", counting)
    return calls


async def test_a_pdf_of_stream_markers_is_read_in_one_pass(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking for each marker's end from the marker on took seconds for a hundred kilobytes and
    hours for twenty megabytes. Each stream's end is looked for once: the markers are one stream."""
    meeting = await server.create_meeting()
    inflated = counted_inflations(monkeypatch)
    markers = stream_markers()
    assert len(markers) <= MAX_MINUTES_FILE
    async with server.http() as http:
        started = time.perf_counter()
        answer = await http.post(f"/meetings/{meeting['id']}/verify?lang=en", content=markers)
        print(f"{len(markers) / 2**20:.0f} MiB of stream markers checked in {time.perf_counter() - started:.2f} s")
        assert answer.status_code == 200, answer.text
        checked = answer.json()
        assert checked["ok"] is True and checked["record"]["intact"] is True
        assert checked["minutes"]["format"] == "pdf" and checked["minutes"]["matches"] is False
        assert checked["minutes"]["problems"] == [gettext("en", PROBLEMS["no_stamp"])]
        assert len(inflated) == 1  # one stream, from the first marker to the one end
        assert (await http.get("/api/health")).json()["ok"] is True


async def test_a_pdf_of_more_streams_than_minutes_have_is_not_checked(server: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = await server.create_meeting()
    inflated = counted_inflations(monkeypatch)
    streams = empty_streams()
    async with server.http() as http:
        started = time.perf_counter()
        answer = await http.post(f"/meetings/{meeting['id']}/verify?lang=zh-CN", content=streams)
        print(f"{streams.count(b'endstream')} streams checked in {time.perf_counter() - started:.2f} s")
        assert answer.status_code == 200, answer.text
        minutes = answer.json()["minutes"]
        assert minutes["matches"] is False
        assert minutes["problems"] == [gettext("zh-CN", PROBLEMS["too_complex"])]
        assert minutes["problems"] != [gettext("en", PROBLEMS["too_complex"])]  # said in Chinese
        assert len(inflated) == MAX_STREAMS  # the rest are never looked at
        assert (await http.get("/api/health")).json()["ok"] is True


async def test_a_word_file_of_too_many_parts_is_not_listed(server: Any) -> None:
    """Listing 200,000 empty parts took seconds and over a hundred megabytes; the file's end says
    how many parts it has before any is listed."""
    meeting = await server.create_meeting()
    bomb = empty_parts(200_000)
    assert len(bomb) <= MAX_MINUTES_FILE
    async with server.http() as http:
        answer, peak = await peak_while(http.post(f"/meetings/{meeting['id']}/verify?lang=en", content=bomb))
        assert answer.status_code == 200, answer.text
        minutes = answer.json()["minutes"]
        assert minutes["format"] == "docx" and minutes["matches"] is False
        assert minutes["problems"] == [gettext("en", PROBLEMS["too_complex"])]
        assert peak < 3 * len(bomb) + 8 * 1024 * 1024, f"{peak / 2**20:.0f} MiB allocated"
        fine = empty_parts(MAX_ENTRIES)  # as many parts as may be: looked into, and it states nothing
        answer = await http.post(f"/meetings/{meeting['id']}/verify?lang=en", content=fine)
        assert answer.json()["minutes"]["problems"] == [gettext("en", PROBLEMS["no_stamp"])]


async def test_minutes_files_checked_from_one_address_are_limited(server: Any) -> None:
    """Ten files at once, then one every five seconds from one network address; the record can
    still be checked without a file, other addresses and the laptop are not held back."""
    meeting = await server.create_meeting()
    url = f"/meetings/{meeting['id']}/verify"
    hall = {"X-Forwarded-For": "10.0.0.7"}
    async with server.http() as http:
        answers = []
        for _ in range(int(UPLOADS_BURST) * 2):
            answers.append(await http.post(url, content=b"# minutes", headers=hall))
            if answers[-1].status_code != 200:
                break
        refused = answers[-1]
        assert len(answers) > UPLOADS_BURST  # at least the burst was checked (more if a token came back)
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "too_fast"
        assert refused.json()["error"] in {message("too_fast", lang, {"seconds": n}) for n in range(1, 6)
                                           for lang in ("zh-CN", "en")}
        page = await http.post(url + "?lang=zh-CN", content=b"# minutes", headers={**hall, "Accept": "text/html"})
        assert page.status_code == 429 and "请" in page.text and "秒" in page.text
        assert (await http.get(url, headers=hall)).status_code == 200  # the record alone: not limited
        other = await http.post(url, content=b"# minutes", headers={"X-Forwarded-For": "10.0.0.8"})
        assert other.status_code == 200
        for _ in range(int(UPLOADS_BURST) + 2):
            assert (await http.post(url, content=b"# minutes")).status_code == 200


def damaged(how: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("docProps/core.xml", b"<cp:keywords>" + b"yishi-record " * 400 + b"</cp:keywords>")
    data = bytearray(buf.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.rfind(b"PK\x01\x02")
    if how == "stream":  # the deflated bytes garbled
        start = local + 30 + len("docProps/core.xml") + 4
        data[start:start + 24] = bytes(b ^ 0xFF for b in data[start:start + 24])
    elif how == "encrypted":  # the flag a password-protected part carries
        data[local + 6] |= 1
        data[central + 8] |= 1
    elif how == "method":  # a compression Python cannot read (Deflate64)
        data[local + 8] = data[central + 10] = 9
    return bytes(data)


async def test_a_damaged_word_file_is_said_to_be_unreadable(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        for how in ("stream", "encrypted", "method"):
            answer = await http.post(f"/meetings/{meeting['id']}/verify?lang=en", content=damaged(how))
            assert answer.status_code == 200, (how, answer.text)
            problems = answer.json()["minutes"]["problems"]
            assert len(problems) == 1 and problems[0].startswith("the file cannot be read: "), (how, problems)


async def test_uploaded_files_are_checked_two_at_a_time_and_all_answered(server: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each check may hold its file and what it unpacks: many sent at once wait their turn, and
    each is answered; the record alone (no file) does not wait."""
    import asyncio
    import threading

    from live import minutes_http

    meeting = await server.create_meeting()
    url = f"/meetings/{meeting['id']}/verify"
    running, most, lock = [0], [0], threading.Lock()
    check = minutes_http.verify_meeting

    def counted(*args: Any) -> Any:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.2)  # a check that takes a moment, so that the others come meanwhile
            return check(*args)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(minutes_http, "verify_meeting", counted)
    async with server.http() as http:
        answers = await asyncio.gather(*[http.post(url, content=b"# minutes " + bytes([65 + n])) for n in range(6)])
        assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
        assert most[0] == minutes_http.CHECKS_AT_ONCE
        assert (await http.get(url)).status_code == 200
