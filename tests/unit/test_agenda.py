"""Setting a meeting up, checking people in, moving through the agenda, outcomes, closing."""
import pytest

from facilitation import agenda, attendance
from facilitation.errors import MeetingError
from facilitation.meeting import Meeting, default_categories
from support.meetings import GUEST_PHONE, MOD, Room, new_meeting, phone


def create(**overrides):
    args = dict(title="Residents' council", form="council", agenda=[{"title": "Parking"}])
    args.update(overrides)
    return agenda.create_meeting(Meeting(id="m1"), **args)


def create_error(**overrides) -> MeetingError:
    with pytest.raises(MeetingError) as info:
        create(**overrides)
    return info.value


# -- creating ----------------------------------------------------------------------


def test_a_created_meeting_is_open_with_its_agenda_and_no_item_under_discussion():
    room = new_meeting(("Parking", "Greening"), open_item=None, place="Community hall", speaking_seconds=120)
    m = room.meeting
    assert m.status == "open"
    assert m.created_at == room.now
    assert [i.title for i in m.items] == ["Parking", "Greening"]
    assert [i.background for i in m.items] == ["About Parking", "About Greening"]
    assert m.current_item is None
    assert m.place == "Community hall"
    assert m.speaking_seconds == 120
    assert m.moderator == "Director Li"


def test_a_meeting_without_its_own_categories_gets_the_default_stakeholder_categories():
    room = new_meeting()
    assert room.meeting.categories == default_categories()
    assert "registered" in room.meeting.category_keys()


def test_a_category_named_in_one_language_only_gets_that_name_in_both():
    (e,) = create(categories=[{"key": "tenant", "en": "Tenant"}, {"key": "owner", "zh": "业主"}])
    assert e.categories == [
        {"key": "tenant", "zh": "Tenant", "en": "Tenant"},
        {"key": "owner", "zh": "业主", "en": "业主"},
    ]


def test_titles_are_trimmed_of_surrounding_spaces():
    (e,) = create(title="  Council  ", agenda=[{"title": "  Parking \n"}])
    assert e.title == "Council"
    assert e.agenda[0]["title"] == "Parking"


def test_a_meeting_cannot_be_created_twice():
    room = new_meeting()
    with pytest.raises(MeetingError) as info:
        agenda.create_meeting(room.meeting, title="Again", form="council", agenda=[{"title": "x"}])
    assert info.value.code == "meeting_exists"


@pytest.mark.parametrize(
    "overrides, code",
    [
        (dict(form="tea_party"), "unknown_form"),
        (dict(language="fr"), "unknown_language"),
        (dict(speaking_seconds=29), "bad_speaking_time"),
        (dict(speaking_seconds=3601), "bad_speaking_time"),
        (dict(agenda=[]), "empty_agenda"),
        (dict(agenda=[{"title": f"Item {i}"} for i in range(51)]), "too_many_items"),
        (dict(agenda=[{"title": "   "}]), "empty_text"),
        (dict(agenda=[{"background": "no title"}]), "empty_text"),
        (dict(title=""), "empty_text"),
        (dict(title="x" * 201), "text_too_long"),
        (dict(categories=[{"key": "a", "en": "A"}, {"key": "a", "en": "B"}]), "bad_categories"),
        (dict(categories=[{"en": "No key"}]), "bad_categories"),
        (dict(categories=[{"key": "a"}]), "empty_text"),
    ],
)
def test_a_meeting_with_bad_settings_is_refused(overrides, code):
    assert create_error(**overrides).code == code


def test_the_limits_on_speaking_time_and_agenda_length_are_inclusive():
    assert create(speaking_seconds=30)[0].speaking_seconds == 30
    assert create(speaking_seconds=3600)[0].speaking_seconds == 3600
    assert len(create(agenda=[{"title": f"Item {i}"} for i in range(50)])[0].agenda) == 50


