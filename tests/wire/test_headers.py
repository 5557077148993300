"""Every answer carries the security headers; /static serves only what the pages load."""
from __future__ import annotations

from typing import Any

from live.app import assets
from live.headers import CSP


async def test_every_kind_of_answer_carries_the_security_headers(server: Any) -> None:
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    async with server.http() as http:
        answers = [await http.get(path) for path in (
            "/", f"/m/{mid}/join", f"/m/{mid}/screen", f"/m/{mid}/moderate?key={key}", f"/api/meetings/{mid}",
            f"/meetings/{mid}/public", f"/m/{mid}/qr.svg", "/static/js/phone.js", "/api/health", "/nowhere",
            f"/m/{mid}/slips?key={key}", assets().url("js/phone.js"), "/j", "/j/XXXXX")]
        answers.append(await http.post(f"/meetings/{mid}/verify", content=b"not minutes"))
    for r in answers:
        assert r.headers["content-security-policy"] == CSP, r.url
        assert "script-src 'self';" in CSP and "unsafe-eval" not in CSP and "frame-ancestors 'none'" in CSP
        assert (r.headers["x-frame-options"], r.headers["x-content-type-options"], r.headers["referrer-policy"]) == \
            ("DENY", "nosniff", "no-referrer"), r.url


async def test_static_serves_what_pages_load_and_nothing_else(server: Any) -> None:
    async with server.http() as http:
        for path in ("/static/js/phone.js", "/static/css/base.css", "/static/i18n/zh-CN.json",
                     "/static/vendor/socket.io.min.js"):
            assert (await http.get(path)).status_code == 200, path
            assert (await http.get(assets().url(path.removeprefix("/static/")))).status_code == 200, path
        for path in ("/static/__init__.py", "/static/pages/join.html", "/static/pages/base.html", "/static/",
                     "/static/js/../pages/join.html", "/static/js/%2e%2e/pages/join.html"):
            r = await http.get(path)
            assert r.status_code == 404 and "{%" not in r.text and "import" not in r.text, path
