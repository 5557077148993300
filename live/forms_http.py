"""HTTP for a community's templates of the forms of consultation and its wording
(facilitation/forms.py), per community (`?community=ID`, as the register's and topics' routes),
with the facilitator's token.

| path | what |
|---|---|
| GET /api/forms | the community's wording and every form's template (the built-in one until edited) |
| POST /api/forms/wording | {wording: village \\| neighbourhood} |
| POST /api/forms/petition-base | {base: residents \\| adults}: whom a residents' petition counts from now on |
| POST /api/forms/{form} | a form's template edited: {agenda?, speaking_seconds?, speakers?, voters?, poll_kinds?, quorum?, floor_policy?, floor_limits?} |
| POST /api/forms/{form}/reset | back to the built-in template |

A meeting created with a form (`POST /api/meetings`, `community` or `convene.community`) takes its
community's template: `applied` below. The floor's policy and limits the template sets are the new
meeting's unless its creator gives their own (facilitation/agenda.py).
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation import forms
from facilitation.community import COMMUNITY
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.meeting import FORMS, default_categories
from voting.polls import KINDS as POLL_KINDS

from .bodies import read_json
from .errors import TransportError
from .registry import FormsBook, Registries

if TYPE_CHECKING:
    from .app import Yishi

PRIVATE = {"Cache-Control": "no-store"}
MAX_BODY = 32 * 1024


def applied(books: Registries, payload: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """A new meeting's payload with its community's template of its form applied: the agenda
    steps when the organiser gave no items, the speaking time and the categories (in the
    community's wording) when not given; and what was applied, which the meeting keeps. `given` is
    the request's own JSON (to tell a field left out from one given its default)."""
    community = payload.pop("community", "") or ""
    convene = payload.get("convene")
    if not community and isinstance(convene, dict) and isinstance(convene.get("community"), str):
        community = convene["community"]
    if not isinstance(community, str) or (community and not COMMUNITY.fullmatch(community)):
        raise TransportError("bad_payload", detail="community")
    form = payload.get("form", "council")
    if form not in FORMS:
        return payload  # refused with its reason by the create command
    book: forms.FormBook = books(community).state()  # type: ignore[assignment]
    template = book.template(form, payload.get("language", "zh-CN"))
    agenda_applied = not payload.get("agenda")
    if agenda_applied:
        payload["agenda"] = [{"title": step} for step in template["agenda"]]
    if "speaking_seconds" not in given:
        payload["speaking_seconds"] = template["speaking_seconds"]
    payload["template"] = forms.applied(template, community=community, agenda_applied=agenda_applied)
    payload["wording"] = book.wording
    return payload


class FormsHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self.books = app.form_books

    def _community(self, request: Request) -> str | None:
        given = request.query_params.get("community", "")
        return given if not given or COMMUNITY.fullmatch(given) else None

    def _refused(self, request: Request) -> Response | None:
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        if self._community(request) is None:
            return error(request, "bad_payload", 400, {"detail": "community"})
        return None

    def _book(self, request: Request) -> Any:
        return self.books(self._community(request) or "")

    async def listed(self, request: Request) -> Response:
        from .app import lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        book: forms.FormBook = await asyncio.to_thread(self._book(request).state)
        lang = lang_of(request)
        out = [{"form": f, "template": book.template(f, lang), "edited": f in book.templates,
                "builtin": forms.builtin(f, lang), "law_quorum": forms.law_quorum(f)} for f in FORMS]
        return JSONResponse({"ok": True, "community": self._community(request) or "", "wording": book.wording,
                             "petition_base": book.petition_base, "forms": out, "poll_kinds": list(POLL_KINDS), "quorums": list(forms.QUORUMS),
                             "categories": default_categories(book.wording), "history": book.history[-50:]},
                            headers=PRIVATE)

    async def _write(self, request: Request, make: Any) -> Response:
        from .app import error

        if (refused := self._refused(request)) is not None:
            return refused
        try:
            body = await read_json(request, MAX_BODY)
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        try:
            record = await self._book(request).write(lambda book: make(book, body))
        except MeetingError as exc:
            return error(request, exc.code, 400, exc.params)
        return JSONResponse({"ok": True, "seq": record.seq, **{k: record.data[k] for k in ("form", "template", "wording", "base")
                                                              if k in record.data}}, headers=PRIVATE)

    async def edit(self, request: Request) -> Response:
        form = request.path_params["form"]
        return await self._write(request, lambda book, body: forms.set_template(book, form, body, actor=By(FACILITATOR)))

    async def reset(self, request: Request) -> Response:
        form = request.path_params["form"]
        return await self._write(request, lambda book, _: forms.reset_template(book, form, actor=By(FACILITATOR)))

    async def petition_base(self, request: Request) -> Response:
        return await self._write(request, lambda book, body: forms.set_petition_base(book, body.get("base"),
                                                                                     actor=By(FACILITATOR)))

    async def wording(self, request: Request) -> Response:
        return await self._write(request, lambda book, body: forms.set_wording(book, body.get("wording"),
                                                                               actor=By(FACILITATOR)))


def forms_routes(app: Yishi) -> list[Route]:
    h = FormsHTTP(app)
    return [
        Route("/api/forms", h.listed, methods=["GET"]),
        Route("/api/forms/wording", h.wording, methods=["POST"]),
        Route("/api/forms/petition-base", h.petition_base, methods=["POST"]),
        Route("/api/forms/{form}", h.edit, methods=["POST"]),
        Route("/api/forms/{form}/reset", h.reset, methods=["POST"]),
    ]
