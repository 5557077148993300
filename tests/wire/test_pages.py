"""The pages as served: their boot data, what they load, and what user text cannot do to them."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from live.app import PAGES, assets

STATIC = Path(__file__).resolve().parents[2] / "static"
SOCKET_IO_SHA256 = "d5d79a35039e860b32bdef4795528b05c2f788d4b2d9dacc913120e2878f7b3f"
EVIL = "</script><script>alert(1)</script><!--<script>"
BOOT = re.compile(r'<script id="boot" type="application/json">(.*?)</script>', re.S)
URL = re.compile(r"https?://[^\s\"'<>)]+")
LOADS = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def boot_of(html: str) -> dict[str, Any]:
    found = BOOT.findall(html)
    assert len(found) == 1, "the page has exactly one boot script"
    return json.loads(found[0])


def page_paths(meeting: dict[str, Any]) -> dict[str, str]:
    mid = meeting["id"]
    return {"facilitator": "/", "screen": f"/m/{mid}/screen", "join": f"/m/{mid}/join",
            "moderate": f"/m/{mid}/moderate?key={meeting['key']}",
            "record": f"/m/{mid}/record?key={meeting['recorder_key']}"}


async def test_each_page_is_served_with_its_boot_data(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        for name, path in page_paths(meeting).items():
            r = await http.get(path)
            assert r.status_code == 200, name
            assert r.headers["content-type"].startswith("text/html")
            boot = boot_of(r.text)
            assert boot["lang"] in ("zh-CN", "en")
            if name == "facilitator":
                assert boot["public_url"] == server.url
            else:
                assert boot["meeting"] == meeting["id"]
                assert boot["language"] == "zh-CN"
                assert boot["join_url"] == meeting["links"]["join"]


async def test_the_recorders_link_is_the_console_in_the_recorders_mode(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        record = (await http.get(meeting["links"]["recorder"])).text
        moderate = (await http.get(meeting["links"]["moderator"])).text
        missing = await http.get("/m/nope/record?key=x")
    assert boot_of(record)["console"] == "recorder" and 'data-console="recorder"' in record
    assert "console" not in boot_of(moderate) and 'data-console="moderator"' in moderate
    assert assets().url("css/record.css") in record and assets().url("js/moderate.js") in record
    assert missing.status_code == 404


async def test_the_meetings_language_is_the_pages_default(server: Any) -> None:
    meeting = await server.create_meeting(language="en")
    async with server.http() as http:
        assert boot_of((await http.get(f"/m/{meeting['id']}/join")).text)["lang"] == "en"
        assert boot_of((await http.get(f"/m/{meeting['id']}/join?lang=zh-CN")).text)["lang"] == "zh-CN"


async def test_a_title_made_of_markup_does_not_break_out_of_the_boot_script(server: Any) -> None:
    meeting = await server.create_meeting(title=EVIL, agenda=[{"title": EVIL, "background": EVIL}],
                                          roster=[{"name": "</script>", "category": "registered"}])
    async with server.http() as http:
        twin = (await http.get(f"/api/meetings/{meeting['id']}", params={"key": meeting["key"]})).json()
        # Without a key the resident "</script>" is masked in the title, as the public minutes mask it.
        public = (await http.get(f"/api/meetings/{meeting['id']}")).json()
        for name, path in page_paths(meeting).items():
            html = (await http.get(path)).text
            assert "</script><script>" not in html, name
            boot = boot_of(html)
            if "title" in boot:  # the pages read the title from the live view; the boot may carry it too
                assert boot["title"] == (EVIL if "key=" in path else public["title"]), name
    assert twin["title"] == EVIL  # stored as typed: escaping is the pages' job
    assert public["title"] != EVIL and "</script>" not in public["title"]


@pytest.mark.parametrize("template", ["facilitator.html", "screen.html", "join.html", "moderate.html"])
def test_the_boot_script_keeps_any_text_inside_it(template: str) -> None:
    """Rendered the way live/app.py renders it, with user text in the boot data."""
    boot = {"lang": "zh-CN", "meeting": "m1", "title": EVIL, "name": "<!-- \u2028 </SCRIPT >"}
    html = PAGES.get_template(template).render(boot=json.dumps(boot, ensure_ascii=False), lang="zh-CN")
    assert "</script><script>" not in html and "<!--" not in html and "</SCRIPT" not in html
    assert boot_of(html) == boot


async def test_an_unknown_meeting_has_no_pages(server: Any) -> None:
    async with server.http() as http:
        for page in ("screen", "join", "moderate"):
            r = await http.get(f"/m/nosuchmeeting/{page}")
            assert r.status_code == 404
            assert "没有这个会议" in r.text


def static_texts() -> list[Path]:
    return [p for p in STATIC.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".css", ".json", ".svg")
            and "vendor" not in p.parts]


def test_nothing_is_loaded_from_outside_the_meeting_room() -> None:
    """Rooms often have no internet: no CDN, no web fonts, no outside QR service."""
    files = static_texts()
    assert len(files) > 10
    found = {p.relative_to(STATIC).as_posix(): URL.findall(p.read_text(encoding="utf-8")) for p in files}
    assert {k: v for k, v in found.items() if v} == {}
    css = "\n".join(p.read_text(encoding="utf-8") for p in STATIC.rglob("*.css"))
    assert "@import" not in css and "@font-face" not in css


async def test_the_served_pages_load_only_their_own_files(server: Any) -> None:
    meeting = await server.create_meeting()
    async with server.http() as http:
        for name, path in page_paths(meeting).items():
            html = (await http.get(path)).text
            for url in URL.findall(html):
                assert url.startswith(server.url), (name, url)
            for ref in LOADS.findall(html):
                if ref.startswith("data:") or ref.startswith(server.url):
                    continue
                assert ref.startswith("/") and not ref.startswith("//"), (name, ref)
                assert (await http.get(ref)).status_code == 200, (name, ref)


def test_scripts_are_modules_and_never_write_html() -> None:
    """Modules run after the page is read by themselves: `defer` on one is invalid HTML."""
    for page in STATIC.glob("pages/*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script [^>]*src=[^>]*>", html):
            if "vendor/" in tag:
                assert "defer" in tag, (page.name, tag)
            else:
                assert 'type="module"' in tag and "defer" not in tag, (page.name, tag)
    for script in STATIC.glob("js/*.js"):
        source = script.read_text(encoding="utf-8")
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", source), script.name


def test_the_socket_io_client_is_the_pinned_copy_with_its_licence() -> None:
    client = STATIC / "vendor" / "socket.io.min.js"
    assert hashlib.sha256(client.read_bytes()).hexdigest() == SOCKET_IO_SHA256
    licence = STATIC / "vendor" / "socket.io.LICENSE"
    assert licence.is_file()
    assert "Permission is hereby granted" in licence.read_text(encoding="utf-8")  # the MIT licence
