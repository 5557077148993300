"""HTTP for the minutes: every format at a stable URL, the public page, and verification.

| path | who |
|---|---|
| /meetings/{id}/minutes.{html,pdf,docx,md,json} | moderator or recorder key (?key=) or facilitator token; anyone with ?public=1 |
| /meetings/{id}/public | anyone: the public minutes as a page |
| /meetings/{id}/verify | anyone: GET checks the record; POST a minutes file to check it too |

The model is computed at once from the state the service holds (a snapshot: the writer may move
on while the file renders), then rendered in a worker thread.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .bodies import TooLarge, read_limited

from facilitation.minutes import DEFAULT_TIMEZONE, minutes

from .i18n import LANGUAGES
from .minutes import FORMATS, MEDIA_TYPES, filename, render
from .minutes.labels import Labels
from .minutes.pdf import pdf_available
from .record import identity_of, verify_meeting

if TYPE_CHECKING:
    from facilitation.meeting import Meeting

    from .app import Yishi

MAX_MINUTES_FILE = 20 * 1024 * 1024
RENDERS = 2  # at most this many renders at once per process: a PDF takes a CPU for a second or more
# weasyprint (pango, fontconfig) does not promise to be thread-safe: one PDF at a time per process.
PDF_RENDERS = 1
CACHE_BYTES = 64 * 1024 * 1024  # rendered files kept for repeat downloads (the public page is read often)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


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
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return error(request, "unknown_timezone", 400, {"zone": zone})
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
                body = await asyncio.to_thread(render, model, fmt, lang, nav=nav)
            self.cache.put(key, body)
        return model, body

    def _no_pdf(self, request: Request, meeting_id: str, lang: str) -> Response:
        """No pango here: a browser following the PDF link gets a page saying what to do (with a link
        to the print page, which the browser itself can save as PDF); a program gets the error."""
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
        """Render the slow formats as soon as a meeting closes, so the first download is instant."""
        m = await self.app.meetings.state(meeting_id)
        for fmt in PREPARED:
            if fmt == "pdf" and not pdf_available():
                continue
            for public in (False, True):
                await self._body(m, fmt, public, m.language, DEFAULT_TIMEZONE, None)

    def _nav(self, request: Request, meeting_id: str, public: bool, lang: str) -> list[tuple[str, str]]:
        keep = {k: v for k, v in request.query_params.items() if k in ("key", "token", "lang", "tz")}
        if public:
            keep = {k: v for k, v in keep.items() if k not in ("key", "token")}
            keep["public"] = "1"
        query = f"?{urlencode(keep)}" if keep else ""
        names = {"pdf": "PDF", "docx": "Word", "md": "Markdown", "json": "JSON"}
        links = [(label, f"/meetings/{meeting_id}/minutes.{fmt}{query}") for fmt, label in names.items()]
        return links + [(Labels(lang).verify_link, f"/meetings/{meeting_id}/verify")]

    async def minutes(self, request: Request) -> Response:
        return await self._render(request, request.path_params["id"], request.path_params["fmt"],
                                  _truthy(request.query_params.get("public")))

    async def public_page(self, request: Request) -> Response:
        return await self._render(request, request.path_params["id"], "html", True)

    async def verify(self, request: Request) -> Response:
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        data = b""
        if request.method == "POST":
            try:
                data = await read_limited(request, MAX_MINUTES_FILE)
            except TooLarge:
                return error(request, "bad_payload", 413, {"detail": "file too large"})
            if not data:
                return error(request, "bad_payload", 400, {"detail": "send the minutes file as the request body"})
        from .app import lang_of

        # Without the meeting's key, full (internal) JSON minutes are checked by their stamp only.
        full = not data or await self.app.staff(request, meeting_id)
        result = await asyncio.to_thread(verify_meeting, self.app.store, meeting_id, data, lang_of(request), full)
        return JSONResponse({"ok": True, **result})


def minutes_routes(app: Yishi) -> list[Route]:
    h = MinutesHTTP(app)
    app.minutes = h
    return [
        Route("/meetings/{id}/minutes.{fmt}", h.minutes),
        Route("/meetings/{id}/public", h.public_page),
        Route("/meetings/{id}/verify", h.verify, methods=["GET", "POST"]),
    ]
