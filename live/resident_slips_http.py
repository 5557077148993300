"""HTTP for residents' codes (live/resident_codes.py): the printed slips, the list, and a reissue.
Every route needs the facilitator's token and takes `?community=ID` as the register's routes do;
the answers carry no-store (they are as secret as the codes).

| path | what |
|---|---|
| GET /register/slips | a printable page of slips (name, household and group, code, QR), SLIPS_PER_PAGE to a page; ?group= (a building or 村民小组), ?person=, ?page= |
| GET /api/register/codes | the same as JSON: every holder's code and link (?group=, ?person=) |
| POST /api/register/people/{id}/code | a lost slip replaced: the person's next code; the old one stops working |

A slip's QR opens the public topics page with the code after "#" (`/topics?community=…#code=…`),
which the page keeps on the phone; the code is also printed for typing.
"""
from __future__ import annotations

import base64
import logging
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from facilitation.community import COMMUNITY, Community, reissue_code
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By

from . import qr
from .i18n import N_, Words
from .resident_codes import shown

if TYPE_CHECKING:
    from .app import Yishi

log = logging.getLogger("yishi")
SLIPS_PER_PAGE = 60  # ten A4 pages of six, as the meetings' slips
PRIVATE = {"Cache-Control": "no-store"}

TEXTS = {
    "heading": N_("Resident code"),
    "intro": N_("One slip for each resident who may take part: cut them apart and hand each to its holder."),
    "code": N_("Resident code"),
    "how": N_("Scan the code with your phone's camera to open the community's topics, where you can propose a topic "
              "and co-sign petitions. Keep this slip to yourself: the code acts in your name."),
    "no_scan": N_("No camera? Open {address} in the phone's browser and type the code."),
    "groups": N_("Print for:"),
    "everyone": N_("everyone"),
    "page": N_("Page {page} of {pages}"),
    "previous": N_("Previous page"),
    "next": N_("Next page"),
    "none": N_("Nobody here holds a resident code: the register has no active adult registered resident or "
               "representative (for this group)."),
}


def topics_link(public_url: str, community: str, code: str = "") -> str:
    """The public topics page of the community, with the code after "#" when given."""
    return f"{public_url}/topics" + (f"?{urlencode({'community': community})}" if community else "") + \
        (f"#code={code}" if code else "")


class ResidentSlipsHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    def _refused(self, request: Request) -> Response | None:
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        given = request.query_params.get("community", "")
        if given and not COMMUNITY.fullmatch(given):
            return error(request, "bad_payload", 400, {"detail": "community"})
        return None

    async def _entries(self, request: Request) -> tuple[Community, list[dict[str, Any]]]:
        """The holders of a code, by group, household and register order; ?group= and ?person= filter."""
        community = request.query_params.get("community", "")
        group, person = request.query_params.get("group"), request.query_params.get("person")
        register, codes = await self.app.resident_codes.codes(community)
        out: list[dict[str, Any]] = []
        for pid, code in codes.items():
            p = register.entries[pid].person
            if (group and p.group != group) or (person and pid != person):
                continue
            where = " · ".join(x for x in (p.group, p.household, "、".join(f"{f.building}{f.unit}{f.room}" for f in p.flats))
                               if x)
            out.append({"person": pid, "name": p.name, "household": p.household, "group": p.group, "where": where,
                        "code": code, "shown": shown(code),
                        "link": topics_link(self.app.settings.public_url, community, code)})
        out.sort(key=lambda e: (e["group"] or "", e["household"] or "", int(str(e["person"])[1:])))
        return register, out

    async def codes(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        _, entries = await self._entries(request)
        return JSONResponse({"ok": True, "codes": entries}, headers=PRIVATE)

    async def slips(self, request: Request) -> Response:
        from .app import PAGES, lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        lang, community = lang_of(request), request.query_params.get("community", "")
        register, entries = await self._entries(request)
        pages = max(1, -(-len(entries) // SLIPS_PER_PAGE))
        try:
            page = min(max(1, int(request.query_params.get("page", "1"))), pages)
        except ValueError:
            page = 1
        chosen = entries[(page - 1) * SLIPS_PER_PAGE: page * SLIPS_PER_PAGE]
        for e in chosen:
            e["qr"] = "data:image/svg+xml;base64," + base64.b64encode(qr.svg(e["link"])).decode()
        kept = {k: request.query_params[k] for k in ("token", "lang", "community", "group", "person")
                if request.query_params.get(k)}

        def href(**change: Any) -> str:
            return "?" + urlencode({k: v for k, v in {**kept, **change}.items() if v})

        groups = sorted({e.person.group for e in register.entries.values() if e.person.group})
        html = PAGES.get_template("resident-slips.html").render(
            lang=lang, w=Words(TEXTS, lang), community=community, slips=chosen, page=page, pages=pages,
            group=request.query_params.get("group", ""), everyone=href(group="", person="", page=""),
            groups=[(g, href(group=g, person="", page="")) for g in groups],
            address=topics_link(self.app.settings.public_url, community).removeprefix("http://"),
            previous=href(page=page - 1) if page > 1 else "", next=href(page=page + 1) if page < pages else "")
        return HTMLResponse(html, headers=PRIVATE)

    async def reissue(self, request: Request) -> Response:
        from .app import error

        if (refused := self._refused(request)) is not None:
            return refused
        community, pid = request.query_params.get("community", ""), request.path_params["id"]
        try:
            await self.app.registries(community).write(
                lambda c: reissue_code(c, pid, year=date.today().year, actor=By(FACILITATOR)))
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code == "no_such_person" else 400, exc.params)
        log.warning("community %r: %s was issued a new resident code by the facilitator; the old one no longer works",
                    community, pid)
        slip = "/register/slips?" + urlencode({k: v for k, v in {"community": community, "person": pid}.items() if v})
        return JSONResponse({"ok": True, "id": pid, "slip": slip}, headers=PRIVATE)


def resident_slips_routes(app: Yishi) -> list[Route]:
    h = ResidentSlipsHTTP(app)
    return [
        Route("/register/slips", h.slips),
        Route("/api/register/codes", h.codes),
        Route("/api/register/people/{id}/code", h.reissue, methods=["POST"]),
    ]
