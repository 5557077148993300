"""The minutes model: what it says about a meeting, and what the public version hides."""
from __future__ import annotations

from facilitation.masking import Masker, mask_name
from facilitation.minutes import Identity, minutes
from support.meetings import new_meeting, phone

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)


def test_chinese_names_keep_the_surname_only_and_hide_the_length():
    assert mask_name("张桂英") == "张**"
    assert mask_name("赵丽") == "赵**"
    assert mask_name("欧阳明华") == "欧阳**"
    assert mask_name("钱大爷") == "钱**"


def test_latin_names_become_initials():
    assert mask_name("John Smith") == "J. S."
    assert mask_name("anna-lena berg") == "A. L. B."


def test_residents_named_in_free_text_are_masked_but_words_containing_a_latin_name_are_not():
    mask = Masker(["张桂英", "Li Na", "Al"])
    assert mask.text("同意张桂英的意见") == "同意张**的意见"
    assert mask.text("Li Na agreed; Alice and Al did not") == "L. N. agreed; Alice and A. did not"
    assert Masker(["张桂英"], active=False).text("同意张桂英的意见") == "同意张桂英的意见"


def test_officials_keep_their_names_and_residents_are_masked_by_category():
    mask = Masker(["张桂英"])
    assert mask.name("王秀兰", "committee") == ("王秀兰", False)
    assert mask.name("周海燕", "property") == ("周海燕", False)
    assert mask.name("张桂英", "registered") == ("张**", True)
    assert mask.name("郑晓东", "non_registered") == ("郑**", True)
    assert mask.name("某人", "a_category_the_meeting_added") == ("某**", True)


def _held_meeting(form: str = "council"):
    room = new_meeting(("电梯", "费用"), form=form, roster=[{"name": n, "category": "registered"} for n in
                                                         ("张三", "李四", "王五", "赵六")])
    a = room.check_in("张桂英")
    b = room.check_in("周海燕", "property")
    room.check_in("周医生", "expert", role="observer")
    room.mod("check_in", invitee=0)
    room.mod("raise_hand", participant_id=a, stance="for")
    room.mod("grant_floor")
    room.later(150)
    room.mod("end_speech")
    room.mod("summarise_speech", speech_id="s1", summary="张桂英说她住六楼")
    room.run(phone(a), "raise_objection", reason="不同意")
    room.run(phone(b), "raise_objection", reason="物业也有意见")
    room.mod("give_explanation", objection_id="x2", text="已解释", by="王秀兰")
    return room


def test_the_minutes_name_the_record_they_come_from_and_the_time_zone():
    model = minutes(_held_meeting().meeting, IDENTITY)
    assert model["record"] == {"meeting_id": "m1", "events": 42, "last_hash": "ab" * 32,
                               "generated_at": "2026-05-29T04:26:40+08:00", "timezone": "Asia/Shanghai"}
    other = minutes(_held_meeting().meeting, IDENTITY, timezone="Europe/Berlin")
    assert other["record"]["generated_at"].endswith("+02:00")


def test_the_same_record_gives_the_same_minutes():
    assert minutes(_held_meeting().meeting, IDENTITY) == minutes(_held_meeting().replay(), IDENTITY)


def test_speeches_carry_speaker_category_stance_time_duration_and_summary():
    speech = minutes(_held_meeting().meeting, IDENTITY)["items"][0]["speeches"][0]
    assert speech["speaker"] == {"name": "张桂英", "category": "registered", "masked": False}
    assert (speech["stance"], speech["seconds"], speech["summary"]) == ("for", 150, "张桂英说她住六楼")
    assert speech["started_at"].endswith("+08:00")


def test_public_minutes_mask_residents_everywhere_and_drop_the_name_lists():
    model = minutes(_held_meeting().meeting, IDENTITY, public=True)
    speech = model["items"][0]["speeches"][0]
    assert speech["speaker"]["name"] == "张**" and speech["speaker"]["masked"]
    assert speech["summary"] == "张**说她住六楼"
    objectors = [o["objector"]["name"] for o in model["items"][0]["objections"]]
    assert objectors == ["张**", "周海燕"]
    assert model["attendance"]["absent_people"] is None
    assert all(row["people"] is None for row in model["attendance"]["by_category"])
    assert "张桂英" not in str(model) and "李四" not in str(model)


def test_objections_without_an_explanation_or_still_contested_are_open():
    room = _held_meeting()
    model = minutes(room.meeting, IDENTITY)
    assert model["open_objections"] == ["x1"]
    room.run(phone("p2"), "answer_objection", objection_id="x2", response="still_objects", comment="不接受")
    model = minutes(room.meeting, IDENTITY)
    assert model["open_objections"] == ["x1", "x2"]
    x2 = model["items"][0]["objections"][1]
    assert (x2["response"], x2["responses"][0]["comment"], x2["explanations"][0]["by"]) == ("still_objects", "不接受", "王秀兰")


