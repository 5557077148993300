"""After the meeting, over HTTP: action items updated with photos, and the office's list of what is
still open across every meeting (facilitation/followup.py holds the rules).

| route | who |
|---|---|
| POST /api/meetings/{id}/attachments?name= | the meeting's moderator or recorder key, or the facilitator's token: a photo or PDF, as the body |
| GET /meetings/{id}/files/{sha256} | anyone, for a file an update names; staff, for any file of the meeting |
| POST /api/meetings/{id}/actions/{action} | staff, as for attachments: an update (the `update_action` command) |
| GET /api/actions | the facilitator: every meeting's action items, the open ones first by due date |
| GET /api/objections | the facilitator: every meeting's objections waiting on the organisers, the longest waiting first |
| POST /api/meetings/{id}/objections/{objection}/explanations | the facilitator: an explanation (`give_explanation`) |
| POST /api/meetings/{id}/items/{item}/corrections | the facilitator: a decision corrected (`correct_decision`) |
| POST /api/meetings/{id}/items/{item}/reports | the facilitator: an entrusted matter reported back (`report_matter`) |
| POST /api/meetings/{id}/items/{item}/replies | the facilitator: the reply to the latest report (`record_reply`) |
| GET /api/matters | the facilitator: every closed meeting's entrusted matters, those waiting on the office first |

The socket's `update_action` does the same as the POST; both name who did it in the record.
"""
from __future__ import annotations

import asyncio
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation.followup import ENDED, MATTER_STATES, actions, matters
from facilitation.masking import masker_for
from facilitation.minutes import DEFAULT_TIMEZONE
from facilitation.objections import unanswered
from facilitation.roles import FACILITATOR, MODERATOR, RECORDER, Actor

from . import payloads
from .attachments import MAX_BYTES, kind_of
from .bodies import TooLarge, read_json, read_limited
from .errors import TransportError
from .services import Done, RuleError
from .zones import known_zone

if TYPE_CHECKING:
    from .app import Yishi

PRIVATE = {"Cache-Control": "no-store"}
MAX_UPDATE_BODY = 64 * 1024
# Content-addressed: a file's address never shows other bytes. (Every answer is also sent
# nosniff and under the site's CSP by live/headers.py: a file is never run as a page.)
FILE_HEADERS = {"Cache-Control": "private, max-age=31536000, immutable"}


def today_in(zone: str) -> date:
    return datetime.fromtimestamp(time.time(), ZoneInfo(zone)).date()


def named_files(m: Any) -> set[str]:
    """The files the meeting's updates name: the ones anyone may see."""
    return {a["sha256"] for updates in m.action_updates.values() for u in updates for a in u["attachments"]}


class FollowupHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    async def _staff(self, request: Request, meeting_id: str) -> Actor | None:
        """Who is asking, as the record will name them: the key's role, else the facilitator."""
        given = request.query_params.get("key", "") or request.headers.get("x-yishi-key", "")
        for role in (MODERATOR, RECORDER):
            if given and await self.app.meetings.key_fits(meeting_id, role, given):
                return Actor(role)
        return Actor(FACILITATOR) if self.app.facilitator(request) else None

    async def _meeting(self, request: Request) -> tuple[str, Actor | None] | Response:
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        return meeting_id, await self._staff(request, meeting_id)

    async def _command(self, request: Request, meeting_id: str, actor: Actor, name: str,
                       fields: dict[str, Any]) -> Done | Response:
        """Run a command whose payload is the JSON body with `fields` (from the address) over it; a
        refusal comes back as the error answer, in the one shape."""
        from .app import error

        try:
            body = await read_json(request, MAX_UPDATE_BODY)
            payload = payloads.parse(name, {**body, **fields})
            if name == "update_action":  # files this meeting holds, their type and size read from the files
                payload["attachments"] = await asyncio.to_thread(self.app.attachments.resolve, meeting_id,
                                                                 payload.get("attachments"))
            return await self.app.meetings.execute(meeting_id, actor, name, payload)
        except ValueError:
            return error(request, "bad_payload", 400, {"detail": "invalid"})
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        except RuleError as exc:
            return error(request, exc.code, 400, exc.params)

    async def upload(self, request: Request) -> Response:
        from .app import error

        found = await self._meeting(request)
        if isinstance(found, Response):
            return found
        meeting_id, actor = found
        if actor is None:
            return error(request, "bad_credentials", 403)
        try:
            data = await read_limited(request, MAX_BYTES)
        except TooLarge:
            return error(request, "bad_file", 413, {"detail": "size"})
        try:
            stored = await asyncio.to_thread(self.app.attachments.store, meeting_id, data,
                                             request.query_params.get("name", "")[:200])
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        return JSONResponse({"ok": True, **stored.to_data()}, status_code=201, headers=PRIVATE)

    async def file(self, request: Request) -> Response:
        from .app import error

        found = await self._meeting(request)
        if isinstance(found, Response):
            return found
        meeting_id, actor = found
        sha = request.path_params["sha256"]
        m = await self.app.meetings.state(meeting_id)
        path = self.app.attachments.path(meeting_id, sha)
        # Until an update names it, a file is the staff's draft: nobody else learns it exists.
        if path is None or (actor is None and sha not in named_files(m)):
            return error(request, "not_found", 404)
        data = await asyncio.to_thread(path.read_bytes)
        kind = kind_of(data) or "application/octet-stream"
        name = next((a["name"] for ups in m.action_updates.values() for u in ups for a in u["attachments"]
                     if a["sha256"] == sha), sha[:12])
        if actor is None:  # as the board shows it: a resident named in a file's name is masked
            name = masker_for(m).text(name)
        how = "inline" if kind.startswith("image/") else "attachment"  # a PDF is downloaded, never shown in the page
        headers = {**FILE_HEADERS, "Content-Disposition": f"{how}; filename=\"{sha[:12]}\"; filename*=UTF-8''{quote(name)}"}
        return Response(data, media_type=kind, headers=headers)

    async def update(self, request: Request) -> Response:
        from .app import error

        found = await self._meeting(request)
        if isinstance(found, Response):
            return found
        meeting_id, actor = found
        if actor is None:
            return error(request, "bad_credentials", 403)
        done = await self._command(request, meeting_id, actor, "update_action", {"action": request.path_params["action"]})
        if isinstance(done, Response):
            return done
        m = await self.app.meetings.state(meeting_id)
        action = next(a for a in actions(m) if a.id == request.path_params["action"])
        return JSONResponse({"ok": True, "seq": done.records[-1].seq, "action": action.summary(today_in(DEFAULT_TIMEZONE))},
                            headers=PRIVATE)

    async def correct(self, request: Request) -> Response:
        """The office enters a correction of a decision (the `correct_decision` command)."""
        return await self._on_item(request, "correct_decision")

    async def report(self, request: Request) -> Response:
        """The office reports an entrusted matter back to the township or department (`report_matter`)."""
        return await self._on_item(request, "report_matter")

    async def reply(self, request: Request) -> Response:
        """The office enters that body's reply to the latest report (`record_reply`)."""
        return await self._on_item(request, "record_reply")

    async def _on_item(self, request: Request, name: str) -> Response:
        """One of the office's commands on an item after the meeting, its body the command's payload."""
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        item = request.path_params["item"]
        if not item.isdigit() or len(item) > 4:
            return error(request, "no_such_item", 404, {"item": item[:8]})
        done = await self._command(request, meeting_id, Actor(FACILITATOR), name,
                                   {"item": int(item) - 1})  # items count from 1 in addresses
        if isinstance(done, Response):
            return done
        return JSONResponse({"ok": True, "seq": done.records[-1].seq}, headers=PRIVATE)

    async def office(self, request: Request) -> Response:
        """Every meeting's action items for the office: open ones first, by due date (undated
        last), overdue flagged; `?all=1` includes the done and cancelled."""
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        zone = request.query_params.get("tz") or DEFAULT_TIMEZONE
        if not known_zone(zone):
            return error(request, "unknown_timezone", 400, {"zone": zone[:64]})
        today = today_in(zone)
        everything = request.query_params.get("all") in ("1", "true")
        rows = []
        for row in self.app.store.meetings():
            m = await self.app.meetings.state(row.id)
            for a in actions(m):
                if everything or a.status not in ENDED:
                    rows.append({**a.summary(today), "meeting": {"id": m.id, "title": m.title, "starts_at": m.starts_at,
                                                                  "status": m.status, "created_at": m.created_at},
                                 "item_title": m.items[a.item].title})
        # Open first, by due date (undated last), then the older meeting's first, in the minutes' order.
        rows.sort(key=lambda r: (r["status"] in ENDED, r["due_date"] is None, r["due_date"] or "",
                                 r["meeting"]["created_at"], r["meeting"]["id"], [int(n) for n in r["id"].split(".")]))
        return JSONResponse({"ok": True, "today": today.isoformat(), "overdue": sum(r["overdue"] for r in rows),
                             "actions": rows}, headers=PRIVATE)


    async def objections(self, request: Request) -> Response:
        """Every meeting's objections still waiting on the organisers (none explained yet, or the
        objector still objects after the latest explanation), the longest waiting first."""
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        now = time.time()
        rows = []
        for row in self.app.store.meetings():
            m = await self.app.meetings.state(row.id)
            for o in unanswered(m):
                since = float(o.responses[-1]["at"]) if o.explanations and o.responses else o.raised_at  # type: ignore[arg-type]
                who = m.participants[o.participant_id] if o.participant_id else None
                name = who.name if who else (m.roster[o.invitee]["name"] if o.invitee is not None else "")
                rows.append({"meeting": {"id": m.id, "title": m.title, "status": m.status},
                             "id": o.id, "item": o.item, "item_title": m.items[o.item].title, "who": name,
                             "reason": o.reason, "during": o.during, "explained": len(o.explanations),
                             "response": o.response, "waiting_since": since, "waited_seconds": max(0, round(now - since))})
        rows.sort(key=lambda r: r["waiting_since"])
        return JSONResponse({"ok": True, "objections": rows}, headers=PRIVATE)


    async def matters(self, request: Request) -> Response:
        """Every closed meeting's matters entrusted by the township or a department: those still to
        report first, then those awaiting the reply (the longest waiting first), then the replied."""
        from .app import error

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        now = time.time()
        rows = []
        for row in self.app.store.meetings():
            m = await self.app.meetings.state(row.id)
            rows += [{**x, "meeting": {"id": m.id, "title": m.title, "starts_at": m.starts_at},
                      "waited_seconds": max(0, round(now - float(x["since"])))} for x in matters(m)]
        rows.sort(key=lambda r: (MATTER_STATES.index(r["state"]), r["since"], r["meeting"]["id"], r["item"]))
        return JSONResponse({"ok": True, "matters": rows}, headers=PRIVATE)

    async def explain(self, request: Request) -> Response:
        """The office explains an objection (the `give_explanation` command, as the facilitator)."""
        from .app import error

        meeting_id = request.path_params["id"]
        if not await self.app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        done = await self._command(request, meeting_id, Actor(FACILITATOR), "give_explanation",
                                   {"objection_id": request.path_params["objection"]})
        if isinstance(done, Response):
            return done
        return JSONResponse({"ok": True, "seq": done.records[-1].seq}, headers=PRIVATE)


def followup_routes(app: Yishi) -> list[Route]:
    h = FollowupHTTP(app)
    return [
        Route("/api/meetings/{id}/attachments", h.upload, methods=["POST"]),
        Route("/meetings/{id}/files/{sha256}", h.file),
        Route("/api/meetings/{id}/actions/{action}", h.update, methods=["POST"]),
        Route("/api/meetings/{id}/items/{item}/corrections", h.correct, methods=["POST"]),
        Route("/api/meetings/{id}/items/{item}/reports", h.report, methods=["POST"]),
        Route("/api/meetings/{id}/items/{item}/replies", h.reply, methods=["POST"]),
        Route("/api/actions", h.office),
        Route("/api/objections", h.objections),
        Route("/api/matters", h.matters),
        Route("/api/meetings/{id}/objections/{objection}/explanations", h.explain, methods=["POST"]),
    ]
