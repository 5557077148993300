"""Topics and petitions (facilitation/topics.py): the threshold from the register at each signature,
who may sign, and the record read back."""
from __future__ import annotations

import pytest

from facilitation import topics
from facilitation.community import Community, Entry
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.register import Person

YEAR = 2026
OFFICE = By(FACILITATOR)


def register(adults: int, *, representatives: int = 0, children: int = 0, non_registered: int = 0) -> Community:
    c = Community()
    people = ([Person(f"成人{i}", birth_year=1970, registered=True) for i in range(adults)]
              + [Person(f"代表{i}", birth_year=1960, registered=True, representative=True) for i in range(representatives)]
              + [Person(f"孩子{i}", birth_year=YEAR - 10, registered=True) for i in range(children)]
              + [Person(f"外来{i}", birth_year=1980, registered=False) for i in range(non_registered)])
    for n, p in enumerate(people, start=1):
        c.entries[f"r{n}"] = Entry(f"r{n}", p)
    return c


class Book:
    """Topics with events applied as the store would (seq counted, no hash needed here)."""

    def __init__(self) -> None:
        self.book = topics.Topics()

    def do(self, event: tuple[str, dict[str, object]]) -> dict[str, object]:
        self.book.seq += 1
        self.book.apply(event[0], event[1], 1_800_000_000.0 + self.book.seq)
        return event[1]

    def petition(self, base: str = "residents") -> str:
        return str(self.do(topics.propose(self.book, title="村道硬化", kind="planning", source="residents",
                                          proposer="村民", petition=base, actor=OFFICE))["topic"])


@pytest.mark.parametrize("adults, needed", [(1, 1), (10, 1), (11, 2), (95, 10), (100, 10), (101, 11)])
def test_a_residents_petition_needs_a_tenth_of_the_adult_registered_residents_rounded_up(adults, needed):
    # children and residents not registered here are not in the base
    assert topics.needed(register(adults, children=7, non_registered=5), "residents", YEAR) == needed


def test_a_representatives_petition_needs_a_fifth_of_them_and_only_they_may_sign():
    c = register(20, representatives=11)
    assert topics.needed(c, "representatives", YEAR) == 3
    b = Book()
    tid = b.petition("representatives")
    with pytest.raises(MeetingError) as refused:
        topics.sign(b.book, tid, c, "r1", via="paper", year=YEAR, actor=OFFICE)  # an adult, not a representative
    assert refused.value.code == "not_entitled_to_sign"
    for pid in ("r21", "r22"):
        assert b.do(topics.sign(b.book, tid, c, pid, via="paper", year=YEAR, actor=OFFICE))["accepted"] is False
    assert b.do(topics.sign(b.book, tid, c, "r23", via="paper", year=YEAR, actor=OFFICE))["accepted"] is True
    t = b.book.topics[tid]
    assert (t.status, t.accepted_by, len(t.signatures), t.needed) == ("accepted", "petition", 3, 3)


def test_the_threshold_is_the_registers_at_each_signature():
    c = register(20)
    b = Book()
    tid = b.petition()
    b.do(topics.sign(b.book, tid, c, "r1", via="paper", year=YEAR, actor=OFFICE))
    assert b.book.topics[tid].needed == 2 and b.book.topics[tid].status == "proposed"
    c.entries["r20"].status = "moved_away"  # 19 left: 2 still needed...
    for n in range(21, 31):  # ...until ten more adults are on the register: 29 -> 3
        c.entries[f"r{n}"] = Entry(f"r{n}", Person(f"新{n}", birth_year=1990, registered=True))
    assert b.do(topics.sign(b.book, tid, c, "r2", via="online", year=YEAR, actor=OFFICE))["accepted"] is False
    assert b.book.topics[tid].needed == 3


@pytest.mark.parametrize("who, code", [("r99", "not_in_register"), ("r12", "not_entitled_to_sign"),
                                       ("r1", "already_signed")])
def test_a_signature_is_refused_with_the_reason(who, code):
    c = register(10, children=2)
    c.entries["r2"].status = "deceased"
    b = Book()
    tid = b.petition()
    c2 = register(30)
    b.do(topics.sign(b.book, tid, c2, "r1", via="paper", year=YEAR, actor=OFFICE))
    with pytest.raises(MeetingError) as refused:
        topics.sign(b.book, tid, c, who, via="paper", year=YEAR, actor=OFFICE)
    assert refused.value.code == code
    with pytest.raises(MeetingError) as gone:
        topics.sign(b.book, tid, c, "r2", via="paper", year=YEAR, actor=OFFICE)
    assert gone.value.code == "not_entitled_to_sign"  # died: no longer on the register's active roll


