"""PDF from the print-ready page (weasyprint): fonts embedded as subsets, text selectable.

Charts and the verification QR code go in as PNG: weasyprint takes about 0.1 s per path-drawn SVG chart, and a PNG at the
charts' 150 dpi prints as sharply at their 15 cm width. The record's stamp is also written into
the PDF's keywords, where `yishi verify` reads it back.

weasyprint lays text out with pango, a system library that Windows and macOS do not have by
default. Without it every other format still works: `PdfUnavailable` says so, and what to do.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from .html import render_html


class PdfUnavailable(RuntimeError):
    """weasyprint could not load its system libraries (pango, gobject, fontconfig)."""


@cache
def _weasyprint() -> Any:
    try:
        import weasyprint
    except (OSError, ImportError) as exc:  # cffi's dlopen says OSError when pango is missing
        raise PdfUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    return weasyprint


def pdf_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def render_pdf(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> bytes:
    weasyprint = _weasyprint()
    html = render_html(model, lang, chart_format="png", site=site, notice_days=notice_days)
    return weasyprint.HTML(string=html).write_pdf()  # type: ignore[no-any-return]
