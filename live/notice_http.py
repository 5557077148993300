"""HTTP for the notice before the meeting (会议通知), who was told (通知回执) and the replies (参会回复).

| path | who |
|---|---|
| GET /m/{id}/notice | moderator or recorder key (?key=) or facilitator token: the printable A4 notice |
| GET /meetings/{id}/notice | anyone: the same notice for the notice board, residents' names masked as in the public minutes |
| GET /api/meetings/{id}/notices | staff as above: who was told, when and how, the replies, the warnings |
| POST /api/meetings/{id}/reply | an invitee with their personal code: `{code, answer, holder?}` replies; `{code}` alone gives the reply |

The notice carries the join page's QR code and address (the same for everyone: a personal code is
on each slip, never on the notice). The code is sent in the body, never in an address; wrong codes
count against the meeting's code lock (live/services.py), and each address is held to a few tries a
minute, as the objection page does.
"""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from facilitation.masking import masker_for
from facilitation.notice import opened_at
from facilitation.roles import GUEST, Actor
from facilitation.views import notice_view

from . import qr
from .bodies import read_json
from .errors import TransportError
from .i18n import N_, gettext
from .minutes.labels import Labels
from .minutes.present import _ISSUER_IN_PLACE
from .ratelimit import Buckets, address_of
from .services import RuleError

if TYPE_CHECKING:
    from .app import Yishi

MAX_BODY = 4 * 1024
TRIES_BURST, TRIES_RATE = 10.0, 0.2  # posts from one address: ten at once, then one every five seconds
PRIVATE = {"Cache-Control": "no-store"}

# Each fixed line of the notice is printed in Chinese first, then in English.
TEXTS = {
    "heading": N_("Meeting notice"),
    "intro": N_("You are invited to the meeting below. Please come on time."),
    "when": N_("Time"),
    "where": N_("Place"),
    "form": N_("Form of consultation"),
    "agenda": N_("Agenda and background"),
    "topic": N_("Takes up the topic"),
    "take_part": N_("How to take part"),
    "slip": N_("Bring the personal slip you were given: scan its QR code with your phone at the meeting, or type its "
               "check-in code on the join page."),
    "join": N_("The join page (scan, or type the address):"),
    "no_phone": N_("Without a phone? Come to the check-in desk with your slip, or send someone with a written, signed "
                   "proxy (委托书)."),
    "reply": N_("Please tell us whether you will come: open the link on your slip before the meeting, or tell the "
                "organisers."),
    "issuer": N_("Issued by"),
    "not_set": N_("to be announced"),
    "residents_committee": N_("residents' committee"),
    "villagers_committee": N_("villagers' committee"),
}
LANGS = ("zh-CN", "en")


def issuer_of(issuer: str, place: str, title: str, lang: str) -> str:
    """The body the meeting names; else the one its place names; else the committee (as the minutes say)."""
    if issuer:
        return issuer
    if found := _ISSUER_IN_PLACE.search(place or ""):
        return found.group(0)
    key = "villagers_committee" if "村" in (place or "") + title else "residents_committee"
    return gettext(lang, TEXTS[key])


class NoticeHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self.tries = Buckets(TRIES_BURST, TRIES_RATE)

    async def _staff_refused(self, request: Request) -> Response | None:
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        if not await self.app.staff(request, meeting_id):
            return error(request, "bad_credentials", 403)
        return None

    async def staff_notice(self, request: Request) -> Response:
        if (refused := await self._staff_refused(request)) is not None:
            return refused
        return await self._notice(request, public=False)

    async def public_notice(self, request: Request) -> Response:
        if not await self.app.meetings.exists(request.path_params["id"]):
            return self.app.page(request, "missing.html", {}, status=404, scripts=False)
        return await self._notice(request, public=True)

    async def _notice(self, request: Request, *, public: bool) -> Response:
        from .app import links

        meeting_id = request.path_params["id"]
        m = await self.app.meetings.state(meeting_id)
        lang = request.query_params.get("lang") if request.query_params.get("lang") in LANGS else m.language
        text = masker_for(m, active=public).text
        join = links(self.app.settings, meeting_id, None)["join"]
        both = {k: [gettext(x, v) for x in LANGS] for k, v in TEXTS.items()}  # Chinese first, English too
        items = [{"title": text(i.title), "background": text(i.background),
                  "topic": text(str(i.topic.get("title", ""))) if i.topic else ""} for i in m.items]
        html = self.app.page(
            request, "notice.html", {"lang": lang, "title": text(m.title)}, scripts=False,
            t=both, meeting_title=text(m.title), starts_at=m.starts_at, place=text(m.place),
            form=[Labels(x).word(m.form) for x in LANGS], items=items, join=join,
            qr="data:image/svg+xml;base64," + base64.b64encode(qr.svg(join)).decode(),
            issuer=issuer_of(text(m.issuer), text(m.place), m.title, lang), public=public)
        return html

    async def notices(self, request: Request) -> Response:
        if (refused := await self._staff_refused(request)) is not None:
            return refused
        m = await self.app.meetings.state(request.path_params["id"])
        view = notice_view(m)
        for p in view["people"]:  # the names, for the office's page (the console has the roster already)
            r = m.roster[p["index"]]
            p.update(name=r["name"], category=r["category"])
        return JSONResponse({"ok": True, **view, "categories": m.categories}, headers=PRIVATE)

    async def reply(self, request: Request) -> Response:
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        address = address_of({"asgi.scope": request.scope})
        if address and (wait := self.tries.wait(address)):
            return error(request, "too_fast", 429, {"seconds": max(1, round(wait))})
        try:
            body = await read_json(request, MAX_BODY)
            code, answer, holder = body.get("code", ""), body.get("answer"), body.get("holder", "")
            if not isinstance(code, str) or not isinstance(holder, str) or not isinstance(answer, (str, type(None))):
                raise TransportError("bad_payload", problem="type", where="code, answer, holder")
            if "invitee" in body:  # a code replies for its own holder; nobody names another
                raise TransportError("bad_payload", problem="extra", where="invitee")
            invitee = await self.app.meetings.invitee_for_code(meeting_id, code, address)
            if answer is not None:
                await self.app.meetings.execute(meeting_id, Actor(GUEST, None, invitee), "reply",
                                                {"answer": answer, "holder": holder})
        except ValueError:
            return error(request, "bad_payload", 400, {"detail": "invalid"})
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        except RuleError as exc:
            return error(request, exc.code, 400, exc.params)
        m = await self.app.meetings.state(meeting_id)
        r = m.roster[invitee]
        return JSONResponse({"ok": True, "name": r["name"], "reply": m.replies.get(invitee),
                             "open": not m.closed and opened_at(m) is None}, headers=PRIVATE)


def notice_routes(app: Yishi) -> list[Route]:
    h = NoticeHTTP(app)
    return [
        Route("/m/{id}/notice", h.staff_notice),
        Route("/meetings/{id}/notice", h.public_notice),
        Route("/api/meetings/{id}/notices", h.notices),
        Route("/api/meetings/{id}/reply", h.reply, methods=["POST"]),
    ]
