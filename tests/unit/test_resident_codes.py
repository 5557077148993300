"""Residents' codes (居民码) alone: who holds one, unique codes that change only by their own
reissue, a reissue recorded without the code, and the count of wrong codes per community."""
from __future__ import annotations

import pytest

from facilitation import topics
from facilitation.community import RESIDENT, Community, add_person, fold, holds_code, reissue_code, set_status
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.register import Person
from live import resident_codes
from live.resident_codes import MAX_MISSES, MISS_WINDOW_S, ResidentCodes, book_of, shown

YEAR = 2026
STAFF = By(FACILITATOR)


def community(n: int) -> tuple[Community, list[tuple[str, dict, float, int, str]]]:
    """`n` adult registered residents added one by one, as the record keeps them."""
    records: list[tuple[str, dict, float, int, str]] = []
    c = Community()
    for i in range(n):
        event = add_person(c, Person(name=f"居民{i}", birth_year=1970, household=f"{i:04d}", registered=True), actor=STAFF)
        records.append((*event, float(i), i + 1, f"h{i}"))
        c = fold(records)
    return c, records


def add(records: list, c: Community, event: tuple[str, dict]) -> Community:
    records.append((*event, 100.0 + len(records), len(records) + 1, f"h{len(records)}"))
    return fold(records)


def test_codes_are_twelve_digits_unique_and_printed_in_groups_of_three() -> None:
    c, _ = community(200)
    book = book_of("secret", "heping", c)
    codes = list(book.current.values())
    assert len(set(codes)) == 200 and all(len(x) == 12 and x.isdigit() for x in codes)
    assert shown("123456789012") == "123 456 789 012"
    # another community, or another secret, gives other codes
    assert set(book_of("secret", "other", c).current.values()).isdisjoint(codes)
    assert set(book_of("other", "heping", c).current.values()).isdisjoint(codes)


def test_a_reissue_replaces_one_persons_code_and_no_one_elses_even_among_collisions(monkeypatch) -> None:
    monkeypatch.setattr(resident_codes, "DIGITS", 3)  # a thousand codes for 300 people: collisions on purpose
    c, records = community(300)
    before = book_of("s", "", c)
    assert len(set(before.current.values())) == 300
    for pid in ("r1", "r7", "r150"):
        c = add(records, c, reissue_code(c, pid, year=YEAR, actor=STAFF))
    after = book_of("s", "", c)
    assert len(set(after.current.values())) == 300
    changed = {pid for pid in after.current if after.current[pid] != before.current[pid]}
    assert changed == {"r1", "r7", "r150"}
    for pid in changed:  # the old code is still known, as replaced: it opens nobody
        assert after.issued[before.current[pid]] == (pid, 0)
        assert after.issued[after.current[pid]] == (pid, 1)
    # a person added after the reissues avoids every code issued before, replaced ones too
    c = add(records, c, add_person(c, Person(name="新来的", birth_year=1990, household="9999", registered=True),
                                   actor=STAFF))
    late = book_of("s", "", c).current["r301"]
    assert late not in before.current.values() and late not in after.current.values()


def test_the_reissue_event_names_who_did_it_and_holds_no_code() -> None:
    c, _ = community(1)
    type_name, data = reissue_code(c, "r1", year=YEAR, actor=STAFF)
    assert type_name == "ResidentCodeReissued" and data["actor"] == {"role": FACILITATOR} and set(data) == {"id", "actor", "v"}


@pytest.mark.parametrize("person, status, holds", [
    (Person(name="成人", birth_year=1980, registered=True), "active", True),
    (Person(name="代表", birth_year=None, representative=True), "active", True),
    (Person(name="孩子", birth_year=YEAR - 10, registered=True), "active", False),
    # a non-registered adult holds one too: they give opinions in advance, and co-sign where the
    # community counts every adult (facilitation/forms.py petition_base)
    (Person(name="非户籍", birth_year=1980, registered=False), "active", True),
    (Person(name="搬走", birth_year=1980, registered=True), "moved_away", False),
    (Person(name="去世", birth_year=1940, registered=True), "deceased", False),
])
def test_only_active_adults_and_representatives_hold_a_code(person, status, holds) -> None:
    records: list = []
    c = add(records, Community(), add_person(Community(), person, actor=STAFF))
    if status != "active":
        c = add(records, c, set_status(c, "r1", status, actor=STAFF))
    assert holds_code(c.entries["r1"], YEAR) is holds
    if not holds:
        with pytest.raises(MeetingError) as refused:
            reissue_code(c, "r1", year=YEAR, actor=STAFF)
        assert refused.value.code == "no_resident_code"


def test_a_register_read_by_an_older_reader_skips_the_reissue(monkeypatch) -> None:
    c, records = community(2)
    c = add(records, c, reissue_code(c, "r2", year=YEAR, actor=STAFF))
    assert c.entries["r2"].code_round == 1 and c.entries["r2"].history[-1]["what"] == "code_reissued"
    renamed = [(("SomethingNewer" if t == "ResidentCodeReissued" else t), d, a, s, h) for t, d, a, s, h in records]
    assert fold(renamed).entries["r2"].code_round == 0  # an unknown event changes nothing


def test_a_resident_is_the_actor_of_their_own_proposal_and_signature() -> None:
    c, _ = community(3)
    book = topics.Topics()
    me = By(RESIDENT, "r2")
    tp, data = topics.propose(book, title="路灯", kind="planning", source="residents", proposer="居民1",
                              petition="residents", person="r2", actor=me)
    assert data["person"] == "r2" and data["actor"] == {"role": RESIDENT, "id": "r2"}
    book.apply(tp, data, 1.0)
    assert book.topics["t1"].person == "r2"
    tp, data = topics.sign(book, "t1", c, "r2", via="online", year=YEAR, actor=me)
    book.apply(tp, data, 2.0)
    assert book.topics["t1"].signatures["r2"]["via"] == "online" and book.topics["t1"].signatures["r2"]["by"] == RESIDENT


def test_wrong_codes_block_a_community_for_a_while_and_only_that_one(tmp_path) -> None:
    codes = ResidentCodes(tmp_path, registries=None)  # type: ignore[arg-type]
    misses = codes.misses
    for i in range(MAX_MISSES - 1):
        misses.missed("heping", now=float(i))
    assert not misses.blocked("heping", now=float(MAX_MISSES))
    misses.missed("heping", now=float(MAX_MISSES))
    assert misses.blocked("heping", now=float(MAX_MISSES)) and not misses.blocked("other", now=float(MAX_MISSES))
    assert not misses.blocked("heping", now=MAX_MISSES + MISS_WINDOW_S + 1)
