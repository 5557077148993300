"""Forms of consultation as templates a community edits (facilitation/forms.py): the built-in ones,
what an edit may change (the law's quorum a floor), the record read back, and what a meeting keeps."""
from __future__ import annotations

import pytest

from facilitation import binding, forms, quorum
from facilitation.errors import MeetingError
from facilitation.events import FACILITATOR, By
from facilitation.meeting import FORMS, default_categories
from support.meetings import MOD, Room, code_phone, new_meeting, phone

OFFICE = By(FACILITATOR)


def test_every_form_has_a_template_in_both_languages() -> None:
    assert "board" in FORMS and len(FORMS) == 9
    for form in FORMS:
        zh, en = forms.builtin(form), forms.builtin(form, "en")
        assert zh["agenda"] and len(zh["agenda"]) == len(en["agenda"]) and zh["agenda"] != en["agenda"]
        assert forms.check(form, {}) == zh  # the built-in one passes its own checks
    assert forms.builtin("hearing")["agenda"] == ["主持人说明程序", "组织方介绍方案", "陈述", "询问", "总结陈述"]
    assert forms.builtin("evaluation")["agenda"] == ["述职", "评议", "测评"]
    assert forms.builtin("assembly")["quorum"] == "more_than_half"
    assert forms.builtin("representatives")["quorum"] == "two_thirds"
    assert forms.builtin("council")["quorum"] is None


@pytest.mark.parametrize(("form", "lower"), [("assembly", None), ("representatives", "more_than_half"),
                                              ("representatives", None), ("representatives", "")])
def test_a_community_never_lowers_the_laws_quorum(form: str, lower: str | None) -> None:
    with pytest.raises(MeetingError) as refused:
        forms.check(form, {"quorum": lower})
    assert refused.value.code == "quorum_below_law"


def test_a_community_may_raise_a_quorum_or_set_one_where_the_law_has_none() -> None:
    assert forms.check("assembly", {"quorum": "two_thirds"})["quorum"] == "two_thirds"
    assert forms.check("council", {"quorum": "more_than_half", "voters": "invitees"})["quorum"] == "more_than_half"
    with pytest.raises(MeetingError) as refused:  # counted against the invited: there must be some
        forms.check("council", {"quorum": "more_than_half"})
    assert refused.value.code == "quorum_needs_invitees"


@pytest.mark.parametrize(("edit", "code"), [
    ({"agenda": []}, "empty_agenda"),
    ({"agenda": ["步骤"] * 21}, "too_many_items"),
    ({"agenda": ["x" * 500]}, "text_too_long"),
    ({"agenda": ["\u202e反转"]}, "bad_characters"),
    ({"agenda": "陈述"}, "bad_template"),
    ({"speaking_seconds": 10}, "bad_speaking_time"),
    ({"speaking_seconds": 99999}, "bad_speaking_time"),
    ({"speaking_seconds": True}, "bad_speaking_time"),
    ({"speakers": "whoever"}, "bad_who"),
    ({"speakers": []}, "bad_who"),
    ({"voters": ["registered", "martians"]}, "unknown_category"),
    ({"poll_kinds": ["yes_no_abstain", "lottery"]}, "unknown_poll_kind"),
    ({"poll_kinds": []}, "bad_template"),
    ({"quorum": "three_quarters"}, "bad_template"),
    ({"colour": "red"}, "bad_template"),
    ({"floor_policy": "loudest_first"}, "unknown_floor_policy"),
    ({"floor_policy": None}, "unknown_floor_policy"),
    ({"floor_limits": {"shouting": 1}}, "unknown_limit"),
    ({"floor_limits": {"person_seconds": -1}}, "bad_limit"),
    ({"floor_limits": {"person_speeches": 10**9}}, "bad_limit"),
    ({"floor_limits": {"side_seconds": "600"}}, "bad_limit"),
    ({"floor_limits": [300]}, "bad_template"),
])
def test_bad_edits_are_refused_with_the_reason(edit: dict[str, object], code: str) -> None:
    with pytest.raises(MeetingError) as refused:
        forms.check("council", edit)
    assert refused.value.code == code