def test_nothing_can_be_done_in_a_meeting_that_was_never_created():
    room = Room()
    assert room.refused(MOD, "open_item", item=0).code == "no_such_meeting"
    assert room.refused(GUEST_PHONE, "check_in", name="Alice", category="registered").code == "no_such_meeting"


# -- checking in -------------------------------------------------------------------


def test_people_checking_in_get_ids_in_arrival_order():
    room = new_meeting()
    assert [room.check_in("Alice"), room.check_in("Bob"), room.check_in("Carol")] == ["p1", "p2", "p3"]
    assert [p.name for p in room.meeting.participants.values()] == ["Alice", "Bob", "Carol"]


def test_someone_checked_in_by_the_moderator_is_marked_so():
    room = new_meeting()
    room.check_in("Alice")
    room.mod("check_in", name="Old Wang", category="registered")
    assert [p.by for p in room.meeting.participants.values()] == ["self", "moderator"]


def test_checking_in_needs_a_known_category_and_role_and_a_name():
    room = new_meeting()
    assert room.refused(GUEST_PHONE, "check_in", name="Alice", category="aliens").code == "unknown_category"
    assert room.refused(GUEST_PHONE, "check_in", name="Alice", category="registered", role="boss").code == "unknown_role"
    assert room.refused(GUEST_PHONE, "check_in", name=" ", category="registered").code == "empty_text"
    error = room.refused(GUEST_PHONE, "check_in", name="A" * 41, category="registered")
    assert (error.code, error.params["max"]) == ("text_too_long", 40)
    assert room.meeting.participants == {}


# -- moving through the agenda -----------------------------------------------------


def test_opening_an_item_makes_it_the_current_one():
    room = new_meeting(open_item=None)
    room.later(60)
    room.mod("open_item", item=1)
    assert room.meeting.current_item == 1
    assert room.meeting.items[1].opened_at == room.now
    assert room.meeting.items[0].opened_at is None


def test_going_back_to_an_item_keeps_the_time_it_was_first_opened():
    room = new_meeting(open_item=0)
    first = room.meeting.items[0].opened_at
    room.later(100)
    room.mod("open_item", item=1)
    room.later(100)
    room.mod("open_item", item=0)
    assert room.meeting.current_item == 0
    assert room.meeting.items[0].opened_at == first


@pytest.mark.parametrize("item", [-1, 2, 99])
def test_only_items_on_the_agenda_can_be_opened(item):
    room = new_meeting(open_item=None)
    error = room.refused(MOD, "open_item", item=item)
    assert (error.code, error.params) == ("no_such_item", {"item": item})


def test_the_next_item_cannot_be_opened_while_someone_is_speaking():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("grant_floor")
    assert room.refused(MOD, "open_item", item=1).code == "speech_in_progress"
    room.mod("end_speech")
    room.mod("open_item", item=1)
    assert room.meeting.current_item == 1


# -- outcomes ----------------------------------------------------------------------


def test_an_outcome_is_recorded_with_its_action_points():
    room = new_meeting()
    room.mod("record_outcome", item=0, outcome="partial", opinion=" Two more bays ",
             actions=[{"what": "Paint lines", "owner": "Committee", "due": "May"}, {"what": "Ask the police"}])
    outcome = room.meeting.items[0].outcome
    assert outcome["outcome"] == "partial"
    assert outcome["opinion"] == "Two more bays"
    assert outcome["actions"] == [
        {"what": "Paint lines", "owner": "Committee", "due": "May"},
        {"what": "Ask the police", "owner": "", "due": ""},
    ]
    assert outcome["at"] == room.now


def test_an_outcome_can_be_recorded_for_an_item_that_is_not_current_and_corrected_later():
    room = new_meeting(open_item=0)
    room.mod("record_outcome", item=1, outcome="deferred")
    room.mod("record_outcome", item=1, outcome="consensus", opinion="Agreed after all")
    assert room.meeting.items[1].outcome["outcome"] == "consensus"
    assert room.meeting.items[0].outcome is None


