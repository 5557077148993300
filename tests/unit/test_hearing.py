"""A hearing's procedure: parties registered to testify, the stages in order, testimonies in the
order registered with each party's time, closing statements, and what a phone may do."""
from facilitation.hearing import DEFAULT_SECONDS, MAX_PARTIES, STAGES
from facilitation.roles import RECORDER, Actor
from support.meetings import GUEST_PHONE, MOD, code_phone, new_meeting, phone

ROSTER = [{"name": "王芳", "category": "registered"}, {"name": "李强", "category": "registered"},
          {"name": "赵敏", "category": "registered"}]


def hearing(**kw):
    return new_meeting(form="hearing", roster=[dict(r) for r in ROSTER], **kw)


def party(room, name, side="for", **kw):
    payload = dict(name=name, category="other", for_kind="concerned", side=side, summary=f"{name} will say why") | kw
    (e,) = room.mod("register_party", **payload)
    return e.party_id


def code_in(room, invitee):
    (e,) = room.run(code_phone(invitee), "check_in")
    return e.participant_id


def stages_to(room, stage):
    for s in STAGES[:STAGES.index(stage) + 1]:
        room.mod("begin_hearing_stage", stage=s)


def test_staff_register_parties_that_are_heard_in_the_order_registered():
    room = hearing()
    a = party(room, "城建公司", for_kind="organisation", speaks_for="幸福城建有限公司")
    b = party(room, "Wang", side="against", invitee=0, for_kind="building", speaks_for="3号楼居民")
    c = party(room, "Zhao", side="other")
    x = room.meeting.parties[b]
    assert (x.name, x.category, x.invitee, x.registered_by) == ("王芳", "registered", 0, "moderator")
    stages_to(room, "testimony")
    heard = []
    for _ in range(3):
        events = room.mod("call_party")
        heard.append(events[-1].party_id)
        assert room.types(events)[-3:] == ["HandRaised", "FloorGranted", "PartyCalled"]
    assert heard == [a, b, c]
    assert room.refused(MOD, "call_party").code == "no_party_left"
    # the one invited was checked in by the desk when called; the others by name
    m = room.meeting
    assert m.participants[m.speeches[x.testimony].participant_id].invitee == 0
    assert [m.speeches[m.parties[p].testimony].kind for p in heard] == ["testimony"] * 3
    assert [m.speeches[m.parties[p].testimony].stance for p in heard] == ["for", "against", "other"]
    assert room.replay() == room.meeting


def test_each_party_has_its_own_time_or_the_default_and_the_closing_is_shorter():
    room = hearing()
    a, b = party(room, "甲"), party(room, "乙", side="against")
    room.mod("set_hearing_time", testimony_seconds=240)
    room.mod("set_hearing_time", party_id=b, testimony_seconds=600)
    stages_to(room, "testimony")
    room.mod("call_party")
    assert room.meeting.speaker().ends_at - room.now == 240
    room.later(250)
    room.mod("call_party")  # ends the first party's speech, over its time
    assert room.meeting.speeches[room.meeting.parties[a].testimony].over[:1] == ["time"]
    assert room.meeting.speaker().ends_at - room.now == 600
    room.mod("begin_hearing_stage", stage="questions")
    assert room.meeting.speaker() is None  # the stage ended the testimony
    room.mod("begin_hearing_stage", stage="closing")
    room.mod("call_party", party_id=b)  # a party may be called out of order
    assert room.meeting.speaker().ends_at - room.now == DEFAULT_SECONDS["closing"]
    assert room.refused(MOD, "call_party", party_id=b).code == "party_already_heard"
    assert room.mod("call_party")[-1].party_id == a
    assert room.refused(MOD, "set_hearing_time", testimony_seconds=5).code == "bad_speaking_time"


def test_stages_go_in_order_one_at_a_time_and_never_back():
    room = hearing()
    assert room.refused(MOD, "begin_hearing_stage", stage="plan").code == "hearing_stage_order"
    assert room.refused(MOD, "begin_hearing_stage", stage="verdict").code == "unknown_hearing_stage"
    room.mod("begin_hearing_stage", stage="explain")
    room.mod("begin_hearing_stage", stage="plan")
    assert room.refused(MOD, "begin_hearing_stage", stage="testimony").code == "no_parties"
    party(room, "甲")
    assert room.refused(MOD, "call_party").code == "not_party_stage"
    room.mod("begin_hearing_stage", stage="testimony")
    assert room.refused(MOD, "begin_hearing_stage", stage="explain").code == "hearing_stage_order"
    for s in STAGES[3:]:
        room.mod("begin_hearing_stage", stage=s)
    assert room.meeting.hearing_stage == "close"
    assert [s["stage"] for s in room.meeting.hearing_stages] == list(STAGES)
    assert room.refused(Actor(RECORDER), "begin_hearing_stage", stage="close").code == "chair_only"


def test_questions_are_the_floor_as_usual_and_are_kept_as_the_hearings_questions():
    room = hearing()
    party(room, "甲")
    stages_to(room, "testimony")
    room.mod("call_party")
    asker = room.check_in("Sun")
    room.run(phone(asker), "raise_hand", stance="question")
    room.mod("begin_hearing_stage", stage="questions")
    (granted,) = room.mod("grant_floor")
    assert room.meeting.hearing_questions == [granted.speech_id]


def test_registration_is_refused_after_the_testimonies_begin_and_for_other_forms():
    room = hearing()
    party(room, "甲")
    stages_to(room, "testimony")
    assert room.refused(MOD, "register_party", name="乙", category="other", for_kind="concerned", side="for",
                        summary="s").code == "registration_closed"
    council = new_meeting()
    assert council.refused(MOD, "register_party", name="乙", category="other", for_kind="concerned", side="for",
                           summary="s").code == "not_a_hearing"


