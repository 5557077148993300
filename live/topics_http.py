"""HTTP for topics and petitions (facilitation/topics.py), per community (`?community=ID`, as the
register's routes). The office's routes need the facilitator's token; the public list shows each
topic's status and a petition's progress, never who signed.

| path | what |
|---|---|
| GET /api/topics | every topic with its signers' names (facilitator) |
| POST /api/topics | a topic proposed: {title, kind, source, proposer, background?, groups?, petition?} |
| POST /api/topics/{topic}/signatures | a paper sheet entered: {"sheet": [{name, household?, birth_year?}]}; each line signed or refused with the reason |
| POST /api/topics/{topic}/accept, /decline {reason}, /schedule {meeting, item} | the organisers' decisions |
| GET /topics.json | the public list: status, kind, source, background, petition progress, the meeting it is on |
| GET /topics | the same as a page for phones and the notice board (printed on A4 with a QR code of itself) |
"""
from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from facilitation import topics
from facilitation.community import COMMUNITY
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.roles import Actor

from .bodies import read_json
from . import qr
from .errors import TransportError, message
from .i18n import N_, Words
from .registry import Registries, TopicsBook
from .services import RuleError

if TYPE_CHECKING:
    from .app import Yishi

PRIVATE = {"Cache-Control": "no-store"}
MAX_BODY = 64 * 1024

TEXTS = {
    "title": N_("Topics for consultation"),
    "intro": N_("What residents and the community's bodies have proposed for consultation, and where each "
                "stands. A residents' proposal co-signed by one tenth of the adult registered residents (or one "
                "fifth of the representatives) must be consulted on. Who signed is never shown here."),
    "nothing": N_("No topic has been proposed yet."),
    "kind_legal": N_("A matter the law requires consultation on"),
    "kind_policy": N_("Carrying out a policy"),
    "kind_planning": N_("Plans, works and large funds"),
    "kind_charter": N_("Residents' charter or village rules"),
    "kind_urgent": N_("An urgent problem or a dispute"),
    "kind_other": N_("Other public affairs"),
    "source_party": N_("the community Party organisation"),
    "source_committee": N_("the residents' or villagers' committee"),
    "source_parties": N_("a party concerned"),
    "source_residents": N_("residents"),
    "source_township": N_("the township or street office"),
    "status_proposed": N_("proposed"),
    "status_accepted": N_("accepted for consultation"),
    "status_declined": N_("declined"),
    "status_scheduled": N_("on a meeting's agenda"),
    "status_consulted": N_("consulted on"),
    "status_decided": N_("decided"),
    "proposed_by": N_("Proposed by {source} on {date}"),
    "groups": N_("Affects"),
    "petition_residents": N_("Co-signatures: {signatures} of the {needed} needed (one tenth of the adult registered residents)"),
    "petition_representatives": N_("Co-signatures: {signatures} of the {needed} needed (one fifth of the representatives)"),
    "petition_adults": N_("Co-signatures: {signatures} of the {needed} needed (one tenth of the adult residents)"),
    "by_petition": N_("Accepted: the petition reached its threshold."),
    "declined_because": N_("Declined. The reason given"),
    "meeting": N_("The meeting's public minutes"),
    "scan": N_("Scan to read the topics on a phone."),
    "status": N_("Status"),
    "kind": N_("Kind"),
    "materials": N_("Material"),
    "pdf_size": N_("PDF, {kb} KB"),
    # opinions gathered in advance (live/opinions_http.py)
    "opinions": N_("Opinions gathered in advance"),
    "opinions_period": N_("Open for opinions from {opens} to {until}."),
    "opinions_ended": N_("Opinions were gathered from {opens} to {until}."),
    "opinions_none": N_("No opinion has been given yet."),
    "opinions_counts": N_("{agree} agree · {disagree} disagree"),
    "opinions_consensus": N_("Every group that took a stance agrees"),
    "opinions_divided": N_("The groups are divided"),
    "channel_online": N_("online"),
    "channel_paper": N_("on paper"),
    "channel_phone": N_("by telephone"),
}



class TopicsHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self.books = Registries(app.store, kind=TopicsBook)

    def _community(self, request: Request) -> str | None:
        given = request.query_params.get("community", "")
        return given if not given or COMMUNITY.fullmatch(given) else None

    def _refused(self, request: Request, *, office: bool = True) -> Response | None:
        from .app import error

        if office and not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        if self._community(request) is None:
            return error(request, "bad_payload", 400, {"detail": "community"})
        return None

    def _book(self, request: Request) -> Any:
        return self.books(self._community(request) or "")

    def _register(self, request: Request) -> Any:
        return self.app.registries(self._community(request) or "")

    async def _body(self, request: Request) -> dict[str, Any]:
        """The JSON object sent; ValueError for anything else (too large included: bad input like any other)."""
        try:
            return await read_json(request, MAX_BODY)
        except TransportError as exc:
            raise ValueError(exc.code) from None

    async def _progress(self, request: Request, t: topics.Topic) -> dict[str, Any] | None:
        """A petition's signatures and the threshold as the register stands now."""
        if not t.base:
            return None
        register = await asyncio.to_thread(self._register(request).state)
        need = topics.needed(register, t.base, date.today().year)
        return {"base": t.base, "signatures": len(t.signatures), "needed": need}

    async def _stage(self, t: topics.Topic) -> str:
        """Where a scheduled topic stands, from its meeting: consulted once the meeting was held,
        decided once its item has an outcome."""
        if t.status != "scheduled":
            return t.status
        found = await self.app.digests.listed(t.meeting)
        entry = found[0].digest["board"] if found else None
        if entry is None:
            return "scheduled"
        items = entry["items"]
        item = items[t.item] if t.item is not None and t.item < len(items) else None
        return "decided" if item and item["outcome"] else "consulted"

    async def _public(self, request: Request, t: topics.Topic) -> dict[str, Any]:
        c = self._community(request)
        from .opinions_http import public_summary

        return {"id": t.id, "title": t.title, "kind": t.kind, "source": t.source, "groups": t.groups,
                "opinions": await public_summary(self, request, t),
                "background": t.background, "status": await self._stage(t), "reason": t.reason,
                "accepted_by": t.accepted_by or None, "petition": await self._progress(request, t),
                "meeting": t.meeting or None, "item": t.item,
                "proposed_on": date.fromtimestamp(t.proposed_at).isoformat(),
                "materials": [{**{k: m[k] for k in ("sha256", "type", "size", "name")},
                               "href": f"/topics/{t.id}/materials/{m['sha256']}" + (f"?community={c}" if c else "")}
                              for m in t.materials]}

    async def listed(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        book = await asyncio.to_thread(self._book(request).state)
        register = await asyncio.to_thread(self._register(request).state)
        out = []
        for t in book.topics.values():
            signers = [{"person": pid, "name": register.entries[pid].person.name if pid in register.entries else "",
                        **s} for pid, s in t.signatures.items()]
            out.append({**await self._public(request, t), "proposer": t.proposer, "signers": signers,
                        "history": t.history})
        return JSONResponse({"ok": True, "topics": out}, headers=PRIVATE)

    async def public(self, request: Request) -> Response:
        if (refused := self._refused(request, office=False)) is not None:
            return refused
        book = await asyncio.to_thread(self._book(request).state)
        return JSONResponse({"ok": True, "topics": [await self._public(request, t) for t in book.topics.values()]},
                            headers={"Cache-Control": "no-cache"})

    async def page(self, request: Request) -> Response:
        """The public list as a page (phones, and A4 for the notice board): no names of signers."""
        import base64
        from urllib.parse import urlencode

        from .app import PAGES, assets, lang_of
        from .board_http import long_date

        if (refused := self._refused(request, office=False)) is not None:
            return refused
        lang = lang_of(request)
        book = await asyncio.to_thread(self._book(request).state)
        shown = [await self._public(request, t) for t in reversed(list(book.topics.values()))]  # newest first
        community = self._community(request) or ""

        def href(**change: Any) -> str:
            query = {k: v for k, v in {"community": community or None, "lang": request.query_params.get("lang"),
                                       **change}.items() if v}
            return "/topics" + (f"?{urlencode(query)}" if query else "")

        own = self.app.settings.public_url + href()
        other = "en" if lang == "zh-CN" else "zh-CN"
        for t in shown:
            t["proposed_text"] = long_date(date.fromisoformat(t["proposed_on"]), lang)
        # The resident's part of the page (static/js/topics.js): the community and its words.
        words = {k: v for k, v in assets().catalogue(lang).items() if k.startswith("resident.")}
        boot = json.dumps({"lang": lang, "community": community, "messages": words}, ensure_ascii=False)
        html = PAGES.get_template("topics.html").render(
            lang=lang, w=Words(TEXTS, lang), topics=shown, own=own, boot=boot, kinds=topics.KINDS,
            switch=(other, "English" if other == "en" else "中文", href(lang=other)),
            qr="data:image/svg+xml;base64," + base64.b64encode(qr.svg(own)).decode("ascii"))
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    async def _write(self, request: Request, make: Any, status: int = 200, body: dict[str, Any] | None = None) -> Response:
        """Decide one event against the current topics (and register) and store it; `body` when
        already read."""
        from .app import error

        if (refused := self._refused(request)) is not None:
            return refused
        try:
            body = body if body is not None else await self._body(request)
            register = await asyncio.to_thread(self._register(request).state)
            record = await self._book(request).write(lambda book: make(book, register, body))
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code == "no_such_topic" else 400, exc.params)
        except (ValueError, TypeError, KeyError, RecursionError):
            return error(request, "bad_payload", 400, {"detail": "invalid", "where": "body"})
        return JSONResponse({"ok": True, "topic": record.data["topic"], "seq": record.seq}, status_code=status,
                            headers=PRIVATE)

    async def residents_base(self, request: Request) -> str:
        """Whom the community's residents' petitions count (its forms record: facilitation/forms.py)."""
        if self._community(request) is None:
            return "residents"
        book = await asyncio.to_thread(self.app.form_books(self._community(request) or "").state)
        return str(book.petition_base)

    async def propose(self, request: Request) -> Response:
        base = await self.residents_base(request)

        def make(book: topics.Topics, _: Any, body: dict[str, Any]) -> Any:
            groups = body.get("groups") or []
            if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
                raise ValueError("groups")
            return topics.propose(book, title=str(body.get("title", "")), kind=str(body.get("kind", "")),
                                  source=str(body.get("source", "")), proposer=str(body.get("proposer", "")),
                                  background=str(body.get("background", "")), groups=groups,
                                  petition=str(body.get("petition") or ""), residents_base=base,
                                  actor=By(FACILITATOR))

        return await self._write(request, make, 201)

    async def accept(self, request: Request) -> Response:
        tid = request.path_params["topic"]
        return await self._write(request, lambda book, _, body: topics.accept(book, tid, actor=By(FACILITATOR)))

    async def decline(self, request: Request) -> Response:
        tid = request.path_params["topic"]
        return await self._write(request, lambda book, _, body: topics.decline(
            book, tid, str(body.get("reason", "")), actor=By(FACILITATOR)))

    async def schedule(self, request: Request) -> Response:
        from .app import error

        if (refused := self._refused(request)) is not None:
            return refused
        tid, body = request.path_params["topic"], None
        try:
            body = await self._body(request)
        except ValueError:
            return error(request, "bad_payload", 400, {"detail": "invalid", "where": "body"})
        meeting, item = body.get("meeting"), body.get("item")
        if not isinstance(meeting, str) or not await self.app.meetings.exists(meeting):
            return error(request, "no_such_meeting", 404)
        m = await self.app.meetings.state(meeting)
        if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item < len(m.items):
            return error(request, "no_such_item", 404, {"item": str(item)[:8]})
        book = await asyncio.to_thread(self._book(request).state)
        if tid not in book.topics:
            return error(request, "no_such_topic", 404)
        try:
            topics.schedule(book, tid, meeting=meeting, item=item, actor=By(FACILITATOR))  # refused before the meeting hears of it
            # The meeting keeps what its item takes up, as the topic stands now: its minutes say so.
            await self.app.meetings.execute(meeting, Actor(FACILITATOR), "link_topic", {
                "item": item, "topic": topics.summary(book.topics[tid], self._community(request) or "")})
        except RuleError as exc:
            if exc.code != "topic_already_linked":  # a schedule sent again after the meeting took it
                return error(request, exc.code, 400, exc.params)
        return await self._write(request, lambda book, _, __: topics.schedule(book, tid, meeting=meeting, item=item,
                                                                             actor=By(FACILITATOR)), body=body)

    async def signatures(self, request: Request) -> Response:
        """A paper sheet entered name by name: each line checked against the register and signed, or
        refused with the reason (nothing is stored for a refused line)."""
        from .app import error, lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        try:
            sheet = (await self._body(request)).get("sheet")
            if not isinstance(sheet, list) or not sheet or len(sheet) > topics.MAX_SHEET \
                    or not all(isinstance(line, dict) for line in sheet):
                raise ValueError("sheet")
        except ValueError:
            return error(request, "bad_payload", 400, {"detail": "invalid", "where": "sheet"})
        tid = request.path_params["topic"]
        book = self._book(request)
        held = (await asyncio.to_thread(book.state)).topics
        if tid not in held:
            return error(request, "no_such_topic", 404)
        if not held[tid].base:
            return error(request, "not_a_petition", 400)
        register = await asyncio.to_thread(self._register(request).state)
        lang, year, results = lang_of(request), date.today().year, []
        for n, line in enumerate(sheet, start=1):
            name = str(line.get("name", ""))[:80]
            try:
                birth = line.get("birth_year")
                person = topics.find_signer(register, name=name, household=str(line.get("household") or ""),
                                            birth_year=int(birth) if birth not in (None, "") else None)
                await book.write(lambda b: topics.sign(b, tid, register, person, via="paper", year=year,
                                                       actor=By(FACILITATOR)))
                results.append({"line": n, "name": name, "ok": True})
            except MeetingError as exc:
                results.append({"line": n, "name": name, "ok": False, "code": exc.code,
                                "error": message(exc.code, lang, exc.params)})
            except (ValueError, TypeError):
                results.append({"line": n, "name": name, "ok": False, "code": "bad_payload",
                                "error": message("bad_payload", lang, {"detail": "invalid", "where": "birth_year"})})
        t = (await asyncio.to_thread(book.state)).topics[tid]
        return JSONResponse({"ok": True, "results": results, "status": t.status,
                             "petition": await self._progress(request, t)}, headers=PRIVATE)


def topics_routes(app: Yishi) -> list[Route]:
    from .resident_topics_http import resident_topics_routes

    from .opinions_http import opinions_routes
    from .topic_materials_http import topic_materials_routes

    h = TopicsHTTP(app)
    return [
        *topic_materials_routes(app, h),  # photos and PDFs of a topic's background
        *opinions_routes(app, h),  # opinions gathered on a topic in advance, written to the same record
        Route("/api/topics", h.listed, methods=["GET"]),
        Route("/api/topics", h.propose, methods=["POST"]),
        Route("/api/topics/{topic}/signatures", h.signatures, methods=["POST"]),
        Route("/api/topics/{topic}/accept", h.accept, methods=["POST"]),
        Route("/api/topics/{topic}/decline", h.decline, methods=["POST"]),
        Route("/api/topics/{topic}/schedule", h.schedule, methods=["POST"]),
        Route("/topics.json", h.public),
        *resident_topics_routes(app, h),  # a resident's own proposals and co-signatures, with their code
        Route("/topics", h.page),
    ]
