"""The print-ready page (A4): one jinja2 template, user text escaped by autoescape."""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .present import Presenter, stamp

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=False, lstrip_blocks=False)
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}


def _data_uri(data: bytes, fmt: str) -> str:
    return f"data:{MEDIA[fmt]};base64,{base64.b64encode(data).decode('ascii')}"


def charts(p: Presenter, fmt: str) -> dict[str, str]:
    """Every chart of the minutes as a data URI, so the page is one self-contained file."""
    out = {poll["id"]: _data_uri(p.poll_chart(poll, fmt), fmt) for item in p.m["items"] for poll in item["polls"]}
    heard = p.heard_chart(fmt)
    if heard:
        out["heard"] = _data_uri(heard, fmt)
    return out


def render_html(model: dict[str, Any], lang: str, *, chart_format: str = "svg",
                nav: list[tuple[str, str]] | None = None) -> str:
    p = Presenter(model, lang)
    return _ENV.get_template("minutes.html").render(
        m=model, p=p, L=p.L, charts=charts(p, chart_format), header_rows=p.header_rows(), stamp=stamp(model),
        nav=nav or [], sep="、" if lang == "zh-CN" else ", ",
    )
