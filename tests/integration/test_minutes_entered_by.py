"""The minutes say what staff entered for someone: each request to speak, opinion, objection and
objector's answer that the moderator or recorder entered on a person's behalf carries the note
"由工作人员代为登记" / "entered by staff on behalf", and what people did on their own phones does
not; the staff's check-ins are noted in the attendance list; a corrected show-of-hands count is
shown with what it was, what it became and why. In every format, read the way its readers read
it (the PDF through pdftotext, Word through python-docx, Markdown rendered by a CommonMark
parser), in Chinese and English, internal and public.
"""
from __future__ import annotations

import asyncio
import io
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import lxml.html
import pytest
from markdown_it import MarkdownIt

from facilitation.meeting import Meeting
from facilitation.minutes import minutes
from facilitation.roles import GUEST, MODERATOR, RECORDER, Actor
from live.minutes import FORMATS, render
from live.minutes.present import Presenter
from live.record import identity_of
from live.services import Meetings
from live.store import Store

ZONE = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 5, 19, 0, tzinfo=ZONE).timestamp()
MOD, REC = Actor(MODERATOR), Actor(RECORDER)
SPEC = {
    "title": "5号楼停车位协商会", "form": "council", "place": "居委会二楼", "starts_at": "2026-12-05 19:00",
    "language": "zh-CN", "speaking_seconds": 180, "moderator": "王秀兰", "recorder": "陈明",
    "agenda": [{"title": "地面停车位怎么分配"}],
    "roster": [{"name": "张桂英", "category": "registered"}, {"name": "刘志强", "category": "registered"},
               {"name": "周海燕", "category": "property"}],
}
MARK = {"zh-CN": "由工作人员代为登记", "en": "entered by staff on behalf"}

# (who, how long, summary, entered by staff?)
SPEECHES = [
    ("张桂英", 150, "希望优先照顾行动不便的老人。", False),
    ("刘志强", 175, "建议按购房先后摇号。", True),
    ("赵大妈", 95, "没有手机，举手发言：反对收费上涨。", True),
    ("John Smith", 130, "Supports a lottery for the spaces.", False),
]
OPINIONS = [  # (author, text, entered by, shown in the minutes)
    ("张桂英", "请在晚上增加照明。", None, True),
    ("钱大爷", "车位费不要涨，退休金有限。", MOD, True),
    ("刘志强", "电动车充电桩也一起规划。", REC, True),
    ("赵大妈", "这条不该上墙的纸条。", MOD, False),
]
SELF_REASON = "物业人手不够，夜间巡逻安排不了。"
STAFF_REASON = "外来车辆乱停的问题没有说怎么管。"
LATER_REASON = "摇号对租户不公平。"
STAFF_COMMENT = "还是不放心，要看书面规定。"
LATER_COMMENT = "明白了，接受解释。"
FIRST_POLL, SECOND_POLL = "是否同意按摇号分配？", "是否同意收取管理费？"
CORRECTION_REASON = "重新清点，漏数一人"