def test_duplicates_limits_and_odd_input_are_refused():
    room = hearing()
    party(room, "王芳")
    assert room.refused(MOD, "register_party", name="王 芳", category="other", for_kind="concerned", side="for",
                        summary="s").code == "party_registered"
    assert room.refused(MOD, "register_party", invitee=0, for_kind="concerned", side="for",
                        summary="s").code == "party_registered"  # the same person by their place in the roster
    assert room.refused(MOD, "register_party", name="乙", category="other", for_kind="concerned", side="maybe",
                        summary="s").code == "unknown_stance"
    assert room.refused(MOD, "register_party", name="乙", category="other", for_kind="club", side="for",
                        summary="s").code == "unknown_party_kind"
    assert room.refused(MOD, "register_party", name="乙", category="other", for_kind="group", side="for",
                        summary="s").code == "empty_text"  # a group is named
    assert room.refused(MOD, "register_party", name="乙", category="other", for_kind="concerned", side="for",
                        summary="长" * 501).code == "text_too_long"
    assert room.refused(MOD, "register_party", name="乙\u202e", category="other", for_kind="concerned", side="for",
                        summary="s").code == "bad_characters"
    assert room.refused(MOD, "register_party", invitee=99, for_kind="concerned", side="for",
                        summary="s").code == "no_such_invitee"
    for n in range(MAX_PARTIES - 1):
        party(room, f"P{n}")
    assert room.refused(MOD, "register_party", name="one more", category="other", for_kind="concerned", side="for",
                        summary="s").code == "too_many_parties"


def test_an_invitee_registers_and_withdraws_on_their_own_phone_and_no_one_else():
    room = hearing(open_item=None)
    wang = code_in(room, 0)
    (e,) = room.run(phone(wang), "register_party", for_kind="building", speaks_for="3号楼", side="against",
                    summary="电梯噪音")
    assert e.actor.role == "participant" and e.actor.id == wang
    x = room.meeting.parties[e.party_id]
    assert (x.name, x.invitee, x.participant_id, x.registered_by) == ("王芳", 0, wang, "")
    # a phone registers nobody but itself
    li = code_in(room, 1)
    assert room.refused(phone(li), "register_party", name="王芳", for_kind="concerned", side="for",
                        summary="s").code == "not_your_participant"
    assert room.refused(phone(li), "register_party", participant_id=wang, for_kind="concerned", side="for",
                        summary="s").code == "not_your_participant"
    assert room.refused(phone(li), "register_party", invitee=2, for_kind="concerned", side="for",
                        summary="s").code == "not_your_participant"
    walk_in = room.check_in("Passer-by")
    assert room.refused(phone(walk_in), "register_party", for_kind="concerned", side="for",
                        summary="s").code == "party_needs_code"
    assert room.refused(GUEST_PHONE, "register_party", for_kind="concerned", side="for",
                        summary="s").code == "code_required"
    assert room.refused(phone(li), "withdraw_party", party_id=e.party_id).code == "not_your_party"
    room.run(phone(wang), "withdraw_party", party_id=e.party_id, reason="已协商解决")
    assert room.meeting.parties[e.party_id].withdrawn["by"] == "participant"
    # withdrawn, they may register again
    room.run(phone(wang), "register_party", for_kind="concerned", side="for", summary="改变主意")
    assert room.replay() == room.meeting


def test_a_party_cannot_withdraw_once_heard_and_a_withdrawn_party_is_not_called():
    room = hearing()
    a, b, c = party(room, "甲"), party(room, "乙"), party(room, "丙")
    room.mod("withdraw_party", party_id=b, reason="缺席")
    stages_to(room, "testimony")
    room.mod("call_party")
    assert room.refused(MOD, "withdraw_party", party_id=a).code == "party_already_heard"
    assert room.refused(MOD, "call_party", party_id=b).code == "no_such_party"
    assert room.mod("call_party")[-1].party_id == c
    view = room.meeting
    assert [x.id for x in view.parties.values() if x.withdrawn is None] == [a, c]


def test_before_the_meeting_an_invitee_registers_with_the_code_on_their_slip_without_checking_in():
    room = hearing(open_item=None)
    (e,) = room.run(code_phone(1), "register_party", for_kind="group", speaks_for="老年协会", side="for",
                    summary="支持加装")
    assert (e.actor.role, e.actor.id) == ("invitee", "1")
    x = room.meeting.parties[e.party_id]
    assert (x.name, x.invitee, x.participant_id, x.registered_by) == ("李强", 1, "", "")
    assert room.meeting.participants == {}  # not checked in: not counted as here
    assert room.refused(code_phone(2), "register_party", name="李强", for_kind="concerned", side="for",
                        summary="s").code == "not_your_participant"
    assert room.refused(code_phone(2), "register_party", invitee=1, for_kind="concerned", side="for",
                        summary="s").code == "not_your_participant"
    assert room.refused(code_phone(1), "register_party", for_kind="concerned", side="for",
                        summary="again").code == "party_registered"
    assert room.refused(MOD, "register_party", code="123456", name="X", for_kind="concerned", side="for",
                        summary="s").code == "code_for_phones"
    # at the meeting, checked in with the same code, the phone sees and may withdraw its registration
    li = code_in(room, 1)
    room.run(phone(li), "withdraw_party", party_id=e.party_id)
    assert room.replay() == room.meeting
