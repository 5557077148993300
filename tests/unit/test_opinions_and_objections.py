"""Written opinions for the wall, and formal objections with their explanation log."""
import pytest

from facilitation import views
from support.meetings import MOD, new_meeting, phone


def room_with(*names, **meeting):
    room = new_meeting(**meeting)
    return room, [room.check_in(n) for n in names]


def wall(room):
    return [o["text"] for o in views.public_view(room.meeting)["opinions"]]


# -- opinions ----------------------------------------------------------------------


def test_a_submitted_opinion_belongs_to_the_current_item_and_waits_for_the_moderator():
    room, (alice,) = room_with("Alice", open_item=1)
    room.run(phone(alice), "submit_opinion", text="  More trees, fewer cars  ")
    o = room.meeting.opinions["o1"]
    assert (o.participant_id, o.item, o.text, o.visible) == (alice, 1, "More trees, fewer cars", None)
    assert wall(room) == []


def test_an_approved_opinion_goes_on_the_wall_and_a_hidden_one_does_not():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "submit_opinion", text="More trees")
    room.run(phone(bob), "submit_opinion", text="Rude remark")
    room.mod("moderate_opinion", opinion_id="o2", visible=False)
    room.mod("moderate_opinion", opinion_id="o1", visible=True)
    assert wall(room) == ["More trees"]


def test_an_approved_opinion_can_be_taken_down_again():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "submit_opinion", text="More trees")
    room.mod("moderate_opinion", opinion_id="o1", visible=True)
    room.mod("moderate_opinion", opinion_id="o1", visible=False)
    assert wall(room) == []


def test_the_moderator_can_write_down_an_opinion_for_someone():
    room, (alice,) = room_with("Alice")
    room.mod("submit_opinion", text="Said at the door", participant_id=alice)
    assert room.meeting.opinions["o1"].participant_id == alice


def test_an_opinion_needs_an_item_some_text_and_a_known_author():
    room, (alice,) = room_with("Alice", open_item=None)
    assert room.refused(phone(alice), "submit_opinion", text="Hello").code == "no_current_item"
    room.mod("open_item", item=0)
    assert room.refused(phone(alice), "submit_opinion", text="  ").code == "empty_text"
    error = room.refused(phone(alice), "submit_opinion", text="x" * 2001)
    assert (error.code, error.params) == ("text_too_long", {"field": "opinion", "max": 2000})
    assert room.refused(MOD, "submit_opinion", text="Hello", participant_id="p7").code == "no_such_participant"
    room.run(phone(alice), "submit_opinion", text="x" * 2000)
    assert list(room.meeting.opinions) == ["o1"]


def test_only_submitted_opinions_can_be_moderated():
    room, _ = room_with("Alice")
    assert room.refused(MOD, "moderate_opinion", opinion_id="o1", visible=True).code == "no_such_opinion"


# -- objections --------------------------------------------------------------------


def test_an_objection_is_against_the_current_item_unless_another_is_named():
    room, (alice,) = room_with("Alice", open_item=1)
    room.run(phone(alice), "raise_objection", reason="The cost is hidden")
    room.run(phone(alice), "raise_objection", reason="Minutes are wrong", item=0)
    assert [(o.id, o.item, o.reason) for o in room.meeting.objections.values()] == [
        ("x1", 1, "The cost is hidden"), ("x2", 0, "Minutes are wrong"),
    ]


def test_an_objection_without_an_item_needs_one_to_be_open():
    room, (alice,) = room_with("Alice", open_item=None)
    assert room.refused(phone(alice), "raise_objection", reason="No agenda!").code == "no_current_item"
    assert room.refused(phone(alice), "raise_objection", reason="Wrong", item=7).code == "no_such_item"
    assert room.refused(phone(alice), "raise_objection", reason="", item=1).code == "empty_text"
    room.run(phone(alice), "raise_objection", reason="Wrong", item=1)
    assert room.meeting.objections["x1"].item == 1


def test_an_explanation_is_signed_by_the_moderator_unless_someone_else_gives_it():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.mod("give_explanation", objection_id="x1", text="The district pays half")
    room.later(30)
    room.mod("give_explanation", objection_id="x1", text="Here are the figures", by="Engineer Sun")
    assert [(e["by"], e["text"]) for e in room.meeting.objections["x1"].explanations] == [
        ("Director Li", "The district pays half"), ("Engineer Sun", "Here are the figures"),
    ]
    assert room.meeting.objections["x1"].explanations[1]["at"] == room.now


