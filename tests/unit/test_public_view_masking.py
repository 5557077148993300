"""The public view as anyone without a key reads it over HTTP: residents masked as the public
minutes mask them, officials by name, and nothing else changed."""
from __future__ import annotations

import json

from facilitation.masking import Masker, mask_document
from facilitation.views import masked_public_view, public_view
from support.meetings import new_meeting, phone


def _room():
    room = new_meeting(("电梯", "费用"), roster=[{"name": "张桂英", "category": "registered"},
                                               {"name": "王秀兰", "category": "committee"},
                                               {"name": "John Smith", "category": "non_registered"}])
    (zhang_in,) = room.mod("check_in", invitee=0)  # at the desk
    zhang = zhang_in.participant_id
    zhao = room.check_in("赵丽")
    (wang_in,) = room.mod("check_in", invitee=1)
    wang = wang_in.participant_id
    room.mod("open_item", item=0)
    room.mod("raise_hand", participant_id=zhang, stance="for")
    room.mod("raise_hand", participant_id=zhao, stance="against")
    room.mod("raise_hand", participant_id=wang, stance="other")
    room.mod("grant_floor")
    room.run(phone(zhao), "submit_opinion", text="同意张桂英和John Smith的意见")
    room.mod("moderate_opinion", opinion_id="o1", visible=True)
    room.mod("open_poll", question="赵丽的方案？")
    return room


def test_every_private_name_is_masked_and_officials_keep_theirs():
    m = _room().meeting
    view, masked = public_view(m), masked_public_view(m)
    text = json.dumps(masked, ensure_ascii=False)
    assert [n for n in ("张桂英", "赵丽", "John Smith") if n in text] == []
    # The room is told how many were invited and are in, never who: the list is the desk's.
    assert "roster" not in view and masked["invited"] == {"total": 3, "in": 2}
    assert masked["speaker"]["who"] == {**view["speaker"]["who"], "name": "张**"}
    assert [q["who"]["name"] for q in masked["queue"]] == ["赵**", "王秀兰"]
    assert masked["opinions"][0]["text"] == "同意张**和J. S.的意见" and masked["opinions"][0]["who"]["name"] == "赵**"
    assert masked["polls"][0]["question"] == "赵**的方案？"
    # Everything else is the public view as it was (ids, counts, times, states), and the view is untouched.
    assert {k: v for k, v in masked.items() if k not in ("speaker", "queue", "opinions", "polls")} == \
        {k: v for k, v in view.items() if k not in ("speaker", "queue", "opinions", "polls")}
    assert view["speaker"]["who"]["name"] == "张桂英"


def test_machine_words_are_not_mistaken_for_names():
    """A resident called like an enumeration does not change the view's keys and states."""
    masker = Masker(["open", "registered"])
    doc = {"status": "open", "category": "registered", "id": "open", "text": "open the registered door",
           "who": {"name": "open", "category": "registered"}, "outcome": {"outcome": "none", "opinion": "open"}}
    assert mask_document(doc, masker) == {"status": "open", "category": "registered", "id": "open",
                                          "text": "O. the R. door", "who": {"name": "O.", "category": "registered"},
                                          "outcome": {"outcome": "none", "opinion": "O."}}
