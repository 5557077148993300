"""The PDF made in a process of its own, beside the server's.

typst lays out a long PDF in a fraction of a second, but holds the interpreter while it does
(it does not release the GIL): in the server's process every phone's ballot would wait behind
it. In a second process it runs on the second core, and the server keeps answering. At a
meeting's close this process draws the charts (once, SVG for the page and the PDF, PNG for Word)
and sends the PDF process each one as it is drawn, then makes the Word file and the page while
the PDF is laid out there. The process is started at the first PDF and kept: typst and the CJK
font are loaded once in it, not for every file.

Where the process cannot be started or dies, the PDF is made in this process, as before.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from voting import charts

log = logging.getLogger("yishi")

CHART_WAIT_S = 120.0  # a chart not come by then stops the PDF (it is then made in the server's process)
_pool: ProcessPoolExecutor | None = None
_charts: Any = None  # the queue the charts go by to the PDF process: (job, key, SVG)
_jobs = itertools.count()
_pool_lock = threading.Lock()


def _ready(charts: Any) -> None:
    """In the new process: typst and its fonts loaded before the first file; where the charts will come."""
    global _charts
    from .pdf import warm

    _charts = charts
    _go_with_parent()
    warm()


def _go_with_parent() -> None:
    """The PDF process ends when the server's does, however that ends (killed, its window closed):
    it must not linger with the few hundred megabytes typst keeps. (A server that exits in order
    stops it itself; one that is killed cannot.)"""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # the parent's sentinel: returns when it has gone, on every system
        os._exit(0)

    threading.Thread(target=watch, name="yishi-pdf-parent", daemon=True).start()


def _render_pdf_fed(model: dict[str, Any], lang: str, site: str, notice_days: int | None, job: int) -> bytes:
    """The PDF, its charts sent by the server's process as it draws them (render_all)."""
    import queue

    from .pdf import ChartMissing, render_pdf

    got: dict[str, bytes] = {}

    def chart_svg(key: str) -> bytes:
        while key not in got:
            try:
                sent_for, k, svg = _charts.get(timeout=CHART_WAIT_S)
            except queue.Empty:
                raise ChartMissing(f"the chart {key} did not come") from None
            if sent_for == job:  # else left from a PDF that did not finish
                got[k] = svg
        return got[key]

    return render_pdf(model, lang, site=site, notice_days=notice_days, chart_svg=chart_svg)


def _render_pdf(model: dict[str, Any], lang: str, site: str, notice_days: int | None) -> bytes:
    from . import render

    return render(model, "pdf", lang, site=site, notice_days=notice_days)


def _executor() -> ProcessPoolExecutor:
    global _pool, _charts
    with _pool_lock:
        if _pool is None:
            # spawn, not fork: the server has threads (and open database connections) a fork would copy
            context = multiprocessing.get_context("spawn")
            _charts = context.Queue()
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_ready, initargs=(_charts,))
        return _pool


def submit_pdf(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> Future[bytes]:
    """Start the PDF in the PDF process; the future gives its bytes (or raises as `render` would)."""
    return _executor().submit(_render_pdf, model, lang, site, notice_days)


def render_pdf(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> bytes:
    """The PDF, made in the PDF process; in this one if that process cannot run."""
    try:
        return submit_pdf(model, lang, site=site, notice_days=notice_days).result()
    except (BrokenProcessPool, OSError) as exc:
        log.warning("the PDF process is unavailable (%s): making the PDF in the server's process", exc)
        stop()
        from . import render

        return render(model, "pdf", lang, site=site, notice_days=notice_days)


def render_all(model: dict[str, Any], lang: str, formats: tuple[str, ...], *, site: str = "",
               notice_days: int | None = None) -> dict[str, bytes]:
    """Every format asked for: the PDF in the PDF process while this one makes the others.

    The PDF process builds its document while this one draws the charts (each figure saved as SVG
    for the page and the PDF, and PNG for Word) and sends it the SVGs."""
    from . import present, render
    from .html import chart, chart_keys
    from .pdf import pdf_available

    pending, feed, job = None, None, next(_jobs)
    if "pdf" in formats and pdf_available():
        try:
            pending = _executor().submit(_render_pdf_fed, model, lang, site, notice_days, job)
            feed = _charts
        except (BrokenProcessPool, OSError, RuntimeError):
            stop()
    p = present.Presenter(model, lang)
    for key in chart_keys(p) if {"html", "docx", "pdf"} & set(formats) else ():
        svg = chart(p, key, "svg", also=charts.FORMATS)  # one figure saved as SVG and PNG
        if feed is not None:
            feed.put((job, key, svg))
    here = [fmt for fmt in formats if fmt != "pdf" or pending is None]
    out = {fmt: render(model, fmt, lang, site=site, notice_days=notice_days) for fmt in here}
    if pending is not None:
        from .pdf import ChartMissing

        try:
            out["pdf"] = pending.result()
        except (BrokenProcessPool, OSError, ChartMissing) as exc:
            log.warning("the PDF process did not make the PDF (%s): making it in the server's process", exc)
            out["pdf"] = render(model, "pdf", lang, site=site, notice_days=notice_days)
    return {fmt: out[fmt] for fmt in formats}


def _forget() -> None:
    from . import present

    present.forget_charts()


def forget_charts() -> None:
    """Empty the PDF process's charts too (the benchmark times each run from nothing)."""
    with _pool_lock:
        pool = _pool
    if pool is not None:
        pool.submit(_forget).result()


def stop() -> None:
    """End the PDF process (the next PDF starts a new one)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
