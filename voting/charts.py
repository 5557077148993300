"""Charts of a closed poll (of each kind) and of who was heard, as SVG or PNG bytes for pages and minutes."""
from __future__ import annotations

import functools
import io
import os
import textwrap
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
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


def _axes(title: str, labels: list[str], n_values: int, formats: Sequence[str], *,
          extra_height: float = 0.0) -> tuple[Figure, Any, str]:
    """A figure with one horizontal bar row per label, first on top, the title above."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if len(labels) != n_values:
        raise ValueError("labels and values differ in length")
    wrapped = [_wrap(label, LABEL_WIDTH) for label in labels]
    title = _wrap(title, TITLE_WIDTH) if title else ""
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height = 0.8 + 0.45 * max(lines, 2) + (0.25 * (title.count("\n") + 1) if title else 0) + extra_height
    fig = Figure(figsize=(6.4, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_yticks(range(len(labels)), labels=wrapped, fontproperties=_sized(11))
    ax.invert_yaxis()  # first option on top, as on the ballot
    return fig, ax, title


def _save(fig: Figure, ax: Any, title: str, longest: float, formats: Sequence[str]) -> dict[str, bytes]:
    # Room on the right for the end labels; an all-zero poll still gets an axis.
    ax.set_xlim(0, (longest or 1) * 1.3)
    ax.set_xticks([])  # the end labels carry the figures
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if title:
        # A figure title, not an axes one, so a long question uses the label column's width too.
        fig.suptitle(title, x=0.02, ha="left", fontproperties=_sized(13))
    out: dict[str, bytes] = {}
    with _LOCK, matplotlib.rc_context(_RC), warnings.catch_warnings():
        # A character no installed font has (an emoji, a rare ideograph) is drawn as a box; the
        # minutes' text beside the chart keeps it. That is not worth a warning per chart.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        # The layout is worked out once, measured as the PNG draws the text, and then holds for
        # every format: a chart asked for in one format is the same as one drawn in several.
        FigureCanvasAgg(fig)
        fig.set_dpi(PNG_DPI)
        fig.get_layout_engine().execute(fig)  # type: ignore[union-attr]
        fig.set_layout_engine("none")
        for fmt in formats:
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
            out[fmt] = buf.getvalue()
    return out


def _render(title: str, labels: list[str], values: list[float], ends: list[str],
            formats: Sequence[str]) -> dict[str, bytes]:
    fig, ax, title = _axes(title, labels, len(values), formats)
    bars = ax.barh(range(len(values)), values, color=BAR_COLOR, height=0.6)
    ax.bar_label(bars, labels=ends, padding=4, fontproperties=_sized(10))
    return _save(fig, ax, title, max(values, default=0), formats)


def _share(part: float, total: float) -> str:
    return f"{round(100 * part / total) if total else 0}%"


# Each kind of chart in two forms: `*_charts(..., formats)` draws the figure once and saves it in
# every format asked for ({"svg": …, "png": …}); `*_chart(..., fmt)` gives one format's bytes.

def poll_charts(question: str, labels: list[str], counts: list[int],
                formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """A poll's result: one bar per option (labels already translated), count and share at its end."""
    total = sum(counts)
    ends = [f"{c} ({_share(c, total)})" for c in counts]
    return _render(question, labels, [float(c) for c in counts], ends, formats)


def poll_chart(question: str, labels: list[str], counts: list[int], fmt: str = "svg") -> bytes:
    return poll_charts(question, labels, counts, (fmt,))[fmt]


def speaking_time_charts(labels: list[str], seconds: list[float], formats: Sequence[str] = FORMATS,
                         title: str = "") -> dict[str, bytes]:
    """Who was heard: minutes per stakeholder category, as m:ss and share of all speaking time."""
    total = sum(seconds)
    ends = [f"{round(s) // 60}:{round(s) % 60:02d} ({_share(s, total)})" for s in seconds]
    return _render(title, labels, [s / 60 for s in seconds], ends, formats)


def speaking_time_chart(labels: list[str], seconds: list[float], fmt: str = "svg",
                        title: str = "") -> bytes:
    return speaking_time_charts(labels, seconds, (fmt,), title=title)[fmt]


def ranking_chart(question: str, labels: list[str], ranked: Mapping[str, Any], fmt: str = "svg", *,
                  points: str = "{n} points", out: str = "out in round {n}") -> bytes:
    return ranking_charts(question, labels, ranked, (fmt,), points=points, out=out)[fmt]


