"""Multiple choice (多选): each voter ticks at most N of the options; the count is per option, a
blank ballot counts among the ballots; hands are counted per option; the minutes show it."""
from __future__ import annotations

from facilitation.minutes import Identity, minutes
from facilitation.views import me_view, moderator_view, public_view
from live.minutes.markdown import render_markdown
from support.meetings import MOD, new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
WORKS = ["加装电梯", "改造雨污管网", "增设充电桩", "修缮屋顶"]


def works_poll(at_most: int = 2):
    room = new_meeting()
    for name in ("Alice", "Bob", "Carol"):
        room.check_in(name)
    room.mod("open_poll", question="今年优先办理哪几件实事？", kind="multiple", options=WORKS, max_choices=at_most)
    return room


def test_each_ticks_at_most_n_and_every_option_is_counted():
    room = works_poll()
    (e,) = room.run(phone("p1"), "cast_ballot", poll_id="v1", choices=[0, 2])
    assert (e.choice, e.choices) == (-1, [0, 2])
    room.run(phone("p2"), "cast_ballot", poll_id="v1", choices=[2])
    room.run(phone("p3"), "cast_ballot", poll_id="v1", choices=[])  # blank
    room.mod("add_hand_count", poll_id="v1", counts=[1, 0, 1, 0])
    (poll,) = public_view(room.meeting)["polls"]
    assert (poll["counts"], poll["voters"], poll["max_choices"]) == ([2, 0, 3, 0], 3, 2)
    assert me_view(room.meeting, "p1")["voted"] == {"v1": (0, 2)}
    assert room.replay().polls["v1"].counts() == [2, 0, 3, 0]  # the record rebuilds it
    assert moderator_view(room.meeting)["polls"][0]["by_category"] == [{"category": "registered", "counts": [1, 0, 2, 0]}]


def test_a_bad_multiple_ballot_is_refused_and_changes_nothing():
    room = works_poll()
    for payload, code in [({"choices": [0, 1, 2]}, "too_many_choices"), ({"choices": [1, 1]}, "duplicate_choice"),
                          ({"choices": [9]}, "bad_choice"), ({"choice": 1}, "choices_required"), ({}, "choices_required")]:
        assert room.refused(phone("p1"), "cast_ballot", poll_id="v1", **payload).code == code, payload
    assert room.meeting.polls["v1"].ballots == {}
    room.mod("close_poll", poll_id="v1")
    single = room.mod("open_poll", question="哪一个？", kind="single", options=["甲", "乙"])
    assert single and room.refused(phone("p1"), "cast_ballot", poll_id="v2", choices=[0]).code == "no_such_option"


def test_the_limit_runs_from_one_to_every_option():
    room = new_meeting()
    for at_most in (0, 5, -1):
        refused = room.refused(MOD, "open_poll", question="x", kind="multiple", options=WORKS, max_choices=at_most)
        assert (refused.code, refused.params) == ("bad_choice_limit", {"max": 4})
    assert room.mod("open_poll", question="x", kind="multiple", options=WORKS, max_choices=4)


def test_the_minutes_show_the_limit_and_the_count():
    room = works_poll()
    room.run(phone("p1"), "cast_ballot", poll_id="v1", choices=[1, 3])
    room.mod("close_poll", poll_id="v1")
    (poll,) = minutes(room.meeting, IDENTITY)["items"][0]["polls"]
    assert (poll["kind"], poll["max_choices"], poll["counts"]) == ("multiple", 2, [0, 1, 0, 1])
    md = render_markdown(minutes(room.meeting, IDENTITY), "zh-CN")
    assert "多选（每人最多选 2 项）" in md


def test_the_public_minutes_hide_a_category_of_fewer_than_three_ballots_however_many_ticks():
    room = works_poll()
    room.check_in("Dora", "property")  # p4
    room.check_in("Ed", "property")  # p5
    for pid in ("p4", "p5"):  # two ballots of the same two ticks: four ticks, still two voters
        room.run(phone(pid), "cast_ballot", poll_id="v1", choices=[0, 1])
    for pid in ("p1", "p2", "p3"):
        room.run(phone(pid), "cast_ballot", poll_id="v1", choices=[2])
    room.mod("close_poll", poll_id="v1")
    cells = {row["category"]: row["counts"] for row in
             minutes(room.meeting, IDENTITY, public=True)["items"][0]["polls"][0]["by_category"]}
    assert cells == {"property": None, "registered": [0, 0, 3, 0]}
