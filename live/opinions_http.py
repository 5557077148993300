"""HTTP for opinions gathered on a topic in advance (征求意见, facilitation/advance_opinions.py), per
community (`?community=ID`, as the topics' routes). The office's routes need the facilitator's
token; a resident gives a statement or a stance with their personal code (live/resident_codes.py);
the public sees the statements with residents' names masked, never hidden ones.

| path | what |
|---|---|
| GET /api/topics/{topic}/opinions | the summary with full names and the hidden statements with their reasons (facilitator) |
| POST /api/topics/{topic}/opinions/open | {opens?, until}: seconds since the epoch, or dates (YYYY-MM-DD, `until` the last day) |
| POST /api/topics/{topic}/opinions/close | the period closed early |
| POST /api/topics/{topic}/opinions | {name, household?, birth_year?, text, channel: paper or phone}: entered by staff |
| POST /api/topics/{topic}/opinions/{statement}/hide | {reason} |
| GET /topics/{topic}/opinions.json | the public summary: names masked, agree/disagree counts |
| POST /topics/{topic}/opinions | {code, text}: a resident's own statement |
| POST /topics/{topic}/opinions/{statement}/stance | {code, stance: agree or disagree} |

The meeting a topic is scheduled on keeps the summary (its minutes are made from its record alone):
after every change to the opinions, while that meeting is open, the item's topic is linked again
with the summary as it now stands. A later change reaches the meeting until it closes, so what
the minutes report is what the meeting had; a closed meeting keeps what it had.
"""
from __future__ import annotations

import asyncio
import inspect
import time
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation import advance_opinions as ao
from facilitation import topics
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.masking import Masker, mask_name
from facilitation.minutes import DEFAULT_TIMEZONE
from facilitation.roles import Actor

from .errors import TransportError
from .ratelimit import address_of
from .services import RuleError

if TYPE_CHECKING:
    from .app import Yishi
    from .topics_http import TopicsHTTP

PRIVATE = {"Cache-Control": "no-store"}
MAX_CODE = 64


