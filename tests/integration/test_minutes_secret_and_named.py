"""A secret poll and a roll call in the minutes, in every format and both versions: the secret
poll's ballots listed by receipt for anyone to recount and no voter beside any of them; the roll
call's every vote with its voter's name (a private resident's masked in the public version)."""
from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pytest

from facilitation.minutes import minutes
from facilitation.replay import replay
from live.minutes import render
from live.record import identity_of
from support.meetings import MOD, new_meeting, phone

DOCS = Path(__file__).resolve().parents[2] / "docs"
SECRET_CHOICES = {"张桂英": 0, "周海燕": 1, "李建国": 0}


@pytest.fixture(scope="module")
def meeting() -> Any:
    room = new_meeting()
    people = {name: room.check_in(name) for name in ("张桂英", "周海燕", "李建国")}
    (secret,) = room.mod("open_poll", question="是否同意更换物业公司？", secret=True)
    for name, choice in SECRET_CHOICES.items():
        room.run(phone(people[name]), "cast_ballot", poll_id=secret.poll_id, choice=choice)
    room.mod("add_hand_count", poll_id=secret.poll_id, counts=[1, 0, 0])  # a paper ballot
    room.mod("close_poll", poll_id=secret.poll_id)
    (roll,) = room.mod("open_poll", question="施工方案点名表决", kind="multiple", options=["方案甲", "方案乙", "方案丙"],
                       max_choices=2, named=True)
    room.run(phone(people["张桂英"]), "cast_ballot", poll_id=roll.poll_id, choices=[0, 2])
    room.run(MOD, "cast_ballot", poll_id=roll.poll_id, participant_id=people["周海燕"], choices=[1])
    room.mod("close_poll", poll_id=roll.poll_id)
    room.mod("close_meeting")
    m = replay(room.record, room.meeting.id)
    m.receipts = dict(zip(SECRET_CHOICES, room.receipts))  # type: ignore[attr-defined]  # what each phone was told
    return m


def shown(receipt: str) -> str:
    return f"{receipt[:4]}-{receipt[4:]}"


@pytest.mark.parametrize("public", [False, True])
def test_the_json_lists_receipts_with_no_voter_and_the_roll_with_names(meeting: Any, public: bool) -> None:
    doc = minutes(meeting, identity_of(meeting), public=public)
    as_filed = json.loads(render(doc, "json", "zh-CN"))
    as_filed["record"]["last_hash"] = "0" * 64  # the unit room's record is not hashed
    jsonschema.Draft202012Validator(json.loads((DOCS / "minutes.schema.json").read_text())).validate(as_filed)
    secret, roll = doc["items"][0]["polls"]
    assert secret["counts"] == [3, 1, 0] and secret["roll"] is None and secret["by_category"] == []
    listed = dict(secret["receipts"])
    assert [r for r, _ in secret["receipts"]] == sorted(listed)
    assert {name: listed[receipt] for name, receipt in meeting.receipts.items()} == SECRET_CHOICES
    assert not any(name in json.dumps(secret, ensure_ascii=False) for name in SECRET_CHOICES)
    assert roll["named"] and roll["receipts"] is None
    names = ["张**", "周**"] if public else ["张桂英", "周海燕"]  # private residents: masked in the 公示
    assert [(v["voter"]["name"], v["choice"], v["entered_by"]) for v in roll["roll"]] == \
        [(names[0], [0, 2], ""), (names[1], [1], "staff")]


def test_every_format_shows_both_lists(meeting: Any, tmp_path: Path) -> None:
    doc = minutes(meeting, identity_of(meeting), public=True)
    zhang = shown(meeting.receipts["张桂英"])
    page = render(doc, "html", "zh-CN").decode()
    assert "无记名投票：投票结束时开箱计票" in page and "记名表决（点名）" in page
    assert f'<td class="code">{zhang}</td><td>赞成</td>' in page
    assert "<tr><td>张**（户籍居民）</td><td>方案甲、方案丙</td></tr>" in page  # a private resident, masked in the 公示
    assert '<td>方案乙<span class="entered">由工作人员代为登记</span></td>' in page
    md = render(doc, "md", "zh-CN").decode().replace("\\*", "*")  # the Markdown escapes the mask's asterisks
    assert f"| {zhang} | 赞成 |" in md and "| 周**（户籍居民） | 方案乙（由工作人员代为登记） |" in md
    words = "\n".join(c.text for t in docx.Document(io.BytesIO(render(doc, "docx", "zh-CN"))).tables
                      for row in t.rows for c in row.cells)
    assert zhang in words and "方案乙" in words and "周**（户籍居民）" in words and "周海燕" not in words
    (tmp_path / "m.pdf").write_bytes(render(doc, "pdf", "zh-CN"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "m.pdf"), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert zhang in text and "按回执码公布的选票" in text and "每人的投票" in text
