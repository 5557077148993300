"""Opinions gathered on a topic in advance (facilitation/advance_opinions.py): the period, who may
give a statement and by which channel, one stance per person and never on their own, hiding, and
the summary by category (what every category agrees with, what divides them)."""
from __future__ import annotations

import pytest

from facilitation import advance_opinions as ao
from facilitation import topics
from facilitation.community import Community, Entry
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.register import Flat, Person

OFFICE = By(FACILITATOR)
T0 = 1_800_000_000.0
DAY = 86400.0


def register() -> Community:
    c = Community()
    people = [Person("张三", birth_year=1970, registered=True), Person("李四", birth_year=1980, registered=True),
              Person("王五", birth_year=1975, registered=False), Person("赵六", birth_year=1965, registered=False),
              Person("钱七", birth_year=1960, registered=True, flats=(Flat("1栋", "1单元", "101", None),)),
              Person("孙八", birth_year=1950, registered=True, representative=True)]
    for n, p in enumerate(people, start=1):
        c.entries[f"r{n}"] = Entry(f"r{n}", p)
    c.entries["r7"] = Entry("r7", Person("周九", birth_year=1970, registered=True), status="moved_away")
    return c


def me(pid: str) -> By:
    return By(ao.RESIDENT, pid)


class Book:
    def __init__(self) -> None:
        self.book = topics.Topics()
        self.now = T0
        self.reg = register()
        self.do(topics.propose(self.book, title="加装电梯", kind="planning", source="committee", proposer="居委会",
                               actor=OFFICE))
        self.do(ao.open_period(self.book, "t1", opens=T0, until=T0 + 7 * DAY, now=T0, actor=OFFICE))

    def do(self, event: tuple[str, dict[str, object]]) -> dict[str, object]:
        self.book.seq += 1
        self.book.apply(event[0], event[1], self.now)
        return event[1]

    def give(self, pid: str, text: str, channel: str = "online") -> str:
        actor = me(pid) if channel == "online" else OFFICE
        return str(self.do(ao.give(self.book, "t1", self.reg, pid, text, channel=channel, now=self.now,
                                   actor=actor))["statement"])

    def stance(self, sid: str, pid: str, stance: str) -> None:
        self.do(ao.take_stance(self.book, "t1", sid, self.reg, pid, stance, now=self.now, actor=me(pid)))

    def summary(self) -> dict[str, object]:
        s = ao.summary(self.book.topics["t1"])
        assert s is not None
        return s


def refused(code: str, call: object) -> None:
    with pytest.raises(MeetingError) as e:
        call()  # type: ignore[operator]
    assert e.value.code == code


def test_a_statement_online_is_the_residents_own_and_staff_enter_paper_and_phone_naming_the_channel():
    b = Book()
    b.give("r1", "先装北侧单元")
    b.give("r2", "低层住户的补偿要先说清", channel="paper")
    b.give("r3", "电话里说：同意", channel="phone")
    given = b.book.topics["t1"].opinions.statements
    assert [(s.channel, s.by) for s in given.values()] == [("online", "resident"), ("paper", "facilitator"),
                                                            ("phone", "facilitator")]
    assert b.summary()["channels"] == {"online": 1, "paper": 1, "phone": 1}
    # staff cannot claim a resident's online statement, nor a resident give one for another
    refused("wrong_opinion_channel", lambda: ao.give(b.book, "t1", b.reg, "r4", "x", channel="online", now=b.now,
                                                     actor=OFFICE))
    refused("wrong_opinion_channel", lambda: ao.give(b.book, "t1", b.reg, "r4", "x", channel="online", now=b.now,
                                                     actor=me("r1")))
    refused("wrong_opinion_channel", lambda: ao.give(b.book, "t1", b.reg, "r4", "x", channel="paper", now=b.now,
                                                     actor=me("r4")))
    refused("unknown_opinion_channel", lambda: ao.give(b.book, "t1", b.reg, "r4", "x", channel="fax", now=b.now,
                                                       actor=OFFICE))


