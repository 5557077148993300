"""A poll keeps its counts between changes (a long meeting's views show every poll after each
command); every change to its ballots or hands must still show in the next count."""
from voting.polls import Poll


def test_every_change_to_ballots_and_hands_shows_in_the_next_count():
    p = Poll(id="p1", item=0, question="同意吗？", kind="yes_no_abstain", options=["同意", "反对", "弃权"])
    assert p.counts() == [0, 0, 0]
    p.cast("a", 0)
    p.cast("b", 1)
    assert p.counts() == [1, 1, 0]
    p.cast("b", 0)  # a changeable poll's new ballot replaces the old: same number of ballots
    assert p.counts() == [2, 0, 0]
    p.void("a")
    assert p.counts() == [1, 0, 0]
    p.add_hands([0, 3, 1])
    assert p.counts() == [1, 3, 1]
    p.set_hands([0, 2, 0], reason="recounted")
    assert p.counts() == [1, 2, 0]
    shown = p.phone_counts()
    shown[0] = 99  # what is handed out is the caller's to change
    assert p.phone_counts() == [1, 0, 0]


def test_cells_per_category_follow_the_voters_categories():
    p = Poll(id="p1", item=0, question="同意吗？", kind="yes_no_abstain", options=["同意", "反对", "弃权"])
    p.cast("a", 0)
    p.cast("b", 1)
    before = {"a": "resident", "b": "resident"}
    assert p.by_category(before, categories_key=1) == {"resident": [1, 1, 0]}
    after = {"a": "resident", "b": "owner"}  # a category corrected at the desk
    assert p.by_category(after, categories_key=2) == {"resident": [1, 0, 0], "owner": [0, 1, 0]}
    p.cast("c", 2)
    assert p.by_category({**after, "c": "owner"}, categories_key=3) == {"resident": [1, 0, 0], "owner": [0, 1, 1]}


def test_a_secret_box_counted_at_the_close_shows_and_a_ranking_follows_its_ballots():
    p = Poll(id="p1", item=0, question="选谁？", kind="single", options=["甲", "乙"], secret=True)
    assert p.counts() == [0, 0]
    p.count_box([("r1", 1), ("r2", 1), ("r3", 0)])
    assert p.counts() == [1, 2]
    r = Poll(id="p2", item=0, question="排序", kind="ranking", options=["甲", "乙", "丙"], method="borda")
    r.cast("a", (0, 1, 2))
    first = r.ranked().to_data()
    r.cast("b", (2, 1, 0))
    r.cast("c", (2, 0, 1))
    assert r.ranked().to_data() != first
    assert r.counts() == [1, 0, 2]
