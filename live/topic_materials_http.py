"""HTTP for a topic's background material (facilitation/topic_materials.py): photos and PDFs the
office adds to a topic, which anyone reading the public topics page can open.

| path | what |
|---|---|
| POST /api/topics/{topic}/materials?name= | facilitator: a photo or PDF as the body, listed with the topic |
| POST /api/topics/{topic}/materials/{sha256}/remove | facilitator: no longer listed nor served |
| GET /topics/{topic}/materials/{sha256} | anyone: the file, while the topic lists it (a PDF downloaded, never shown in the page) |

Files are kept under `topic-materials/<community>/` in the data folder, named by their content,
as action items' photos are (live/attachments.py): a photo is decoded and written anew without
its metadata, anything else than JPEG, PNG or a whole PDF is refused.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation import topic_materials
from facilitation.events import FACILITATOR, By
from facilitation.errors import MeetingError

from .attachments import MAX_BYTES, Attachments, kind_of
from .bodies import TooLarge, read_limited
from .errors import TransportError
from .followup_http import FILE_HEADERS

if TYPE_CHECKING:
    from .app import Yishi
    from .topics_http import TopicsHTTP

PRIVATE = {"Cache-Control": "no-store"}


class TopicMaterialsHTTP:
    def __init__(self, app: Yishi, topics: TopicsHTTP) -> None:
        self.app = app
        self.topics = topics
        self.files = Attachments(app.settings.data, "topic-materials")

    def _folder(self, request: Request) -> str:
        return self.topics._community(request) or "_"  # the install's own community has no id

    async def add(self, request: Request) -> Response:
        from .app import error

        if (refused := self.topics._refused(request)) is not None:
            return refused
        tid = request.path_params["topic"]
        book = self.topics._book(request)
        if tid not in (await asyncio.to_thread(book.state)).topics:  # before taking a file for nothing
            return error(request, "no_such_topic", 404)
        try:
            data = await read_limited(request, MAX_BYTES)
        except TooLarge:
            return error(request, "bad_file", 413, {"detail": "size"})
        try:
            stored = await asyncio.to_thread(self.files.store, self._folder(request), data,
                                             request.query_params.get("name", "")[:200])
            record = await book.write(lambda b: topic_materials.add(b, tid, stored.to_data(), actor=By(FACILITATOR)))
        except TransportError as exc:
            return error(request, exc.code, exc.status, exc.params)
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code == "no_such_topic" else 400, exc.params)
        return JSONResponse({"ok": True, "topic": tid, "seq": record.seq, **stored.to_data()}, status_code=201,
                            headers=PRIVATE)

    async def remove(self, request: Request) -> Response:
        from .app import error

        if (refused := self.topics._refused(request)) is not None:
            return refused
        tid, sha = request.path_params["topic"], request.path_params["sha256"]
        try:
            record = await self.topics._book(request).write(
                lambda b: topic_materials.remove(b, tid, sha, actor=By(FACILITATOR)))
        except MeetingError as exc:
            return error(request, exc.code, 404 if exc.code in ("no_such_topic", "no_such_material") else 400,
                         exc.params)
        return JSONResponse({"ok": True, "topic": tid, "seq": record.seq}, headers=PRIVATE)

    async def file(self, request: Request) -> Response:
        from .app import error

        if (refused := self.topics._refused(request, office=False)) is not None:
            return refused
        tid, sha = request.path_params["topic"], request.path_params["sha256"]
        t = (await asyncio.to_thread(self.topics._book(request).state)).topics.get(tid)
        listed = topic_materials.listed(t, sha) if t is not None else None
        path = self.files.path(self._folder(request), sha) if listed is not None else None
        if path is None:  # not (or no longer) listed: nobody learns whether the file is kept
            return error(request, "not_found", 404)
        data = await asyncio.to_thread(path.read_bytes)
        kind = kind_of(data) or "application/octet-stream"
        how = "inline" if kind.startswith("image/") else "attachment"  # a PDF is downloaded, never shown in the page
        return Response(data, media_type=kind, headers={
            **FILE_HEADERS, "Content-Disposition": f"{how}; filename=\"{sha[:12]}\"; "
                                                   f"filename*=UTF-8''{quote(listed['name'])}"})


def topic_materials_routes(app: Yishi, topics: TopicsHTTP) -> list[Route]:
    h = TopicMaterialsHTTP(app, topics)
    return [
        Route("/api/topics/{topic}/materials", h.add, methods=["POST"]),
        Route("/api/topics/{topic}/materials/{sha256}/remove", h.remove, methods=["POST"]),
        Route("/topics/{topic}/materials/{sha256}", h.file),
    ]
