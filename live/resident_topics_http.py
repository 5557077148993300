"""Topics from a resident's own phone, with their resident code (居民码, live/resident_codes.py),
on the public topics page (static/js/topics.js): who the code is, a topic proposed, a petition
co-signed. Every request carries the code (the phone keeps it; the server keeps no session), and
the event's actor is the resident (role `resident`, id their register id), never staff. What the
body says of anyone's identity (actor, proposer, source, person) is not read.

| path | what |
|---|---|
| POST /topics/me | {code}: the resident's name, whether a representative, and the petitions they signed |
| POST /topics/propose | {code, title, kind, background?, groups?, petition?}: a residents' topic, proposed under their register name |
| POST /topics/{topic}/sign | {code}: their co-signature, online; the progress after it |

Each takes `?community=ID` as the page does. A wrong code is counted against the community
(too_many_tries after a few in a minute); a refusal is in the request's language (`?lang=`).
"""
from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation import topics
from facilitation.community import RESIDENT, Community
from facilitation.errors import MeetingError
from facilitation.events import By

from .errors import TransportError
from .ratelimit import address_of
from .i18n import Words

if TYPE_CHECKING:
    from .app import Yishi
    from .topics_http import TopicsHTTP

PRIVATE = {"Cache-Control": "no-store"}
MAX_CODE = 40  # what is typed: the 12 digits with spaces, in full width at worst


class ResidentTopicsHTTP:
    def __init__(self, app: Yishi, topics_http: TopicsHTTP) -> None:
        self.app = app
        self.h = topics_http

    async def _resident(self, request: Request) -> tuple[dict[str, Any], str, Community]:
        """The body, the register id of the code's holder and the register; TransportError else."""
        try:
            body = await self.h._body(request)
        except ValueError:
            raise TransportError("bad_payload", 400, detail="invalid", where="body") from None
        code = body.get("code")
        if code is not None and (not isinstance(code, str) or len(code) > MAX_CODE):
            raise TransportError("bad_payload", 400, detail="invalid", where="code")
        community = self.h._community(request) or ""
        person = await self.app.resident_codes.identify(community, code or "", address_of({"asgi.scope": request.scope}))
        register = await asyncio.to_thread(self.app.resident_codes.register, community)
        return body, person, register

    async def _answer(self, request: Request,
                      work: Callable[[dict[str, Any], str, Community], Awaitable[Response]]) -> Response:
        from .app import error

        if (refused := self.h._refused(request, office=False)) is not None:
            return refused
        try:
            body, person, register = await self._resident(request)
            return await work(body, person, register)
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code == "no_such_topic" else 400, exc.params)
        except (ValueError, TypeError, KeyError, RecursionError):
            return error(request, "bad_payload", 400, {"detail": "invalid", "where": "body"})

    async def me(self, request: Request) -> Response:
        async def work(body: dict[str, Any], person: str, register: Community) -> Response:
            book = await asyncio.to_thread(self.h._book(request).state)
            p = register.entries[person].person
            return JSONResponse({"ok": True, "name": p.name, "representative": p.representative,
                                 "signed": [t.id for t in book.topics.values() if person in t.signatures]},
                                headers=PRIVATE)

        return await self._answer(request, work)

    async def propose(self, request: Request) -> Response:
        async def work(body: dict[str, Any], person: str, register: Community) -> Response:
            entry = register.entries[person]
            petition = str(body.get("petition") or "")
            if petition == "representatives" and not entry.person.representative:
                raise MeetingError("not_a_representative")
            groups = body.get("groups") or []
            if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
                raise ValueError("groups")
            base = await self.h.residents_base(request)
            record = await self.h._book(request).write(lambda book: topics.propose(
                book, title=str(body.get("title", "")), kind=str(body.get("kind", "")), source="residents",
                proposer=entry.person.name, background=str(body.get("background", "")), groups=groups,
                petition=petition, person=person, residents_base=base, actor=By(RESIDENT, person)))
            return JSONResponse({"ok": True, "topic": record.data["topic"], "seq": record.seq}, status_code=201,
                                headers=PRIVATE)

        return await self._answer(request, work)

    async def sign(self, request: Request) -> Response:
        from .app import lang_of
        from .topics_http import TEXTS

        tid = request.path_params["topic"]

        async def work(body: dict[str, Any], person: str, register: Community) -> Response:
            book = self.h._book(request)
            await book.write(lambda b: topics.sign(b, tid, register, person, via="online", year=date.today().year,
                                                   actor=By(RESIDENT, person)))
            t = (await asyncio.to_thread(book.state)).topics[tid]
            progress = await self.h._progress(request, t)
            w = Words(TEXTS, lang_of(request))
            return JSONResponse({"ok": True, "topic": tid, "status": t.status, "petition": progress,
                                 "text": w(f"petition_{t.base}", **{k: progress[k] for k in ("signatures", "needed")})
                                 if progress else "", "status_text": w(f"status_{t.status}")}, headers=PRIVATE)

        return await self._answer(request, work)


def resident_topics_routes(app: Yishi, topics_http: TopicsHTTP) -> list[Route]:
    h = ResidentTopicsHTTP(app, topics_http)
    return [
        Route("/topics/me", h.me, methods=["POST"]),
        Route("/topics/propose", h.propose, methods=["POST"]),
        Route("/topics/{topic}/sign", h.sign, methods=["POST"]),
    ]
