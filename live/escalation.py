"""The chain of decision: an item the consultation could not settle (or one the law reserves for
the residents' assembly) is sent on to an assembly or a representatives' meeting, which takes it
up as its own agenda item carrying where it came from; when that meeting closes, its decision is
written back to the original item (facilitation/followup.py holds the rules); at start, any
decision not yet written back is (`reconcile`).

| route | who |
|---|---|
| POST /api/meetings/{id}/items/{item}/escalate | the facilitator: makes the other meeting, then records the sending |

`escalate_item` and `decision_elsewhere` are sent only from here (never over the socket): this
module has checked the other meeting first.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation.followup import escalate, standing
from facilitation.roles import FACILITATOR, Actor

from .bodies import read_json
from .errors import TransportError
from .forms_http import applied
from .minutes.labels import Labels
from .payloads import parse_meeting
from .services import RuleError

if TYPE_CHECKING:
    from .app import Yishi

log = logging.getLogger(__name__)
HTTP_ONLY = ("escalate_item", "decision_elsewhere", "link_topic")  # link_topic: live/topics_http.py
MAX_BODY = 64 * 1024
# What the new meeting may be given besides its form and its one item (the rest as for any meeting).
KEPT = ("title", "place", "starts_at", "language", "moderator", "recorder", "roster", "convene", "categories",
        "speaking_seconds", "issuer", "notice_days", "proxy_limit")


def background_for(m: Any, item: int) -> str:
    """The item's record as the other meeting reads it: where it came from, what was said, why."""
    it = m.items[item]
    L = Labels(m.language)
    decided = standing(it) or {}
    if m.language == "zh-CN":
        head = f"本议题由“{m.title}”（{m.starts_at or '—'}）第{item + 1}项转来。原协商结果：{L.word(str(decided.get('outcome', '')))}。"
        said = f"协商意见：{decided['opinion']}" if decided.get("opinion") else ""
    else:
        head = (f"Sent on from item {item + 1} of “{m.title}” ({m.starts_at or '—'}). "
                f"Outcome there: {L.word(str(decided.get('outcome', '')))}.")
        said = f"Consultation opinion: {decided['opinion']}" if decided.get("opinion") else ""
    return "\n\n".join(p for p in (head, said, it.background) if p)[:2000]


class Escalation:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    async def send_on(self, request: Request) -> Response:
        from .app import error, links

        if not self.app.facilitator(request):
            return error(request, "unauthorised", 401)
        source_id, item_text = request.path_params["id"], request.path_params["item"]
        if not await self.app.meetings.exists(source_id):
            return error(request, "no_such_meeting", 404)
        if not item_text.isdigit() or len(item_text) > 4:
            return error(request, "no_such_item", 404, {"item": item_text[:8]})
        item = int(item_text) - 1  # counted from 1 in addresses, as the minutes number items
        try:
            body = await read_json(request, MAX_BODY)
            m = await self.app.meetings.state(source_id)
            to_form, reason = body.get("to_form"), body.get("reason")
            if not isinstance(to_form, str) or not isinstance(reason, str):
                raise TransportError("bad_payload", detail="to_form, reason")
            escalate(m, item=item, to_form=to_form, to_meeting="", reason=reason)  # refused here, before anything is made
            it = m.items[item]
            payload = parse_meeting({
                **{k: v for k, v in body.items() if k in KEPT},
                "title": body.get("title") or it.title, "form": to_form,
                "language": body.get("language") or m.language,
                "agenda": [{"title": it.title, "background": background_for(m, item), "origin": f"{source_id}:{item}"}]})
            # the template of the form of the community the meeting it comes from belongs to
            payload["community"] = m.template.get("community") or m.convened.get("community", "")
            payload = await asyncio.to_thread(applied, self.app.form_books, payload, body)
            if payload.get("convene") is not None:
                from .app import convened

                if isinstance(payload["convene"], dict) and "community" not in payload["convene"]:
                    # drawn from the register of the community the meeting it comes from was convened in
                    payload["convene"] = {**payload["convene"], "community": m.convened.get("community", "")}
                payload = convened(self.app.registries, payload)
            else:
                payload.pop("convene", None)
            made = await self.app.meetings.create_with_keys(payload)
            await self.app.meetings.execute(source_id, Actor(FACILITATOR), "escalate_item", {
                "item": item, "to_form": to_form, "to_meeting": made.meeting_id, "reason": reason})
        except ValueError:
            return error(request, "bad_payload", 400, {"detail": "invalid"})
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        except RuleError as exc:
            return error(request, exc.code, 400, exc.params)
        return JSONResponse({"ok": True, "id": made.meeting_id, "key": made.moderator_key, "recorder_key": made.recorder_key,
                             "links": links(self.app.settings, made.meeting_id, made.moderator_key, made.recorder_key)},
                            status_code=201)


async def write_back(app: Yishi, meeting_id: str) -> None:
    """After a meeting closes: each of its items sent from another meeting tells that meeting what
    was decided (once; a later correction is written back when it is made)."""
    m = await app.meetings.state(meeting_id)
    for it in m.items:
        decided = standing(it)
        if not it.origin or decided is None:
            continue
        source_id, _, number = it.origin.partition(":")
        if not await app.meetings.exists(source_id):
            continue
        source = await app.meetings.state(source_id)
        index = int(number)
        sent = [x for x in source.items[index].escalations if x["to_meeting"] == meeting_id] if index < len(source.items) else []
        if not sent or (sent[-1]["decided"] or {}).get("outcome") == decided["outcome"] and \
                (sent[-1]["decided"] or {}).get("opinion") == decided["opinion"]:
            continue  # not sent from there, or already told
        try:
            await app.meetings.execute(source_id, Actor(FACILITATOR), "decision_elsewhere", {
                "item": index, "meeting": meeting_id, "outcome": decided["outcome"], "opinion": decided["opinion"]})
        except RuleError as exc:
            if exc.code != "already_written_back":  # another write-back got there first: nothing to do
                log.exception("writing the decision of %s back to %s failed", meeting_id, it.origin)


async def reconcile(app: Yishi) -> None:
    """At start: write back again every decision a closed meeting owes the meeting its items came
    from. The write-back runs after the close is committed, so a process stopped in between would
    otherwise leave the original item without its decision for good; `write_back` does nothing
    where the decision is already there."""
    told: set[str] = set()
    for source_id in await app.meetings.db(app.store.meetings_with, "ItemEscalated"):
        try:
            source = await app.meetings.state(source_id)
            for it in source.items:
                for sent in it.escalations:
                    to_meeting = sent["to_meeting"]
                    if to_meeting in told or not await app.meetings.exists(to_meeting):
                        continue
                    told.add(to_meeting)
                    if (await app.meetings.state(to_meeting)).closed:  # decided only once it has closed
                        await write_back(app, to_meeting)
        except Exception:
            log.exception("writing back the decisions owed to %s at start failed", source_id)


def escalation_routes(app: Yishi) -> list[Route]:
    e = Escalation(app)
    return [Route("/api/meetings/{id}/items/{item}/escalate", e.send_on, methods=["POST"])]

