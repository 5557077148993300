"""One policy for what people type: NFC, no control or text-direction characters, something visible."""
from __future__ import annotations

import pytest

from facilitation import texts
from facilitation.errors import MeetingError
from support.meetings import MOD, new_meeting, phone


def refusal(value: str, limit: int = texts.NAME) -> str:
    with pytest.raises(MeetingError) as info:
        texts.clean(value, "name", limit)
    return info.value.code


@pytest.mark.parametrize("value", ["张\x00三", "Li\x0bMing", "\x1b[31mred", "王\u202e芳", "\u2066李\u2069", "a\ud800b",
                                   "x\ufffe", "张三\n李四", "tab\there"])
def test_control_and_direction_characters_are_refused_in_a_name(value):
    assert refusal(value) == "bad_characters"


@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200c\ufeff", "\u00ad", "\u3000\u200b", "\u0301"])
def test_a_name_with_nothing_visible_is_refused(value):
    assert refusal(value) == "invisible_text"


def test_text_is_normalised_and_counted_in_characters():
    assert texts.clean("Jose\u0301", "name", texts.NAME) == "Jos\u00e9"  # NFC: one character, as typed on another phone
    assert texts.clean("  王芳  ", "name", texts.NAME) == "王芳"
    assert texts.clean("第一行\r\n第二行\t完", "opinion", texts.TEXT) == "第一行\n第二行\t完"  # long texts keep lines
    assert texts.clean("👨\u200d👩\u200d👧", "name", texts.NAME) == "👨\u200d👩\u200d👧"  # joiners inside visible text are fine
    assert texts.clean("张" * texts.NAME, "name", texts.NAME) == "张" * texts.NAME
    assert refusal("张" * (texts.NAME + 1)) == "text_too_long"


def test_every_way_text_enters_a_meeting_follows_the_policy():
    room = new_meeting()
    assert room.refused(MOD, "check_in", name="王\u202e芳", category="registered").code == "bad_characters"
    pid = room.check_in("王芳")
    assert room.refused(phone(pid), "submit_opinion", text="\u200b").code == "invisible_text"
    assert room.refused(phone(pid), "raise_objection", reason="bad\x00").code == "bad_characters"
    assert room.refused(MOD, "open_poll", question="选哪个", kind="single", options=["甲", "乙\x07"]).code == "bad_characters"
    assert room.refused(MOD, "open_poll", question="\u2066x\u2069").code == "bad_characters"
    room.run(phone(pid), "submit_opinion", text="两行\n意见")
    assert room.meeting.opinions["o1"].text == "两行\n意见"
