"""What the pages load comes gzipped and, at its versioned address, is kept for a year; pages are
never kept; the minutes' PDF and Word files go as they are, with their length; the socket (polling
and websocket) goes on as before under the compression, and writes Chinese as UTF-8."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import socketio

from live.app import assets
from live.assets import IMMUTABLE

from support.wire import CONNECT_BUDGET_S, CALL_BUDGET_S, HTTP_BUDGET_S

STATIC = Path(__file__).resolve().parents[2] / "static"
FILES = ("js/phone.js", "js/client.js", "css/base.css", "css/phone.css", "vendor/socket.io.min.js", "i18n/zh-CN.json")
GZIP = {"Accept-Encoding": "gzip"}
TITLE = "3号楼加装电梯协商会"


async def test_static_files_come_gzipped_to_a_client_that_accepts_it(server: Any) -> None:
    async with server.http() as http:
        for name in FILES:
            raw = (STATIC / name).read_bytes()
            for path in (assets().url(name), f"/static/{name}"):
                r = await http.get(path, headers=GZIP)
                assert r.status_code == 200, path
                assert r.headers["content-encoding"] == "gzip", path
                assert "accept-encoding" in r.headers["vary"].lower(), path
                assert r.content == raw, path  # as the file is, once unzipped
                assert int(r.headers["content-length"]) == r.num_bytes_downloaded < len(raw), path
                plain = await http.get(path, headers={"Accept-Encoding": "identity"})
                assert "content-encoding" not in plain.headers and plain.content == raw, path
                assert int(plain.headers["content-length"]) == len(raw), path
            assert (await http.get(assets().url(name), headers={"Accept-Encoding": "gzip;q=0"})).content == raw
        assert (await http.get(assets().url("js/phone.js"))).headers["content-type"].startswith("text/javascript")


async def test_pages_come_gzipped_and_their_scripts_from_versioned_addresses(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        r = await http.get(meeting["links"]["join"], headers=GZIP)
    assert r.headers["content-encoding"] == "gzip" and r.num_bytes_downloaded < len(r.content) / 2
    html = r.text
    phone = assets().url("js/phone.js")
    assert f'<script type="module" src="{phone}"></script>' in html
    for module in assets().modules("js/phone.js"):
        assert f'<link rel="modulepreload" href="{assets().url(module)}">' in html, module
    loaded = re.findall(r'(?:src|href)="(/static/[^"]*)"', html)
    assert loaded and all(path.startswith(f"/static/v/{assets().version}/") for path in loaded), loaded


async def test_versioned_files_are_kept_for_a_year_and_nothing_else_is(server: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    async with server.http() as http:
        for name in FILES:
            r = await http.get(assets().url(name))
            assert r.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable", name
            again = await http.get(assets().url(name), headers={"If-None-Match": r.headers["etag"]})
            assert again.status_code == 304 and again.content == b"", name
            assert (await http.get(f"/static/{name}")).headers["cache-control"] == "no-cache", name
            # A page from before an upgrade asks for an older version: the file as it is now, not kept.
            old = await http.get(f"/static/v/000000000000/{name}")
            assert old.status_code == 200 and old.headers["cache-control"] == "no-cache", name
            assert old.content == (STATIC / name).read_bytes(), name
        for path in ("/", f"/m/{mid}/join", f"/m/{mid}/screen", f"/m/{mid}/moderate?key={meeting['key']}", "/j",
                     f"/api/meetings/{mid}"):
            r = await http.get(path)
            assert r.status_code == 200, path
            assert r.headers["cache-control"] == "no-store", path
        version = assets().version
        for path in (f"/static/v/{version}/pages/join.html", f"/static/v/{version}/js/nothing.js",
                     f"/static/v/{version}/js/%2e%2e/pages/join.html", f"/static/v/{version}/../live/app.py",
                     f"/static/v/{version}/", f"/static/v/{version}/__init__.py"):
            r = await http.get(path)
            assert r.status_code == 404 and "{%" not in r.text and "import" not in r.text, path
            assert "immutable" not in r.headers.get("cache-control", ""), path


async def test_the_minutes_files_go_as_they_are_with_their_length(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    assert (await mod.send("close_meeting", {}))["ok"]
    async with server.http() as http:
        for fmt, starts in (("pdf", b"%PDF"), ("docx", b"PK")):
            r = await http.get(f"/meetings/{meeting['id']}/minutes.{fmt}", params={"key": meeting["key"]},
                               headers=GZIP, timeout=HTTP_BUDGET_S)
            assert r.status_code == 200, fmt
            assert "content-encoding" not in r.headers, fmt
            assert r.content.startswith(starts) and int(r.headers["content-length"]) == len(r.content), fmt
        md = await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"]}, headers=GZIP)
        assert md.headers["content-encoding"] == "gzip" and TITLE in md.text


async def test_the_socket_works_over_websocket_under_the_compression(server: Any) -> None:
    meeting = await server.create_meeting()
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(server.url, auth={"meeting": meeting["id"], "role": "projector"},
                         transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
    try:
        ack = await client.call("sync", {}, timeout=CALL_BUDGET_S)
    finally:
        await client.disconnect()
    assert ack["ok"] and ack["view"]["title"] == TITLE


async def test_the_socket_works_by_polling_and_writes_chinese_as_utf8(server: Any) -> None:
    """By hand over engine.io's polling transport, asking for gzip: open, connect to the meeting,
    sync, close. The packets are as engine.io writes them (nothing compressed on the way) and the
    view's Chinese is not escaped."""
    meeting = await server.create_meeting()
    base = "/socket.io/?EIO=4&transport=polling"
    async with server.http() as http:
        opened = await http.get(base, headers=GZIP)
        assert opened.status_code == 200 and "content-encoding" not in opened.headers
        assert opened.text.startswith("0{")
        at = f"{base}&sid={json.loads(opened.text[1:])['sid']}"
        auth = json.dumps({"meeting": meeting["id"], "role": "projector"})
        assert (await http.post(at, content=f"40{auth}")).text == "OK"
        connected = await http.get(at, headers=GZIP)
        assert connected.text.startswith("40{"), connected.text
        assert (await http.post(at, content='420["sync",{}]')).text == "OK"
        answer = await http.get(at, headers=GZIP)
        assert (await http.post(at, content="1")).text == "OK"  # engine.io's close
    assert "content-encoding" not in answer.headers
    packet = next(p for p in answer.text.split("\x1e") if p.startswith("430"))
    assert TITLE in packet and "\\u" not in packet, packet[:300]
    assert json.loads(packet[3:])[0]["view"]["title"] == TITLE
