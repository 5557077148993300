"""HTTP for personal join codes: the list for the desk, and the printed slips (姓名, code, QR).

| path | who |
|---|---|
| /api/meetings/{id}/codes | moderator or recorder key (?key=) or facilitator token: every invitee's code and link |
| /m/{id}/slips | the same: a printable page of slips, SLIPS_PER_PAGE to a page (?page=2 ...) |

A slip's QR opens `/m/{id}/join?code=…`, which checks its holder in as that invitee; the code is
also printed for typing. Answers carry no-store: they are as secret as the key.
"""
from __future__ import annotations

import base64
from urllib.parse import urlencode
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from . import qr
from .i18n import gettext, N_
from .join_codes import shown
from .room_codes import code_of, start_url

if TYPE_CHECKING:
    from .app import Yishi

SLIPS_PER_PAGE = 60  # a print run the browser lays out in a moment (ten A4 pages of six)
PRIVATE = {"Cache-Control": "no-store"}

TEXTS = {
    "heading": N_("Personal check-in slips"),
    "code": N_("Check-in code"),
    "how": N_("Scan the code with your phone's camera, or open the join page and type the digits. "
              "Keep this slip to yourself: it checks you in."),
    "page": N_("Page {page} of {pages}"),
    "previous": N_("Previous page"),
    "next": N_("Next page"),
    "none": N_("This meeting has no list of invited participants, so there are no personal codes."),
}
# For a phone that cannot scan: the projector's short address and the meeting's code (live/room_codes.py).
NO_SCAN = N_("No camera? Open {start} in the phone's browser, type the meeting code {code}, then the check-in code.")


def join_link(public_url: str, meeting_id: str, code: str) -> str:
    return f"{public_url}/m/{meeting_id}/join?code={code}"


class SlipsHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    async def _entries(self, meeting_id: str) -> list[dict[str, Any]]:
        m = await self.app.meetings.state(meeting_id)
        codes = await self.app.meetings.join_codes(meeting_id)
        return [{"index": i, "name": r["name"], "category": r["category"], "code": c, "shown": shown(c),
                 "link": join_link(self.app.settings.public_url, meeting_id, c),
                 "checked_in": m.invitees_in.get(i)}
                for i, (r, c) in enumerate(zip(m.roster, codes))]

    async def _refused(self, request: Request) -> Response | None:
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        if not await self.app.staff(request, meeting_id):
            return error(request, "bad_credentials", 403)
        return None

    async def codes(self, request: Request) -> Response:
        if (refused := await self._refused(request)) is not None:
            return refused
        entries = await self._entries(request.path_params["id"])
        return JSONResponse({"ok": True, "codes": entries}, headers=PRIVATE)

    async def slips(self, request: Request) -> Response:
        from .app import PAGES, lang_of

        if (refused := await self._refused(request)) is not None:
            return refused
        meeting_id = request.path_params["id"]
        m = await self.app.meetings.state(meeting_id)
        lang = lang_of(request) if "lang" in request.query_params else m.language
        entries = await self._entries(meeting_id)
        pages = max(1, -(-len(entries) // SLIPS_PER_PAGE))
        try:
            page = min(max(1, int(request.query_params.get("page", "1"))), pages)
        except ValueError:
            page = 1
        shown_entries = entries[(page - 1) * SLIPS_PER_PAGE: page * SLIPS_PER_PAGE]
        for e in shown_entries:
            e["qr"] = "data:image/svg+xml;base64," + base64.b64encode(qr.svg(e["link"])).decode()
        categories = {c["key"]: c["zh" if lang == "zh-CN" else "en"] for c in m.categories}
        kept = {k: request.query_params[k] for k in ("key", "token", "lang") if k in request.query_params}
        html = PAGES.get_template("slips.html").render(
            lang=lang, title=m.title, slips=shown_entries, categories=categories, page=page, pages=pages,
            t={k: gettext(lang, v, page=page, pages=pages) for k, v in TEXTS.items()},
            no_scan=gettext(lang, NO_SCAN, start=start_url(self.app.settings.public_url).removeprefix("http://"),
                            code=code_of(meeting_id)),
            previous="?" + urlencode({**kept, "page": page - 1}) if page > 1 else "",
            next="?" + urlencode({**kept, "page": page + 1}) if page < pages else "",
        )
        return HTMLResponse(html, headers=PRIVATE)


def slips_routes(app: Yishi) -> list[Route]:
    h = SlipsHTTP(app)
    return [Route("/api/meetings/{id}/codes", h.codes), Route("/m/{id}/slips", h.slips)]