def test_only_active_register_people_and_within_limits():
    b = Book()
    refused("not_in_register", lambda: b.give("r99", "我不在名册"))
    refused("not_active_in_register", lambda: b.give("r7", "我已搬走"))
    refused("empty_text", lambda: b.give("r1", "   "))
    refused("text_too_long", lambda: b.give("r1", "长" * (ao.MAX_TEXT + 1)))
    b.give("r1", "一")
    refused("opinion_repeated", lambda: b.give("r1", "一"))
    b.give("r1", "二")
    b.give("r1", "三")
    refused("too_many_opinions_by_one", lambda: b.give("r1", "四"))


def test_the_period_bounds_statements_and_stances_and_the_office_may_close_it_early():
    b = Book()
    sid = b.give("r1", "同意")
    b.now = T0 + 7 * DAY  # the period has run out
    refused("opinions_not_open", lambda: b.give("r2", "晚了"))
    refused("opinions_not_open", lambda: b.stance(sid, "r2", "agree"))
    refused("opinions_not_open", lambda: ao.close_period(b.book, "t1", now=b.now, actor=OFFICE))
    # a new period, closed early by the office
    b.do(ao.open_period(b.book, "t1", opens=b.now, until=b.now + DAY, now=b.now, actor=OFFICE))
    refused("opinions_already_open", lambda: ao.open_period(b.book, "t1", opens=b.now, until=b.now + DAY,
                                                            now=b.now, actor=OFFICE))
    b.stance(sid, "r2", "agree")
    b.do(ao.close_period(b.book, "t1", now=b.now, actor=OFFICE))
    refused("opinions_not_open", lambda: b.stance(sid, "r3", "agree"))
    assert b.summary()["statements"][0]["agree"] == 1  # what was given before is kept


def test_a_period_must_end_after_it_begins_and_not_be_too_long_nor_past():
    b = Book()
    b.do(ao.close_period(b.book, "t1", now=b.now, actor=OFFICE))
    for opens, until in ((T0, T0), (T0, T0 - 1), (T0 - 2 * DAY, T0 - DAY), (T0, T0 + (ao.MAX_DAYS + 1) * DAY)):
        refused("bad_opinion_period", lambda: ao.open_period(b.book, "t1", opens=opens, until=until, now=T0,
                                                             actor=OFFICE))
    refused("no_such_topic", lambda: ao.open_period(b.book, "t9", opens=T0, until=T0 + DAY, now=T0, actor=OFFICE))
    # a period that has not begun yet takes nothing
    b.do(ao.open_period(b.book, "t1", opens=T0 + DAY, until=T0 + 2 * DAY, now=T0, actor=OFFICE))
    refused("opinions_not_open", lambda: b.give("r1", "太早"))


def test_one_stance_per_person_changeable_and_never_on_ones_own_statement():
    b = Book()
    sid = b.give("r1", "先装北侧单元")
    refused("own_statement", lambda: b.stance(sid, "r1", "agree"))
    b.stance(sid, "r2", "agree")
    refused("stance_unchanged", lambda: b.stance(sid, "r2", "agree"))
    b.stance(sid, "r2", "disagree")  # changed: counted once, as the last
    row = b.summary()["statements"][0]
    assert (row["agree"], row["disagree"]) == (0, 1)
    refused("unknown_stance", lambda: b.stance(sid, "r3", "maybe"))
    other = lambda: "agree" if b.book.topics["t1"].opinions.statements[sid].stances["r2"]["stance"] == "disagree" \
        else "disagree"  # noqa: E731
    for _ in range(ao.MAX_CHANGES - 2):  # changed back and forth: each is stored, so there is a limit
        b.stance(sid, "r2", other())
    refused("too_many_stance_changes", lambda: b.stance(sid, "r2", other()))
    # a stance is the resident's own: nobody takes one for another
    refused("wrong_opinion_channel", lambda: ao.take_stance(b.book, "t1", sid, b.reg, "r3", "agree", now=b.now,
                                                            actor=me("r4")))
    refused("wrong_opinion_channel", lambda: ao.take_stance(b.book, "t1", sid, b.reg, "r3", "agree", now=b.now,
                                                            actor=OFFICE))


