"""The PDF minutes print what people typed as they typed it: characters that mean something to the
typesetter (`#panic()`, `*_$[]`) are only text, and Chinese is set in an embedded Chinese font
whose text a reader copies out as the Chinese typed. Read back with pdftotext and pdffonts."""
from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from facilitation.minutes import minutes
from live.minutes import render
from live.record import identity_of
from support.meetings import new_meeting, phone

# Each would do something in typst markup: a call, strong/emph/math, a raw block, a label, a reference,
# a comment, a heading, a set rule, an escape.
MARKUP = ["#panic()", "*_$[]", "`raw` <label> @ref", "// not a comment", "= 不是标题", "#set page(width: 1cm)", "\\u{41}"]
NAME = "#panic()王*_$[]"
CHINESE = "我住六楼，今年七十三岁，每天上下楼很困难，强烈希望加装电梯。"
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffvoral"  # 40 letters, no space: the longest name
LINK = "https://example.org/" + "a1b2c3d4e5" * 20 + "?x=1"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def meeting() -> Any:
    room = new_meeting(items=("#let x = 1 *加装电梯* $x$", "绿化"), moderator="#panic(\"主持人\")")
    pid = room.check_in(NAME)
    long = room.check_in(LONG_NAME)
    for n, text in enumerate([*MARKUP, CHINESE, LINK], start=1):
        room.run(phone(pid), "submit_opinion", text=text)
        room.mod("moderate_opinion", opinion_id=f"o{n}", visible=True)
    # a roll call: each voter's name in the roll's narrow column
    room.mod("open_poll", question="#strong[是否] 同意 $1+1$？", kind="single", options=["*同意*", "_反对_"], named=True)
    room.run(phone(pid), "cast_ballot", poll_id="v1", choice=0)
    room.run(phone(long), "cast_ballot", poll_id="v1", choice=1)
    room.mod("close_meeting")
    return room.meeting


def pdf_text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_text_with_typesetting_marks_prints_as_typed(meeting, tmp_path, lang):
    text = flat(pdf_text(render(minutes(meeting, identity_of(meeting)), "pdf", lang), tmp_path))
    for typed in [NAME, *MARKUP, "#let x = 1 *加装电梯* $x$", "#panic(\"主持人\")", "#strong[是否] 同意 $1+1$？",
                  "*同意*", "_反对_"]:
        assert flat(typed) in text, typed


def test_the_public_version_prints_the_marks_too(meeting, tmp_path):
    text = flat(pdf_text(render(minutes(meeting, identity_of(meeting), public=True), "pdf", "zh-CN"), tmp_path))
    assert all(flat(typed) in text for typed in MARKUP)
    assert flat("#strong[是否] 同意 $1+1$？") in text


def test_chinese_is_set_in_an_embedded_chinese_font_and_copies_out_as_typed(meeting, tmp_path):
    data = render(minutes(meeting, identity_of(meeting)), "pdf", "zh-CN")
    text = pdf_text(data, tmp_path)
    assert CHINESE in text  # one line as typed: no space put between the characters, none lost
    assert "会议纪要" in text and "出席情况" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "m.pdf")], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    chinese = [line for line in fonts if re.search(r"CJK|YaHei|PingFang|Song|Hei|Han", line)]
    assert chinese, fonts
    # every font embedded (as a subset) and mapped back to Unicode: the "emb", "sub" and "uni" columns
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts), fonts


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_long_word_breaks_and_stays_in_its_cell(meeting, tmp_path, lang):
    """A link or a name with no space in it breaks where it must, as the print page lets it, rather
    than run out of its table cell or off the page; it still reads (and copies) as typed."""
    data = render(minutes(meeting, identity_of(meeting)), "pdf", lang)
    text = flat(pdf_text(data, tmp_path))
    assert flat(LINK) in text and LONG_NAME in text
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    words = [(float(x0), float(x1), w) for x0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)]
    assert max(x1 for _, x1, _ in words) <= 595.28 - 20 / 25.4 * 72 + 1  # A4, inside the 20 mm margin
    # In the roll, the voters' column is 40% of the 170 mm between the margins: the name's pieces
    # end inside it, before the ballots' column begins.
    pieces = [(x0, x1) for x0, x1, w in words if w in LONG_NAME and len(w) >= 3 and x0 < 70]
    column = 56.69 + 0.4 * (170 / 25.4 * 72)
    assert pieces and all(x1 <= column for _, x1 in pieces), (pieces, column)
