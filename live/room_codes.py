"""The meeting's room code, for a phone that cannot scan the projector's QR code: the projector shows
a short address (`{public_url}/j`) and five letters and digits under the code; the start page there
takes them and sends the phone on to the meeting's join page. `/j/{code}` does the same in one go.

The code is derived from the meeting's id (which is no secret: it is in the QR code), so nothing is
stored: a hash of the id written with 32 signs that cannot be mistaken for one another (no 0 or O,
no 1 or I). Typed codes are read in any case, with full-width letters and digits folded and spaces
and dashes dropped. Only meetings still open are found by their code. Two open meetings with the
same code (one chance in millions for a few meetings at a time) are not guessed between: the page
says so in both languages and names neither.

A code that is no open meeting's counts against the network address it came from: MISS_BURST at
once, then one every 1/MISS_RATE seconds; past that, codes from that address are refused for a
while (even a right one), so trying codes to find meetings takes thousands of hours. The server's
own machine is not limited.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .ratelimit import Buckets, address_of

if TYPE_CHECKING:
    from .app import Yishi

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 signs: no 0/O, no 1/I
LENGTH = 5  # 32**5: about 33 million codes
MISS_BURST = 60.0
MISS_RATE = 0.5  # wrong codes a second from one address, sustained
DROPPED = " -_.·\u30fb"  # what people type between groups (NFKC has folded the full-width forms)


def code_of(meeting_id: str) -> str:
    number = int.from_bytes(hashlib.sha256(f"yishi/room-code/{meeting_id}".encode()).digest()[:8], "big")
    signs = []
    for _ in range(LENGTH):
        number, sign = divmod(number, len(ALPHABET))
        signs.append(ALPHABET[sign])
    return "".join(signs)


def normalise(typed: str) -> str | None:
    """What was typed as a code, or None if it cannot be one."""
    text = "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c not in DROPPED and not c.isspace())
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def start_url(public_url: str) -> str:
    return f"{public_url}/j"


class RoomCodes:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self.misses = Buckets(MISS_BURST, MISS_RATE)
        self._codes: dict[str, str] = {}  # meeting id -> its code

    async def open_meetings(self, code: str) -> list[str]:
        """The open meetings with this code (in the order they were created)."""
        rows = await self.app.meetings.db(self.app.store.meetings)
        found = []
        for row in rows:
            if row.id not in self._codes:
                self._codes[row.id] = code_of(row.id)
            if self._codes[row.id] == code and not (await self.app.meetings.state(row.id)).closed:
                found.append(row.id)
        return found

    async def start(self, request: Request) -> Response:
        typed = request.path_params.get("code", request.query_params.get("code", ""))
        if not typed.strip():
            return self.page(request)
        code = normalise(typed)
        if code is None:
            return self.page(request, typed, "not_a_code", 404)
        address = address_of({"asgi.scope": request.scope})
        if address and (wait := self.misses.waiting(address)):
            return self.page(request, code, "too_many", 429, seconds=max(1, round(wait)))
        found = await self.open_meetings(code)
        if len(found) == 1:
            kept = {"lang": request.query_params["lang"]} if "lang" in request.query_params else {}
            target = f"/m/{quote(found[0], safe='')}/join" + (f"?{urlencode(kept)}" if kept else "")
            return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        if found:  # two meetings under way share it: said in both languages, naming neither
            return self.page(request, code, "ambiguous", 409)
        if address:
            self.misses.wait(address)
        return self.page(request, code, "wrong_code", 404)

    def page(self, request: Request, typed: str = "", why: str = "", status: int = 200, seconds: int = 0) -> Response:
        return self.app.page(request, "start.html", {}, status, scripts=False, typed=typed, why=why, seconds=seconds,
                             lang_chosen="lang" in request.query_params)


def routes(app: Yishi) -> list[Route]:
    codes = RoomCodes(app)
    return [Route("/j", codes.start), Route("/j/{code}", codes.start)]
