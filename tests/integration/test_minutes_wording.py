"""The minutes name a village's bodies in its own words (村民会议, villagers' assembly) and a
neighbourhood's in the residents'; they keep the template the meeting was created with; a residents'
board reads in an older schema as the council it was held as before."""
from __future__ import annotations

import html
import json
from pathlib import Path

import jsonschema

from facilitation import forms
from facilitation.minutes import as_schema, minutes
from live.minutes import render
from live.record import identity_of
from support.meetings import new_meeting

DOCS = Path(__file__).resolve().parents[2] / "docs"


def closed(form: str, wording: str) -> object:
    kept = forms.applied(forms.builtin(form), community="heping-cun", agenda_applied=False)
    room = new_meeting(form=form, wording=wording, template=kept,
                       roster=[{"name": f"村民{i}", "category": "registered"} for i in range(3)])
    room.mod("record_outcome", item=0, outcome="none", opinion="提交表决")
    room.mod("close_meeting")
    return room.meeting


def test_a_village_assemblys_minutes_say_villagers_and_a_neighbourhoods_residents() -> None:
    village = minutes(closed("assembly", "village"), identity_of(closed("assembly", "village")))
    town = minutes(closed("assembly", "neighbourhood"), identity_of(closed("assembly", "neighbourhood")))
    assert village["meeting"]["wording"] == "village"
    assert village["meeting"]["template"]["quorum"] == "more_than_half"
    for fmt in ("md", "html"):
        zh = render(village, fmt, "zh-CN").decode()
        assert "村民会议" in zh and "未达成一致，提交村民会议决定" in zh and "居民会议" not in zh
        assert "villagers' assembly" in html.unescape(render(village, fmt, "en").decode())
        assert "居民会议" in render(town, fmt, "zh-CN").decode()
    schema = json.loads((DOCS / "minutes.schema.json").read_text())
    doc = json.loads(render(village, "json", "zh-CN"))
    doc["record"]["last_hash"] = "0" * 64  # the test's record is not hash-chained
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_a_boards_minutes_in_schema_8_are_a_councils() -> None:
    m = closed("board", "village")
    doc = minutes(m, identity_of(m))
    assert doc["meeting"]["form"] == "board"
    assert "村民理事会" not in render(doc, "md", "zh-CN").decode()  # the minutes' own word for it: 理事会
    assert "理事会" in render(doc, "md", "zh-CN").decode()
    old = as_schema(doc, 8)
    assert old["meeting"]["form"] == "council" and "wording" not in old["meeting"] and "template" not in old["meeting"]
    old["record"] = {**old["record"], "last_hash": "0" * 64}  # the test's record is not hash-chained
    jsonschema.Draft202012Validator(json.loads((DOCS / "minutes.schema-8.json").read_text())).validate(old)
