"""The public board (公开栏) over HTTP: every consultation held and what became of it, for anyone.

| route | who |
|---|---|
| GET /board | anyone: the board as a page, readable on a phone, printable for the notice board (A4, with a QR code of its own address) |
| GET /board.json | anyone: the same entries as JSON |

Both take `?status=all|open|done|overdue` and `?year=2026` (anything else shows everything),
`?meeting=<id>` (that meeting alone: its state is the only one read; an id that is no meeting's, or
not an id, shows nothing, as does a meeting not yet held), and `?lang=zh-CN|en` (else the request's
Accept-Language, Chinese first). The phone of a closed meeting reads its own entry this way. What
each entry holds and how names are masked: facilitation/board.py. Overdue is counted on today's date
in Beijing. The page runs no script: it is rendered here, every text escaped by the template.
"""
from __future__ import annotations

import base64
import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from facilitation import board
from facilitation.minutes import DEFAULT_TIMEZONE

from . import i18n, qr
from .followup_http import today_in
from .i18n import N_, gettext
from .minutes.labels import Labels
from .minutes.present import MONTHS

if TYPE_CHECKING:
    from .app import Yishi

# Read often, changed rarely; but an update must show on the next look, and the language follows
# the request's Accept-Language: not kept.
HEADERS = {"Cache-Control": "no-store", "Vary": "Accept-Language"}
MEETING_ID = re.compile(r"[0-9a-f]{1,64}")  # what `?meeting=` may be: meetings' ids are short hex strings
BOARD_LINK = N_("Public board")  # the link to the board from other pages (the public minutes)

TEXTS = {
    "title": BOARD_LINK,
    "object": N_("Object to a decision with your personal code (until {end})"),
    "intro": N_("Every consultation held and what became of it: the outcome of each item, the consultation "
                "opinion, and how far each action item has got. Residents' names are masked as in the public "
                "minutes."),
    "as_of": N_("As of {date} (Beijing time)"),
    "show": N_("Show"),
    "status_all": N_("All"),
    "status_open": N_("Still being carried out"),
    "status_done": N_("Completed"),
    "status_overdue": N_("Overdue"),
    "year": N_("Year"),
    "all_years": N_("All years"),
    "in_year": N_("held in {year}"),
    "nothing": N_("No consultation to show."),
    "nothing_here": N_("No consultation matches this choice."),
    "meeting_open": N_("under way"),
    "meeting_closed": N_("closed"),
    "action_open": N_("to do"),
    "action_in_progress": N_("in progress"),
    "action_done": N_("done"),
    "action_blocked": N_("blocked"),
    "action_cancelled": N_("cancelled"),
    "overdue": N_("overdue"),
    "percent": N_("{n}% done"),
    "action_items": N_("Action items"),
    "no_actions": N_("No action items."),
    "latest": N_("Latest progress, {date}"),
    "no_progress": N_("No progress reported yet."),
    "photos": N_("Photos"),
    "photo": N_("Photo {n}"),
    "photos_online": N_("{n} photo(s): scan the QR code to see them."),
    "documents": N_("Documents"),
    "summary": N_("Action items: {total}; done: {done}; being carried out: {open}; overdue: {overdue}."),
    "status": N_("Status"),
    "scan": N_("Scan to read this board on a phone, with the photos and the latest progress."),
    "verify": N_("Check the record"),
}


def long_date(d: date, lang: str) -> str:
    """2026年12月6日 / 6 December 2026, as the printed minutes write it."""
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh-CN" else f"{d.day} {MONTHS[d.month - 1]} {d.year}"


class Words(i18n.Words):
    """The board's words in one language: `w.title`, `w("percent", n=30)`, `w.word("consensus")`."""

    def __init__(self, lang: str) -> None:
        super().__init__(TEXTS, lang)
        self.labels = Labels(lang)

    def word(self, key: str) -> str:
        """A form or an outcome, in the minutes' words."""
        return self.labels.word(key)

    def day(self, iso: str | None) -> str:
        return long_date(date.fromisoformat(iso), self.lang) if iso else ""


