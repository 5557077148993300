"""A ranking in the meeting: residents put three compensation schemes in order of preference; the
result is counted by the method stated when the poll opened (Borda, or an instant runoff with
every round); hands cannot count it; the minutes show each round."""
from __future__ import annotations

from facilitation.minutes import Identity, minutes
from facilitation.views import moderator_view, public_view
from live.minutes.markdown import render_markdown
from support.meetings import MOD, new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
PLANS = ["方案甲：一次性补偿", "方案乙：分摊减免", "方案丙：绿化补偿"]


def ranked(method: str, rankings: list[list[int]]):
    room = new_meeting()
    for i in range(len(rankings)):
        room.check_in(f"居民{i}")
    room.mod("open_poll", question="三个补偿方案的先后？", kind="ranking", options=PLANS, method=method)
    for i, r in enumerate(rankings):
        room.run(phone(f"p{i + 1}"), "cast_ballot", poll_id="v1", choices=r)
    return room


def test_borda_points_and_first_preferences():
    # 2 points for first, 1 for second: 甲>乙>丙 twice (甲 4, 乙 2), 乙>丙>甲 twice (乙 +4, 丙 2),
    # 丙>乙>甲 once (丙 +2, 乙 +1): 甲 4, 乙 7, 丙 4; first preferences 2, 2, 1
    room = ranked("borda", [[0, 1, 2], [0, 1, 2], [1, 2, 0], [1, 2, 0], [2, 1, 0]])
    (poll,) = public_view(room.meeting)["polls"]
    assert poll["counts"] == [2, 2, 1] and poll["method"] == "borda"
    assert (poll["ranked"]["points"], poll["ranked"]["winners"]) == ([4, 7, 4], [1])
    assert room.replay().polls["v1"].ranked() == room.meeting.polls["v1"].ranked()


def test_an_instant_runoff_round_by_round_in_the_minutes():
    # first preferences 甲 2, 乙 2, 丙 1: 丙 is eliminated, its ballot goes to 乙, who then has 3 of 5
    room = ranked("instant_runoff", [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 1, 0]])
    (poll,) = moderator_view(room.meeting)["polls"]
    rounds = poll["ranked"]["rounds"]
    assert [r["counts"] for r in rounds] == [[2, 2, 1], [2, 3, None]]
    assert rounds[0]["eliminated"] == [2] and poll["ranked"]["winners"] == [1]
    room.mod("close_poll", poll_id="v1")
    md = render_markdown(minutes(room.meeting, IDENTITY), "zh-CN")
    assert "排序投票（即时决选法）" in md
    assert "第1轮：方案甲：一次性补偿 2 票、方案乙：分摊减免 2 票、方案丙：绿化补偿 1 票；已无可转移选项的选票 0 张。 淘汰：方案丙：绿化补偿。" in md
    assert "排名第一：方案乙：分摊减免。" in md


def test_a_ranking_takes_an_order_of_its_options_and_no_hands():
    room = ranked("borda", [])
    room.check_in("Alice")
    for payload, code in [({"choices": [0, 0]}, "bad_ranking"), ({"choices": [5]}, "bad_ranking"),
                          ({"choice": 1}, "ranking_required")]:
        assert room.refused(phone("p1"), "cast_ballot", poll_id="v1", **payload).code == code, payload
    assert room.run(phone("p1"), "cast_ballot", poll_id="v1", choices=[2])  # a partial ranking
    assert room.refused(MOD, "add_hand_count", poll_id="v1", counts=[1, 0, 0]).code == "hands_not_for_kind"
    refused = room.refused(MOD, "open_poll", question="x", kind="ranking", options=PLANS, method="condorcet")
    assert refused.code == "unknown_method"
