"""The verification page: what `GET /meetings/{id}/verify` shows a browser (a phone that scanned the
QR code on the printed minutes), and what `POST` shows after a minutes file was chosen in its form.

The same result as the JSON answer, in words, in the reader's language. Everything the meeting's
record holds is shown as the public minutes show it (private residents masked) and escaped by the
template's autoescape; the page runs no script.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from .html import _ENV
from .present import Presenter

OTHER_LANGUAGE = {"zh-CN": ("en", "English"), "en": ("zh-CN", "中文")}


def held(p: Presenter) -> str:
    """When the meeting was held: its date and, once it started, from when to when (in the zone)."""
    mt = p.m["meeting"]
    if not mt["started_at"]:
        return f"{mt['scheduled'] or '—'}"
    until = p.time(mt["ended_at"]) if mt["ended_at"] else p.L.still_open
    return f"{p.date()} {p.time(mt['started_at'])}–{until}{p.paren(p.zone())}"


def render_verify_page(*, meeting_id: str, lang: str, model: dict[str, Any] | None, result: dict[str, Any] | None,
                       query: dict[str, str], message: str = "", missing: str = "") -> str:
    """`model`: the meeting's public minutes (None when they cannot be made); `result`: what
    `verify_meeting` found (None for a meeting that does not exist, then `missing` says so);
    `query`: the request's own parameters worth keeping in its links (lang, tz, key);
    `message`: why an upload could not be checked."""
    from .labels import Labels

    p = Presenter(model, lang) if model else None
    L = p.L if p else Labels(lang)
    base = f"/meetings/{meeting_id}"
    keep = {k: v for k, v in query.items() if k in ("lang", "tz", "key")}
    other, other_name = OTHER_LANGUAGE[lang]
    switch = f"{base}/verify?{urlencode({**keep, 'lang': other})}"
    action = f"{base}/verify" + (f"?{urlencode(keep)}" if keep else "") + "#file"  # the answer opens at the file's result
    as_json = f"{base}/verify?{urlencode({**keep, 'format': 'json'})}"
    public = {k: v for k, v in keep.items() if k in ("lang", "tz")}
    suffix = "&".join(["public=1"] + ([urlencode(public)] if public else []))
    links = [(L.public_minutes, f"{base}/public" + (f"?{urlencode(public)}" if public else "")),
             ("PDF", f"{base}/minutes.pdf?{suffix}"), ("Word", f"{base}/minutes.docx?{suffix}")]
    zone = (model or {}).get("record", {}).get("timezone") or "Asia/Shanghai"
    now = datetime.fromtimestamp(time.time(), ZoneInfo(zone)).isoformat(timespec="seconds")
    return _ENV.get_template("verify.html").render(
        lang=lang, L=L, p=p, m=model, r=result, meeting_id=meeting_id, held=held(p) if p else "",
        checked_at=(p.datetime(now) + p.paren(p.zone())) if p else "", switch=switch, other_name=other_name,
        action=action, as_json=as_json, links=links if p else [], message=message, missing=missing,
        colon="：" if lang == "zh-CN" else ": ",
    )
