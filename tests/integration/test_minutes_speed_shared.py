"""The minutes made the faster way say and show the same: each chart drawn once serves every
format, and the PDF made in the PDF process (live/minutes/worker.py) is the PDF, Chinese and all,
even when that process has died."""
from __future__ import annotations

import base64
import io
import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from facilitation.minutes import minutes
from live.minutes import FORMATS, present, render, worker
from live.record import identity_of
from voting import charts

from support.minutes_meeting import RESIDENTS, stored_realistic_meeting
from support.pdf_drawing import draws, pdf_drawings


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    meeting = stored_realistic_meeting(tmp_path_factory.mktemp("speed") / "yishi.db")
    return minutes(meeting, identity_of(meeting))


@pytest.fixture(scope="module", autouse=True)
def pdf_process() -> Any:
    yield
    worker.stop()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def polls(model: dict[str, Any]) -> list[dict[str, Any]]:
    return [poll for item in model["items"] for poll in item["polls"]]


QUESTION = "是否同意加装电梯方案，并授权业委会组织施工？"
LABELS = ["同意", "不同意", "需要更多信息"]


@pytest.mark.parametrize("fmt", charts.FORMATS)
def test_a_chart_drawn_in_both_formats_at_once_is_the_chart_drawn_in_one(fmt):
    both = charts.poll_charts(QUESTION, LABELS, [12, 5, 3])
    assert set(both) == set(charts.FORMATS)
    assert both[fmt] == charts.poll_chart(QUESTION, LABELS, [12, 5, 3], fmt)
    heard = charts.speaking_time_charts(["居民", "商户"], [754.4, 300])
    assert heard[fmt] == charts.speaking_time_chart(["居民", "商户"], [754.4, 300], fmt)


def test_the_page_and_the_word_file_show_the_charts_drawn_once_for_both(model):
    present.forget_charts()
    files = worker.render_all(model, "zh-CN", ("html", "docx"))
    p = present.Presenter(model, "zh-CN")
    shown = polls(model)
    assert shown, "the meeting has polls to draw"
    page = files["html"].decode()
    svgs = [base64.b64decode(u) for u in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]
    pictures = [part.blob for part in docx.Document(io.BytesIO(files["docx"])).part.package.parts
                if part.content_type == "image/png"]
    for poll in shown:
        # The same chart as the one drawn alone for either format, and the one the cache keeps.
        svg, png = p.poll_chart(poll, "svg"), p.poll_chart(poll, "png")
        assert svg in svgs and png in pictures
        alone = charts.poll_chart(poll["question"], p.options(poll), poll["counts"], "png")
        if poll["kind"] not in ("ranking", "evaluation"):
            assert png == alone
    assert p.heard_chart("svg") in svgs and p.heard_chart("png") in pictures


def test_every_format_made_at_once_is_every_format_made_alone(model, tmp_path):
    together = worker.render_all(model, "zh-CN", FORMATS)
    assert list(together) == list(FORMATS)
    for fmt in ("html", "md", "json"):
        assert together[fmt] == render(model, fmt, "zh-CN")
    # The PDF, laid out in the PDF process, reads as the one made here: the Chinese text, the names.
    here = pdf_text(render(model, "pdf", "zh-CN"), tmp_path)
    there = pdf_text(together["pdf"], tmp_path)
    assert there == here
    assert model["meeting"]["title"] in there and "会议纪要" in there
    assert any(name in there for name in RESIDENTS)
    assert all(poll["question"][:10] in there.replace("\n", "") for poll in polls(model))
    # Its charts, sent to the PDF process as they were drawn here, are the charts made here.
    p = present.Presenter(model, "zh-CN")
    drawn = [p.poll_chart(poll, "svg") for poll in polls(model)] + [p.heard_chart("svg") or b""]
    assert all(draws(together["pdf"], svg) for svg in drawn)
    assert pdf_drawings(together["pdf"]) == pdf_drawings(render(model, "pdf", "zh-CN"))


def test_a_pdf_is_still_made_when_the_pdf_process_has_died(model, tmp_path):
    first = worker.render_pdf(model, "zh-CN")
    pids = list(worker._executor()._processes)  # the PDF process, as the pool started it
    assert pids and all(pid != os.getpid() for pid in pids)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    again = worker.render_pdf(model, "zh-CN")
    assert again.startswith(b"%PDF")
    assert pdf_text(again, tmp_path) == pdf_text(first, tmp_path)
    # and the next one has a PDF process again
    assert worker.render_pdf(model, "zh-CN").startswith(b"%PDF")
    assert all(pid not in pids for pid in worker._executor()._processes)
