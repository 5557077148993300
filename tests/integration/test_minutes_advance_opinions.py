"""The opinions gathered on an item's topic in advance, in the minutes: the JSON (schema 9, and
left out when given as schema 8), every rendered format in both languages, residents' names masked
in the public version. The summary is the one facilitation/advance_opinions makes, linked to the
meeting as live/opinions_http.py links it."""
from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pytest

from facilitation import advance_opinions as ao
from facilitation import topics
from facilitation.community import Community, Entry
from facilitation.events import FACILITATOR, By
from facilitation.minutes import Identity, as_schema, minutes
from facilitation.register import Person
from facilitation.roles import Actor
from live.minutes import FORMATS, render

from support.meetings import new_meeting

DOCS = Path(__file__).resolve().parents[2] / "docs"
OFFICE = By(FACILITATOR)
T0 = 1_790_000_000.0
PEOPLE = {"r1": ("张桂英", True), "r2": ("刘志强", True), "r3": ("马玉珍", False), "r4": ("郑晓东", False)}


def summarised_topic() -> dict[str, Any]:
    register = Community()
    for pid, (name, registered) in PEOPLE.items():
        register.entries[pid] = Entry(pid, Person(name, birth_year=1960, registered=registered))
    book = topics.Topics()

    def do(event: tuple[str, dict[str, Any]]) -> dict[str, Any]:
        book.apply(event[0], event[1], T0)
        return event[1]

    do(topics.propose(book, title="加装电梯", kind="planning", source="committee", proposer="社区居委会", actor=OFFICE))
    do(ao.open_period(book, "t1", opens=T0, until=T0 + 7 * 86400, now=T0, actor=OFFICE))
    unites = do(ao.give(book, "t1", register, "r1", "北侧单元先装", channel="online", now=T0,
                        actor=By(ao.RESIDENT, "r1")))["statement"]
    divides = do(ao.give(book, "t1", register, "r3", "费用按楼层分摊", channel="paper", now=T0, actor=OFFICE))["statement"]
    hidden = do(ao.give(book, "t1", register, "r4", "骂人的话", channel="phone", now=T0, actor=OFFICE))["statement"]
    for statement, pid, stance in ((unites, "r2", "agree"), (unites, "r3", "agree"), (divides, "r1", "agree"),
                                   (divides, "r4", "disagree")):
        do(ao.take_stance(book, "t1", statement, register, pid, stance, now=T0, actor=By(ao.RESIDENT, pid)))
    do(ao.hide(book, "t1", hidden, "辱骂他人", actor=OFFICE))
    return topics.summary(book.topics["t1"], "")


@pytest.fixture(scope="module")
def docs() -> dict[bool, dict[str, Any]]:
    room = new_meeting()
    room.run(Actor(FACILITATOR), "link_topic", item=0, topic=summarised_topic())
    room.mod("record_outcome", item=0, outcome="partial", opinion="先装北侧单元，费用分摊另议。")
    identity = Identity("m1", room.meeting.seq, "ab" * 32, 1_790_100_000)
    return {public: minutes(room.meeting, identity, public=public) for public in (False, True)}


def text_of(fmt: str, data: bytes, tmp_path: Path) -> str:
    if fmt == "pdf":
        path = tmp_path / "m.pdf"
        path.write_bytes(data)
        data = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    elif fmt == "docx":
        data = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).encode()
    text = re.sub(r"\\(.)", r"\1", data.decode()) if fmt == "md" else data.decode()
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def test_the_json_holds_the_summary_and_fits_both_schemas(docs):
    schema = json.loads((DOCS / "minutes.schema.json").read_text())
    old = json.loads((DOCS / "minutes.schema-8.json").read_text())
    for public, doc in docs.items():
        jsonschema.Draft202012Validator(schema).validate(doc)
        jsonschema.Draft202012Validator(old).validate(as_schema(doc, 8))
        assert "opinions" not in as_schema(doc, 8)["items"][0]["topic"]
        given = doc["items"][0]["topic"]["opinions"]
        assert given["channels"] == {"online": 1, "paper": 1, "phone": 1} and given["hidden"] == 1
        assert given["consensus"] == ["s1"] and given["divided"] == ["s2"]
        assert [s["name"] for s in given["statements"]] == (["张**", "马**"] if public else ["张桂英", "马玉珍"])
        assert given["statements"][1]["by_category"] == {"registered": {"agree": 1, "disagree": 0},
                                                        "non_registered": {"agree": 0, "disagree": 1}}
        assert "骂人的话" not in json.dumps(doc, ensure_ascii=False)
    assert docs[False]["items"][1]["topic"] is None


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_format_reports_the_opinions_in_both_languages(docs, fmt, tmp_path):
    zh = text_of(fmt, render(docs[False], fmt, "zh-CN"), tmp_path)
    for expected in ("会前征求意见", "共3条意见（网上1条、书面1条、电话1条）", "另有1条不当言论已由工作人员隐藏",
                     "“北侧单元先装”（张桂英，户籍居民；网上）：赞同2，反对0", "表态的各类别均多数赞同",
                     "“费用按楼层分摊”（马玉珍，非户籍居民；书面）", "户籍居民：赞同1，反对0；非户籍居民：赞同0，反对1",
                     "各类别之间意见分歧"):
        assert expected in zh, expected
    assert "骂人的话" not in zh
    public = text_of(fmt, render(docs[True], fmt, "zh-CN"), tmp_path)
    assert "张**" in public and "张桂英" not in public and "马玉珍" not in public
    en = text_of(fmt, render(docs[False], fmt, "en"), tmp_path)
    for expected in ("Opinionsgatheredinadvance", "“北侧单元先装”(张桂英,registeredresident;online):2agree,0disagree.",
                     "Everycategorythattookastanceagrees.", "Thisdividesthecategories."):
        assert expected in en, expected