async def _hold(meetings: Meetings, now: list[float]) -> str:
    mid, _, _ = await meetings.create(SPEC)

    async def run(actor: Actor, command: str, after: float = 20, **payload: Any) -> Any:
        now[0] += after
        return (await meetings.execute(mid, actor, command, payload)).records

    def pid(records: Any) -> str:
        return str(records[0].data["participant_id"])

    guest = Actor(GUEST)
    people = {
        "张桂英": pid(await run(Actor(GUEST, None, 0), "check_in")),  # on her own phone, with her code
        "刘志强": pid(await run(MOD, "check_in", invitee=1)),  # by the moderator
        "周海燕": pid(await run(Actor(GUEST, None, 2), "check_in")),
        "John Smith": pid(await run(guest, "check_in", name="John Smith", category="registered")),
        "钱大爷": pid(await run(REC, "check_in", name="钱大爷", category="registered")),  # by the recorder
    }

    def phone(name: str) -> Actor:
        return Actor("attendee", people[name])

    now[0] = START
    await run(MOD, "open_item", after=0, item=0)
    for who, seconds, summary, by_staff in SPEECHES:
        if who == "赵大妈":  # no phone and not checked in: the moderator adds her by name
            records = await run(MOD, "add_speaker", name="赵大妈", category="non_registered", stance="against")
            people["赵大妈"] = pid(records)
        elif by_staff:
            await run(MOD, "raise_hand", participant_id=people[who], stance="for")
        else:
            await run(phone(who), "raise_hand", stance="for")
        await run(MOD, "grant_floor", after=10)
        done = await run(MOD, "end_speech", after=seconds)
        await run(REC, "summarise_speech", speech_id=done[0].data["speech_id"], summary=summary)

    for who, text, by, shown in OPINIONS:
        records = await (run(phone(who), "submit_opinion", text=text) if by is None
                         else run(by, "submit_opinion", text=text, participant_id=people[who]))
        await run(MOD, "moderate_opinion", opinion_id=records[0].data["opinion_id"], visible=shown)

    own = (await run(phone("周海燕"), "raise_objection", reason=SELF_REASON))[0].data["objection_id"]
    await run(MOD, "give_explanation", objection_id=own, by="王秀兰", text="由社区网格员轮流协助夜间巡逻。")
    await run(phone("周海燕"), "answer_objection", objection_id=own, response="answered", comment="可以。")
    staff = (await run(MOD, "raise_objection", reason=STAFF_REASON, participant_id=people["钱大爷"]))[0].data["objection_id"]
    await run(MOD, "give_explanation", objection_id=staff, by="王秀兰", text="外来车辆一律登记，超时收费。")
    await run(MOD, "answer_objection", objection_id=staff, response="still_objects", comment=STAFF_COMMENT,
              participant_id=people["钱大爷"])
    # answered for him by staff first, then on his own phone: the minutes show his own, latest word
    later = (await run(phone("John Smith"), "raise_objection", reason=LATER_REASON))[0].data["objection_id"]
    await run(MOD, "give_explanation", objection_id=later, by="王秀兰", text="租户与业主同等参加摇号。")
    await run(MOD, "answer_objection", objection_id=later, response="still_objects", participant_id=people["John Smith"])
    await run(phone("John Smith"), "answer_objection", objection_id=later, response="answered", comment=LATER_COMMENT)

    first = (await run(MOD, "open_poll", question=FIRST_POLL))[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("John Smith", 1)):
        await run(phone(who), "cast_ballot", poll_id=first, choice=choice)
    await run(MOD, "add_hand_count", poll_id=first, counts=[3, 1, 0])
    await run(MOD, "correct_hand_count", poll_id=first, counts=[4, 1, 0], reason=CORRECTION_REASON)
    await run(MOD, "close_poll", poll_id=first)
    second = (await run(MOD, "open_poll", question=SECOND_POLL))[0].data["poll_id"]
    await run(MOD, "add_hand_count", poll_id=second, counts=[1, 0, 0])
    await run(MOD, "correct_hand_count", poll_id=second, counts=[0, 0, 1])
    await run(MOD, "close_poll", poll_id=second)
    third = (await run(MOD, "open_poll", question="是否同意下月再议？"))[0].data["poll_id"]
    await run(MOD, "add_hand_count", poll_id=third, counts=[2, 0, 0])  # counted once, never corrected
    await run(MOD, "close_poll", poll_id=third)
    await run(MOD, "record_outcome", item=0, outcome="partial", opinion="原则同意摇号，收费另议。")
    await run(MOD, "close_meeting", after=60)
    return mid


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Meeting:
    async def build() -> Meeting:
        store = Store(f"sqlite:///{tmp_path_factory.mktemp('entered') / 'yishi.db'}")
        now = [START - 15 * 60]
        meetings = Meetings(store, clock=lambda: now[0])
        try:
            return await meetings.state(await _hold(meetings, now))
        finally:
            await meetings.close()
            store.close()

    return asyncio.run(build())


