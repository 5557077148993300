"""The print-ready page (A4): one jinja2 template, user text escaped by autoescape."""
from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import qr
from .present import Presenter, stamp

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=False, lstrip_blocks=False)
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}


def _data_uri(data: bytes, fmt: str) -> str:
    return f"data:{MEDIA[fmt]};base64,{base64.b64encode(data).decode('ascii')}"


def css_string(text: str) -> Markup:
    """Any text as a quoted CSS string, safe inside <style>: every character that could end the
    string, the rule or the element is written as a six-digit escape."""
    out = []
    for c in text:
        if c in "\"'\\<>&" or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029":
            out.append(f"\\{ord(c):06X}")
        else:
            out.append(c)
    return Markup('"' + "".join(out) + '"')


def page_footer(p: Presenter) -> Markup:
    """The running footer's CSS `content`: 第 counter(page) 页 共 counter(pages) 页."""
    counters = {"PAGE": "counter(page)", "NUMPAGES": "counter(pages)"}
    return Markup(" ").join(css_string(v) if kind == "text" else Markup(counters[v]) for kind, v in p.page_of())


def page_header(p: Presenter) -> Markup:
    """The running header: the meeting's title, and which version this is."""
    which = p.L.public_notice if p.m["public"] else p.L.minutes
    return css_string(f"{p.m['meeting']['title']} · {which}")


def chart_keys(p: Presenter) -> list[str]:
    """Which charts the minutes show: each poll's (by its id), and who was heard ("heard")."""
    return [poll["id"] for item in p.m["items"] for poll in item["polls"]] + (["heard"] if p.m["heard"]["by_category"] else [])


def chart(p: Presenter, key: str, fmt: str, also: tuple[str, ...] = ()) -> bytes:
    """One chart by its key; `also`: formats to save from the same figure if it is drawn now."""
    if key == "heard":
        return p.heard_chart(fmt, also) or b""
    (poll,) = [poll for item in p.m["items"] for poll in item["polls"] if poll["id"] == key]
    return p.poll_chart(poll, fmt, also)


def charts(p: Presenter, fmt: str) -> dict[str, str]:
    """Every chart of the minutes as a data URI, so the page is one self-contained file."""
    return {key: _data_uri(chart(p, key, fmt), fmt) for key in chart_keys(p)}


def qr_code(p: Presenter, fmt: str) -> str:
    """The verification link as a QR code (a data URI), or "" when the server's address is unknown."""
    if not p.site:
        return ""
    url = p.verify_url()
    return _data_uri(qr.svg(url) if fmt == "svg" else qr.png(url), fmt)


def render_html(model: dict[str, Any], lang: str, *, chart_format: str = "svg",
                nav: list[tuple[str, str]] | None = None, site: str = "", notice_days: int | None = None,
                chart_src: Callable[[str], str] | None = None) -> str:
    """`chart_src`: each chart's address by its key, for a page whose charts are fetched later (the
    PDF's, see pdf.py); None puts every chart in the page."""
    p = Presenter(model, lang, site=site, notice_days=notice_days)
    shown = {key: chart_src(key) for key in chart_keys(p)} if chart_src else charts(p, chart_format)
    return _ENV.get_template("minutes.html").render(
        m=model, p=p, L=p.L, charts=shown, header_rows=p.header_rows(), stamp=stamp(model),
        nav=nav or [], sep="、" if lang == "zh-CN" else ", ", qr=qr_code(p, chart_format),
        page_footer=page_footer(p), page_header=page_header(p),
    )