def test_who_was_heard_counts_time_by_category_and_names_the_silent_ones():
    heard = minutes(_held_meeting().meeting, IDENTITY)["heard"]
    by = {r["category"]: r for r in heard["by_category"]}
    assert by["registered"] == {"category": "registered", "speeches": 1, "speakers": 1, "seconds": 150}
    assert by["property"]["seconds"] == 0
    assert heard["silent_categories"] == ["property"]  # the observing expert is not expected to speak


def test_attendance_counts_walk_ins_absent_invitees_and_observers():
    a = minutes(_held_meeting().meeting, IDENTITY)["attendance"]
    assert (a["total"], a["voters"], a["observers"], a["invited"], a["absent"], a["walk_ins"]) == (4, 3, 1, 4, 3, 3)
    assert [p["name"] for p in a["absent_people"]] == ["李四", "王五", "赵六"]
    assert a["quorum"] is None  # a council has no quorum


def test_a_residents_assembly_states_its_quorum():
    room = _held_meeting(form="assembly")
    assert minutes(room.meeting, IDENTITY)["attendance"]["quorum"] == {
        "rule": "more_than_half", "members": 4, "present": 1, "required": 3, "met": False}
    room.mod("check_in", invitee=1)
    room.mod("check_in", invitee=2)
    assert minutes(room.meeting, IDENTITY)["attendance"]["quorum"]["met"] is True


def test_a_representatives_assembly_needs_two_thirds():
    room = new_meeting(form="representatives", roster=[{"name": f"代表{i}", "category": "registered"} for i in range(9)])
    for i in range(5):
        room.mod("check_in", invitee=i)
    q = minutes(room.meeting, IDENTITY)["attendance"]["quorum"]
    assert (q["required"], q["present"], q["met"]) == (6, 5, False)


def _poll_by(room, voters):
    """A named yes/no/abstain poll in which each (participant, choice) of `voters` votes by phone."""
    room.mod("open_item", item=0)
    poll = room.mod("open_poll", question="加装电梯？")[0].poll_id
    for pid, choice in voters:
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=choice)
    room.mod("add_hand_count", poll_id=poll, counts=[2, 0, 1])
    room.mod("close_poll", poll_id=poll)
    return poll


def test_public_minutes_hide_a_categorys_ballots_when_fewer_than_three_voted_in_it():
    room = new_meeting(("电梯",))
    residents = [room.check_in(n) for n in ("张桂英", "赵丽", "刘志强")]
    pair = [room.check_in(n, "non_registered") for n in ("郑晓东", "马玉珍")]
    official = room.check_in("王秀兰", "committee")
    _poll_by(room, [(residents[0], 0), (residents[1], 0), (residents[2], 1), (pair[0], 0), (pair[1], 1),
                    (official, 2)])
    internal, public = (minutes(room.meeting, IDENTITY, public=p)["items"][0]["polls"][0] for p in (False, True))
    internal_rows = {r["category"]: r["counts"] for r in internal["by_category"]}
    assert internal_rows == {"registered": [2, 1, 0], "non_registered": [1, 1, 0], "committee": [0, 0, 1]}
    # Three voters: shown; two and one: who voted how could be told, so nothing is shown.
    assert {r["category"]: r["counts"] for r in public["by_category"]} == {
        "registered": [2, 1, 0], "non_registered": None, "committee": None}
    # The poll's totals keep every ballot and hand.
    for key in ("counts", "phone_counts", "hand_counts", "ballots", "total", "leader"):
        assert public[key] == internal[key], key
    assert public["counts"] == [5, 2, 2] and public["ballots"] == 6
    # As schema 2 had it (to check a file issued under it): every category shown.
    old = minutes(room.meeting, IDENTITY, public=True, small_cells_hidden=False)["items"][0]["polls"][0]
    assert old["by_category"] == internal["by_category"]


def test_the_minutes_carry_the_issuing_body_and_the_publicity_period_the_meeting_set():
    set_ = minutes(new_meeting(issuer="幸福里社区居民委员会", notice_days=10).meeting, IDENTITY, public=True)["meeting"]
    assert (set_["issuer"], set_["notice_days"]) == ("幸福里社区居民委员会", 10)
    unset = minutes(new_meeting().meeting, IDENTITY, public=True)["meeting"]
    assert (unset["issuer"], unset["notice_days"]) == ("", None)
