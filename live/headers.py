"""Headers every HTTP answer carries, so that a page cannot be framed, sniffed into another type,
made to run a script it did not ship, or leak its link (which may hold a key) to another site.

Scripts only from this server (`script-src 'self'`: the pages' boot data is JSON in a script tag
that is never executed); styles may be inline (the bars' widths, the minutes' print styles);
images from here, `data:` (the slips' QR codes) and `blob:` (downloads); the socket to this host.
"""
from __future__ import annotations

from typing import Any

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # the console's and the slips' links carry keys and codes
]
_NAMES = {name for name, _ in HEADERS}


class SecurityHeaders:
    """Pure ASGI (no per-request task): adds HEADERS to each HTTP response start."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": kept + HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)
