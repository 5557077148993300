"""Request bodies read within a limit: the limit is enforced while reading (and at once when the
client announces a larger body), so a huge upload costs the server no more than the limit."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from .errors import TransportError


class TooLarge(Exception):
    """The body is larger than its limit; nothing of it was used."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


async def read_limited(request: Request, limit: int) -> bytes:
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise TooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """A JSON object body within `limit` (an empty body is an empty object). Refused, in the one
    shape every route answers with: 413 `too_large` past the limit, 400 `bad_payload` for anything
    that is not an object (JSON nested too deep to decode included)."""
    try:
        data = await read_limited(request, limit)
    except TooLarge as exc:
        raise TransportError("too_large", 413, max=max(1, exc.limit // 1024)) from None
    try:
        body = json.loads(data or b"{}")
    except (ValueError, RecursionError):
        raise TransportError("bad_payload", detail="not JSON") from None
    if not isinstance(body, dict):
        raise TransportError("bad_payload", detail="expected an object")
    return body