@pytest.mark.parametrize("voters", ["everyone", ["registered"]])
def test_the_members_forms_keep_their_members_as_voters(voters: object) -> None:
    with pytest.raises(MeetingError) as refused:
        forms.check("owners", {"voters": voters})
    assert refused.value.code == "voters_are_members"


def test_a_quorum_is_for_the_invited_only() -> None:
    with pytest.raises(MeetingError) as refused:
        forms.check("board", {"quorum": "more_than_half", "voters": ["party", "committee"]})
    assert refused.value.code == "quorum_needs_invitees"


def test_where_the_template_names_categories_their_attendees_vote_and_make_the_base() -> None:
    room = made("council", {"voters": ["registered", "party"]})
    here = [room.check_in(f"居民{i}") for i in range(3)] + [room.check_in("书记", category="party")]
    outsider = room.check_in("物业经理", category="property")
    (opened,) = room.mod("open_poll", question="通过?", rule="present")
    poll = opened.poll_id  # type: ignore[attr-defined]
    assert room.refused(phone(outsider), "cast_ballot", poll_id=poll, choice=0).code == "not_entitled"
    for pid, choice in zip(here, [0, 0, 1, 0]):
        room.run(phone(pid), "cast_ballot", poll_id=poll, choice=choice)
    assert binding.base_now(room.meeting) == {"present": 4, "entitled": 4}  # the property manager is not counted
    room.mod("close_poll", poll_id=poll)
    result = binding.result(room.meeting, room.meeting.polls[poll])
    assert result is not None and result["passed"] is True


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(MeetingError) as refused:
        forms.check("picnic", {})
    assert refused.value.code == "unknown_form"


def test_the_record_reads_back_and_skips_what_it_does_not_know() -> None:
    book = forms.FormBook()
    events = [forms.set_template(book, "hearing", {"agenda": ["说明", "陈述"], "speaking_seconds": 240}, actor=OFFICE),
              ("SomethingNewer", {"form": "hearing", "v": 9}),
              forms.set_wording(book, "village", actor=OFFICE)]
    folded = forms.fold([(t, d, 1.0 + n, n + 1, f"h{n}") for n, (t, d) in enumerate(events)])
    assert folded.template("hearing")["agenda"] == ["说明", "陈述"]
    assert folded.template("hearing")["speaking_seconds"] == 240
    assert folded.template("council") == forms.builtin("council")
    assert folded.wording == "village" and folded.seq == 3
    assert [h["by"] for h in folded.history] == ["facilitator", "facilitator"]  # every change names who
    folded.apply(*forms.reset_template(folded, "hearing", actor=OFFICE), 9.0)
    assert folded.template("hearing") == forms.builtin("hearing")
    with pytest.raises(MeetingError):
        forms.set_wording(book, "city", actor=OFFICE)


def made(form: str, template: dict[str, object], *, wording: str = "", roster: int = 0) -> Room:
    kept = forms.applied(forms.check(form, template), community="", agenda_applied=True)
    return new_meeting(form=form, wording=wording, template=kept,
                       roster=[{"name": f"成员{i}", "category": "registered"} for i in range(roster)])


def test_a_village_meeting_names_the_villagers_bodies() -> None:
    village = {c["key"]: c["zh"] for c in made("assembly", {}, wording="village").meeting.categories}
    town = {c["key"]: c["zh"] for c in made("assembly", {}).meeting.categories}
    assert village["committee"] == "村民委员会" and village["resident_group"] == "村民小组"
    assert town["committee"] == "居民委员会" and town["resident_group"] == "居民小组"
    assert default_categories("village")[2]["en"] == "villagers' committee"


def test_the_meeting_keeps_the_template_and_follows_it() -> None:
    room = made("council", {"quorum": "two_thirds", "voters": "invitees", "speakers": ["registered"],
                            "poll_kinds": ["yes_no_abstain"]}, roster=3)
    m = room.meeting
    assert m.template["quorum"] == "two_thirds" and quorum.rule_of(m) == "two_thirds"
    q = quorum.quorum(m)
    assert q is not None and q["required"] == 2
    walk_in = room.check_in("路人", category="other")
    assert room.refused(phone(walk_in), "raise_hand", stance="for").code == "may_not_speak"
    member = room.run(code_phone(0), "check_in")[0].participant_id  # type: ignore[attr-defined]
    room.run(phone(member), "raise_hand", stance="for")
    room.mod("raise_hand", participant_id=walk_in, stance="for")  # the chair may still give anyone the floor
    refused = room.refused(MOD, "open_poll", question="几号?", kind="single", options=["一", "二"])
    assert refused.code == "poll_kind_not_offered"
    assert binding.members_only(m)
    assert room.replay().template == m.template  # the record keeps what was applied


