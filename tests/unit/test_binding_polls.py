"""Binding polls: the rule stated before the vote, the quorum gate and its override, who may vote,
and pass or fail with both counts — in the formal bodies, the owners' consultation and the forums."""
from __future__ import annotations

from facilitation import binding
from facilitation.replay import replay
from facilitation.views import moderator_view, public_view
from support.meetings import MOD, code_phone, new_meeting, phone

REPRESENTATIVES = [{"name": f"代表{i}", "category": "registered"} for i in range(1, 7)]  # 6 members: 4 make quorum
OWNERS = [{"name": "张桂英", "category": "registered", "area": "120.00"},
          {"name": "周海燕", "category": "registered", "area": "80.50"},
          {"name": "李建国", "category": "registered", "area": "60.00"}]


def members_in(room, how_many):
    return [room.run(code_phone(i), "check_in")[0].participant_id for i in range(how_many)]


def open_binding(room, rule="present", **extra):
    (opened,) = room.mod("open_poll", question="通过村务公开制度", rule=rule, **extra)
    return opened.poll_id


def test_a_binding_poll_needs_quorum_or_the_chairs_reason_and_states_it():
    room = new_meeting(form="representatives", roster=REPRESENTATIVES)
    members_in(room, 3)
    refused = room.refused(MOD, "open_poll", question="通过", rule="present")
    assert refused.code == "no_quorum" and refused.params == {"present": 3, "required": 4}
    assert room.refused(MOD, "open_poll", question="通过", rule="present", quorum_override="  ").code == "no_quorum"
    (opened,) = room.mod("open_poll", question="通过", rule="present", quorum_override="天气恶劣，先表决后补会")
    poll = room.meeting.polls[opened.poll_id]
    assert (poll.rule, poll.quorum_override) == ("present", "天气恶劣，先表决后补会")
    assert poll.quorum_at_open["present"] == 3 and poll.quorum_at_open["met"] is False


def test_a_representatives_assembly_without_quorum_passes_nothing_and_a_walk_in_cannot_vote():
    room = new_meeting(form="representatives", roster=REPRESENTATIVES)
    members = members_in(room, 3)
    walk_in = room.check_in("路人甲")
    poll = open_binding(room, quorum_override="先表决")
    assert room.refused(phone(walk_in), "cast_ballot", poll_id=poll, choice=0).code == "not_entitled"
    for pid in members:
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=0)  # unanimous
    room.mod("close_poll", poll_id=poll)
    result = binding.result(room.meeting, room.meeting.polls[poll])
    assert result["passed"] is False
    quorum, approval = result["checks"]
    assert (quorum["what"], quorum["have"], quorum["need"], quorum["met"]) == ("quorum", 3, 4, False)
    assert (approval["what"], approval["have"], approval["base"], approval["met"]) == ("approval", 3, 3, True)


def test_more_than_half_of_those_present_passes_and_exactly_half_does_not():
    room = new_meeting(form="representatives", roster=REPRESENTATIVES)
    members = members_in(room, 6)
    poll = open_binding(room)
    for pid, choice in zip(members, [0, 0, 0, 1, 1, 2]):
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=choice)
    room.mod("close_poll", poll_id=poll)
    result = binding.result(room.meeting, room.meeting.polls[poll])
    assert result["passed"] is False
    assert result["checks"][1] == {"what": "approval", "have": 3, "base": 6, "need": 4,
                                   "fraction": "more_than_half", "met": False}
    (again,) = room.mod("open_poll", question="再表决", rule="present")
    for pid, choice in zip(members, [0, 0, 0, 0, 1, 2]):
        room.run(phone(pid), "cast_ballot", poll_id=again.poll_id, choice=choice)
    room.mod("close_poll", poll_id=again.poll_id)
    assert binding.result(room.meeting, room.meeting.polls[again.poll_id])["passed"] is True


def test_who_was_present_at_the_close_decides_and_later_check_ins_change_nothing():
    room = new_meeting(form="representatives", roster=REPRESENTATIVES)
    members = members_in(room, 4)
    poll = open_binding(room)
    for pid in members[:3]:
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=0)
    room.mod("close_poll", poll_id=poll)
    before = binding.result(room.meeting, room.meeting.polls[poll])
    room.run(code_phone(4), "check_in")
    room.run(code_phone(5), "check_in")
    assert binding.result(room.meeting, room.meeting.polls[poll]) == before and before["passed"] is True
    view = [p for p in moderator_view(room.meeting)["polls"] if p["id"] == poll][0]
    assert (view["rule"], view["present"], view["entitled"], view["result"]) == ("present", 4, 6, before)


