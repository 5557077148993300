"""The minutes in every format, all drawn from the one model in facilitation.minutes.

`render(model, fmt, lang)` -> bytes. HTML (charts as SVG), PDF (typst, the page's content and
its SVG charts), Word .docx (python-docx, charts as PNG), Markdown, and JSON (the model itself,
documented in docs/minutes.md). Rendering is synchronous and CPU-bound: the HTTP routes call it
in a worker thread, and have the PDF laid out in a process of its own (worker.py). Each chart is
drawn once for all formats (present.py keeps them by what they show).
"""
from __future__ import annotations

import json
from typing import Any

FORMATS = ("html", "pdf", "docx", "md", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def to_json(model: dict[str, Any]) -> str:
    return json.dumps(model, ensure_ascii=False, indent=2) + "\n"


def render(model: dict[str, Any], fmt: str, lang: str, *, nav: list[tuple[str, str]] | None = None,
           site: str = "", notice_days: int | None = None) -> bytes:
    """`site`: the server's address as readers reach it (`http://192.168.1.20:8000`): the verification
    link is printed in full and drawn as a QR code; "" leaves the link as a path and draws no code.
    `notice_days`: the public version's publicity period (from the day the minutes are generated);
    None: the meeting's own, else NOTICE_DAYS."""
    days = notice_days
    if fmt == "json":
        return to_json(model).encode()
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(model, lang, site=site, notice_days=days).encode()
    if fmt == "html":
        from .html import render_html

        return render_html(model, lang, nav=nav, site=site, notice_days=days).encode()
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(model, lang, site=site, notice_days=days)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(model, lang, site=site, notice_days=days)
    raise ValueError(f"unknown minutes format {fmt!r}; one of {FORMATS}")


def filename(model: dict[str, Any], fmt: str) -> str:
    suffix = "-public" if model["public"] else ""
    return f"minutes-{model['meeting']['id']}{suffix}.{fmt}"
