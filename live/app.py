"""The Starlette application: pages, their JSON twins, the meeting API, and the socket.io mount."""
from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any, AsyncIterator

import socketio
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import static
from facilitation.masking import masker_for
from facilitation.roles import MODERATOR, RECORDER
from facilitation.views import poll_view

from . import fanout, qr, room_codes
from .assets import REVALIDATE, Assets
from .attachments import Attachments
from .payloads import parse_meeting
from .forms_http import applied
from .broadcast import Broadcaster, masked_view_of, moderator_tally, public_view_of, tally_message
from .collector import collector
from .errors import TransportError, refusal
from .i18n import pick
from .bodies import read_json
from .headers import SecurityHeaders
from .registry import FormsBook, Registries
from .resident_codes import ResidentCodes
from .resync import Resync
from .services import Meetings, RuleError
from .digests import Digests
from .settings import Settings, same_secret
from .sockets import LiveServer
from .store import Record, Store, StoreUnavailable

log = logging.getLogger("yishi")
STATIC = Path(static.__file__).parent
# An empty element the scripts translate (`<h2 data-i18n="checkin.title"></h2>`), and the
# attributes they fill (`data-i18n-placeholder`, `data-i18n-label`).
I18N_TEXT = re.compile(r"""(<(\w+)\b[^<>]*?\sdata-i18n="([\w.\-]+)"[^<>]*>)(</\2>)""")
I18N_ATTRIBUTE = re.compile(r'\sdata-i18n-(placeholder|label)="([\w.\-]+)"')


class Translated(FileSystemLoader):
    """The page templates, with the text their scripts would put in each translated element filled
    in by the server (`{{ t("key") }}`): a page reads in its language before any script has run, or
    been fetched over a slow network. The scripts fill the same elements again when they switch language."""

    def get_source(self, environment: Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        source = I18N_TEXT.sub(lambda m: f'{m.group(1)}{{{{ t("{m.group(3)}") }}}}{m.group(4)}', source)
        source = I18N_ATTRIBUTE.sub(
            lambda m: f'{m.group(0)} {"placeholder" if m.group(1) == "placeholder" else "aria-label"}='
                      f'"{{{{ t("{m.group(2)}") }}}}"', source)
        return source, filename, uptodate


PAGES = Environment(loader=Translated(STATIC / "pages"), autoescape=select_autoescape(["html"]))
MAX_BODY = 256 * 1024
STATIC_PARTS = ("css", "js", "i18n", "vendor")
PRIVATE = {"Cache-Control": "no-store"}  # an answer that depends on the key asked with
# Compressed as they are sent: pages, JSON, Markdown, CSV. Not what is compressed already (the
# minutes' PDF and Word files, the register's Excel files): those keep their Content-Length.
NOT_COMPRESSED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}


@functools.cache
def assets() -> Assets:
    """The files pages load, read once (live/assets.py)."""
    return Assets(STATIC, STATIC_PARTS)


@functools.cache
def inline_css(*names: str) -> Markup:
    """Style sheets put in the page itself, so that it shows without waiting for another request."""
    css = "\n".join(assets().text(name) for name in names)
    if "</" in css:  # our own files; nothing in them may close the style element
        raise ValueError(f"{names} cannot be inlined")
    return Markup(css)


def fill(text: str, params: dict[str, Any]) -> str:
    """A catalogue's text with its {placeholders} filled in, as `t()` in static/js/client.js does."""
    return re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), text)


@functools.cache
def translator(lang: str) -> Any:
    """`t(key, **params)`: the catalogue's text in `lang`, as the pages' scripts would show it."""
    messages = assets().catalogue(lang)

    def t(key: str, **params: Any) -> str:
        return fill(messages.get(key) or key, params)

    return t


@pass_context
def translate(context: Any, key: str, in_lang: str = "", **params: Any) -> str:
    """`t(key, **params)` in the templates: in the page's language (`lang`), or `in_lang`."""
    lang = in_lang or context.get("lang")
    return translator(lang if lang in LANGUAGE_NAMES else "zh-CN")(key, **params)


@pass_context
def other_language(context: Any) -> tuple[str, str]:
    """The language a page's switch offers, and its name in that language."""
    other = next(code for code in LANGUAGE_NAMES if code != context.get("lang"))
    return other, LANGUAGE_NAMES[other]


