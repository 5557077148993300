"""Democratic evaluation (民主评议) in the meeting: the officials of the residents' committee rated on
one ballot, each 满意 / 基本满意 / 不满意 or left unrated; each one's ratings and satisfaction rate
as offices report it; no hands; the minutes' table and the formula."""
from __future__ import annotations

from facilitation.minutes import Identity, minutes
from facilitation.views import public_view
from live.minutes.markdown import render_markdown
from support.meetings import MOD, new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
OFFICIALS = ["王秀兰（主任）", "陈明（委员）", "物业服务"]
NOT_RATED = -1


def evaluation(ballots: list[list[int]]):
    room = new_meeting()
    for i in range(len(ballots) or 1):
        room.check_in(f"居民{i}")
    room.mod("open_poll", question="2026年度社区工作民主评议", kind="evaluation", options=OFFICIALS)
    for i, b in enumerate(ballots):
        room.run(phone(f"p{i + 1}"), "cast_ballot", poll_id="v1", choices=b)
    return room


def test_each_one_evaluated_has_its_ratings_and_rate():
    room = evaluation([[0, 1, 2], [0, 0, 2], [1, NOT_RATED, 1], [2, 0, NOT_RATED]])
    (poll,) = public_view(room.meeting)["polls"]
    chair, member, service = poll["evaluated"]["evaluated"]
    assert (chair["satisfied"], chair["basically_satisfied"], chair["dissatisfied"], chair["not_rated"]) == (2, 1, 1, 0)
    assert (chair["satisfaction_percent"], member["satisfaction_percent"], service["satisfaction_percent"]) == \
        ("75.0", "100.0", "33.3")
    assert poll["counts"] == [4, 3, 3]  # how many rated each one
    assert room.replay().polls["v1"].evaluated() == room.meeting.polls["v1"].evaluated()


def test_a_ballot_rates_each_one_once_and_hands_cannot_count_it():
    room = evaluation([])
    for payload in ({"choices": [0, 1]}, {"choices": [0, 1, 3]}, {"choice": 0}):
        assert room.refused(phone("p1"), "cast_ballot", poll_id="v1", **payload).code == "bad_evaluation", payload
    assert room.run(phone("p1"), "cast_ballot", poll_id="v1", choices=[NOT_RATED] * 3)  # rates nobody: blank
    assert room.refused(MOD, "add_hand_count", poll_id="v1", counts=[1, 0, 0]).code == "hands_not_for_kind"
    assert room.mod("open_poll", question="对主任的评议", kind="evaluation", options=["王秀兰"])  # one alone


def test_the_minutes_table_and_formula():
    room = evaluation([[0, 1, 2], [1, 1, 2]])
    room.mod("close_poll", poll_id="v1")
    model = minutes(room.meeting, IDENTITY)
    (poll,) = model["items"][0]["polls"]
    assert poll["kind"] == "evaluation" and poll["evaluated"]["evaluated"][2]["satisfaction_percent"] == "0.0"
    md = render_markdown(model, "zh-CN")
    assert "民主评议" in md and "满意率 =（满意 + 基本满意）÷ 参与评价人数" in md
    assert r"| 物业服务 | 0 | 0 | 2 | 0 | 0\.0% |" in md  # the dot escaped for Markdown
