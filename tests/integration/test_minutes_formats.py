"""The minutes of a realistic meeting in every format, read back the way their readers read them:
the PDF's text through pdftotext, the Word file through python-docx, the JSON through its
documented schema, the Markdown through a CommonMark parser."""
from __future__ import annotations

import base64
import html as html_text
import io
import json
import re
import subprocess
import warnings
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pytest
from markdown_it import MarkdownIt

from facilitation.minutes import as_schema, minutes
from live.minutes import FORMATS, render
from live.record import identity_of
from voting import charts

from support.meetings import new_meeting, phone
from support.pdf_drawing import draws
from support.minutes_meeting import ADDED_REASON, INJECTION, OFFICIALS, OPEN_REASON, RESIDENTS, SUMMARY_NAMING, stored_realistic_meeting

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return stored_realistic_meeting(tmp_path_factory.mktemp("minutes") / "yishi.db")


@pytest.fixture(scope="module")
def files(meeting: Any) -> dict[tuple[str, bool], bytes]:
    """Every format, internal and public, in Chinese (the meeting's language)."""
    out = {}
    for public in (False, True):
        model = minutes(meeting, identity_of(meeting), public=public)
        for fmt in FORMATS:
            out[fmt, public] = render(model, fmt, "zh-CN")
    return out


