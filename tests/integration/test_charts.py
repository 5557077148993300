"""Poll, ranking, evaluation and speaking-time charts: real CJK glyphs, both formats, stable bytes,
and the figures a reader looks for at the bars' ends."""
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
from voting.evaluation import count
from voting.polls import NOT_RATED, Poll, options_for
from voting.ranking import borda, instant_runoff

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


# -- rankings and evaluations ------------------------------------------------------------------

PLANS = ["现金补偿", "置换住房", "现金加住房"]
ZH_RANKING = {"points": "{n} 分", "out": "第{n}轮淘汰"}
# docs/voting.md's Borda example: cash has most first places, the flat most points (7, 6, 2).
BORDA = borda(3, [[0, 1, 2]] * 3 + [[1, 2, 0]] * 2).to_data()
# docs/voting.md's runoff example, four sites and 100 ballots: 42 / 26 / 15 / 17 in the first round;
# the 15 pass on, then the 26, and the site with 17 first preferences wins the third round with 58.
SITES = ["东门空地", "北侧车棚", "南侧绿地", "西侧库房"]
RUNOFF = instant_runoff(4, [[0]] * 42 + [[1, 3]] * 26 + [[2, 3]] * 15 + [[3]] * 17).to_data()
EVALUATED = ["居委会主任", "物业公司", "保洁服务"]
ZH_EVALUATION = {"ratings": ("满意", "基本满意", "不满意"), "rate": "满意率"}
# docs/voting.md's evaluation: 4 ballots; the cleaners rated by nobody.
EVALUATION = count(3, [[0, 2, None], [0, 2, None], [1, 0, None], [2, 2, None]]).to_data()


def _text(svg: bytes, title: str) -> list[str]:
    return [c for c in _comments(svg) if c != title]


def test_a_borda_ranking_shows_each_plans_points_and_share_most_first():
    svg = charts.ranking_chart("补偿方案", PLANS, BORDA, "svg", **ZH_RANKING)
    assert _text(svg, "补偿方案") == ["置换住房", "现金补偿", "现金加住房", "7 分 (47%)", "6 分 (40%)", "2 分 (13%)"]
    assert "7 points (47%)" in _comments(charts.ranking_chart("", PLANS, BORDA, "svg"))  # the words as given


def test_an_instant_runoff_shows_the_last_round_and_when_each_other_plan_went_out():
    svg = charts.ranking_chart("新服务站选址", SITES, RUNOFF, "svg", **ZH_RANKING)
    # The winner on top, then the one still in the count; the eliminated, the last to go first.
    assert _text(svg, "新服务站选址") == ["西侧库房", "东门空地", "北侧车棚", "南侧绿地",
                                          "58 (58%)", "42 (42%)", "第2轮淘汰", "第1轮淘汰"]
    english = _comments(charts.ranking_chart("", SITES, RUNOFF, "svg", out="out in round {n}"))
    assert "out in round 2" in english and "out in round 1" in english


def test_a_runoff_with_exhausted_ballots_gives_shares_of_the_ballots_still_counting():
    # Round 1: 2 / 3 / 1 of 6, no majority; the third plan's ballot ranks nothing else and is
    # exhausted, so 置换住房's 3 are 60% of the 5 still counting in round 2, not half of the 6.
    ranked = instant_runoff(3, [[0], [0], [1], [1], [1], [2]]).to_data()
    assert ranked["rounds"][-1]["exhausted"] == 1
    assert _text(charts.ranking_chart("", PLANS, ranked, "svg", **ZH_RANKING), "") == \
        ["置换住房", "现金补偿", "现金加住房", "3 (60%)", "2 (40%)", "第1轮淘汰"]


def test_an_evaluation_shows_each_ones_ratings_and_satisfaction_rate():
    svg = charts.evaluation_chart("民主评议", EVALUATED, EVALUATION, "svg", **ZH_EVALUATION)
    # Names in the ballot's order; the counts inside the bars (满意 first, then 基本满意, then 不满意;
    # none for a part that is empty); the rate at each bar's end, as the minutes' table has it; the legend.
    assert _text(svg, "民主评议") == ["居委会主任", "物业公司", "保洁服务", "2", "1", "1", "1", "3",
                                     "满意率 75.0%", "满意率 25.0%", "满意率 —", "满意", "基本满意", "不满意"]
    face = _sc_face()
    for char in set("".join(EVALUATED) + "满意率基本不"):
        glyph = face.get_char_index(ord(char))
        assert glyph != 0 and f'id="{face.postscript_name}-{glyph:x}"'.encode() in svg, char


def test_an_evaluations_rate_is_rounded_as_offices_report_it():
    # 15 of 16 rated satisfied or basically satisfied: 93.75% is reported as 93.8%; 14 of 15 as 93.3%.
    ballots = [[0, 0]] * 14 + [[1, 2], [2, None]]
    svg = charts.evaluation_chart("", ["社区居委会", "保洁公司"], count(2, ballots).to_data(), "svg", **ZH_EVALUATION)
    assert "满意率 93.8%" in _comments(svg) and "满意率 93.3%" in _comments(svg)


