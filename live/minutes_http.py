"""HTTP for the minutes: every format at a stable URL, the public page, and verification.

| path | who |
|---|---|
| /meetings/{id}/minutes.{html,pdf,docx,md,json} | moderator or recorder key (?key=) or facilitator token; anyone with ?public=1 |
| /meetings/{id}/public | anyone: the public minutes as a page |
| /meetings/{id}/verify | anyone: GET checks the record; POST a minutes file to check it too |

The model is computed at once from the state the service holds (a snapshot: the writer may move
on while the file renders), then rendered in a worker thread; a PDF is laid out in the PDF process
(live/minutes/worker.py), so that its seconds of layout do not hold up the server. The server's public address is
given to the renderers, so the printed minutes carry the verification link in full and as a QR code.

Verification answers JSON to programs, and a page to a browser (one that prefers text/html, as a
phone following the printed QR code does; `?format=json` or `?format=html` choose). The page's
form uploads a minutes file as multipart/form-data; the JSON API takes the file as the raw body,
as before (a multipart upload's `file` part is taken as the file too).
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from email.message import Message
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .bodies import TooLarge, read_limited

from facilitation.minutes import DEFAULT_TIMEZONE, minutes

from .board_http import BOARD_LINK
from .i18n import LANGUAGES, gettext
from .minutes import FORMATS, MEDIA_TYPES, filename, render as render_here, worker
from .minutes.labels import Labels
from .minutes.pdf import pdf_available
from .minutes.verify_page import render_verify_page
from .ratelimit import Buckets, address_of
from .record import identity_of, verify_meeting
from .zones import known_zone

if TYPE_CHECKING:
    from facilitation.meeting import Meeting

    from .app import Yishi

MAX_MINUTES_FILE = 20 * 1024 * 1024
CHECKS_AT_ONCE = 2
RENDERS = 2  # at most this many renders at once per process: a Word file takes a CPU for a second or more
# PDFs are made in one process beside the server's (live/minutes/worker.py), one at a time.
PDF_RENDERS = 1
CACHE_BYTES = 64 * 1024 * 1024  # rendered files kept for repeat downloads (the public page is read often)
# Minutes files checked from one network address: ten at once, then one every five seconds (a
# person checks a file or two; each check may take a CPU for a moment). The laptop is not limited.
UPLOADS_BURST, UPLOADS_RATE = 10.0, 0.2


log = logging.getLogger("yishi")


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _quality(accept: str, media: tuple[str, ...]) -> float:
    """The highest q the Accept header gives any of `media` (0 when it names none of them)."""
    best = 0.0
    for part in accept.split(","):
        kind, *params = (x.strip() for x in part.split(";"))
        if kind.lower() not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        best = max(best, q)
    return best


def wants_page(request: Request) -> bool:
    """A browser (it names text/html, and above JSON) gets the page; a program gets JSON.

    `?format=json` or `?format=html` decides; otherwise the Accept header: a browser sends
    `text/html,…,*/*;q=0.8`, a program sends `application/json`, `*/*` or nothing."""
    chosen = request.query_params.get("format")
    if chosen in ("json", "html"):
        return chosen == "html"
    accept = request.headers.get("accept", "")
    html = _quality(accept, ("text/html", "application/xhtml+xml"))
    return html > 0 and html > _quality(accept, ("application/json", "application/*", "*/*"))


def form_file(content_type: str, body: bytes) -> bytes | None:
    """The `file` part of a multipart/form-data body (the verification page's form), or None when
    the body is not such a form (it is then the file itself, as the JSON API takes it)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not 0 < len(boundary) <= 70:
        return None
    delimiter = b"\r\n--" + boundary.encode("latin-1", "replace")
    for chunk in (b"\r\n" + body).split(delimiter)[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        part = Message()
        for line in head.decode("latin-1").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon and name.strip().lower() == "content-disposition":
                part["content-disposition"] = value.strip()
        if part.get_param("name", header="content-disposition") == "file":
            return content
    return None


def render(model: dict[str, Any], fmt: str, lang: str, *, nav: list[tuple[str, str]] | None = None,
           site: str = "") -> bytes:
    """One format of the minutes: the PDF is laid out in the PDF process (this thread only waits for
    it, and the server's other work goes on), the others are made in this thread."""
    if fmt == "pdf":
        return worker.render_pdf(model, lang, site=site)
    return render_here(model, fmt, lang, nav=nav, site=site)


class RenderCache:
    """Rendered minutes by what they were generated from: any new event changes the key.

    A repeat request gets the file made earlier (it states when it was generated)."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._files: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._size = 0

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        if key in self._files:
            self._files.move_to_end(key)
            return self._files[key]
        return None

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if key in self._files or len(body) > self.limit:
            return
        self._files[key] = body
        self._size += len(body)
        while self._size > self.limit:
            _, old = self._files.popitem(last=False)
            self._size -= len(old)


PREPARED = ("pdf", "docx")


class MinutesHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app
        self._limits: dict[str, asyncio.Semaphore] = {}
        self.cache = RenderCache()
        self.uploads = Buckets(UPLOADS_BURST, UPLOADS_RATE)
        # Uploaded files checked at once: each may hold its file and what it unpacks (about 60 MiB at most).
        self.checking = asyncio.Semaphore(CHECKS_AT_ONCE)

    def _semaphore(self, fmt: str) -> asyncio.Semaphore:
        """Created on first use, inside the server's event loop."""
        kind = "pdf" if fmt == "pdf" else "other"
        if kind not in self._limits:
            self._limits[kind] = asyncio.Semaphore(PDF_RENDERS if kind == "pdf" else RENDERS)
        return self._limits[kind]

    async def _render(self, request: Request, meeting_id: str, fmt: str, public: bool) -> Response:
        from .app import error

        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        if fmt not in FORMATS:
            return error(request, "unknown_format", 404, {"formats": ", ".join(FORMATS)})
        if not public and not await self.app.staff(request, meeting_id):
            return error(request, "minutes_need_key", 403)
        zone = request.query_params.get("tz") or DEFAULT_TIMEZONE
        if not known_zone(zone):
            return error(request, "unknown_timezone", 400, {"zone": zone[:64]})
        m = await self.app.meetings.state(meeting_id)
        lang = request.query_params.get("lang")
        lang = lang if lang in LANGUAGES else m.language
        if fmt == "pdf" and not pdf_available():
            return self._no_pdf(request, meeting_id, lang)
        nav = self._nav(request, meeting_id, public, lang) if fmt == "html" else None
        model, body = await self._body(m, fmt, public, lang, zone, nav)
        headers = {"Cache-Control": "no-store"}
        if fmt != "html":
            title = quote(f"{model['meeting']['title']}-{'公示' if public else '纪要'}.{fmt}")
            kind = "inline" if fmt == "pdf" else "attachment"
            headers["Content-Disposition"] = f"{kind}; filename=\"{filename(model, fmt)}\"; filename*=UTF-8''{title}"
        return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)

    async def _body(self, m: Meeting, fmt: str, public: bool, lang: str, zone: str,
                    nav: list[tuple[str, str]] | None) -> tuple[dict[str, Any], bytes]:
        model = minutes(m, identity_of(m), public=public, timezone=zone)  # now, before the state moves on
        key = (m.id, m.seq, m.last_hash, fmt, public, lang, zone, tuple(nav or ()))
        body = self.cache.get(key)
        if body is None:
            async with self._semaphore(fmt):
                body = await asyncio.to_thread(render, model, fmt, lang, nav=nav, site=self.app.settings.public_url)
            self.cache.put(key, body)
        return model, body

    def _no_pdf(self, request: Request, meeting_id: str, lang: str) -> Response:
        """No PDF here (typst cannot be loaded): a browser following the PDF link gets a page saying
        what to do (with a link to the print page, which the browser itself can save as PDF); a
        program gets the error."""
        from .app import error
        from .errors import message

        if "text/html" not in request.headers.get("accept", ""):
            return error(request, "pdf_unavailable", 503)
        keep = {k: v for k, v in request.query_params.items() if k in ("key", "token", "lang", "tz", "public")}
        page = f"/meetings/{meeting_id}/minutes.html?{urlencode(keep)}"
        said = escape(message("pdf_unavailable", lang))
        body = (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>PDF</title>'
                f'<link rel="stylesheet" href="/static/css/base.css"></head><body><main>'
                f'<p role="alert">{said}</p><p><a href="{escape(page)}">{escape(Labels(lang).print_page)}</a></p>'
                f'</main></body></html>')
        return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})

    async def prepare(self, meeting_id: str) -> None:
        """Render the slow formats as soon as a meeting closes, so the first download is instant: the
        PDFs in the PDF process while the Word files are made here, their charts drawn once."""
        m = await self.app.meetings.state(meeting_id)
        await asyncio.gather(*(self._body(m, fmt, public, m.language, DEFAULT_TIMEZONE, None)
                               for fmt in PREPARED if fmt != "pdf" or pdf_available() for public in (False, True)))

    def _nav(self, request: Request, meeting_id: str, public: bool, lang: str) -> list[tuple[str, str]]:
        keep = {k: v for k, v in request.query_params.items() if k in ("key", "token", "lang", "tz")}
        if public:
            keep = {k: v for k, v in keep.items() if k not in ("key", "token")}
            keep["public"] = "1"
        query = f"?{urlencode(keep)}" if keep else ""
        names = {"pdf": "PDF", "docx": "Word", "md": "Markdown", "json": "JSON"}
        links = [(label, f"/meetings/{meeting_id}/minutes.{fmt}{query}") for fmt, label in names.items()]
        links.append((Labels(lang).verify_link, f"/meetings/{meeting_id}/verify"))
        if public:  # every consultation and how far its decisions have got (live/board_http.py)
            board = "/board" + (f"?{urlencode({'lang': keep['lang']})}" if "lang" in keep else "")
            links.append((gettext(lang, BOARD_LINK), board))
        return links

    async def minutes(self, request: Request) -> Response:
        return await self._render(request, request.path_params["id"], request.path_params["fmt"],
                                  _truthy(request.query_params.get("public")))

    async def public_page(self, request: Request) -> Response:
        return await self._render(request, request.path_params["id"], "html", True)

    async def verify(self, request: Request) -> Response:
        from .app import error, lang_of

        meeting_id = request.path_params["id"]
        page = wants_page(request)
        lang = lang_of(request)
        if not await self.app.meetings.exists(meeting_id):
            if page:
                from .errors import message

                return self._verify_page(request, meeting_id, lang, None, None, status=404,
                                         missing=message("no_such_meeting", lang))
            return error(request, "no_such_meeting", 404)
        data = b""
        if request.method == "POST":
            address = address_of({"asgi.scope": request.scope})
            if address and (wait := self.uploads.wait(address)):
                seconds = max(1, round(wait))
                if page:
                    from .errors import message

                    return await self._verify_answer(request, meeting_id, lang, b"", 429,
                                                     message("too_fast", lang, {"seconds": seconds}))
                return error(request, "too_fast", 429, {"seconds": seconds})
            try:
                data = await read_limited(request, MAX_MINUTES_FILE)
            except TooLarge:
                if page:
                    return await self._verify_answer(request, meeting_id, lang, b"", 413,
                                                     Labels(lang)("file_too_large", mb=MAX_MINUTES_FILE // 2**20))
                return error(request, "bad_payload", 413, {"detail": "file too large"})
            uploaded = form_file(request.headers.get("content-type", ""), data)
            data = data if uploaded is None else uploaded
            if not data:
                if page:
                    return await self._verify_answer(request, meeting_id, lang, b"", 400, Labels(lang).no_file)
                return error(request, "bad_payload", 400, {"detail": "send the minutes file as the request body"})
        if page:
            return await self._verify_answer(request, meeting_id, lang, data)
        result = await self._verified(request, meeting_id, lang, data)
        return JSONResponse({"ok": True, **result}, headers={"Vary": "Accept"})

    async def _verified(self, request: Request, meeting_id: str, lang: str, data: bytes) -> dict[str, Any]:
        # Without the meeting's key, full (internal) JSON minutes are checked by their stamp only.
        full = not data or await self.app.staff(request, meeting_id)
        if not data:
            return await asyncio.to_thread(verify_meeting, self.app.store, meeting_id, data, lang, full)
        async with self.checking:
            return await asyncio.to_thread(verify_meeting, self.app.store, meeting_id, data, lang, full)

    async def _verify_answer(self, request: Request, meeting_id: str, lang: str, data: bytes, status: int = 200,
                             message: str = "") -> Response:
        """The page: the record checked now, the file checked if one came, and the public minutes'
        header (title and place masked as the public minutes mask them) to say which meeting it is."""
        result = await self._verified(request, meeting_id, lang, data)
        zone = request.query_params.get("tz") or DEFAULT_TIMEZONE
        if not known_zone(zone):
            zone = DEFAULT_TIMEZONE
        try:
            m = await self.app.meetings.state(meeting_id)
            model: dict[str, Any] | None = minutes(m, identity_of(m), public=True, timezone=zone)
        except (ValueError, KeyError, TypeError, IndexError):  # a record too damaged to replay: the check still shows
            log.exception("the minutes of %s cannot be made for its verification page", meeting_id)
            model = None
        return self._verify_page(request, meeting_id, lang, model, result, status=status, message=message)

    def _verify_page(self, request: Request, meeting_id: str, lang: str, model: dict[str, Any] | None,
                     result: dict[str, Any] | None, *, status: int = 200, message: str = "",
                     missing: str = "") -> Response:
        query = {k: v for k, v in request.query_params.items() if k in ("lang", "tz", "key")}
        body = render_verify_page(meeting_id=meeting_id, lang=lang, model=model, result=result, query=query,
                                  message=message, missing=missing)
        return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store", "Vary": "Accept"})


def minutes_routes(app: Yishi) -> list[Route]:
    h = MinutesHTTP(app)
    app.minutes = h
    return [
        Route("/meetings/{id}/minutes.{fmt}", h.minutes),
        Route("/meetings/{id}/public", h.public_page),
        Route("/meetings/{id}/verify", h.verify, methods=["GET", "POST"]),
    ]
