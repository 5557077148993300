"""The publicity period (公示期) from a resident's side: while a meeting's decisions are posted, an
invited resident — whether or not they came — raises an objection with their personal code (the
one on their slip), reads the organisers' explanation and answers it, on a page that needs no
script (an old phone, a borrowed one) or as JSON.

| route | who |
|---|---|
| GET /meetings/{id}/object | anyone: the form (the items, the period's last day) |
| POST /meetings/{id}/object | a resident with their code: `{code, item, reason}` raises an objection; `{code}` alone shows theirs |
| POST /meetings/{id}/object/answer | the objector with their code: `{code, objection_id, response, comment?}` |

A form post is answered with the page; a JSON post (Content-Type: application/json) with JSON.
The code is sent in the body, never in an address (addresses end up in logs and histories).
Wrong codes count against the meeting's code lock (live/services.py), and each address is held to
a few tries a minute, as the start page does.
"""
from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation.followup import day_of, publicity_period
from facilitation.masking import masker_for
from facilitation.objections import of_invitee
from facilitation.roles import GUEST, Actor

from .bodies import TooLarge, read_limited
from .errors import TransportError, message
from .i18n import pick
from .ratelimit import Buckets, address_of
from .services import RuleError

if TYPE_CHECKING:
    from .app import Yishi

MAX_BODY = 16 * 1024
TRIES_BURST, TRIES_RATE = 10.0, 0.2  # posts from one address: ten at once, then one every five seconds


class Publicity:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self.tries = Buckets(TRIES_BURST, TRIES_RATE)

    async def _form(self, request: Request) -> dict[str, str]:
        body = await read_limited(request, MAX_BODY)
        if request.headers.get("content-type", "").startswith("application/json"):
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise TransportError("bad_payload", detail="expected an object")
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items() if isinstance(k, str)}
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}

    def _lang(self, request: Request, meeting_language: str) -> str:
        chosen = request.query_params.get("lang")
        return pick(chosen, request.headers.get("accept-language", "")) if chosen or request.headers.get(
            "accept-language") else meeting_language

    async def page(self, request: Request) -> Response:
        return await self._answer(request, {}, "", 200)

    async def raise_objection(self, request: Request) -> Response:
        return await self._post(request, answering=False)

    async def answer(self, request: Request) -> Response:
        return await self._post(request, answering=True)

    async def _post(self, request: Request, answering: bool) -> Response:
        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return await self._answer(request, {}, "no_such_meeting", 404)
        address = address_of({"asgi.scope": request.scope})
        if address and (wait := self.tries.wait(address)):
            return await self._answer(request, {}, "too_fast", 429, {"seconds": max(1, round(wait))})
        try:
            form = await self._form(request)
            invitee = await self.app.meetings.invitee_for_code(meeting_id, form.get("code", ""), address)
            actor = Actor(GUEST, None, invitee)
            if answering:
                await self.app.meetings.execute(meeting_id, actor, "answer_in_publicity", {
                    "objection_id": form.get("objection_id", ""), "response": form.get("response", ""),
                    "comment": form.get("comment", "")})
                done = "answered"
            elif form.get("reason", "").strip():
                item = form.get("item", "")
                if not item.lstrip("-").isdigit() or len(item) > 4:
                    raise TransportError("bad_payload", detail="item")
                await self.app.meetings.execute(meeting_id, actor, "object_in_publicity",
                                                {"item": int(item), "reason": form.get("reason", "")})
                done = "raised"
            else:
                done = ""  # the code alone: show this resident's objections
        except TooLarge:
            return await self._answer(request, {}, "too_large", 413, {"max": MAX_BODY // 1024})
        except (ValueError, RecursionError):
            return await self._answer(request, {}, "bad_payload", 400, {"detail": "not JSON"})
        except TransportError as exc:
            return await self._answer(request, form if "form" in locals() else {}, exc.code, exc.status, exc.params)
        except RuleError as exc:
            return await self._answer(request, form, exc.code, 400, exc.params)
        return await self._answer(request, form, "", 200, invitee=invitee, done=done)

    async def _answer(self, request: Request, form: dict[str, str], code: str, status: int,
                      params: dict[str, Any] | None = None, *, invitee: int | None = None, done: str = "") -> Response:
        from .app import error

        meeting_id = request.path_params["id"]
        wants_json = request.headers.get("content-type", "").startswith("application/json") or \
            request.headers.get("accept", "").startswith("application/json")
        if not await self.app.meetings.exists(meeting_id):
            if wants_json:
                return error(request, "no_such_meeting", 404)
            return self.app.page(request, "missing.html", {}, status=404, scripts=False)
        m = await self.app.meetings.state(meeting_id)
        lang = self._lang(request, m.language)
        mask = masker_for(m)
        period = publicity_period(m)
        mine = [{"id": o.id, "item": o.item, "reason": o.reason, "explanations": o.explanations,
                 "response": o.response, "during": o.during} for o in of_invitee(m, invitee)] if invitee is not None else []
        said = message(code, lang, params) if code else ""
        if wants_json:
            if code:
                return error(request, code, status, params)
            return JSONResponse({"ok": True, "done": done, "period": [d.isoformat() for d in period] if period else None,
                                 "objections": mine}, headers={"Cache-Control": "no-store"})
        items = [{"index": i.index, "title": mask.text(i.title)} for i in m.items]
        return self.app.page(
            request, "object.html", {"lang": lang, "title": mask.text(m.title)}, status, scripts=False,
            meeting_id=meeting_id, meeting_title=mask.text(m.title), closed=m.closed, period=period, items=items,
            over=bool(period) and day_of(time.time()) > period[1],
            said=said, done=done, mine=mine, code=form.get("code", "") if invitee is not None else "",
            item_chosen=form.get("item", ""), reason=form.get("reason", "") if code else "")


def publicity_routes(app: Yishi) -> list[Route]:
    p = Publicity(app)
    return [
        Route("/meetings/{id}/object", p.page, methods=["GET"]),
        Route("/meetings/{id}/object", p.raise_objection, methods=["POST"]),
        Route("/meetings/{id}/object/answer", p.answer, methods=["POST"]),
    ]
