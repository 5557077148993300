"""Request bodies read within a limit: the limit is enforced while reading (and at once when the
client announces a larger body), so a huge upload costs the server no more than the limit."""
from __future__ import annotations

from starlette.requests import Request


class TooLarge(Exception):
    """The body is larger than its limit; nothing of it was used."""


async def read_limited(request: Request, limit: int) -> bytes:
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