def meeting_of(request: Request) -> str | None:
    """`?meeting=` as the board reads it: None when not asked; "" (no meeting's) for what is not an id."""
    given = request.query_params.get("meeting")
    if given is None:
        return None
    return given if MEETING_ID.fullmatch(given) else ""


class BoardHTTP:
    def __init__(self, app: Yishi) -> None:
        self.app = app

    async def _entries(self, only: str | None = None) -> list[tuple[float, dict[str, Any]]]:
        """The meetings held (or the one asked for) with their entries whatever the day: from the
        kept digests (live/digests.py), so a board looked at often, or at an install with hundreds
        of meetings, reads again only the meetings that moved on."""
        return [(it.created_at, it.digest["board"]) for it in await self.app.digests.listed(only)
                if it.digest["board"] is not None]

    async def _all(self, today: date) -> list[dict[str, Any]]:
        made = [(at, board.on_day(e, today)) for at, e in await self._entries()]
        made.sort(key=lambda pair: (pair[1]["day"], pair[0], pair[1]["id"]), reverse=True)
        return [e for _, e in made]

    async def _one(self, meeting_id: str, today: date) -> list[dict[str, Any]]:
        """`?meeting=`: that meeting's entry alone, reading no other meeting's state; nothing for an id
        that is not one (nor is its state made up and kept), or a meeting not yet held."""
        if not meeting_id:
            return []
        return [board.on_day(e, today) for _, e in await self._entries(meeting_id)]

    async def _chosen(self, request: Request) -> tuple[date, str, int | None, list[dict[str, Any]], list[dict[str, Any]]]:
        today = today_in(DEFAULT_TIMEZONE)
        status = board.status_filter(request.query_params.get("status"))
        year = board.year_filter(request.query_params.get("year"))
        meeting = meeting_of(request)
        every = await (self._all(today) if meeting is None else self._one(meeting, today))
        return today, status, year, every, board.select(every, status, year)

    async def as_json(self, request: Request) -> Response:
        today, status, year, every, shown = await self._chosen(request)
        filters: dict[str, Any] = {"status": status, "year": year}
        if (meeting := meeting_of(request)) is not None:
            filters["meeting"] = meeting
        return JSONResponse({"ok": True, "today": today.isoformat(), "timezone": DEFAULT_TIMEZONE,
                             "filters": filters, "years": board.years(every), "meetings": shown}, headers=HEADERS)

    async def page(self, request: Request) -> Response:
        from .app import PAGES, lang_of

        today, status, year, every, shown = await self._chosen(request)
        lang = lang_of(request)
        meeting = meeting_of(request)
        chosen = {"meeting": meeting, "status": status, "year": year,
                  "lang": lang if "lang" in request.query_params else None}

        def href(**change: Any) -> str:
            """The board with these choices changed (a choice of `all` or no year is left out)."""
            query = {k: v for k, v in {**chosen, **change}.items() if v not in (None, "all")}
            return "/board" + (f"?{urlencode(query)}" if query else "")

        own = self.app.settings.public_url + href()
        other = "en" if lang == "zh-CN" else "zh-CN"
        html = PAGES.get_template("board.html").render(
            lang=lang, w=Words(lang), meetings=shown, every=len(every), status=status, year=year,
            meeting=meeting,  # one meeting's page: the filters, which choose among all, are not offered
            statuses=[(s, href(status=s)) for s in board.STATUS_FILTERS],
            years=[(None, href(year=None))] + [(y, href(year=y)) for y in board.years(every)],
            switch=(other, "English" if other == "en" else "中文", href(lang=other)),
            as_of=gettext(lang, TEXTS["as_of"], date=long_date(today, lang)), own=own,
            qr="data:image/svg+xml;base64," + base64.b64encode(qr.svg(own)).decode("ascii"),
            minutes_query=f"?{urlencode({'lang': lang})}" if "lang" in request.query_params else "",
        )
        return HTMLResponse(html, headers=HEADERS)


def board_routes(app: Yishi) -> list[Route]:
    h = BoardHTTP(app)
    return [Route("/board", h.page), Route("/board.json", h.as_json)]
