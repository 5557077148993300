"""The notice given before the meeting in the minutes: the JSON (schema 9, left out when given as
schema 8), and every rendered format in both languages: how many were told of how many, how,
how long before the scheduled start, and the replies' counts."""
from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import jsonschema
import pytest

from facilitation.minutes import Identity, as_schema, minutes
from live.minutes import FORMATS, render

from support.meetings import code_phone, new_meeting

DOCS = Path(__file__).resolve().parents[2] / "docs"
ROSTER = [{"name": n, "category": "registered"} for n in ("张桂英", "刘志强", "马玉珍", "郑晓东")]


def beijing(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    room = new_meeting(open_item=None, roster=ROSTER, starts_at="2026-12-10 19:00")
    room.now = beijing("2026-12-07 09:00")
    room.mod("record_notice", how="slip", invitees=[0, 1, 2])
    room.now = beijing("2026-12-08 15:00")
    room.mod("record_notice", how="call", invitees=[2])
    room.run(code_phone(0), "reply", answer="coming")
    room.run(code_phone(1), "reply", answer="proxy", holder="王小明")
    room.mod("reply", invitee=2, answer="not_coming")
    room.now = beijing("2026-12-10 19:05")
    room.mod("open_item", item=0)
    room.mod("record_outcome", item=0, outcome="consensus", opinion="同意。")
    identity = Identity("m1", room.meeting.seq, "ab" * 32, int(beijing("2026-12-10 21:00")))
    told = minutes(room.meeting, identity, public=False)
    nobody = new_meeting(open_item=None, roster=ROSTER)
    return {"told": told, "public": minutes(room.meeting, identity, public=True),
            "none": minutes(nobody.meeting, Identity("m2", nobody.meeting.seq, "cd" * 32, 1_790_100_000), public=False)}


def text_of(fmt: str, data: bytes, tmp_path: Path) -> str:
    if fmt == "pdf":
        path = tmp_path / "m.pdf"
        path.write_bytes(data)
        data = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    elif fmt == "docx":
        data = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).encode()
    text = re.sub(r"\\(.)", r"\1", data.decode()) if fmt == "md" else data.decode()
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def test_the_json_states_the_notice_and_fits_both_schemas(docs):
    schema = json.loads((DOCS / "minutes.schema.json").read_text())
    old = json.loads((DOCS / "minutes.schema-8.json").read_text())
    for doc in docs.values():
        jsonschema.Draft202012Validator(schema).validate(doc)
        jsonschema.Draft202012Validator(old).validate(as_schema(doc, 8))
        assert "notice" not in as_schema(doc, 8)["meeting"]
    n = docs["told"]["meeting"]["notice"]
    assert (n["invitees"], n["told"], n["notices"], n["ways"]) == (4, 3, 2, {"slip": 3, "call": 1})
    assert n["first_at"] == "2026-12-07T09:00:00+08:00"
    assert n["lead"] == {"to": "starts_at", "days": 3, "hours": 10, "seconds": 3 * 86400 + 10 * 3600}
    assert n["replies"] == {"coming": 1, "not_coming": 1, "proxy": 1, "none": 1}
    assert docs["public"]["meeting"]["notice"] == n  # counts only: nothing to mask
    assert "王小明" not in json.dumps(docs["public"], ensure_ascii=False)
    assert docs["none"]["meeting"]["notice"]["told"] == 0 and docs["none"]["meeting"]["notice"]["lead"] is None


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_format_states_the_notice_in_both_languages(docs, fmt, tmp_path):
    zh = text_of(fmt, render(docs["told"], fmt, "zh-CN"), tmp_path)
    for expected in ("会前已通知应参会的4人中的3人：发放签到条3人、电话通知1人。",
                     "首次通知于预定开会时间前3天10小时发出。",
                     "参会回复：参加1人，不参加1人，委托他人1人，未回复1人。"):
        assert expected in zh, expected
    en = text_of(fmt, render(docs["told"], fmt, "en"), tmp_path)
    for expected in ("3ofthe4inviteesweretoldofthemeetinginadvance:3handedtheirslip,1bytelephone.",
                     "Thefirstnoticewentout3daysand10hoursbeforethescheduledstart.",
                     "Replies:1coming,1notcoming,1sendingaproxy,1noreply."):
        assert expected in en, expected
    assert "未登记会前通知" in text_of(fmt, render(docs["none"], fmt, "zh-CN"), tmp_path)