def test_charts_of_a_closed_ranking_and_evaluation_poll():
    ranking = Poll(id="p1", item=1, question="三种补偿方案", kind="ranking", options=options_for("ranking", PLANS),
                   method="instant_runoff")
    for pid, order in {"a": [0, 1], "b": [0], "c": [1, 0], "d": [1, 2], "e": [2, 1]}.items():
        ranking.cast(pid, tuple(order))
    svg = charts.ranking_chart(ranking.question, ranking.options, ranking.ranked().to_data(), "svg", **ZH_RANKING)
    assert _text(svg, "三种补偿方案") == ["置换住房", "现金补偿", "现金加住房", "3 (60%)", "2 (40%)", "第1轮淘汰"]
    evaluation = Poll(id="p2", item=1, question="民主评议", kind="evaluation",
                      options=options_for("evaluation", EVALUATED))
    for pid, ratings in {"a": (0, 1, NOT_RATED), "b": (2, 1, NOT_RATED)}.items():
        evaluation.cast(pid, ratings)
    svg = charts.evaluation_chart("", evaluation.options, evaluation.evaluated().to_data(), "svg", **ZH_EVALUATION)
    assert [c for c in _comments(svg) if c.startswith("满意率")] == ["满意率 50.0%", "满意率 100.0%", "满意率 —"]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_rankings_and_evaluations_give_the_same_bytes_each_time(fmt):
    def ranking(data: dict) -> bytes:
        return charts.ranking_chart("补偿方案", PLANS, data, fmt, **ZH_RANKING)

    def evaluation(data: dict) -> bytes:
        return charts.evaluation_chart("民主评议", EVALUATED, data, fmt, **ZH_EVALUATION)

    assert ranking(BORDA) == ranking(BORDA) and evaluation(EVALUATION) == evaluation(EVALUATION)
    assert ranking(borda(3, [[0, 1, 2]] * 3 + [[1, 2, 0]] * 3).to_data()) != ranking(BORDA)
    assert evaluation(count(3, [[0, 2, None]] * 2 + [[1, 0, None], [2, 2, 1]]).to_data()) != evaluation(EVALUATION)


def test_an_evaluation_png_has_room_for_its_legend_and_shows_its_ratings():
    ranking = _png(charts.ranking_chart("", PLANS, BORDA, "png", **ZH_RANKING))
    plain = _png(charts.poll_chart("", PLANS, [1, 2, 3], "png"))
    assert ranking.shape == plain.shape and ranking.shape[1] == round(6.4 * charts.PNG_DPI)
    evaluation = _png(charts.evaluation_chart("", EVALUATED, EVALUATION, "png", **ZH_EVALUATION))
    assert evaluation.shape[0] == plain.shape[0] + round(0.3 * charts.PNG_DPI)  # the legend's row
    # Each rating has its own colour in the picture (blue, light blue, orange).
    for colour in charts.RATING_COLORS:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        assert (abs(evaluation[..., :3] - rgb) < 1e-2).all(axis=-1).any(), colour
    other = count(3, [[0, 2, None], [0, 2, None], [1, 0, None], [2, 2, 0]]).to_data()
    assert (_png(charts.evaluation_chart("", EVALUATED, other, "png", **ZH_EVALUATION)) != evaluation).any()


def test_rankings_and_evaluations_render_without_any_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in charts.FORMATS:
            charts.ranking_chart("补偿方案", PLANS, BORDA, fmt, **ZH_RANKING)
            charts.ranking_chart("选址", SITES, RUNOFF, fmt, **ZH_RANKING)
            charts.evaluation_chart("民主评议", EVALUATED, EVALUATION, fmt, **ZH_EVALUATION)
    assert [str(w.message) for w in caught] == []


def test_a_ranking_or_evaluation_nobody_answered_still_draws():
    blank = borda(3, [[]]).to_data()
    assert _text(charts.ranking_chart("", PLANS, blank, "svg", **ZH_RANKING), "")[3:] == ["0 分 (0%)"] * 3
    nobody = instant_runoff(3, []).to_data()
    assert _text(charts.ranking_chart("", PLANS, nobody, "svg", **ZH_RANKING), "")[3:] == ["0 (0%)"] * 3
    unrated = count(3, []).to_data()
    assert [c for c in _comments(charts.evaluation_chart("", EVALUATED, unrated, "svg", **ZH_EVALUATION))
            if c.startswith("满意率")] == ["满意率 —"] * 3


@pytest.mark.parametrize("call", [
    lambda: charts.poll_chart(QUESTION, LABELS, [1, 2, 3], "pdf"),
    lambda: charts.poll_chart(QUESTION, LABELS, [1, 2], "svg"),
    lambda: charts.speaking_time_chart(["居民"], [1.0, 2.0], "svg"),
    lambda: charts.ranking_chart(QUESTION, PLANS[:2], BORDA, "svg"),
    lambda: charts.ranking_chart(QUESTION, SITES[:3], RUNOFF, "svg"),
    lambda: charts.ranking_chart(QUESTION, PLANS, BORDA, "pdf"),
    lambda: charts.evaluation_chart(QUESTION, EVALUATED[:2], EVALUATION, "svg"),
    lambda: charts.evaluation_chart(QUESTION, EVALUATED, EVALUATION, "svg", ratings=("满意", "不满意")),
])
def test_bad_arguments_are_refused(call):
    with pytest.raises(ValueError):
        call()