@pytest.fixture(scope="module")
def models(meeting: Meeting) -> dict[bool, dict[str, Any]]:
    return {public: minutes(meeting, identity_of(meeting), public=public) for public in (False, True)}


@pytest.fixture(scope="module")
def texts(models: dict[bool, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, bool], str]:
    """Every format (but JSON), language and version, as its reader reads it, without whitespace."""
    folder = tmp_path_factory.mktemp("files")
    return {(fmt, lang, public): flat(read(fmt, render(models[public], fmt, lang), folder))
            for fmt in FORMATS if fmt != "json" for lang in MARK for public in (False, True)}


def read(fmt: str, data: bytes, folder: Path) -> str:
    if fmt == "pdf":
        path = folder / "minutes.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout
    if fmt == "docx":
        d = docx.Document(io.BytesIO(data))
        return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    page = data.decode() if fmt == "html" else MarkdownIt("commonmark").enable("table").render(data.decode())
    root = lxml.html.fromstring(page)
    for style in root.xpath("//style|//title"):
        style.drop_tree()
    return str(root.text_content())


def flat(text: str) -> str:
    """pdftotext breaks lines where the page does; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def mark(lang: str) -> str:
    return flat(f"（{MARK[lang]}）" if lang == "zh-CN" else f"({MARK[lang]})")


CASES = [(fmt, lang, public) for fmt in ("html", "pdf", "docx", "md") for lang in MARK for public in (False, True)]
STAFF_ITEMS = (sum(1 for s in SPEECHES if s[3]) + sum(1 for o in OPINIONS if o[2] and o[3])
               + 1 + 1)  # the objection raised for 钱大爷, and his answer


@pytest.mark.parametrize("fmt,lang,public", CASES)
def test_the_note_is_on_exactly_what_staff_entered(texts, models, fmt, lang, public):
    text, note = texts[fmt, lang, public], mark(lang)
    p = Presenter(models[public], lang)
    item = models[public]["items"][0]
    checkins = 2 if not public else 0  # one note per category in the names list, which is internal only
    assert text.count(flat(MARK[lang])) == STAFF_ITEMS + checkins

    for s, (_, seconds, summary, by_staff) in zip(item["speeches"], SPEECHES):
        entry = flat(p.duration(seconds)) + (note if by_staff else "") + flat(summary)
        assert entry in text, (summary, by_staff)
    for _, opinion, by, shown in OPINIONS:
        if shown:
            assert flat(opinion) + note in text if by else (flat(opinion) in text and flat(opinion) + note not in text)
        else:
            assert flat(opinion) not in text
    reason = flat(p.L.reason + p.colon)
    assert note + reason + flat(STAFF_REASON) in text  # the objection raised for 钱大爷
    for own in (SELF_REASON, LATER_REASON):
        assert reason + flat(own) in text and note + reason + flat(own) not in text
    answers = {x["reason"]: x["responses"][-1] for x in item["objections"]}
    staff_answer = flat(STAFF_COMMENT + p.paren(p.datetime(answers[STAFF_REASON]["at"])))
    own_answer = flat(LATER_COMMENT + p.paren(p.datetime(answers[LATER_REASON]["at"])))
    assert staff_answer + note in text
    assert own_answer in text and own_answer + note not in text


@pytest.mark.parametrize("fmt,lang", [(fmt, lang) for fmt in ("html", "pdf", "docx", "md") for lang in MARK])
def test_the_internal_attendance_list_notes_who_staff_checked_in(texts, fmt, lang):
    if lang == "zh-CN":
        registered = "户籍居民（4）：张桂英、John Smith（现场加入）；刘志强、钱大爷（现场加入）（以上 2 人由工作人员代为登记）"
        others = ["物业服务企业（1）：周海燕", "非户籍居民代表（1）：赵大妈（现场加入）（由工作人员代为登记）"]
    else:
        registered = ("registered resident (4): 张桂英, John Smith (walk-in); 刘志强, 钱大爷 (walk-in) "
                      "(these 2: entered by staff on behalf)")
        others = ["property management company (1): 周海燕",
                  "non-registered residents' representative (1): 赵大妈 (walk-in) (entered by staff on behalf)"]
    for line in [registered, *others]:
        assert flat(line) in texts[fmt, lang, False], line
    assert "周海燕" + mark(lang) not in texts[fmt, lang, False]


@pytest.mark.parametrize("fmt,lang", [(fmt, lang) for fmt in ("html", "pdf", "docx", "md") for lang in MARK])
def test_the_public_version_keeps_the_note_and_names_no_one(texts, fmt, lang):
    text = texts[fmt, lang, True]
    assert "张桂英" not in text and "刘志强" not in text and "钱大爷" not in text and "赵大妈" not in text
    assert flat("J. S.") in text and "钱**" in text
    assert flat("车位费不要涨，退休金有限。") + mark(lang) in text  # 钱大爷's opinion, entered for him


@pytest.mark.parametrize("fmt,lang,public", CASES)
def test_a_corrected_hand_count_says_what_it_was_what_it_is_and_why(texts, models, fmt, lang, public):
    text = texts[fmt, lang, public]
    p = Presenter(models[public], lang)
    polls = {poll["question"]: poll for poll in models[public]["items"][0]["polls"]}
    first, second = polls[FIRST_POLL], polls[SECOND_POLL]
    when = [p.paren(p.datetime(poll["corrections"][0]["at"])) for poll in (first, second)]
    if lang == "zh-CN":
        expected = [f"举手数已更正：原为 赞成 3、反对 1、弃权 0，改为 赞成 4、反对 1、弃权 0，原因：{CORRECTION_REASON}{when[0]}",
                    f"举手数已更正：原为 赞成 1、反对 0、弃权 0，改为 赞成 0、反对 0、弃权 1{when[1]}"]
        prefix = "举手数已更正"
    else:
        expected = [f"Show-of-hands count corrected: was yes 3 / no 1 / abstain 0, now yes 4 / no 1 / abstain 0; "
                    f"reason: {CORRECTION_REASON}{when[0]}",
                    f"Show-of-hands count corrected: was yes 1 / no 0 / abstain 0, now yes 0 / no 0 / abstain 1{when[1]}"]
        prefix = "Show-of-hands count corrected"
    for line in expected:
        assert flat(line) in text, line
    assert text.count(flat(prefix)) == 2  # the poll counted once and never corrected says nothing
    # each correction is shown with its own poll, after the first poll's question and before the second's
    assert text.index(flat(FIRST_POLL)) < text.index(flat(expected[0])) < text.rindex(flat(SECOND_POLL)) \
        < text.index(flat(expected[1]))


def test_the_json_says_who_entered_what_and_the_correction(models):
    item = models[True]["items"][0]
    assert [bool(s["entered_by"]) for s in item["speeches"]] == [s[3] for s in SPEECHES]
    assert [o["entered_by"] for o in item["opinions"]["approved"]] == ["", "moderator", "recorder"]
    assert [(x["entered_by"], [r["entered_by"] for r in x["responses"]]) for x in item["objections"]] == [
        ("", [""]), ("moderator", ["moderator"]), ("", ["moderator", ""])]
    first = next(p for p in item["polls"] if p["question"] == FIRST_POLL)
    assert [(c["before"], c["after"], c["reason"]) for c in first["corrections"]] == [([3, 1, 0], [4, 1, 0], CORRECTION_REASON)]
    assert first["hand_counts"] == [4, 1, 0]
