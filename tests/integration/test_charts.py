"""Poll and speaking-time charts: real CJK glyphs, both formats, stable bytes."""
from __future__ import annotations

import io
import os
import re
import warnings

import matplotlib.image
import noto_cjk_sans_otc
import pytest
from matplotlib import font_manager, ft2font

from voting import charts
from voting.polls import Poll, options_for

QUESTION = "是否同意在社区花园增设儿童游乐区？"
LABELS = ["赞成", "反对", "弃权"]
BUNDLED = os.fspath(noto_cjk_sans_otc.FONT_PATH)


def _png(data: bytes):
    return matplotlib.image.imread(io.BytesIO(data), format="png")


def _comments(svg: bytes) -> list[str]:
    # With glyphs as paths, matplotlib keeps each string as an XML comment beside it.
    return re.findall(r"<!-- (.*?) -->", svg.decode())


def _sc_face() -> ft2font.FT2Font:
    faces = [ft2font.FT2Font(BUNDLED, face_index=i)
             for i in range(ft2font.FT2Font(BUNDLED).num_faces)]
    return next(f for f in faces if f.family_name == charts.FAMILY)


def test_chart_font_is_the_simplified_chinese_face_of_the_bundled_file():
    face = charts._font().get_file()
    assert os.path.samefile(face, BUNDLED)
    assert font_manager.get_font(face).family_name == "Noto Sans CJK SC"
    # Registered under its family, so a lookup without fallback finds it.
    assert any(e.name == "Noto Sans CJK SC" and os.path.samefile(e.fname, BUNDLED)
               for e in font_manager.fontManager.ttflist)
    found = font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    assert os.path.basename(found).startswith("NotoSansCJK")


def test_svg_draws_every_chinese_character_with_a_real_noto_glyph():
    svg = charts.poll_chart(QUESTION, LABELS, [12, 5, 3], "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert b"<text" not in svg  # svg.fonttype "path": no font needed to view it
    face = _sc_face()
    for char in set("".join(LABELS) + "社区花园"):
        glyph = face.get_char_index(ord(char))
        assert glyph != 0, char  # 0 is .notdef, the empty box
        assert f'id="{face.postscript_name}-{glyph:x}"'.encode() in svg, char
    assert "12 (60%)" in _comments(svg) and "3 (15%)" in _comments(svg)


def test_png_decodes_at_print_resolution():
    image = _png(charts.poll_chart(QUESTION, LABELS, [12, 5, 3], "png"))
    height, width = image.shape[:2]
    assert height > 0 and width == round(6.4 * charts.PNG_DPI)
    assert image.min() < image.max()  # something was drawn


def test_chinese_labels_render_without_any_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.poll_chart(QUESTION, ["同意", "不同意", "需要更多信息"], [1, 2, 3], "svg")
        charts.poll_chart(QUESTION, ["同意", "不同意", "需要更多信息"], [1, 2, 3], "png")
        charts.speaking_time_chart(["居民", "商户"], [90, 30], "png", title="发言时间")
    assert [str(w.message) for w in caught] == []


def test_different_chinese_labels_give_different_pictures():
    # Missing glyphs would all be the same empty box, so these two would be identical.
    one = _png(charts.poll_chart("", ["赞成"], [1], "png"))
    other = _png(charts.poll_chart("", ["反对"], [1], "png"))
    assert one.shape == other.shape
    assert (one != other).any()


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_same_chart_gives_same_bytes(fmt):
    first = charts.poll_chart(QUESTION, LABELS, [12, 5, 3], fmt)
    assert charts.poll_chart(QUESTION, LABELS, [12, 5, 3], fmt) == first
    assert charts.poll_chart(QUESTION, LABELS, [12, 5, 4], fmt) != first


def test_all_zero_counts_show_zero_percent():
    svg = charts.poll_chart(QUESTION, LABELS, [0, 0, 0], "svg")
    assert _comments(svg).count("0 (0%)") == 3
    assert _png(charts.poll_chart(QUESTION, LABELS, [0, 0, 0], "png")).size > 0


def test_chart_of_a_closed_poll():
    poll = Poll(id="p1", item=1, question=QUESTION, kind="yes_no_abstain",
                options=options_for("yes_no_abstain", []))
    for pid, choice in {"a": 0, "b": 0, "c": 1}.items():
        poll.cast(pid, choice)
    poll.add_hands([1, 0, 0])
    poll.open = False
    svg = charts.poll_chart(poll.question, LABELS, poll.counts(), "svg")
    # Labels in ballot order, then the bar ends in the same order.
    assert ["赞成", "反对", "弃权", "3 (75%)", "1 (25%)", "0 (0%)"] == [
        c for c in _comments(svg) if c != QUESTION]


def test_speaking_time_in_minutes_and_share():
    svg = charts.speaking_time_chart(["居民", "商户", "专家"], [754.4, 300, 0], "svg")
    assert "12:34 (72%)" in _comments(svg) and "5:00 (28%)" in _comments(svg)
    assert "0:00 (0%)" in _comments(svg)
    assert charts.speaking_time_chart([], [], "png")  # nobody spoke yet


@pytest.mark.parametrize("call", [
    lambda: charts.poll_chart(QUESTION, LABELS, [1, 2, 3], "pdf"),
    lambda: charts.poll_chart(QUESTION, LABELS, [1, 2], "svg"),
    lambda: charts.speaking_time_chart(["居民"], [1.0, 2.0], "svg"),
])
def test_bad_arguments_are_refused(call):
    with pytest.raises(ValueError):
        call()
