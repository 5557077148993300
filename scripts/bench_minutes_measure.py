#!/usr/bin/env python3
"""The timing half of scripts/bench_minutes.py, run with one version of the renderers on PYTHONPATH.

Usage: python scripts/bench_minutes_measure.py FOLDER. FOLDER holds model.json and public.json
(the internal and public minutes models). Prints where its renderers came from, then reads the
names of what to time (html, pdf, docx, md, json, all, prepared), one a line, and answers each
with a JSON line: the wall time and the CPU time (of this process and its PDF process) in
seconds, the charts drawn anew for each. It imports only
live.minutes, so that the code of an older commit can run it: what that code lacks (the chart
cache's `forget_charts`, the PDF process) is done the way that code did it.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable


def main() -> int:
    folder = Path(sys.argv[1])
    import live.minutes as minutes
    from live.minutes import FORMATS, present, render
    from live.minutes.pdf import pdf_available

    model = json.loads((folder / "model.json").read_text())
    public = json.loads((folder / "public.json").read_text())
    try:
        from live.minutes import worker  # the PDF process, where this version has one
    except ImportError:
        worker = None

    def forget() -> None:
        if hasattr(present, "forget_charts"):
            present.forget_charts()
        else:
            present._poll_chart.cache_clear()
            present._heard_chart.cache_clear()
        if worker is not None:
            worker.forget_charts()

    # Imports, the font and the PDF process started: not timed (a server has them already).
    pdf_available()
    render(model, "md", "zh-CN")
    render({**model, "items": model["items"][:1]}, "pdf", "zh-CN")
    if worker is not None:
        worker.render_pdf({**model, "items": model["items"][:1]}, "zh-CN")

    def all_formats() -> None:
        if worker is not None:
            worker.render_all(model, "zh-CN", FORMATS)
        else:
            for fmt in FORMATS:
                render(model, fmt, "zh-CN")

    def prepared() -> None:
        """The close: PDF and Word of the internal and the public minutes."""
        if worker is not None:
            pending = [worker.submit_pdf(m, "zh-CN") for m in (model, public)]
            for m in (model, public):
                render(m, "docx", "zh-CN")
            for f in pending:
                f.result()
        else:
            for fmt in ("pdf", "docx"):
                for m in (model, public):
                    render(m, fmt, "zh-CN")

    jobs: dict[str, Callable[[], Any]] = {fmt: (lambda fmt=fmt: render(model, fmt, "zh-CN")) for fmt in FORMATS}
    if worker is not None:  # as the server makes a PDF now
        jobs["pdf"] = lambda: worker.render_pdf(model, "zh-CN")
    jobs["all"] = all_formats
    jobs["prepared"] = prepared

    def cpu() -> float:
        """CPU seconds of this process and of the PDF process, if any."""
        used = time.process_time()
        for pid in list(getattr(worker._pool, "_processes", None) or {}) if worker is not None else ():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    # Told what to time, one line at a time, by scripts/bench_minutes.py, which takes turns with
    # the other version's process so that others' load on the machine weighs on both alike.
    print(json.dumps({"code": str(Path(minutes.__file__).resolve().parent)}), flush=True)
    for line in sys.stdin:
        job = jobs[line.strip()]
        forget()
        t, c = time.perf_counter(), cpu()
        job()
        print(json.dumps({"wall": time.perf_counter() - t, "cpu": cpu() - c}), flush=True)
    if worker is not None:
        worker.stop()
    return 0


if __name__ == "__main__":  # the PDF process is started by spawn, which imports this file again
    sys.exit(main())