def test_a_walk_in_does_not_vote_where_the_template_says_invitees() -> None:
    room = made("council", {"voters": "invitees"}, roster=1)
    walk_in = room.check_in("路人", category="other")
    member = room.run(code_phone(0), "check_in")[0].participant_id  # type: ignore[attr-defined]
    (opened,) = room.mod("open_poll", question="通过?", rule="present")
    poll = opened.poll_id  # type: ignore[attr-defined]
    assert room.refused(phone(walk_in), "cast_ballot", poll_id=poll, choice=0).code == "not_entitled"
    room.run(phone(member), "cast_ballot", poll_id=poll, choice=0)


def test_a_meeting_made_before_templates_keeps_the_built_in_rules() -> None:
    m = new_meeting(form="assembly").meeting
    assert m.template == {} and m.wording == "" and quorum.rule_of(m) == "more_than_half"
    assert not binding.members_only(new_meeting().meeting)


# -- the floor's policy and limits a form starts its meetings with ---------------------------------


def test_a_form_sets_the_floors_policy_and_limits_of_its_meetings() -> None:
    assert forms.builtin("council")["floor_policy"] == "first_come" and forms.builtin("council")["floor_limits"] == {}
    assert forms.builtin("hearing")["floor_policy"] == "alternate"
    edit = {"floor_policy": "unheard_categories", "floor_limits": {"person_seconds": 300, "side_seconds": 0}}
    assert forms.check("council", edit)["floor_limits"] == {"person_seconds": 300}  # 0: no limit
    m = made("council", edit).meeting
    assert m.floor_policy == "unheard_categories" and m.floor_limits == {"person_seconds": 300}
    assert m.template["floor_policy"] == "unheard_categories"  # kept as applied


def test_the_creators_own_policy_and_limits_win_over_the_forms() -> None:
    kept = forms.applied(forms.check("council", {"floor_policy": "unheard_people",
                                                 "floor_limits": {"person_seconds": 300, "reply_seconds": 30}}),
                         community="", agenda_applied=True)
    m = new_meeting(template=kept, floor_policy="alternate", floor_limits={"person_seconds": 0, "side_seconds": 900}).meeting
    # the creator's policy; their limits over the form's, 0 lifting one
    assert m.floor_policy == "alternate" and m.floor_limits == {"reply_seconds": 30, "side_seconds": 900}
    only_limits = new_meeting(template=kept, floor_limits={"person_speeches": 2}).meeting
    assert only_limits.floor_policy == "unheard_people"
    assert only_limits.floor_limits == {"person_seconds": 300, "reply_seconds": 30, "person_speeches": 2}


def test_a_hearings_template_may_hear_first_come_and_a_form_saying_nothing_records_nothing() -> None:
    room = made("hearing", {"floor_policy": "first_come"})
    assert room.meeting.floor_policy == "first_come"
    assert "FloorPolicySet" not in [r.type for r in room.record]
    assert made("hearing", {}).meeting.floor_policy == "alternate"
    assert "FloorPolicySet" not in [r.type for r in made("council", {}).record]


def test_a_template_edited_before_the_floors_fields_gets_the_forms_own() -> None:
    # as stored by a version without the floor's policy: no floor fields
    old = {k: v for k, v in forms.builtin("hearing").items() if not k.startswith("floor_")}
    book = forms.fold([("FormTemplateSet", {"form": "hearing", "template": old, "actor": OFFICE.to_data(), "v": 1}, 1.0, 1, "h")])
    assert book.template("hearing")["floor_policy"] == "alternate" and book.template("hearing")["floor_limits"] == {}
    # a meeting that kept an older applied template (no floor fields) is made the form's way
    kept = {k: v for k, v in forms.applied(forms.builtin("council"), community="", agenda_applied=True).items()
            if not k.startswith("floor_")}
    assert new_meeting(form="hearing", template={**kept, "quorum": None}).meeting.floor_policy == "alternate"
