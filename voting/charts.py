"""Charts of a closed straw poll and of who was heard, as SVG or PNG bytes for pages and minutes."""
from __future__ import annotations

import functools
import io
import os
import textwrap
import threading
import warnings
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure  # no pyplot: no global figure registry, no GUI backend

FAMILY = "Noto Sans CJK SC"
FORMATS = ("svg", "png")
PNG_DPI = 150  # sharp enough for Word and print at the chart's ~16 cm width
BAR_COLOR = "#3a7ca5"
# Line widths in Latin characters; a CJK character is about two wide.
LABEL_WIDTH, TITLE_WIDTH = 36, 64  # options may be up to 80 characters long
# matplotlib's rcParams are process-wide and not thread-safe; renders hold this lock.
_LOCK = threading.Lock()
# Glyphs as paths: the file then needs no font on the viewer's machine (projector PCs,
# Word, browsers without CJK fonts), at the cost of unselectable text.
# A fixed salt and no date make the same chart give the same bytes.
_RC: dict[Any, Any] = {"svg.fonttype": "path", "svg.hashsalt": "yishi-charts"}
_METADATA = {"svg": {"Date": None}, "png": {"Software": None}}


@functools.cache  # register once, at the first chart, not when voting is imported
def _font() -> font_manager.FontProperties:
    """The Simplified Chinese face of the bundled Noto Sans CJK collection."""
    import noto_cjk_sans_otc  # type: ignore[import-untyped]

    path = os.fspath(noto_cjk_sans_otc.FONT_PATH)
    font_manager.fontManager.addfont(path)
    # Pinned to the bundled file, not looked up by family alone, so a machine's own
    # (other version of) Noto CJK cannot change the output; raises if the face is absent.
    face = font_manager.fontManager.findfont(
        font_manager.FontProperties(family=FAMILY),
        directory=os.path.dirname(path), fallback_to_default=False)
    return font_manager.FontProperties(fname=face)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width if text.isascii() else width // 2)) or text


def _sized(size: float) -> font_manager.FontProperties:
    prop = _font().copy()
    prop.set_size(size)
    return prop


def _render(title: str, labels: list[str], values: list[float], ends: list[str],
            fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    wrapped = [_wrap(label, LABEL_WIDTH) for label in labels]
    title = _wrap(title, TITLE_WIDTH) if title else ""
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height = 0.8 + 0.45 * max(lines, 2) + (0.25 * (title.count("\n") + 1) if title else 0)
    fig = Figure(figsize=(6.4, height), layout="constrained")
    ax = fig.add_subplot()
    bars = ax.barh(range(len(values)), values, color=BAR_COLOR, height=0.6)
    ax.set_yticks(range(len(values)), labels=wrapped, fontproperties=_sized(11))
    ax.invert_yaxis()  # first option on top, as on the ballot
    ax.bar_label(bars, labels=ends, padding=4, fontproperties=_sized(10))
    # Room on the right for the end labels; an all-zero poll still gets an axis.
    ax.set_xlim(0, (max(values, default=0) or 1) * 1.3)
    ax.set_xticks([])  # the end labels carry the figures
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if title:
        # A figure title, not an axes one, so a long question uses the label column's width too.
        fig.suptitle(title, x=0.02, ha="left", fontproperties=_sized(13))
    buf = io.BytesIO()
    with _LOCK, matplotlib.rc_context(_RC), warnings.catch_warnings():
        # A character no installed font has (an emoji, a rare ideograph) is drawn as a box; the
        # minutes' text beside the chart keeps it. That is not worth a warning per chart.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


def _share(part: float, total: float) -> str:
    return f"{round(100 * part / total) if total else 0}%"


def poll_chart(question: str, labels: list[str], counts: list[int], fmt: str = "svg") -> bytes:
    """A poll's result: one bar per option (labels already translated), count and share at its end."""
    total = sum(counts)
    ends = [f"{c} ({_share(c, total)})" for c in counts]
    return _render(question, labels, [float(c) for c in counts], ends, fmt)


def speaking_time_chart(labels: list[str], seconds: list[float], fmt: str = "svg",
                        title: str = "") -> bytes:
    """Who was heard: minutes per stakeholder category, as m:ss and share of all speaking time."""
    total = sum(seconds)
    ends = [f"{round(s) // 60}:{round(s) % 60:02d} ({_share(s, total)})" for s in seconds]
    return _render(title, labels, [s / 60 for s in seconds], ends, fmt)
