"""Request bodies read within a limit: the limit is enforced while reading (and at once when the
client announces a larger body), so a huge upload costs the server no more than the limit."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request


class TooLarge(Exception):
    """The body is larger than its limit; nothing of it was used."""

    def __init__(self, limit: int = 0) -> None:
        super().__init__(limit)
        self.limit = limit

    @property
    def params(self) -> dict[str, int]:
        """The refusal's parameters (`too_large`: the limit in KB)."""
        return {"max": max(1, self.limit // 1024)}


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


class BadBody(ValueError):
    """The body is not a JSON object: `detail` says what it is instead (not JSON, not an object)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """A JSON object body within `limit` (an empty body is an empty object): TooLarge past the limit,
    BadBody for anything else that is not an object (JSON nested too deep to decode included)."""
    data = await read_limited(request, limit)
    try:
        body = json.loads(data or b"{}")
    except (ValueError, RecursionError):
        raise BadBody("not JSON") from None
    if not isinstance(body, dict):
        raise BadBody("expected an object")
    return body
