"""Dissent to the end: one who voted against in a named poll, or spoke against, asks the organisers
why the decision went the other way; the request enters the explanation log like an objection,
naming what it rests on, is explained and answered, and the minutes say how it came."""
from __future__ import annotations

from facilitation.minutes import Identity, minutes
from facilitation.views import me_view, moderator_view
from live.minutes.markdown import render_markdown as markdown
from support.meetings import MOD, new_meeting, phone

DAY = 86_400
IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)
WHY = "为什么不采用分摊更少的方案？"


def voted(choices: dict[str, int], kind: str = "yes_no_abstain"):
    """Item 0 open; Alice (p1), Bob (p2), Carol (p3) voted in a named poll as `choices` say."""
    room = new_meeting()
    for name in ("Alice", "Bob", "Carol"):
        room.check_in(name)
    room.mod("open_poll", question="是否同意加装电梯？", kind=kind)
    for pid, choice in choices.items():
        room.run(phone(pid), "cast_ballot", poll_id="v1", choice=choice)
    return room


def test_one_who_voted_no_asks_why_gets_an_explanation_and_answers():
    room = voted({"p1": 1, "p2": 0})
    assert me_view(room.meeting, "p1")["may_request"] == [0]
    assert me_view(room.meeting, "p2")["may_request"] == []  # voted yes: nothing to ask about this way
    (e,) = room.run(phone("p1"), "request_explanation", item=0, reason=WHY)
    assert (e.participant_id, e.item, e.during, e.basis) == ("p1", 0, "request", {"polls": ["v1"]})
    assert me_view(room.meeting, "p1")["may_request"] == []  # once per item
    (mine,) = me_view(room.meeting, "p1")["objections"]
    assert (mine["reason"], mine["during"]) == (WHY, "request")
    (logged,) = moderator_view(room.meeting)["objections"]
    assert logged["during"] == "request" and logged["basis"] == {"polls": ["v1"]}
    assert logged["id"] in moderator_view(room.meeting)["open_objections"]

    room.mod("give_explanation", objection_id=e.objection_id, text="分摊方案经业主代表测算，已是最低。")
    room.run(phone("p1"), "answer_objection", objection_id=e.objection_id, response="answered")
    assert moderator_view(room.meeting)["open_objections"] == []


def test_those_who_did_not_vote_or_speak_against_are_told_to_object_instead():
    room = voted({"p1": 0, "p2": 2})  # yes, abstain; Carol did not vote
    for pid in ("p1", "p2", "p3"):
        refused = room.refused(phone(pid), "request_explanation", item=0, reason=WHY)
        assert (refused.code, refused.params) == ("nothing_against", {"item": 1})
    room.mod("close_poll", poll_id="v1")
    room.mod("open_poll", question="是否同意方案二？")
    room.run(phone("p1"), "cast_ballot", poll_id="v2", choice=1)  # Alice votes no on the second question
    (e,) = room.run(phone("p1"), "request_explanation", item=0, reason=WHY)
    assert e.basis == {"polls": ["v2"]}
    assert room.refused(phone("p1"), "request_explanation", item=0, reason="再问一次").code == "already_requested"


def test_a_dissatisfied_rating_and_a_speech_against_count_a_speech_for_does_not():
    room = voted({"p1": 2}, kind="rating")  # dissatisfied
    (e,) = room.run(phone("p1"), "request_explanation", item=0, reason="服务为什么没有改进？")
    assert e.basis == {"polls": ["v1"]}

    room.run(phone("p2"), "raise_hand", stance="against")
    room.mod("grant_floor")
    room.mod("end_speech")
    room.run(phone("p3"), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    (e,) = room.run(phone("p2"), "request_explanation", item=0, reason="我的意见为何未采纳？")
    assert e.basis == {"speeches": ["s1"]}
    assert room.refused(phone("p3"), "request_explanation", item=0, reason="x").code == "nothing_against"


def test_a_secret_ballot_is_no_ground_the_record_does_not_know_how_anyone_voted():
    room = voted({})
    room.mod("close_poll", poll_id="v1")
    room.meeting.polls["v1"].secret = True  # as a secret poll is kept: the ballot is not the voter's to cite
    room.meeting.polls["v1"].ballots["p1"] = 1
    assert room.refused(phone("p1"), "request_explanation", item=0, reason=WHY).code == "nothing_against"


def test_after_the_close_until_the_publicity_period_ends():
    room = voted({"p1": 1, "p2": 1})
    room.mod("record_outcome", item=0, outcome="consensus", opinion="同意加装。")
    room.mod("close_meeting")
    assert me_view(room.meeting, "p1")["request_until"] is not None
    room.later(3 * DAY)
    assert room.run(phone("p1"), "request_explanation", item=0, reason=WHY)
    room.later(5 * DAY)  # the ninth day: the week's period is over
    refused = room.refused(phone("p2"), "request_explanation", item=0, reason=WHY)
    assert refused.code == "publicity_over"


def test_the_desk_asks_for_someone_without_a_phone_and_the_record_says_so():
    room = voted({"p2": 1})
    (e,) = room.run(MOD, "request_explanation", item=0, reason=WHY, participant_id="p2")
    assert e.participant_id == "p2" and e.actor.role == "moderator"
    (logged,) = moderator_view(room.meeting)["objections"]
    assert logged["entered_by"]


def test_the_minutes_say_the_explanation_was_asked_for_after_voting_against_and_name_the_poll():
    room = voted({"p1": 1})
    room.run(phone("p1"), "request_explanation", item=0, reason=WHY)
    model = minutes(room.meeting, IDENTITY)
    (x,) = model["items"][0]["objections"]
    assert (x["during"], x["basis"]) == ("request", {"polls": ["v1"], "speeches": []})
    md = markdown(model, "zh-CN")
    assert "请求说明（在表决“是否同意加装电梯？”中投反对票）" in md and WHY in md
    assert "explanation requested by one who voted against in the poll “是否同意加装电梯？”" in markdown(model, "en")


def test_the_ballot_or_speech_that_makes_a_dissenter_names_them_so_their_phone_is_told():
    from facilitation.objections import dissenter

    room = voted({})
    (no,) = room.run(phone("p1"), "cast_ballot", poll_id="v1", choice=1)
    (yes,) = room.run(phone("p2"), "cast_ballot", poll_id="v1", choice=0)
    assert dissenter(room.meeting, no.type, no.to_data()) == "p1"
    assert dissenter(room.meeting, yes.type, yes.to_data()) is None
    room.run(phone("p3"), "raise_hand", stance="against")
    (granted,) = room.mod("grant_floor")
    assert dissenter(room.meeting, granted.type, granted.to_data()) == "p3"
