"""The token buckets behind `too_fast`, and the caps on opinions waiting for the moderator and on
objections waiting for an explanation."""
from __future__ import annotations

from facilitation.objections import MAX_UNEXPLAINED
from facilitation.opinions import MAX_PENDING
from live.ratelimit import BURST, RATE, Buckets
from support.meetings import MOD, new_meeting, phone


def test_a_burst_then_a_steady_pace_and_both_buckets_are_charged():
    now = [100.0]
    b = Buckets(clock=lambda: now[0])
    assert all(b.wait("c:1", "p:m:p1") == 0 for _ in range(int(BURST)))
    assert b.wait("c:1", "p:m:p1") == 1 / RATE  # empty: the time until one token is back
    now[0] += 1 / RATE
    assert b.wait("c:2", "p:m:p1") == 0  # another connection of the same participant: the same bucket
    assert b.wait("c:3", "p:m:p1") > 0
    assert b.wait("c:3") == 0  # a guest's own connection bucket is full
    now[0] += 10_000
    assert b.wait("c:1", "p:m:p1") == 0 and len(b._held) <= 2  # idle buckets forgotten


def test_one_person_has_at_most_a_few_opinions_waiting_for_the_moderator():
    room = new_meeting()
    pid = room.check_in("王芳")
    for n in range(MAX_PENDING):
        room.run(phone(pid), "submit_opinion", text=f"意见{n}")
    refused = room.refused(phone(pid), "submit_opinion", text="再一条")
    assert refused.code == "too_many_pending" and refused.params == {"max": MAX_PENDING}
    room.mod("moderate_opinion", opinion_id="o1", visible=False)  # read: room for one more
    room.run(phone(pid), "submit_opinion", text="再一条")
    assert room.refused(MOD, "submit_opinion", participant_id=pid, text="又一条").code == "too_many_pending"


def test_one_person_has_at_most_a_few_objections_waiting_for_an_explanation():
    room = new_meeting()
    pid, other = room.check_in("王芳"), room.check_in("李强")
    for n in range(MAX_UNEXPLAINED):
        room.run(phone(pid), "raise_objection", reason=f"异议{n}")
    refused = room.refused(phone(pid), "raise_objection", reason="再一条")
    assert refused.code == "too_many_objections" and refused.params == {"max": MAX_UNEXPLAINED}
    assert room.refused(MOD, "raise_objection", participant_id=pid, reason="代录").code == "too_many_objections"
    room.run(phone(other), "raise_objection", reason="另一个人的异议")  # the cap is per person
    room.mod("give_explanation", objection_id="x1", text="已说明")  # explained: room for one more
    room.run(phone(pid), "raise_objection", reason="再一条")
