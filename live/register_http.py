"""HTTP for the community register kept in the data folder; every route needs the facilitator's
token (the register holds residents' phones and birth years).

Each route takes `?community=ID` on an install that keeps one register per community (lowercase
letters, digits, - and _); without it, the install's first register.

| path | what |
|---|---|
| GET /api/register | summary, the imports, every person (id, fields, status), and the communities with a register |
| POST /api/register/import?name=FILE[&good_rows=1] | the office's .xlsx/.csv as the body; nothing stored while it has bad rows unless good_rows=1 |
| GET /api/register/export.{xlsx,csv}[?all=1] | the register as a file the office can open |
| POST /api/register/people | a person typed in: {"fields": {...}} |
| POST /api/register/people/{id} | their details changed (a move to another household among them) |
| POST /api/register/people/{id}/status | {"status": "active"/"moved_away"/"deceased", "note"} |
"""
from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation.community import (COMMUNITY, Community, PersonRefused, add_person, change_person, import_people, person_data,
                                    read_person, set_status)
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.register import RegisterUnreadable, read_rows, to_rows

from .bodies import TooLarge, read_limited
from .errors import DETAILS
from .i18n import N_, gettext
from .register_cli import REASONS, UNREADABLE
from .register_files import MAX_BYTES, read_file, write_file

if TYPE_CHECKING:
    from .app import Yishi

PRIVATE = {"Cache-Control": "no-store"}
BAD_ROWS = N_("The file has bad rows: nothing was imported. Fix them, or import only the good rows.")
MAX_FORM = 16 * 1024
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


def summary(c: Community) -> dict[str, Any]:
    active = c.active()
    owners = [p for p in active if p.flats]
    return {"seq": c.seq, "hash": c.last_hash, "people": len(c.entries), "active": len(active),
            "households": len({p.household for p in active if p.household}),
            "groups": sorted({p.group for p in active if p.group}),
            "representatives": sum(p.representative for p in active),
            "owners": len(owners), "flats": sum(len(p.flats) for p in owners),
            "area": str(sum((p.area for p in owners), start=Decimal(0)))}


class RegisterHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    def _registry(self, request: Request) -> Any:
        """The register of the community asked for (`_refused` has checked its id)."""
        return self.app.registries(request.query_params.get("community", ""))

    def _refused(self, request: Request) -> Response | None:
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        given = request.query_params.get("community", "")
        if given and not COMMUNITY.fullmatch(given):
            return error(request, "bad_payload", 400, {"detail": "community"})
        return None

    async def show(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        c = await asyncio.to_thread(self._registry(request).state)
        people = [{"id": e.id, "status": e.status, "note": e.note, **person_data(e.person),
                   "area": str(e.person.area) if e.person.flats else None} for e in c.entries.values()]
        communities = await asyncio.to_thread(self.app.registries.communities)
        return JSONResponse({"ok": True, "community": request.query_params.get("community", ""), "communities": communities,
                             "summary": summary(c), "imports": c.imports, "people": people}, headers=PRIVATE)

    async def import_file(self, request: Request) -> Response:
        from .app import error, lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        lang = lang_of(request)
        try:
            body = await read_limited(request, MAX_BYTES)
        except TooLarge:
            return error(request, "bad_payload", 413, {"detail": "too large"})
        name = Path(request.query_params.get("name", "register.xlsx")).name[:200] or "register.xlsx"
        if not body:
            return error(request, "bad_payload", 400, {"detail": "empty"})
        try:
            parsed = await asyncio.to_thread(_parse_upload, body, name)
        except RegisterUnreadable as exc:
            return JSONResponse({"ok": False, "code": "unreadable", "status": 400,
                                 "error": gettext(lang, UNREADABLE[exc.code], **exc.params)}, status_code=400)
        bad = [{"row": b.row, "reason": gettext(lang, REASONS[b.reason], **b.params)} for b in parsed.bad]
        notes = [{"row": b.row, "reason": gettext(lang, REASONS[b.reason], **b.params)} for b in parsed.notes]
        found = {"people": len(parsed.people), "bad": bad, "notes": notes}
        if bad and request.query_params.get("good_rows") != "1":
            # Nothing is stored from a file with bad rows, unless the office chooses its good rows.
            return JSONResponse({"ok": False, "code": "bad_rows", "status": 400, "found": found,
                                 "error": gettext(lang, BAD_ROWS)}, status_code=400)
        if not parsed.people:
            return error(request, "nobody_to_convene", 400)
        changes: list[Any] = []

        def make(c: Community) -> tuple[str, dict[str, Any]]:
            event, ch = import_people(c, parsed, file=name, actor=By(FACILITATOR))
            changes.append(ch)
            return event

        registry = self._registry(request)
        await registry.write(make)
        ch = changes[0]
        c = registry.state()
        return JSONResponse({"ok": True, "found": found, "summary": summary(c), "changes": {
            "added": len(ch.added), "updated": len(ch.updated), "unchanged": len(ch.unchanged), "absent": len(ch.absent)}},
            headers=PRIVATE)

    async def export(self, request: Request) -> Response:
        from .app import lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        fmt = request.path_params["fmt"]
        if fmt not in MEDIA:
            from .app import error

            return error(request, "not_found", 404)
        c = await asyncio.to_thread(self._registry(request).state)
        parsed = c.as_parsed(everyone=request.query_params.get("all") == "1")
        data = await asyncio.to_thread(_written, to_rows(parsed, lang_of(request)), fmt)
        return Response(data, media_type=MEDIA[fmt], headers={
            **PRIVATE, "Content-Disposition": f'attachment; filename="register.{fmt}"'})

    async def _form(self, request: Request) -> dict[str, Any]:
        try:
            body = await read_limited(request, MAX_FORM)
        except TooLarge:
            raise ValueError("too large") from None
        data = json.loads(body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("expected an object")
        return data

    async def _edit(self, request: Request, make: Any) -> Response:
        from .app import error, lang_of

        if (refused := self._refused(request)) is not None:
            return refused
        try:
            form = await self._form(request)
            record = await self._registry(request).write(lambda c: make(c, form))
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            if isinstance(exc, PersonRefused):
                return JSONResponse({"ok": False, "code": "bad_person", "status": 400,
                                     "error": gettext(lang_of(request), REASONS[exc.code], **exc.params)}, status_code=400)
            return error(request, "bad_payload", 400, {"detail": str(exc) if str(exc) in DETAILS else "invalid",
                                                       "where": "fields"})
        except MeetingError as exc:
            return error(request, exc.code, 400, exc.params)
        return JSONResponse({"ok": True, "seq": record.seq, "id": record.data.get("id") or _last_id(self._registry(request).state())},
                            headers=PRIVATE)

    async def add(self, request: Request) -> Response:
        def make(c: Community, form: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            return add_person(c, read_person(_fields(form), this_year=date.today().year), actor=By(FACILITATOR))

        return await self._edit(request, make)

    async def change(self, request: Request) -> Response:
        pid = request.path_params["id"]

        def make(c: Community, form: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            if pid not in c.entries:
                raise MeetingError("no_such_person")
            person = read_person(_fields(form), this_year=date.today().year, flats=c.entries[pid].person.flats)
            return change_person(c, pid, person, actor=By(FACILITATOR))

        return await self._edit(request, make)

    async def status(self, request: Request) -> Response:
        pid = request.path_params["id"]

        def make(c: Community, form: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            return set_status(c, pid, str(form.get("status", "")), str(form.get("note", "")), actor=By(FACILITATOR))

        return await self._edit(request, make)


def _fields(form: dict[str, Any]) -> dict[str, str]:
    fields = form.get("fields")
    if not isinstance(fields, dict) or not all(isinstance(k, str) and isinstance(v, (str, int)) for k, v in fields.items()):
        raise ValueError("fields")
    return {k: str(v) for k, v in fields.items()}


def _last_id(c: Community) -> str:
    return next(reversed(c.entries)) if c.entries else ""


def _parse_upload(body: bytes, name: str) -> Any:
    """Read an uploaded file as `yishi register import` reads one from disk."""
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".xlsx", ".csv") else ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix or '.csv'}"
        path.write_bytes(body)
        return read_rows(read_file(path), this_year=date.today().year)


def _written(rows: list[list[object]], fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"register.{fmt}"
        write_file(rows, path)
        return path.read_bytes()


def register_routes(app: Yishi) -> list[Route]:
    h = RegisterHTTP(app)
    return [
        Route("/api/register", h.show),
        Route("/api/register/import", h.import_file, methods=["POST"]),
        Route("/api/register/export.{fmt}", h.export),
        Route("/api/register/people", h.add, methods=["POST"]),
        Route("/api/register/people/{id}", h.change, methods=["POST"]),
        Route("/api/register/people/{id}/status", h.status, methods=["POST"]),
    ]
