"""PDF from the print-ready page (weasyprint): fonts embedded as subsets, text selectable.

Charts and the verification QR code go in as PNG: weasyprint takes about 0.1 s per path-drawn SVG chart, and a PNG at the
charts' 150 dpi prints as sharply at their 15 cm width. The record's stamp is also written into
the PDF's keywords, where `yishi verify` reads it back.

weasyprint lays text out with pango, a system library that Windows and macOS do not have by
default. Without it every other format still works: `PdfUnavailable` says so, and what to do.
"""
from __future__ import annotations

from collections.abc import Callable
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


CHART_URL = "yishi-chart:"


@cache
def _chart_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):  # type: ignore[misc]
        """Each chart from `chart_png` by its key; any other address as weasyprint fetches it."""

        def __init__(self, chart_png: Callable[[str], bytes]) -> None:
            super().__init__(fail_on_errors=True)  # a chart that does not come stops the PDF
            self.chart_png = chart_png

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(CHART_URL):
                return URLFetcherResponse(url, self.chart_png(url[len(CHART_URL):]), {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return ChartFetcher


def render_pdf(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None,
               chart_png: Callable[[str], bytes] | None = None) -> bytes:
    """`chart_png`: each chart's PNG by its key (html.chart_keys), asked for only once the page has
    been parsed and styled, so that another process can draw the charts meanwhile
    (worker.render_all); None draws them here first."""
    weasyprint = _weasyprint()
    if chart_png is None:
        html = render_html(model, lang, chart_format="png", site=site, notice_days=notice_days)
        return weasyprint.HTML(string=html).write_pdf()  # type: ignore[no-any-return]
    html = render_html(model, lang, chart_format="png", site=site, notice_days=notice_days,
                       chart_src=lambda key: CHART_URL + key)
    return weasyprint.HTML(string=html, url_fetcher=_chart_fetcher()(chart_png)).write_pdf()  # type: ignore[no-any-return]