def test_an_explanation_needs_an_objection_and_some_text():
    room, (alice,) = room_with("Alice")
    assert room.refused(MOD, "give_explanation", objection_id="x1", text="Why").code == "no_such_objection"
    room.run(phone(alice), "raise_objection", reason="Too costly")
    assert room.refused(MOD, "give_explanation", objection_id="x1", text=" ").code == "empty_text"


def test_the_objector_can_only_reply_once_the_organisers_have_explained():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    assert room.refused(phone(alice), "answer_objection", objection_id="x1", response="answered").code == "not_explained_yet"
    room.mod("give_explanation", objection_id="x1", text="The district pays half")
    room.run(phone(alice), "answer_objection", objection_id="x1", response="answered", comment="Fine")
    assert room.meeting.objections["x1"].response == "answered"


def test_only_the_objector_can_reply_to_an_objection():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.mod("give_explanation", objection_id="x1", text="The district pays half")
    assert room.refused(phone(bob), "answer_objection", objection_id="x1", response="answered").code == "not_your_objection"
    assert room.refused(MOD, "answer_objection", objection_id="x1", response="answered",
                        participant_id=bob).code == "not_your_objection"
    room.mod("answer_objection", objection_id="x1", response="still_objects", participant_id=alice)
    assert room.meeting.objections["x1"].response == "still_objects"


def test_a_reply_must_say_answered_or_still_objects():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.mod("give_explanation", objection_id="x1", text="The district pays half")
    error = room.refused(phone(alice), "answer_objection", objection_id="x1", response="meh")
    assert (error.code, error.params) == ("unknown_response", {"response": "meh"})
    assert room.refused(phone(alice), "answer_objection", objection_id="x9", response="answered").code == "no_such_objection"


def test_an_objection_stays_open_until_explained_and_reopens_while_the_objector_still_objects():
    room, (alice, bob) = room_with("Alice", "Bob")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.run(phone(bob), "raise_objection", reason="Too loud")

    def open_objections():
        return views.moderator_view(room.meeting)["open_objections"]

    assert open_objections() == ["x1", "x2"]
    room.mod("give_explanation", objection_id="x1", text="The district pays half")
    room.mod("give_explanation", objection_id="x2", text="Works end at six")
    assert open_objections() == []
    room.run(phone(alice), "answer_objection", objection_id="x1", response="still_objects")
    assert open_objections() == ["x1"]
    room.run(phone(alice), "answer_objection", objection_id="x1", response="answered", comment="OK now")
    assert open_objections() == []
    assert [r["response"] for r in room.meeting.objections["x1"].responses] == ["still_objects", "answered"]


def test_explanations_and_replies_go_on_after_the_meeting_closes_but_new_objections_do_not():
    room, (alice,) = room_with("Alice")
    room.run(phone(alice), "raise_objection", reason="Too costly")
    room.mod("close_meeting")
    room.mod("give_explanation", objection_id="x1", text="Letter sent on Monday")
    room.run(phone(alice), "answer_objection", objection_id="x1", response="answered")
    assert room.meeting.objections["x1"].response == "answered"
    assert room.refused(phone(alice), "raise_objection", reason="Another").code == "meeting_closed"


@pytest.mark.parametrize("command, payload", [
    ("submit_opinion", {"text": "Hi"}),
    ("raise_objection", {"reason": "No"}),
])
def test_a_phone_of_someone_not_checked_in_here_cannot_write(command, payload):
    room, _ = room_with("Alice")
    assert room.refused(phone("p5"), command, **payload).code == "no_such_participant"


def test_a_new_explanation_after_still_objects_waits_on_the_objector_not_the_organisers():
    from facilitation.meeting import Meeting, Objection
    from facilitation.objections import unanswered

    m = Meeting(id="m")
    o = Objection("x1", "p1", 0, "采光", 1.0)
    m.objections["x1"] = o
    assert unanswered(m) == [o]
    o.explanations.append({"text": "井道北移", "by": "王", "at": 2.0})
    assert unanswered(m) == []
    o.responses.append({"response": "still_objects", "comment": "", "at": 3.0})
    assert unanswered(m) == [o]
    o.explanations.append({"text": "另有补偿", "by": "王", "at": 4.0})
    assert unanswered(m) == []
