"""Written proxies (委托): recorded at the desk, a limit per holder, counted in the quorum while the
principal is away, one ballot per member however it is cast, and every change recorded."""
from __future__ import annotations

from facilitation import binding
from facilitation.quorum import quorum
from facilitation.replay import replay
from facilitation.views import me_view
from support.meetings import MOD, code_phone, new_meeting, phone

MEMBERS = [{"name": f"代表{i}", "category": "registered"} for i in range(1, 7)]  # 4 make quorum
OWNERS = [{"name": "张桂英", "category": "registered", "area": "120.00"},
          {"name": "周海燕", "category": "registered", "area": "80.50"},
          {"name": "李建国", "category": "registered", "area": "60.00"}]


def members_in(room, *invitees):
    return [room.run(code_phone(i), "check_in")[0].participant_id for i in invitees]


def test_a_proxy_counts_towards_quorum_while_its_principal_is_away():
    room = new_meeting(form="representatives", roster=MEMBERS)
    a, b, c = members_in(room, 0, 1, 2)
    assert quorum(room.meeting)["met"] is False
    (e,) = room.mod("record_proxy", principal=3, holder=a, note="委托书已查验")
    assert (e.principal, e.holder, e.actor.role) == (3, a, "moderator")
    q = quorum(room.meeting)
    assert (q["present"], q["met"]) == (4, True)
    # 代表4 arrives after all: present in person, the proxy lapses, the count stays right
    room.run(code_phone(3), "check_in")
    assert room.meeting.proxies[3]["status"] == "lapsed" and quorum(room.meeting)["present"] == 4


def test_the_desk_refuses_what_a_proxy_cannot_be():
    room = new_meeting(form="representatives", roster=MEMBERS)
    a, b = members_in(room, 0, 1)
    walk_in = room.check_in("路人")
    observer = room.check_in("旁听者", role="observer")
    assert room.refused(MOD, "record_proxy", principal=1, holder=a).code == "principal_here"
    assert room.refused(MOD, "record_proxy", principal=0, holder=a).code == "principal_here"
    assert room.refused(MOD, "record_proxy", principal=9, holder=a).code == "no_such_invitee"
    assert room.refused(MOD, "record_proxy", principal=2, holder=observer).code == "observers_cannot_vote"
    room.mod("record_proxy", principal=2, holder=walk_in)  # a family member may hold it
    assert room.refused(MOD, "record_proxy", principal=2, holder=b).code == "already_delegated"
    assert room.refused(MOD, "record_proxy", principal=3, holder=walk_in).code == "proxy_limit"
    assert room.refused(phone(a), "record_proxy", principal=3, holder=a).code == "not_allowed"


def test_one_ballot_per_member_whether_by_proxy_or_in_person():
    room = new_meeting(form="representatives", roster=MEMBERS)
    a, b, c = members_in(room, 0, 1, 2)
    room.mod("record_proxy", principal=3, holder=a)
    (opened,) = room.mod("open_poll", question="通过", rule="present")
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0)
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0, for_invitee=3)
    assert room.refused(phone(a), "cast_ballot", poll_id=v, choice=1, for_invitee=3).code == "already_voted"
    assert room.refused(phone(b), "cast_ballot", poll_id=v, choice=1, for_invitee=3).code == "not_your_proxy"
    assert room.refused(phone(b), "cast_ballot", poll_id=v, choice=1, for_invitee=4).code == "not_your_proxy"
    # 代表4 comes in person: the ballot cast for them stands, and they cannot vote again
    (late,) = room.run(code_phone(3), "check_in")
    assert room.refused(phone(late.participant_id), "cast_ballot", poll_id=v, choice=1).code == "already_voted"
    room.run(phone(b), "cast_ballot", poll_id=v, choice=1)
    room.mod("close_poll", poll_id=v)
    assert room.meeting.polls[v].counts() == [2, 1, 0]
    me = me_view(room.meeting, a)
    assert me["proxies"] == []  # lapsed: 代表4 is here


def test_withdrawing_a_proxy_or_its_holder_voids_their_ballot_in_an_open_vote():
    room = new_meeting(form="representatives", roster=MEMBERS)
    a, b, c, d = members_in(room, 0, 1, 2, 3)
    room.mod("record_proxy", principal=4, holder=a)
    room.mod("record_proxy", principal=5, holder=b)
    assert me_view(room.meeting, a)["proxies"] == [{"principal": 4, "name": "代表5", "voted": {}}]
    (opened,) = room.mod("open_poll", question="通过", rule="present")
    v = opened.poll_id
    room.run(phone(a), "cast_ballot", poll_id=v, choice=0, for_invitee=4)
    room.run(phone(b), "cast_ballot", poll_id=v, choice=0, for_invitee=5)
    assert me_view(room.meeting, a)["proxies"][0]["voted"] == {v: 0}
    room.mod("withdraw_proxy", principal=4, reason="本人来电收回委托")
    room.mod("withdraw_check_in", participant_id=b, reason="不是本人")
    assert room.meeting.polls[v].counts() == [0, 0, 0]
    assert room.meeting.proxies[5]["status"] == "withdrawn" and quorum(room.meeting)["present"] == 3
    assert room.refused(MOD, "withdraw_proxy", principal=4, reason="again").code == "no_such_proxy"


def test_an_owners_proxy_ballot_carries_the_principals_area():
    room = new_meeting(form="owners", roster=OWNERS)
    (zhang,) = members_in(room, 0)
    room.mod("record_proxy", principal=1, holder=zhang)
    (opened,) = room.mod("open_poll", question="加装电梯", rule="owners")
    room.run(phone(zhang), "cast_ballot", poll_id=opened.poll_id, choice=0)
    room.mod("cast_ballot", poll_id=opened.poll_id, choice=0, participant_id=zhang, for_invitee=1)  # at the desk
    room.mod("close_poll", poll_id=opened.poll_id)
    checks = {c["what"]: c for c in binding.result(room.meeting, room.meeting.polls[opened.poll_id])["checks"]}
    assert checks["participation_area"]["have"] == "200.50" and checks["participation_owners"]["have"] == 2
    again = replay(room.record, room.meeting.id)
    assert again == room.meeting