def test_a_bad_outcome_is_refused():
    room = new_meeting()
    assert room.refused(MOD, "record_outcome", item=0, outcome="victory").code == "unknown_outcome"
    assert room.refused(MOD, "record_outcome", item=5, outcome="none").code == "no_such_item"
    assert room.refused(MOD, "record_outcome", item=0, outcome="none",
                        actions=[{"what": str(i)} for i in range(21)]).code == "too_many_actions"
    assert room.refused(MOD, "record_outcome", item=0, outcome="none", actions=[{"owner": "Li"}]).code == "empty_text"
    assert room.meeting.items[0].outcome is None


def test_twenty_action_points_are_allowed():
    room = new_meeting()
    room.mod("record_outcome", item=0, outcome="consensus", actions=[{"what": str(i)} for i in range(20)])
    assert len(room.meeting.items[0].outcome["actions"]) == 20


# -- closing -----------------------------------------------------------------------


def test_closing_the_meeting_ends_the_running_speech_and_open_polls():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("open_poll", question="First?")
    room.mod("open_poll", question="Second?")
    room.mod("close_poll", poll_id="v1")
    room.mod("grant_floor")
    room.later(42)
    events = room.mod("close_meeting")
    assert room.types(events) == ["SpeechEnded", "PollClosed", "MeetingClosed"]
    m = room.meeting
    assert m.status == "closed" and m.closed_at == room.now
    assert m.current_speech is None
    assert m.speeches["s1"].ended_at == room.now
    assert [p.open for p in m.polls.values()] == [False, False]
    assert m.polls["v2"].closed_at == room.now


def test_closing_a_quiet_meeting_only_closes_it():
    room = new_meeting()
    assert room.types(room.mod("close_meeting")) == ["MeetingClosed"]


def test_nothing_more_happens_in_the_room_once_the_meeting_is_closed():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.mod("open_poll", question="Agree?")
    room.mod("close_meeting")
    for actor, command, payload in [
        (MOD, "close_meeting", {}),
        (MOD, "open_item", {"item": 1}),
        (MOD, "record_outcome", {"item": 0, "outcome": "none"}),
        (MOD, "open_poll", {"question": "Again?"}),
        (GUEST_PHONE, "check_in", {"name": "Late Larry", "category": "registered"}),
        (phone(alice), "raise_hand", {"stance": "for"}),
        (phone(alice), "submit_opinion", {"text": "Too late"}),
        (phone(alice), "raise_objection", {"reason": "Too late"}),
        (phone(alice), "cast_ballot", {"poll_id": "v1", "choice": 0}),
        (phone(alice), "withdraw_hand", {}),
    ]:
        assert room.refused(actor, command, **payload).code == "meeting_closed", command


def test_a_phone_whose_request_lapsed_at_the_close_is_told_the_meeting_is_closed():
    room = new_meeting()
    alice = room.check_in("Alice")
    room.run(phone(alice), "raise_hand", stance="for")
    room.mod("close_meeting")
    assert room.refused(phone(alice), "withdraw_hand").code == "meeting_closed"  # not "not in the queue"


# -- the roster of invited people --------------------------------------------------

ROSTER = [{"name": " Alice ", "category": "registered"}, {"name": "Bob", "category": "party"}]


def test_invited_people_check_in_at_the_desk_by_their_place_on_the_roster():
    room = new_meeting(roster=ROSTER)
    (e,) = room.mod("check_in", invitee=1)
    bob = room.meeting.participants[e.participant_id]
    assert (bob.name, bob.category, bob.invitee, bob.via) == ("Bob", "party", 1, "desk")
    assert attendance.absent(room.meeting) == [{"name": "Alice", "category": "registered"}]


def test_an_invited_person_checks_in_only_once_and_only_if_invited():
    room = new_meeting(roster=ROSTER)
    room.mod("check_in", invitee=0)
    assert room.refused(MOD, "check_in", invitee=0).code == "already_checked_in"
    assert room.refused(MOD, "check_in", invitee=2).code == "no_such_invitee"
    assert room.refused(MOD, "check_in", invitee=-1).code == "no_such_invitee"
    assert len(room.meeting.participants) == 1


