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


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def meeting() -> Any:
    room = new_meeting(items=("#let x = 1 *加装电梯* $x$", "绿化"), moderator="#panic(\"主持人\")")
    pid = room.check_in(NAME)
    for n, text in enumerate([*MARKUP, CHINESE], start=1):
        room.run(phone(pid), "submit_opinion", text=text)
        room.mod("moderate_opinion", opinion_id=f"o{n}", visible=True)
    room.mod("open_poll", question="#strong[是否] 同意 $1+1$？", kind="single", options=["*同意*", "_反对_"])
    room.run(phone(pid), "cast_ballot", poll_id="v1", choice=0)
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