def test_a_paper_name_is_found_on_the_register_or_refused_when_unknown_or_ambiguous():
    c = register(3)
    c.entries["r4"] = Entry("r4", Person("成人0", birth_year=1990, household="020001", registered=True))
    assert topics.find_signer(c, name="成人1") == "r2"
    with pytest.raises(MeetingError) as several:
        topics.find_signer(c, name="成人0")
    assert several.value.code == "several_in_register" and several.value.params["n"] == 2
    assert topics.find_signer(c, name="成人0", household="020001") == "r4"
    assert topics.find_signer(c, name="成人0", birth_year=1970) == "r1"
    with pytest.raises(MeetingError) as unknown:
        topics.find_signer(c, name="王五")
    assert unknown.value.code == "not_in_register_named"


def test_the_organisers_accept_decline_and_schedule_in_order():
    b = Book()
    tid = str(b.do(topics.propose(b.book, title="加装电梯", kind="planning", source="committee", proposer="居委会",
                                  actor=OFFICE))["topic"])
    with pytest.raises(MeetingError) as early:
        topics.schedule(b.book, tid, meeting="m1", item=0, actor=OFFICE)
    assert early.value.code == "topic_not_accepted"
    b.do(topics.accept(b.book, tid, actor=OFFICE))
    b.do(topics.schedule(b.book, tid, meeting="m1", item=0, actor=OFFICE))
    assert (b.book.topics[tid].status, b.book.topics[tid].meeting) == ("scheduled", "m1")
    with pytest.raises(MeetingError) as late:
        topics.decline(b.book, tid, "太晚了", actor=OFFICE)
    assert late.value.code == "topic_not_proposed"
    with pytest.raises(MeetingError) as not_petition:
        topics.sign(b.book, tid, register(5), "r1", via="paper", year=YEAR, actor=OFFICE)
    assert not_petition.value.code == "not_a_petition"


def test_the_record_read_back_skips_what_this_version_does_not_know():
    b = Book()
    tid = b.petition()
    proposed = topics.propose(topics.Topics(), title="村道硬化", kind="planning", source="residents", proposer="村民",
                              petition="residents", actor=OFFICE)
    rows = [(proposed[0], proposed[1], 1.0, 1, "h1"), ("TopicRenamed", {"topic": tid, "title": "x"}, 2.0, 2, "h2"),
            ("TopicDeclined", {"topic": "t9", "reason": "无此议题", "actor": OFFICE.to_data()}, 3.0, 3, "h3")]
    folded = topics.fold(rows)
    assert (folded.seq, folded.last_hash, list(folded.topics)) == (3, "h3", ["t1"])
    assert folded.topics["t1"].status == "proposed" and folded.topics["t1"].title == "村道硬化"
    assert topics.readable("TopicSigned", {"v": 1}) and not topics.readable("TopicSigned", {"v": 2})


def test_a_community_that_counts_every_adult_lets_non_registered_adults_co_sign() -> None:
    """Whom a residents' petition counts is the community's choice (facilitation/forms.py): by default
    the adult registered residents; counting every adult, a non-registered one signs and the
    threshold is a tenth of all of them. A petition keeps the base it was proposed with."""
    from facilitation import forms
    from facilitation.community import add_person

    c = Community()
    people = [Person(name=f"户籍{i}", birth_year=1970, registered=True) for i in range(9)] + \
        [Person(name=f"非户籍{i}", birth_year=1980, registered=False) for i in range(11)]
    for p in people:
        type_name, data = add_person(c, p, actor=OFFICE)
        c.apply(type_name, data, 1.0)
    assert len(c.entries) == 20
    outsider = next(pid for pid, e in c.entries.items() if e.person.registered is False)
    book = topics.Topics()
    settings = forms.FormBook()
    with pytest.raises(MeetingError) as refused:
        forms.set_petition_base(settings, "everyone", actor=OFFICE)
    assert refused.value.code == "unknown_residents_base"
    type_name, data = forms.set_petition_base(settings, "adults", actor=OFFICE)
    settings.apply(type_name, data, 2.0)
    assert settings.petition_base == "adults"

    for base, needed, may in (("residents", 1, False), (settings.petition_base, 2, True)):
        book = topics.Topics()
        type_name, data = topics.propose(book, title="路灯", kind="planning", source="residents", proposer="村民",
                                         petition="residents", residents_base=base, actor=OFFICE)
        book.apply(type_name, data, 3.0)
        t = book.topics[data["topic"]]
        assert t.base == base and topics.needed(c, t.base, 2026) == needed
        assert topics.entitled(c.entries[outsider], t.base, 2026) is may