def test_a_phone_cannot_pick_an_invitee_from_the_list():
    room = new_meeting(roster=ROSTER)
    assert room.refused(GUEST_PHONE, "check_in", invitee=0).code == "code_required"
    assert room.meeting.participants == {}


def test_walk_ins_do_not_count_as_any_invited_person():
    room = new_meeting(roster=ROSTER)
    carol = room.check_in("Carol")
    assert len(attendance.absent(room.meeting)) == 2
    assert room.meeting.participants[carol].invitee is None and room.meeting.invited_attendees == 0


def test_a_roster_must_name_people_in_known_categories():
    error = create_error(roster=[{"name": "Alice", "category": "registered"}, {"name": "Zed", "category": "aliens"}])
    assert (error.code, error.params) == ("unknown_category", {"category": "aliens"})
    assert create_error(roster=[{"name": " ", "category": "registered"}]).code == "empty_text"
    too_long = [{"name": f"N{i}", "category": "registered"} for i in range(5001)]
    assert create_error(roster=too_long).code == "roster_too_long"


def test_a_meeting_names_who_issues_its_public_minutes_and_for_how_long_they_are_posted():
    room = new_meeting(issuer="幸福里社区居民委员会", notice_days=10)
    assert (room.meeting.issuer, room.meeting.notice_days) == ("幸福里社区居民委员会", 10)
    plain = new_meeting()
    assert (plain.meeting.issuer, plain.meeting.notice_days) == ("", 0)  # the minutes then take the usual


@pytest.mark.parametrize("days", [-1, 91, 10**9])
def test_a_publicity_period_out_of_range_is_refused(days):
    with pytest.raises(MeetingError) as info:
        new_meeting(notice_days=days)
    assert info.value.code == "bad_notice_days" and info.value.params == {"max": 90}


def test_an_issuing_body_is_text_like_any_other():
    with pytest.raises(MeetingError) as info:
        new_meeting(issuer="居" * 500)
    assert info.value.code == "text_too_long"
    with pytest.raises(MeetingError):
        new_meeting(issuer="居委会\x00")


def test_an_item_added_during_the_meeting_goes_last_and_the_record_says_when_and_why():
    room = new_meeting(open_item=0)
    room.later(600)
    (added,) = room.mod("add_item", title="  小区停车位分配  ", background="多位居民会上提出", reason="居民临时提议")
    assert added.item == 2 and [i.title for i in room.meeting.items][-1] == "小区停车位分配"
    item = room.meeting.items[2]
    assert (item.added_at, item.added_reason, item.background) == (room.now, "居民临时提议", "多位居民会上提出")
    assert room.meeting.items[0].added_at is None  # the items the invitation gave
    room.mod("open_item", item=2)
    room.mod("record_outcome", item=2, outcome="deferred", opinion="下次会议专题协商")
    assert room.meeting.current_item == 2 and room.meeting.items[2].outcome["outcome"] == "deferred"
    from facilitation.views import public_view
    agenda_view = public_view(room.meeting)["agenda"]
    assert agenda_view[2]["added"] is True and "added" not in agenda_view[0]


def test_an_item_is_added_only_with_a_title_while_the_meeting_is_open_and_up_to_the_agenda_limit():
    room = new_meeting(open_item=0)
    assert room.refused(MOD, "add_item", title="  ").code == "empty_text"
    assert room.refused(phone("p1"), "add_item", title="停车").code == "not_allowed"
    for n in range(agenda.MAX_ITEMS - len(room.meeting.items)):
        room.mod("add_item", title=f"事项{n}")
    assert room.refused(MOD, "add_item", title="再加一项").code == "too_many_items"
    room.mod("close_meeting")
    assert room.refused(MOD, "add_item", title="会后").code == "meeting_closed"