def test_hands_cannot_make_more_votes_than_members_present():
    room = new_meeting(form="assembly", roster=REPRESENTATIVES)
    members_in(room, 4)
    poll = open_binding(room)
    room.run(phone("p1"), "cast_ballot", poll_id=poll, choice=0)
    assert room.refused(MOD, "add_hand_count", poll_id=poll, counts=[3, 1, 0]).code == "bad_count"
    room.mod("add_hand_count", poll_id=poll, counts=[2, 1, 0])
    room.mod("close_poll", poll_id=poll)
    assert room.refused(MOD, "correct_hand_count", poll_id=poll, counts=[3, 1, 0], reason="数错").code == "bad_count"
    assert binding.result(room.meeting, room.meeting.polls[poll])["passed"] is True  # 3 of 4 present


def test_a_straw_poll_stays_as_it_was_walk_ins_vote_and_no_result_is_claimed():
    room = new_meeting(form="representatives", roster=REPRESENTATIVES)
    walk_in = room.check_in("路人甲")
    (opened,) = room.mod("open_poll", question="意向", quorum_override="ignored without a rule")
    assert opened.rule == "" and opened.quorum_override == ""
    room.run(phone(walk_in), "cast_ballot", poll_id=opened.poll_id, choice=0)
    view = public_view(room.meeting)["polls"][0]
    assert view["rule"] == "" and "result" not in view


def test_a_forum_counts_everyone_checked_in_as_an_attendee():
    room = new_meeting(form="council")
    people = [room.check_in(name) for name in ("甲", "乙", "丙")]
    poll = open_binding(room, rule="cast")
    for pid, choice in zip(people, [0, 0, 1]):
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=choice)
    room.mod("close_poll", poll_id=poll)
    result = binding.result(room.meeting, room.meeting.polls[poll])
    assert result["passed"] is True and [c["what"] for c in result["checks"]] == ["approval"]


def test_the_owners_double_majority_weighs_each_ballot_by_the_owners_area():
    room = new_meeting(form="owners", roster=OWNERS)
    owners = members_in(room, 3)
    poll = open_binding(room, rule="owners")
    assert room.refused(MOD, "add_hand_count", poll_id=poll, counts=[1, 0, 0]).code == "hands_not_weighted"
    room.run(phone(owners[0]), "cast_ballot", poll_id=poll, choice=0)  # 120 ㎡ yes
    room.mod("cast_ballot", poll_id=poll, choice=1, participant_id=owners[1])  # 80.5 ㎡ no, entered at the desk
    room.mod("close_poll", poll_id=poll)
    result = binding.result(room.meeting, room.meeting.polls[poll])
    checks = {c["what"]: c for c in result["checks"]}
    assert (checks["participation_owners"]["have"], checks["participation_owners"]["met"]) == (2, True)  # 2 of 3
    assert checks["participation_area"]["have"] == "200.50" and checks["participation_area"]["base"] == "260.50"
    assert checks["participation_area"]["met"] is True  # 200.50 ≥ ⅔ × 260.50 = 173.67
    assert checks["approval_area"]["met"] is True  # 120 > ½ × 200.50
    assert checks["approval_owners"]["met"] is False  # 1 of 2 is not more than half
    assert result["passed"] is False


def test_the_owners_rules_need_every_owners_area_and_a_yes_no_question():
    room = new_meeting(form="owners", roster=[{"name": "张桂英", "category": "registered"}])
    assert room.refused(MOD, "open_poll", question="加装电梯", rule="owners").code == "rule_needs_areas"
    assert room.refused(MOD, "open_poll", question="加装电梯", rule="present", kind="rating").code == "rule_needs_yes_no"
    assert room.refused(MOD, "open_poll", question="加装电梯", rule="unanimity").code == "unknown_rule"
    assert new_meeting(form="assembly").refused(MOD, "open_poll", question="x", rule="present").code == "rule_needs_members"


def test_a_roster_area_is_a_plain_number_of_square_metres():
    import pytest

    from facilitation import agenda
    from facilitation.errors import MeetingError
    from facilitation.meeting import Meeting

    def create(area):
        return agenda.create_meeting(Meeting(id="m9"), title="业主大会", form="owners", agenda=[{"title": "电梯"}],
                                     roster=[{"name": "张桂英", "category": "registered", "area": area}])

    assert create(" 1,089.5 ")[0].roster[0]["area"] == "1089.50"
    for bad in ("abc", "-3", "12.345", "NaN", "1e9"):
        with pytest.raises(MeetingError) as info:
            create(bad)
        assert info.value.code == "bad_area", bad


def test_binding_polls_replay_to_the_same_meeting():
    room = new_meeting(form="owners", roster=OWNERS)
    owners = members_in(room, 3)
    poll = open_binding(room, rule="owners_special")
    for pid in owners:
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=0)
    room.mod("close_poll", poll_id=poll)
    again = replay(room.record, room.meeting.id)
    assert again == room.meeting
    assert binding.result(again, again.polls[poll])["passed"] is True