def pdf_text(data: bytes, tmp_path: Path, layout: bool = False) -> str:
    """The PDF's text; `layout`: as laid out on the page, a table's row on one line."""
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"],
                          capture_output=True, check=True, text=True).stdout


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def flat(text: str) -> str:
    """pdftotext breaks lines where the page does; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def text_of(fmt: str, data: bytes, tmp_path: Path) -> str:
    if fmt == "pdf":
        return pdf_text(data, tmp_path)
    if fmt == "docx":
        return docx_text(data)
    if fmt == "md":
        return re.sub(r"\\(.)", r"\1", data.decode())  # as read: without the escaping backslashes
    return data.decode()


def test_the_pdf_text_has_the_names_summaries_explanations_and_outcome(files, tmp_path):
    text = flat(pdf_text(files["pdf", False], tmp_path))
    for expected in ["会议纪要", "张桂英", "刘志强", "吴工程师", "我住六楼，今年七十三岁，每天上下楼很困难",
                     "设计单位已调整井道位置，一楼住户不分摊费用", "仍希望二楼免于分摊", OPEN_REASON,
                     "同意为3号楼加装电梯，由业委会牵头委托设计", "委托设计单位出具正式方案", "主持人", "签字"]:
        assert flat(expected) in text, expected


def test_the_pdf_embeds_its_fonts_and_states_the_record(files, tmp_path, meeting):
    path = tmp_path / "m.pdf"
    path.write_bytes(files["pdf", False])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and any("CJK" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert meeting.last_hash in flat(pdf_text(files["pdf", False], tmp_path))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


def test_the_word_file_has_real_headings_tables_and_the_charts(files, meeting):
    d = docx.Document(io.BytesIO(files["docx", False]))
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1[:2] == ["出席情况", "议程"]
    assert "第1项 是否为3号楼加装电梯" in level1 and "各方发言情况" in level1 and "记录信息" in level1
    assert ("Heading 2", "发言") in headings and ("Heading 3", "表决事项：是否同意为3号楼加装电梯？") in headings
    polls = [p for item in minutes(meeting, identity_of(meeting))["items"] for p in item["polls"]]
    assert len(d.inline_shapes) == len(polls) + 1  # a chart per poll, and who was heard
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    poll_table = next(t for t in tables if t[0][0] == "选项" and t[1][0] == "赞成")
    assert poll_table[1] == ["赞成", "5", "1", "6", "86%"]
    assert ("Heading 2", "出席人员名单") in headings
    texts = [p.text for p in d.paragraphs]
    assert "法定人数：规则：10 名成员的过半数；需 6 人，实到 9 人。" in texts and "已达到法定人数。" in texts
    assert any(p.text.startswith("户籍居民（6）：张桂英、") for p in d.paragraphs)
    assert "我住六楼，今年七十三岁，每天上下楼很困难，强烈希望加装电梯。" in docx_text(files["docx", False])


def test_the_json_is_the_documented_schema(files):
    schema = json.loads((DOCS / "minutes.schema.json").read_text())
    assert "minutes.schema.json" in (DOCS / "minutes.md").read_text()
    for public in (False, True):
        jsonschema.Draft202012Validator(schema).validate(json.loads(files["json", public]))
    broken = json.loads(files["json", False])
    broken["items"][0]["outcome"]["outcome"] = "unanimous"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6, 7, 8])
def test_the_minutes_in_an_older_schema_are_what_it_documented(files, meeting, version):
    """A file issued under schema 1 to 7 is checked against that schema: today's minutes, made as
    verification makes them for it (every category's ballots shown) and put in it, fit it. Multiple
    choice, rankings and evaluations came with schema 6: a file issued under an older one has no such
    poll, so they are left out."""
    old = json.loads((DOCS / f"minutes.schema-{version}.json").read_text())
    kinds = old["properties"]["items"]["items"]["properties"]["polls"]["items"]["properties"]["kind"]["enum"]
    for public in (False, True):
        doc = json.loads(files["json", public])
        assert doc["schema"] == "yishi-minutes/9"
        made = minutes(meeting, identity_of(meeting), public=public, small_cells_hidden=False)
        assert [p["kind"] for i in made["items"] for p in i["polls"] if p["kind"] not in kinds] == \
            [k for k in ("ranking", "multiple", "evaluation") if k not in kinds]
        made = {**made, "items": [{**i, "polls": [p for p in i["polls"] if p["kind"] in kinds]} for i in made["items"]]}
        jsonschema.Draft202012Validator(old).validate(as_schema(made, version))
        assert as_schema(made, version)["schema"] == f"yishi-minutes/{version}"
        with pytest.raises(jsonschema.ValidationError):  # schema 9 has what the older one did not
            jsonschema.Draft202012Validator(old).validate(doc)
    with pytest.raises(ValueError, match="yishi-minutes/10"):
        as_schema(doc, 10)


def test_the_markdown_has_every_section(files):
    md = files["md", False].decode()
    headings = re.findall(r"^(#{1,4}) (.+)$", md, re.M)
    titles = [t for _, t in headings]
    for section in ["出席情况", "议程", "第1项 是否为3号楼加装电梯", "第2项 费用分摊方案", "第3项 施工期间的安全与出行安排",
                    "发言", "书面意见", "意向表决", "异议与解释说明", "协商结果", "各方发言情况", "签字", "记录信息"]:
        assert section in titles, section
    assert "| 户籍居民 | 6 | 4 | 0 | 2 |" in md


def test_user_text_cannot_inject_markup(files):
    html = files["html", False].decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    rendered = MarkdownIt("commonmark").enable("table").render(files["md", False].decode())
    assert "<script" not in rendered and "evil.example\"" not in rendered and "<strong>粗体</strong>" not in rendered
    assert "&lt;script&gt;alert('x')&lt;/script&gt; **粗体** | 竖线 [链接](http://evil.example)" in rendered
    assert INJECTION in docx_text(files["docx", False])


def test_the_public_version_contains_none_of_the_residents_names(files, tmp_path):
    for fmt in FORMATS:
        text = text_of(fmt, files[fmt, True], tmp_path)
        assert [n for n in RESIDENTS if n in text] == [], fmt
        assert [n for n in OFFICIALS if n not in text] == [], fmt  # officials keep their names
        assert "张**" in text and "J. S." in text and flat("同意张**的意见") in flat(text), fmt
        assert OPEN_REASON in flat(text) or flat(OPEN_REASON) in flat(text), fmt  # objections are kept


def test_every_format_says_where_an_item_came_from(files, tmp_path):
    """An item added during the meeting (临时动议) with when and why, and the petition an item takes up."""
    for public in (False, True):
        doc = json.loads(files["json", public])
        assert doc["items"][3]["added"]["reason"] == ADDED_REASON and doc["items"][0]["topic"]["petition"]["signatures"] == 98
        for fmt in [f for f in FORMATS if f != "json"]:
            text = flat(text_of(fmt, files[fmt, public], tmp_path))
            assert flat("临时动议：会议中于") in text and flat(ADDED_REASON) in text, (fmt, public)
            assert flat("议题由居民提出（3号楼住户代表），类别：规划、建设和大额资金使用事项。") in text, (fmt, public)
            assert flat("98名居民联名提出；成年户籍居民的十分之一为92人。联名达到规定人数，议题依规列入协商。") in text, (fmt, public)


def test_the_internal_version_names_everyone(files, tmp_path):
    for fmt in FORMATS:
        text = text_of(fmt, files[fmt, False], tmp_path)
        assert [n for n in RESIDENTS if n not in text] == [], fmt
        assert flat(SUMMARY_NAMING) in flat(text)


def test_html_is_one_print_ready_file_with_vector_charts(files, meeting):
    html = files["html", False].decode()
    polls = sum(len(i["polls"]) for i in minutes(meeting, identity_of(meeting))["items"])
    assert html.count('src="data:image/svg+xml;base64,') == polls + 1
    assert "size: A4" in html and "tr { break-inside: avoid; }" in html
    assert "http://" not in html.replace("http://evil.example", "").replace("http://www.w3.org", "")  # nothing from outside


# -- a ranking and an evaluation drawn as such -------------------------------------------------

def _poll_of_kind(meeting: Any, kind: str) -> dict[str, Any]:
    (poll,) = [p for i in minutes(meeting, identity_of(meeting))["items"] for p in i["polls"] if p["kind"] == kind]
    return poll


def _chart_in_chinese(poll: dict[str, Any], fmt: str) -> bytes:
    """The chart of the poll's result as its kind counts it, with the words a Chinese reader reads."""
    if poll["kind"] == "ranking":
        return charts.ranking_chart(poll["question"], poll["options"], poll["ranked"], fmt, points="{n} 分",
                                    out="第{n}轮淘汰")
    return charts.evaluation_chart(poll["question"], poll["options"], poll["evaluated"], fmt,
                                   ratings=("满意", "基本满意", "不满意"), rate="满意率")


def _svg_text(svg: bytes) -> list[str]:
    # Glyphs are drawn as paths; matplotlib keeps each string beside them as an XML comment.
    return re.findall(r"<!-- (.*?) -->", svg.decode())


def _html_chart(page: str, question: str) -> bytes:
    (uri,) = re.findall(rf'<img alt="{re.escape(html_text.escape(question))}" src="data:image/svg\+xml;base64,([^"]+)"', page)
    return base64.b64decode(uri)


# What the demo's two polls show (live/demo.py): the plan by floor coefficients wins the second round
# 5 to 3 after 各户平均分摊 went out in the first; each unit's satisfaction rate.
SHOWN = {"ranking": ["按楼层系数分摊", "一楼和二楼不分摊", "各户平均分摊", "5 (62%)", "3 (38%)", "第1轮淘汰"],
         "evaluation": ["物业服务中心", "社区居委会", "保洁公司", "满意率 75.0%", "满意率 100.0%", "满意率 83.3%",
                        "满意", "基本满意", "不满意"]}


@pytest.mark.parametrize("kind", ["ranking", "evaluation"])
def test_a_ranking_and_an_evaluation_are_drawn_as_their_kind_counts_them_in_every_format(files, meeting, tmp_path, kind):
    poll = _poll_of_kind(meeting, kind)
    svg, png = _chart_in_chinese(poll, "svg"), _chart_in_chinese(poll, "png")
    text = _svg_text(svg)
    assert [t for t in text if t in SHOWN[kind]] == SHOWN[kind]
    # Not the count of first preferences, or of those who rated each, that a plain poll chart would show.
    assert svg != charts.poll_chart(poll["question"], poll["options"], poll["counts"], "svg")
    # HTML: the vector chart under the poll.
    assert _html_chart(files["html", False].decode(), poll["question"]) == svg
    # Word: the same chart as a picture.
    package = docx.Document(io.BytesIO(files["docx", False])).part.package
    assert png in [part.blob for part in package.parts if part.content_type == "image/png"]
    # PDF: the same vector chart, its every path drawn as the chart alone draws them on a page.
    assert draws(files["pdf", False], svg)
    assert not draws(files["pdf", False], charts.poll_chart(poll["question"], poll["options"], poll["counts"], "svg"))


def test_english_minutes_draw_a_ranking_and_an_evaluation_in_english(meeting):
    page = render(minutes(meeting, identity_of(meeting)), "html", "en").decode()
    ranking = _svg_text(_html_chart(page, _poll_of_kind(meeting, "ranking")["question"]))
    evaluation = _svg_text(_html_chart(page, _poll_of_kind(meeting, "evaluation")["question"]))
    assert "out in round 1" in ranking and "第1轮淘汰" not in ranking
    assert "satisfaction rate 83.3%" in evaluation and "basically satisfied" in evaluation and "满意" not in evaluation


def test_the_markdown_points_to_the_chart_of_every_poll(files, meeting):
    polls = sum(len(i["polls"]) for i in minutes(meeting, identity_of(meeting))["items"])
    assert files["md", False].decode().count("图表见 HTML、PDF 和 Word 版本。") == polls


def test_open_objections_are_flagged_at_the_top(files, tmp_path):
    assert flat("尚有 2 项异议未了结") in flat(pdf_text(files["pdf", False], tmp_path))


def test_english_minutes_use_english_labels(meeting):
    model = minutes(meeting, identity_of(meeting))
    md = render(model, "md", "en").decode()
    assert "## Attendance" in md and "## Who was heard" in md and "registered resident" in md
    assert "出席情况" not in md


def test_no_glyph_is_missing_in_any_chart(meeting):
    model = minutes(meeting, identity_of(meeting), public=True, timezone="Asia/Shanghai")
    model["items"][0]["polls"][0]["question"] += "（新问题，不在缓存里）"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("html", "docx"):
            render(model, fmt, "zh-CN")
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []


def test_minutes_of_a_meeting_still_running_say_what_is_unfinished():
    from facilitation.minutes import Identity

    room = new_meeting()
    alice = room.check_in("Alice")
    room.mod("raise_hand", participant_id=alice, stance="for")
    room.mod("grant_floor")
    room.mod("open_poll", question="Agree?")
    room.run(phone(alice), "cast_ballot", poll_id="v1", choice=0)
    model = minutes(room.meeting, Identity("m1", room.meeting.seq, "ab" * 32, 1_780_000_000))
    html = MarkdownIt("commonmark").enable("table").render(render(model, "md", "en").decode())
    for text in ("still speaking", "This poll was still open when the minutes were generated.", "not closed yet",
                 "<strong>Background:</strong> About Parking on Elm Street"):
        assert text in html, text
    for fmt in FORMATS:
        assert render(model, fmt, "en")
    empty = new_meeting(open_item=None)
    for fmt in FORMATS:  # nothing has happened yet: still minutes, with nothing to report
        assert render(minutes(empty.meeting, Identity("m1", 1, "ab" * 32, 1_780_000_000)), fmt, "zh-CN")


def _cells(fmt: str, data: bytes, tmp_path: Path) -> str:
    """The text as a reader reads a table's rows: cell after cell, without markup or spacing."""
    text = pdf_text(data, tmp_path, layout=True) if fmt == "pdf" else text_of(fmt, data, tmp_path)
    if fmt == "html":
        text = re.sub(r"<[^>]+>", "", text)
    return flat(text.replace("|", ""))


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_public_minutes_hide_a_categorys_ballots_when_fewer_than_three_voted(files, tmp_path, fmt):
    """The rating poll on the temporary passage: two registered residents voted by phone (satisfied,
    dissatisfied). In the public version their row says <3 in every cell; the first poll's three
    registered voters show."""
    internal, public = (_cells(fmt, files[fmt, p], tmp_path) for p in (False, True))
    few = "少于3人"
    # rating poll, then the first poll
    assert all(f"户籍居民{n}" in internal for n in ("101", "301"))
    assert few not in internal and "公示版：手机投票少于3人的类别" not in internal
    assert "户籍居民101" not in public and f"户籍居民{few * 3}" in public
    # Three voters: the breakdown stays.
    assert "户籍居民301" in public
    assert flat("公示版：手机投票少于3人的类别显示为“少于3人”，以免推知个人的投票；上方的合计已包含这些票。") in public


def test_the_public_json_has_null_for_a_small_category(files):
    public, internal = (json.loads(files["json", p]) for p in (True, False))
    # the rating poll on the temporary passage (the demo's own rating poll has other voters)
    (rating,) = [p for i in public["items"] for p in i["polls"] if p["question"] == "对临时通道安排是否满意？"]
    (full,) = [p for i in internal["items"] for p in i["polls"] if p["question"] == "对临时通道安排是否满意？"]
    assert {r["category"]: r["counts"] for r in rating["by_category"]}["registered"] is None
    assert {r["category"]: r["counts"] for r in full["by_category"]}["registered"] == [1, 0, 1]
    assert rating["counts"] == full["counts"] == [2, 1, 1] and rating["total"] == 4