def ranking_charts(question: str, labels: list[str], ranked: Mapping[str, Any], formats: Sequence[str] = FORMATS, *,
                   points: str = "{n} points", out: str = "out in round {n}") -> dict[str, bytes]:
    """A ranking's result (the `to_data()` of voting.ranking's BordaResult or RunoffResult), the
    options (labels in the poll's order) from first to last. Borda: each option's points and its
    share of all points. Instant runoff: the last round's ballots for each option still in the
    count and their share of the ballots still counting; an option eliminated before it is marked
    with its round. `points` and `out` are the words at a bar's end ({n}), already translated."""
    n = len(labels)
    if ranked["method"] == "borda":
        got = [int(p) for p in ranked["points"]]
        if len(got) != n:
            raise ValueError("labels and values differ in length")
        total = sum(got)
        order = list(ranked["order"])
        ends = [f"{points.format(n=got[o])} ({_share(got[o], total)})" for o in order]
        return _render(question, [labels[o] for o in order], [float(got[o]) for o in order], ends, formats)
    rounds = ranked["rounds"]
    last = rounds[-1]["counts"]
    if len(last) != n:
        raise ValueError("labels and values differ in length")
    went_out = {o: r["round"] for r in rounds for o in r["eliminated"]}
    counting = sum(c for c in last if c is not None)
    # Still in the count by their last-round ballots; then the eliminated, the last to go first.
    order = sorted(range(n), key=lambda o: (0, -last[o], o) if last[o] is not None else (1, -went_out.get(o, 0), o))
    ends = [f"{last[o]} ({_share(last[o], counting)})" if last[o] is not None else out.format(n=went_out.get(o, 0))
            for o in order]
    # An eliminated option has no ballots in the last round: no bar, only the round it went out in.
    return _render(question, [labels[o] for o in order], [float(last[o] or 0) for o in order], ends, formats)


# 满意 / 基本满意 / 不满意: blue, light blue, orange, told apart also by those with red-green colour blindness.
RATING_COLORS = ("#3a7ca5", "#9cc3dc", "#d9822b")
RATING_TEXT = ("white", "#1a1a1a", "#1a1a1a")


def evaluation_chart(question: str, labels: list[str], evaluated: Mapping[str, Any], fmt: str = "svg", *,
                     ratings: Sequence[str] = ("satisfied", "basically satisfied", "dissatisfied"),
                     rate: str = "satisfaction rate") -> bytes:
    return evaluation_charts(question, labels, evaluated, (fmt,), ratings=ratings, rate=rate)[fmt]


def evaluation_charts(question: str, labels: list[str], evaluated: Mapping[str, Any], formats: Sequence[str] = FORMATS,
                      *, ratings: Sequence[str] = ("satisfied", "basically satisfied", "dissatisfied"),
                      rate: str = "satisfaction rate") -> dict[str, bytes]:
    """A democratic evaluation's result (the `to_data()` of voting.evaluation's Evaluation): for
    each one evaluated, in the ballot's order, a bar of their 满意 / 基本满意 / 不满意 counts end to
    end with the count in each part, and at its end the satisfaction rate, (满意 + 基本满意) over
    those who rated, with one decimal as voting.evaluation rounds it ("—" when nobody rated them).
    `ratings` (the three words, for the legend) and `rate` come already translated."""
    rows = list(evaluated["evaluated"])
    if len(ratings) != 3:
        raise ValueError("three rating words are needed")
    fig, ax, title = _axes(question, labels, len(rows), formats, extra_height=0.3)
    keys = ("satisfied", "basically_satisfied", "dissatisfied")
    longest = max((sum(int(r[k]) for k in keys) for r in rows), default=0)
    left = [0.0] * len(rows)
    for key, word, color, ink in zip(keys, ratings, RATING_COLORS, RATING_TEXT):
        counts = [int(r[key]) for r in rows]
        bars = ax.barh(range(len(rows)), counts, left=left, color=color, height=0.6, label=word)
        # A count inside its part when the part is wide enough to hold it.
        ax.bar_label(bars, labels=[str(c) if c and c >= 0.06 * longest else "" for c in counts],
                     label_type="center", color=ink, fontproperties=_sized(9))
        left = [a + c for a, c in zip(left, counts)]
    ends = [f"{rate} {r['satisfaction_percent']}%" if r["satisfaction_percent"] is not None else f"{rate} —"
            for r in rows]
    for y, (x, end) in enumerate(zip(left, ends)):
        ax.annotate(end, (x, y), xytext=(4, 0), textcoords="offset points", va="center",
                    fontproperties=_sized(10))
    # Above the bars, in one row, so that it never covers one.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=3, frameon=False, prop=_sized(9),
              handlelength=1.2, borderaxespad=0.2)
    return _save(fig, ax, title, longest * 1.25, formats)
