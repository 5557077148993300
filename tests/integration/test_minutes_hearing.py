"""A hearing's record (听证笔录) in the minutes: each party with whom they speak for, their side,
their registered summary, their testimony and closing statement with the recorder's notes, and the
questions asked; in the JSON schema and in every format, in both languages, residents masked in
the public version; a file issued under schema 8 has none of it."""
from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import docx
import jsonschema
import pytest

from facilitation.minutes import Identity, as_schema, minutes
from live.minutes import FORMATS, render
from support.meetings import MOD, code_phone, new_meeting, phone

DOCS = Path(__file__).resolve().parents[2] / "docs"
WANG_SAYS = "电梯加装后三号楼一层采光受影响，要求补偿<script>"
COMPANY_NOTES = "施工方承诺夜间不施工，噪音控制在55分贝以内"


def hearing_held():
    room = new_meeting(("加装电梯方案听证",), form="hearing",
                       roster=[{"name": "王秀兰", "category": "registered"}, {"name": "刘建国", "category": "registered"}])
    (wang_in,) = room.run(code_phone(0), "check_in")
    wang = wang_in.participant_id
    room.mod("register_party", name="幸福城建公司", category="unit", for_kind="organisation", speaks_for="幸福城建有限公司",
             side="for", summary="方案与施工安排")
    room.run(phone(wang), "register_party", for_kind="building", speaks_for="三号楼一层住户", side="against",
             summary=WANG_SAYS)
    room.mod("register_party", invitee=1, for_kind="concerned", side="other", summary="费用分摊")
    room.mod("set_hearing_time", testimony_seconds=240, closing_seconds=60)
    for stage in ("explain", "plan", "testimony"):
        room.mod("begin_hearing_stage", stage=stage)
    for notes in (COMPANY_NOTES, "王秀兰：一层采光减少，要求补偿", ""):
        (*_, called) = room.mod("call_party")
        speech = room.meeting.parties[called.party_id].testimony
        room.later(200)
        if notes:
            room.mod("summarise_speech", speech_id=speech, summary=notes)
    room.mod("begin_hearing_stage", stage="questions")
    asker = room.check_in("孙丽", "registered")
    room.run(phone(asker), "raise_hand", stance="question")
    (granted,) = room.mod("grant_floor")
    room.later(50)
    room.mod("summarise_speech", speech_id=granted.speech_id, summary="补偿标准由谁确定？")
    room.mod("begin_hearing_stage", stage="closing")
    for _ in range(3):
        room.mod("call_party")
        room.later(70)  # each goes past the minute of a closing statement
    room.mod("begin_hearing_stage", stage="close")
    room.mod("close_meeting")
    return room.meeting


@pytest.fixture(scope="module")
def meeting():
    return hearing_held()


def model(m, public=False):
    return minutes(m, Identity(m.id, m.seq, "0" * 64, 1_800_000_000.0), public=public)


def test_the_json_gives_each_party_its_testimony_closing_and_the_questions(meeting):
    h = model(meeting)["hearing"]
    assert [s["stage"] for s in h["stages"]] == ["explain", "plan", "testimony", "questions", "closing", "close"]
    assert h["seconds"] == {"testimony": 240, "closing": 60}
    company, wang, liu = h["parties"]
    assert (company["party"]["name"], company["for_kind"], company["speaks_for"], company["side"]) == \
        ("幸福城建公司", "organisation", "幸福城建有限公司", "for")
    assert (wang["party"]["name"], wang["summary"], wang["registered_by"], wang["order"]) == ("王秀兰", WANG_SAYS, "", 2)
    assert liu["party"]["name"] == "刘建国" and liu["registered_by"] == "moderator"
    assert company["testimony"]["summary"] == COMPANY_NOTES and company["testimony"]["seconds"] == 200
    assert company["testimony"]["allotted"] == 240 and company["testimony"]["over"] == []
    assert wang["closing"]["allotted"] == 60 and wang["closing"]["over"][:1] == ["time"]
    assert liu["testimony"]["summary"] == "" and liu["closing"]["seconds"] == 70
    (question,) = h["questions"]
    assert (question["speaker"]["name"], question["summary"], question["stance"]) == ("孙丽", "补偿标准由谁确定？", "question")
    kinds = [s["kind"] for s in model(meeting)["items"][0]["speeches"]]
    assert kinds == ["testimony"] * 3 + ["speech"] + ["closing"] * 3


def test_the_json_is_the_documented_schema_and_schema_8_has_no_hearing(meeting):
    schema = json.loads((DOCS / "minutes.schema.json").read_text())
    old = json.loads((DOCS / "minutes.schema-8.json").read_text())
    for public in (False, True):
        doc = json.loads(render(model(meeting, public), "json", "zh-CN"))
        jsonschema.Draft202012Validator(schema).validate(doc)
        eight = as_schema(doc, 8)
        assert "hearing" not in eight and {s["kind"] for s in eight["items"][0]["speeches"]} == {"speech"}
        jsonschema.Draft202012Validator(old).validate(eight)
    broken = json.loads(render(model(meeting), "json", "zh-CN"))
    broken["hearing"]["parties"][0]["side"] = "neutral"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def text_of(fmt, data, tmp_path):
    if fmt == "pdf":
        path = tmp_path / "minutes.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout
    elif fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif fmt == "md":
        text = re.sub(r"\\(.)", r"\1", data.decode())
    else:
        text = data.decode()
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_format_prints_the_hearing_record_in_both_languages(meeting, fmt, tmp_path):
    zh = text_of(fmt, render(model(meeting), fmt, "zh-CN"), tmp_path)
    for expected in ["听证笔录", "1.幸福城建公司", "代表组织：幸福城建有限公司；立场：赞成", COMPANY_NOTES,
                     "登记的陈述要点：方案与施工安排", "本人用手机登记", "陈述（第1次发言）", "用时3:20，限时4:00",
                     "最后陈述（第", "超时", "询问", "补偿标准由谁确定？", "当事人；立场："]:
        assert re.sub(r"\s+", "", expected) in zh, (fmt, expected)
    if fmt == "html":
        assert "<script>" not in zh and "&lt;script&gt;" in zh  # what a party typed is escaped
    en = text_of(fmt, render(model(meeting), fmt, "en"), tmp_path)
    for expected in ["Hearingrecord", "Foranorganisation:幸福城建有限公司;side:for", "Registeredtosay:",
                     "Testimony(speech1):from", "Closingstatement(speech", "Questions"]:
        assert expected in en, (fmt, expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_public_version_masks_the_residents_who_testified(meeting, fmt, tmp_path):
    text = text_of(fmt, render(model(meeting, public=True), fmt, "zh-CN"), tmp_path)
    assert "王秀兰" not in text and "刘建国" not in text and "孙丽" not in text
    assert "王**" in text and "幸福城建公司" in text  # an organisation keeps its name