PAGES.globals.update(
    t=translate,
    other_language=other_language,
    asset=lambda name: assets().url(name),  # a file's versioned address
    modules=lambda entry: [assets().url(m) for m in assets().modules(entry)],  # to preload with an entry module
    inline_css=inline_css,
)


def links(settings: Settings, meeting_id: str, key: str | None, recorder_key: str | None = None) -> dict[str, str]:
    """A meeting's links: the projector's and the phones' for anyone; the consoles' with their keys."""
    base = f"{settings.public_url}/m/{meeting_id}"
    out = {"projector": f"{base}/screen", "join": f"{base}/join"}
    if key:
        out["moderator"] = f"{base}/moderate?key={key}"
    if recorder_key:
        out["recorder"] = f"{base}/record?key={recorder_key}"
    return out


def lang_of(request: Request) -> str:
    return pick(request.query_params.get("lang"), request.headers.get("accept-language", ""))


def error(request: Request, code: str, status: int = 400, params: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(refusal(code, lang_of(request), params, status), status_code=status)


class Yishi:
    """Holds the parts one server process is made of."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.database_url)
        self.meetings = Meetings(self.store)
        self.digests = Digests(self.meetings)
        self.registries = Registries(self.store)  # one register per community
        self.form_books = Registries(self.store, kind=FormsBook)  # each community's templates of the forms
        self.resident_codes = ResidentCodes(settings.data, self.registries)  # residents' own codes (居民码)
        self.attachments = Attachments(settings.data)
        self.live = LiveServer(self.meetings, fanout_mode=settings.fanout, redis_url=settings.redis_url,
                               facilitator_token=settings.token, attachments=self.attachments)
        log.info("broadcasts: the %s path (YISHI_FANOUT, live/fanout.py)", settings.fanout)
        self.broadcaster = Broadcaster(self.live.emit, self.meetings.settled, self.meetings.cached, self.live.screens)
        # With Redis: screens get the current view again once a lost Redis is back (live/redis_rooms.py).
        self.resync = Resync(self.meetings, self.live.sio)
        fanout.on_recovery(self.live.sio, self.resync.here, self.resync.everywhere)
        # A meeting that leaves the state cache leaves every other per-meeting cache with it.
        self.meetings.on_evict += [public_view_of.forget, masked_view_of.forget, tally_message.forget, moderator_tally.forget,
                                   self.broadcaster.forget]
        self.meetings._publish = self.committed
        self.minutes: Any = None  # set by minutes_routes
        self._background: set[asyncio.Task[None]] = set()

    async def committed(self, meeting_id: str, records: list[Record]) -> None:
        """After every commit: tell the screens; after a close, prepare the minutes' slow formats."""
        await self.broadcaster.committed(meeting_id, records)
        if self.minutes is not None and any(r.type == "MeetingClosed" for r in records):
            task = asyncio.create_task(self._prepare(meeting_id))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        if any(r.type in ("MeetingClosed", "DecisionCorrected") for r in records):
            # An item sent here from another meeting: its decision goes back there (live/escalation.py).
            task = asyncio.create_task(self._write_back(meeting_id))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _write_back(self, meeting_id: str) -> None:
        from .escalation import write_back

        try:
            await write_back(self, meeting_id)
        except Exception:
            log.exception("writing back the decisions of %s failed", meeting_id)

    async def _reconcile(self) -> None:
        from .escalation import reconcile

        try:
            await reconcile(self)
        except Exception:
            log.exception("writing back the decisions owed at start failed")

    async def _prepare(self, meeting_id: str) -> None:
        try:
            await self.minutes.prepare(meeting_id)
        except Exception:  # a download will render them again and report
            log.exception("preparing the minutes of %s failed", meeting_id)

    def facilitator(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        given = given or request.query_params.get("token", "")
        return same_secret(self.settings.token, given)

    async def staff(self, request: Request, meeting_id: str) -> bool:
        """The meeting's moderator key or recorder key (?key=), or the facilitator's token."""
        given = request.query_params.get("key", "")
        for role in (MODERATOR, RECORDER):
            if await self.meetings.key_fits(meeting_id, role, given):
                return True
        return self.facilitator(request)

    # -- pages ----------------------------------------------------------------------

    def page(self, request: Request, name: str, boot: dict[str, Any], status: int = 200, *, scripts: bool = True,
             **context: Any) -> HTMLResponse:
        """A page in the language of `boot` (else the request's). Its text is filled in here from the
        pages' catalogue; a page with `scripts` also gets the catalogue in its boot data, so that its
        scripts take over without fetching it."""
        boot = {"lang": lang_of(request), **boot}
        if scripts:
            boot["messages"] = assets().catalogue_for(name, boot["lang"])
        html = PAGES.get_template(name).render(
            boot=json.dumps(boot, ensure_ascii=False), lang=boot["lang"], title=boot.get("title", ""),
            console=boot.get("console", ""), **context)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    async def home(self, request: Request) -> Response:
        return self.page(request, "facilitator.html", {"public_url": self.settings.public_url})

    async def office(self, request: Request) -> Response:
        """The office's follow-up page (落实跟踪): its data comes from /api/actions with the facilitator's token."""
        return self.page(request, "office.html", {})

    def meeting_page(self, which: str, console: str = "") -> Any:
        async def endpoint(request: Request) -> Response:
            return await self._meeting_page(request, which, console)

        return endpoint

    async def _meeting_page(self, request: Request, which: str, console: str = "") -> Response:
        meeting_id = request.path_params["id"]
        if not await self.meetings.exists(meeting_id):
            return self.page(request, "missing.html", {}, status=404, scripts=False)
        m = await self.meetings.state(meeting_id)
        # The title as the public minutes show it unless the link carries a key (a title may name a resident).
        title = m.title if await self.staff(request, meeting_id) else masker_for(m).text(m.title)
        boot = {"meeting": meeting_id, "title": title, "language": m.language, "join_url": links(self.settings, meeting_id, None)["join"]}
        if console:  # the moderator console in another staff role's mode (the recorder's)
            boot["console"] = console
        if "lang" not in request.query_params:
            boot["lang"] = m.language  # the meeting's language is the default; a phone can switch
        lang = boot.get("lang") or lang_of(request)
        # What the page shows before its scripts run: the check-in form's categories, whether it is
        # closed; on the projector, for phones that cannot scan, the short address and the meeting's code.
        categories = [(c["key"], (c["en"] or c["zh"]) if lang == "en" else (c["zh"] or c["en"])) for c in m.categories]
        return self.page(request, f"{which}.html", boot, meeting_id=meeting_id, categories=categories, closed=m.closed,
                         join_url=boot["join_url"], start_url=room_codes.start_url(self.settings.public_url),
                         room_code=room_codes.code_of(meeting_id))

    # -- API ------------------------------------------------------------------------

    async def create_meeting(self, request: Request) -> Response:
        if not self.facilitator(request):
            return error(request, "unauthorised", 401)
        try:
            given = await read_json(request, MAX_BODY)
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        try:
            payload = parse_meeting(given)
            # the community's template of the form (read off the event loop, as the register is)
            payload = await asyncio.to_thread(applied, self.form_books, payload, given)
            if payload.get("convene") is not None:  # the invited drawn from the register, as it is now
                spec = payload  # read the register (from the database the first time) off the event loop
                payload = await asyncio.to_thread(lambda: convened(self.registries, spec))
            else:
                payload.pop("convene", None)
            made = await self.meetings.create_with_keys(payload)
            meeting_id, key, recorder_key = made.meeting_id, made.moderator_key, made.recorder_key
        except (ValueError, TransportError) as exc:
            code, params = (exc.code, exc.params) if isinstance(exc, TransportError) else ("bad_payload", {"detail": "invalid"})
            return error(request, code, 400, params)
        except RuleError as exc:
            return error(request, exc.code, 400, exc.params)
        return JSONResponse({"ok": True, "id": meeting_id, "key": key, "recorder_key": recorder_key,
                             "links": links(self.settings, meeting_id, key, recorder_key)}, status_code=201)

    async def list_meetings(self, request: Request) -> Response:
        if not self.facilitator(request):
            return error(request, "unauthorised", 401)
        # The staff's keys are stored hashed: their links are issued anew (reissue_key), never shown again.
        out = [{"id": it.id, **{k: it.digest[k] for k in ("title", "form", "status", "starts_at")},
                "links": links(self.settings, it.id, None)} for it in await self.digests.listed()]
        return JSONResponse({"ok": True, "meetings": out})

    async def reissue_key(self, request: Request) -> Response:
        """A new moderator or recorder key (the old one stops working), for the facilitator only:
        the way back in when a link is lost, since keys are stored hashed and cannot be shown again."""
        if not self.facilitator(request):
            return error(request, "unauthorised", 401)
        meeting_id = request.path_params["id"]
        if not await self.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        try:
            body = await read_json(request, MAX_BODY)
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        role = body.get("role")
        if role not in (MODERATOR, RECORDER):
            return error(request, "unknown_role", 400, {"role": str(role)[:40]})
        key = await self.meetings.reissue_key(meeting_id, role)
        log.warning("meeting %s: a new %s key was issued by the facilitator; the old one no longer works",
                    meeting_id, role)
        made = links(self.settings, meeting_id, key if role == MODERATOR else None,
                     key if role == RECORDER else None)
        return JSONResponse({"ok": True, "role": role, "key": key, "link": made[role]}, headers=PRIVATE)

    async def meeting_json(self, request: Request) -> Response:
        meeting_id = request.path_params["id"]
        if not await self.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        m = await self.meetings.state(meeting_id)
        if await self.staff(request, meeting_id):  # the meeting's keys or the facilitator's token: the names
            # ...and the invited with who of them is in, which the room's view leaves to the desk
            roster = [{"index": i, "name": r["name"], "category": r["category"], "checked_in": i in m.invitees_in}
                      for i, r in enumerate(m.roster)]
            view = public_view_of(m)
            # staff see a poll's count while the room waits for the moderator to reveal it
            polls = [poll_view(m, m.polls[p["id"]]) for p in view["polls"]]
            return JSONResponse({"ok": True, "masked": False, **view, "polls": polls, "roster": roster}, headers=PRIVATE)
        # Anyone else: the names as the public minutes show them (private residents masked).
        return JSONResponse({"ok": True, "masked": True, **masked_view_of(m)}, headers=PRIVATE)

    async def qr_svg(self, request: Request) -> Response:
        meeting_id = request.path_params["id"]
        if not await self.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        return Response(qr.svg(links(self.settings, meeting_id, None)["join"]), media_type="image/svg+xml")

    async def health(self, request: Request) -> Response:
        """Up, and which broadcast path this process takes (with the direct path, how its writes went);
        503 while the database cannot be reached (commands are refused with store_unavailable)."""
        reachable = await self.meetings.db(self.store.reachable)
        body: dict[str, Any] = {"ok": reachable, "process": os.getpid(), "fanout": fanout.mode_of(self.live.sio),
                                "cached": self.meetings.cache_sizes(),  # meetings held in memory, writer tasks
                                "store": "ok" if reachable else "unreachable"}
        writes = fanout.writes_of(self.live.sio)
        if writes is not None:
            body["writes"] = writes.as_dict()
        if (redis := fanout.redis_state(self.live.sio)) is not None:
            body["redis"] = redis  # connected: this process hears the others' broadcasts now
        return JSONResponse(body, status_code=200 if reachable else 503)

    async def store_unavailable(self, request: Request, exc: Exception) -> Response:
        """Any route that finds the database unreachable: the reason, in the user's language, and 503."""
        return error(request, "store_unavailable", 503)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if request.url.path.startswith("/api/"):
            return error(request, "not_found", status)
        return self.page(request, "missing.html", {}, status=status, scripts=False)

    # -- assembly -------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        watching = asyncio.create_task(collector.watch()) if collector.tuned else None
        # Decisions a stopped process did not write back to the meetings their items came from.
        task = asyncio.create_task(self._reconcile())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        yield
        if watching is not None:
            watching.cancel()
        if self._background:  # let minutes being prepared finish: their renderer runs in a thread
            await asyncio.wait(list(self._background), timeout=60)
        await self.live.close()
        await self.meetings.close()
        self.store.close()

    def asgi(self) -> socketio.ASGIApp:
        from .board_http import board_routes
        from .followup_http import followup_routes
        from .minutes_http import minutes_routes
        from .escalation import escalation_routes
        from .publicity_http import publicity_routes
        from .receipts_http import receipts_routes
        from .register_http import register_routes
        from .topics_http import topics_routes
        from .forms_http import forms_routes
        from .slips_http import slips_routes
        from .resident_slips_http import resident_slips_routes
        from .notice_http import notice_routes

        routes = [
            Route("/", self.home),
            Route("/office", self.office),
            Route("/api/health", self.health),
            Route("/api/meetings", self.create_meeting, methods=["POST"]),
            Route("/api/meetings", self.list_meetings, methods=["GET"]),
            Route("/api/meetings/{id}", self.meeting_json),
            Route("/api/meetings/{id}/keys", self.reissue_key, methods=["POST"]),
            Route("/m/{id}/qr.svg", self.qr_svg),
            *[Route(f"/m/{{id}}/{page}", self.meeting_page(page)) for page in ("screen", "join", "moderate")],
            Route("/m/{id}/record", self.meeting_page("moderate", console="recorder")),
            Route("/m/{id}", lambda r: RedirectResponse(f"/m/{r.path_params['id']}/join")),
            *room_codes.routes(self),
            *minutes_routes(self),
            *followup_routes(self),
            *publicity_routes(self),
            *escalation_routes(self),
            *board_routes(self),
            *slips_routes(self),
            *resident_slips_routes(self),
            *notice_routes(self),
            *receipts_routes(self),
            *register_routes(self),
            *topics_routes(self),
            *forms_routes(self),
            # Only what pages load: not the page templates, nor the package's Python files.
            Route("/static/v/{version}/{path:path}", assets().endpoint),
            *[Mount(f"/static/{part}", Revalidated(directory=STATIC / part)) for part in STATIC_PARTS],
        ]
        # The socket (/socket.io/) never reaches these: socketio.ASGIApp answers it before Starlette.
        app = Starlette(routes=routes, lifespan=self.lifespan, exception_handlers={404: self.not_found, 405: self.not_found, StoreUnavailable: self.store_unavailable},
                        middleware=[Middleware(SecurityHeaders),
                                    Middleware(GZipMiddleware, minimum_size=1000, compresslevel=6,
                                               exclude_content_types=NOT_COMPRESSED)])
        return socketio.ASGIApp(self.live.sio, other_asgi_app=app, socketio_path="socket.io")


class Revalidated(StaticFiles):
    """The unversioned /static addresses: kept by a browser only if it asks again before each use."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", REVALIDATE)
        return response


def convened(registries: Registries, payload: dict[str, Any]) -> dict[str, Any]:
    """A new meeting's payload with its invited drawn from a community's register (`convene`: who,
    groups, and the community when the install keeps several), and the register event they were
    drawn from, which the meeting keeps."""
    from datetime import date

    from facilitation.community import COMMUNITY
    from facilitation.convening import invitees

    spec = payload.pop("convene")
    if not isinstance(spec, dict) or not isinstance(spec.get("who"), str):
        raise TransportError("bad_payload", detail="convene")
    chosen = spec.get("community") or ""
    if not isinstance(chosen, str) or (chosen and not COMMUNITY.fullmatch(chosen)):
        raise TransportError("bad_payload", detail="community")
    community = registries(chosen).state()
    groups = spec.get("groups") or None
    if groups is not None and not (isinstance(groups, list) and all(isinstance(g, str) for g in groups)):
        raise TransportError("bad_payload", detail="convene groups")
    if payload.get("roster"):
        raise TransportError("bad_payload", detail="convene or roster")
    roster = invitees(community.active(), spec["who"], year=date.today().year, groups=set(groups) if groups else None)
    return {**payload, "roster": roster, "convened": {
        "who": spec["who"], "groups": sorted(groups or []), **({"community": chosen} if chosen else {}),
        "register_seq": community.seq,
        "register_hash": community.last_hash, "invited": len(roster)}}


def create_app(settings: Settings) -> socketio.ASGIApp:
    return Yishi(settings).asgi()


WORKER_SETTINGS = "YISHI_WORKER_SETTINGS"  # `yishi serve --workers N` hands each process its settings here


def worker_app() -> socketio.ASGIApp:
    """One of several server processes (uvicorn's factory): the settings `yishi serve` was given."""
    from .collector import collector

    collector.tune()
    return create_app(Settings(**json.loads(os.environ[WORKER_SETTINGS])))