class OpinionsHTTP:
    def __init__(self, app: Yishi, topics_http: TopicsHTTP) -> None:
        self.app = app
        self.t = topics_http  # its cache of each community's topics record: one writer per record

    def _community(self, request: Request) -> str:
        return self.t._community(request) or ""

    async def _state(self, request: Request) -> topics.Topics:
        return await asyncio.to_thread(self.t._book(request).state)  # type: ignore[no-any-return]

    async def _relink(self, request: Request, tid: str) -> None:
        """The meeting the topic is on gets the summary as it now stands (see the module's doc)."""
        t = (await self._state(request)).topics[tid]
        if not t.meeting or t.item is None:
            return
        try:
            await self.app.meetings.execute(t.meeting, Actor(FACILITATOR), "link_topic", {
                "item": t.item, "topic": topics.summary(t, self._community(request)), "refresh": True})
        except RuleError:
            pass  # the meeting has closed (it keeps what it had), or already holds this summary

    async def _write(self, request: Request, make: Any, status: int = 200, *, office: bool = True) -> Response:
        """Read the body, decide one event against the topics and the register, store it."""
        from .app import error

        if (refused := self.t._refused(request, office=office)) is not None:
            return refused
        tid = request.path_params["topic"]
        try:
            body = await self.t._body(request)
            register = await asyncio.to_thread(self.t._register(request).state)
            actor = await self._actor(request, body) if not office else By(FACILITATOR)
            record = await self.t._book(request).write(lambda book: make(book, register, body, actor, time.time()))
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code in ("no_such_topic", "no_such_statement") else 400,
                         exc.params)
        except TransportError as exc:
            return error(request, exc.code, exc.status, dict(exc.params))
        except (ValueError, TypeError, KeyError, RecursionError, OverflowError):
            return error(request, "bad_payload", 400, {"detail": "invalid", "where": "body"})
        await self._relink(request, tid)
        return JSONResponse({"ok": True, "topic": tid, "statement": record.data.get("statement"), "seq": record.seq},
                            status_code=status, headers=PRIVATE)

    async def _actor(self, request: Request, body: dict[str, Any]) -> By:
        """The resident whose personal code this is (refused when wrong; guessing is rate limited there)."""
        code = body.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
            raise TransportError("bad_payload", 400, detail="code")
        codes = getattr(self.app, "resident_codes", None)
        if codes is None:
            raise TransportError("not_found", 404)
        found = codes.identify(self._community(request), code, address_of({"asgi.scope": request.scope}))
        if inspect.isawaitable(found):
            found = await found
        return By(ao.RESIDENT, str(found))

    # -- the office ------------------------------------------------------------------------------

    def _when(self, value: Any, *, last_day: bool = False) -> float:
        """Seconds since the epoch, or a date in the install's zone (`last_day`: up to its end)."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            day = date.fromisoformat(value[:10])
            start = datetime.combine(day + timedelta(days=1 if last_day else 0), datetime.min.time(),
                                     ZoneInfo(DEFAULT_TIMEZONE))
            return start.timestamp()
        raise ValueError("a time")

    async def open(self, request: Request) -> Response:
        tid = request.path_params["topic"]

        def make(book: topics.Topics, _: Any, body: dict[str, Any], actor: By, now: float) -> Any:
            opens = self._when(body["opens"]) if body.get("opens") not in (None, "") else now
            return ao.open_period(book, tid, opens=opens, until=self._when(body.get("until"), last_day=True),
                                  now=now, actor=actor)

        return await self._write(request, make)

    async def close(self, request: Request) -> Response:
        tid = request.path_params["topic"]
        return await self._write(request, lambda book, _, body, actor, now: ao.close_period(
            book, tid, now=now, actor=actor))

    async def enter(self, request: Request) -> Response:
        """A statement from paper or a phone call, entered by staff; the name is looked up in the register."""
        tid = request.path_params["topic"]

        def make(book: topics.Topics, register: Any, body: dict[str, Any], actor: By, now: float) -> Any:
            birth = body.get("birth_year")
            person = topics.find_signer(register, name=str(body.get("name", "")),
                                        household=str(body.get("household") or ""),
                                        birth_year=int(birth) if birth not in (None, "") else None)
            return ao.give(book, tid, register, person, str(body.get("text", "")),
                           channel=str(body.get("channel", "")), now=now, actor=actor)

        return await self._write(request, make, 201)

    async def hide(self, request: Request) -> Response:
        tid, sid = request.path_params["topic"], request.path_params["statement"]
        return await self._write(request, lambda book, _, body, actor, now: ao.hide(
            book, tid, sid, str(body.get("reason", "")), actor=actor))

    async def office(self, request: Request) -> Response:
        from .app import error

        if (refused := self.t._refused(request)) is not None:
            return refused
        t = (await self._state(request)).topics.get(request.path_params["topic"])
        if t is None:
            return error(request, "no_such_topic", 404)
        c = t.opinions
        hidden = [] if c is None else [
            {"id": s.id, "name": s.name, "text": s.text, "channel": s.channel, "at": s.at, "reason": s.hidden,
             "hidden_at": s.hidden_at} for s in c.statements.values() if s.hidden]
        return JSONResponse({"ok": True, "topic": t.id, "summary": ao.summary(t), "hidden": hidden,
                             "running": c is not None and c.running(time.time()),
                             "history": [] if c is None else c.history}, headers=PRIVATE)

    # -- the public ------------------------------------------------------------------------------

    async def public(self, request: Request) -> Response:
        from .app import error

        if (refused := self.t._refused(request, office=False)) is not None:
            return refused
        t = (await self._state(request)).topics.get(request.path_params["topic"])
        if t is None:
            return error(request, "no_such_topic", 404)
        s = await public_summary(self.t, request, t)
        return JSONResponse({"ok": True, "topic": t.id, "summary": s, "running": bool(s and s["running"])},
                            headers={"Cache-Control": "no-cache"})

    async def give(self, request: Request) -> Response:
        tid = request.path_params["topic"]
        return await self._write(request, lambda book, register, body, actor, now: ao.give(
            book, tid, register, actor.id, str(body.get("text", "")), channel="online", now=now, actor=actor),
            201, office=False)

    async def stance(self, request: Request) -> Response:
        tid, sid = request.path_params["topic"], request.path_params["statement"]
        return await self._write(request, lambda book, register, body, actor, now: ao.take_stance(
            book, tid, sid, register, actor.id, str(body.get("stance", "")), now=now, actor=actor), office=False)


_maskers: dict[tuple[int, str, int], Masker] = {}


async def _masker(th: TopicsHTTP, request: Request) -> Masker:
    """Residents' names as they may appear in a statement's text, masked (the register's people)."""
    register = await asyncio.to_thread(th._register(request).state)
    key = (id(th), th._community(request) or "", register.seq)
    if key not in _maskers:
        _maskers.clear()
        _maskers[key] = Masker([e.person.name for e in register.entries.values()])
    return _maskers[key]


async def public_summary(th: TopicsHTTP, request: Request, t: topics.Topic) -> dict[str, Any] | None:
    """The opinions on a topic as the public sees them (the JSON and the /topics page): residents'
    names masked, in the statements' text too, hidden ones left out; the period's days in words."""
    from .app import lang_of
    from .board_http import long_date

    s = ao.summary(t)
    if s is None or t.opinions is None:
        return None
    masker, lang = await _masker(th, request), lang_of(request)
    s["statements"] = [{**row, "name": mask_name(row["name"]), "text": masker.text(row["text"])}
                       for row in s["statements"]]
    day = lambda at: long_date(datetime.fromtimestamp(at, ZoneInfo(DEFAULT_TIMEZONE)).date(), lang)  # noqa: E731
    # `until` is the first moment after the period: its last day is the day before midnight
    s.update(running=t.opinions.running(time.time()), opens_text=day(s["opens"]),
             until_text=day(t.opinions.ends - 1))
    return s


def opinions_routes(app: Yishi, topics_http: TopicsHTTP) -> list[Route]:
    h = OpinionsHTTP(app, topics_http)
    return [
        Route("/api/topics/{topic}/opinions", h.office, methods=["GET"]),
        Route("/api/topics/{topic}/opinions", h.enter, methods=["POST"]),
        Route("/api/topics/{topic}/opinions/open", h.open, methods=["POST"]),
        Route("/api/topics/{topic}/opinions/close", h.close, methods=["POST"]),
        Route("/api/topics/{topic}/opinions/{statement}/hide", h.hide, methods=["POST"]),
        Route("/topics/{topic}/opinions.json", h.public),
        Route("/topics/{topic}/opinions", h.give, methods=["POST"]),
        Route("/topics/{topic}/opinions/{statement}/stance", h.stance, methods=["POST"]),
    ]