def test_the_summary_finds_what_every_category_agrees_with_and_what_divides_them():
    b = Book()
    both = b.give("r1", "先装北侧单元")
    split = b.give("r3", "费用按楼层分摊")
    quiet = b.give("r4", "没人表态的意见")
    b.stance(both, "r2", "agree")  # registered
    b.stance(both, "r3", "agree")  # non-registered
    b.stance(both, "r5", "agree")  # registered owner
    b.stance(split, "r1", "agree")  # registered for
    b.stance(split, "r2", "agree")
    b.stance(split, "r4", "disagree")  # non-registered against
    s = b.summary()
    assert s["consensus"] == [both] and s["divided"] == [split]
    rows = {r["id"]: r for r in s["statements"]}
    assert rows[both]["by_category"] == {"registered": {"agree": 2, "disagree": 0},
                                         "non_registered": {"agree": 1, "disagree": 0},
                                         "owner": {"agree": 1, "disagree": 0}}
    assert rows[quiet]["by_category"] == {} and quiet not in s["consensus"]
    assert rows[split]["categories"] == ["non_registered"]


def test_a_hidden_statement_keeps_its_reason_in_the_record_and_leaves_the_summary():
    b = Book()
    bad = b.give("r1", "骂人的话")
    b.give("r2", "好的意见")
    refused("empty_text", lambda: ao.hide(b.book, "t1", bad, "", actor=OFFICE))
    b.do(ao.hide(b.book, "t1", bad, "辱骂他人", actor=OFFICE))
    refused("statement_hidden", lambda: ao.hide(b.book, "t1", bad, "again", actor=OFFICE))
    refused("no_such_statement", lambda: b.stance(bad, "r3", "agree"))
    refused("no_such_statement", lambda: ao.hide(b.book, "t1", "s99", "x", actor=OFFICE))
    s = b.summary()
    assert [r["text"] for r in s["statements"]] == ["好的意见"] and s["hidden"] == 1
    c = b.book.topics["t1"].opinions
    assert c.statements[bad].hidden == "辱骂他人" and c.history[-1]["what"] == "hidden"


def test_the_record_read_back_and_an_older_reader_skips_the_new_types():
    b = Book()
    sid = b.give("r1", "同意")
    b.stance(sid, "r2", "agree")
    # what the store would give back, folded afresh
    records = []
    book = topics.Topics()
    book2 = Book()
    for n, ev in enumerate([topics.propose(book, title="加装电梯", kind="planning", source="committee",
                                           proposer="居委会", actor=OFFICE)], start=1):
        records.append((ev[0], ev[1], T0, n, ""))
    assert topics.fold(records).topics["t1"].opinions is None
    assert all(topics.readable(t, {"v": 1}) for t in ao.TYPES)
    # an event of a statement never given, or before a period, changes nothing
    book2.book.apply("OpinionStance", {"topic": "t1", "statement": "s9", "person": "r2", "stance": "agree",
                                       "categories": []}, T0)
    fresh = topics.Topics()
    fresh.apply("OpinionGiven", {"topic": "t1"}, T0)  # no such topic
    assert fresh.topics == {}


def test_the_meeting_takes_the_topic_again_only_when_its_summary_changed():
    from facilitation.roles import Actor
    from support.meetings import new_meeting

    b = Book()
    b.give("r1", "先装北侧单元")
    room = new_meeting()
    office = Actor(FACILITATOR)
    room.run(office, "link_topic", item=0, topic=topics.summary(b.book.topics["t1"], ""))
    assert room.refused(office, "link_topic", item=0, topic=topics.summary(b.book.topics["t1"], "")).code \
        == "topic_already_linked"  # the same summary sent again: nothing doubles
    b.stance("s1", "r2", "agree")
    room.run(office, "link_topic", item=0, topic=topics.summary(b.book.topics["t1"], ""))
    assert room.meeting.items[0].topic["opinions"]["statements"][0]["agree"] == 1
    room.mod("close_meeting")
    b.stance("s1", "r3", "agree")
    assert room.refused(office, "link_topic", item=0, topic=topics.summary(b.book.topics["t1"], "")).code \
        == "meeting_closed"  # a closed meeting keeps what it had
