"""The moderator's view says, for each person's entry, whether staff entered it for them; the
projector's and phones' views do not carry it."""
from facilitation import views
from facilitation.roles import RECORDER, Actor
from support.meetings import new_meeting, phone


def test_the_moderator_sees_what_staff_entered_and_what_came_from_phones():
    room = new_meeting()
    alice = room.check_in("Alice")  # on her own phone
    (walk_in,) = room.mod("check_in", name="Bob", category="registered")
    bob = walk_in.participant_id  # type: ignore[attr-defined]
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("raise_hand", participant_id=bob, stance="against")
    room.run(phone(alice), "submit_opinion", text="Mine")
    room.run(Actor(RECORDER), "submit_opinion", text="Said out loud", participant_id=bob)
    room.run(phone(alice), "raise_objection", reason="Own reason")
    room.mod("raise_objection", reason="Said reason", participant_id=bob)
    room.mod("give_explanation", objection_id="x2", text="Because.")
    room.mod("answer_objection", objection_id="x2", response="still_objects", participant_id=bob)

    view = views.moderator_view(room.meeting)
    assert [(p["name"], p["entered_by"]) for p in view["participants"]] == [("Alice", ""), ("Bob", "moderator")]
    assert [(r["who"]["name"], r["entered_by"]) for r in view["queue"]] == [("Alice", ""), ("Bob", "moderator")]
    assert [(o["text"], o["entered_by"]) for o in view["all_opinions"]] == [("Mine", ""), ("Said out loud", "recorder")]
    assert [(o["reason"], o["entered_by"]) for o in view["objections"]] == [("Own reason", ""), ("Said reason", "moderator")]
    assert [r["entered_by"] for r in view["objections"][1]["responses"]] == ["moderator"]
    assert [sorted(r) for r in views.public_view(room.meeting)["queue"]] == [["id", "kind", "reason", "replies_to", "stance", "who"]] * 2

    room.mod("grant_floor")
    room.mod("end_speech")
    room.mod("grant_floor")
    view = views.moderator_view(room.meeting)
    assert (view["speaker"]["who"]["name"], view["speaker"]["entered_by"]) == ("Bob", "moderator")
    assert [(s["who"]["name"], s["entered_by"]) for s in view["speeches"]] == [("Alice", ""), ("Bob", "moderator")]

    wall = views.public_view(room.meeting)
    assert "entered_by" not in wall["speaker"]
