"""The floor's standing policies: who is heard in what order, and why; limits flagged, never enforced.

The properties are checked on random meetings: people of a few categories ask for the floor with
a stance, are heard, ask again; the policy changes on the way."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation.errors import MeetingError
from facilitation.fairness import POLICIES, balance, heard_order, latest_speech, left_for, moved_by_hand
from facilitation.minutes import Identity, minutes
from live.minutes.present import Presenter
from support.meetings import MOD, new_meeting, phone, queue_names

IDENTITY = Identity("m1", 42, "ab" * 32, 1_780_000_000.7)

PEOPLE = [("Ann", "registered"), ("Ben", "registered"), ("Cai", "property"), ("Dai", "property"),
          ("Eve", "committee"), ("Fan", "expert"), ("Gao", "registered"), ("Hu", "party"), ("Ivy", "property"),
          ("Jia", "expert")]

# Mostly hands raised, so that queues grow long enough for the order to matter.
raise_hand = st.tuples(st.just("raise"), st.integers(0, len(PEOPLE) - 1), st.sampled_from(["for", "against", "question"]))
action = st.one_of(raise_hand, raise_hand, raise_hand, raise_hand,
                   st.tuples(st.just("grant"), st.just(0), st.just("")), st.tuples(st.just("end"), st.just(0), st.just("")))


def play(policy: str, actions: list[tuple[str, int, str]]):
    room = new_meeting(floor_policy=policy)
    pids = [room.check_in(name, category) for name, category in PEOPLE]
    for kind, who, stance in actions:
        room.later(30)
        try:
            if kind == "raise":
                room.run(phone(pids[who]), "raise_hand", stance=stance)
            elif kind == "grant":
                room.mod("grant_floor")
            else:
                room.mod("end_speech")
        except MeetingError:
            pass
    return room


def waiting(room):
    """The requests in the order heard, each with when it asked (its place in the queue as asked)."""
    m = room.meeting
    asked = {rid: i for i, rid in enumerate(sorted(m.queue, key=lambda r: (m.requests[r].raised_at, int(r[1:]))))}
    return [(p, m.requests[p.request_id], asked[p.request_id]) for p in heard_order(m)]


def spoken(room):
    m = room.meeting
    people = {s.participant_id for s in m.speeches.values()}
    return people, {m.participants[p].category for p in people}


runs = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@runs
@given(st.lists(action, max_size=40))
def test_first_come_hears_everyone_in_the_order_they_asked(actions):
    room = play("first_come", actions)
    order = [asked for _, _, asked in waiting(room)]
    assert order == sorted(order)
    assert all(p.reason == "" for p, _, _ in waiting(room))


@runs
@given(st.lists(action, max_size=40))
def test_unheard_people_first_and_nobody_passed_by_a_later_asker_otherwise(actions):
    room = play("unheard_people", actions)
    people, _ = spoken(room)
    rows = waiting(room)
    for i, (a, ra, asked_a) in enumerate(rows):
        for b, rb, asked_b in rows[i + 1:]:
            if asked_b < asked_a:  # b asked earlier but waits behind a: only because a has not spoken and b has
                assert ra.participant_id not in people and rb.participant_id in people, (a, b)
        assert (a.reason == "unheard_person") == (ra.participant_id not in people)


@runs
@given(st.lists(action, max_size=40))
def test_an_unheard_category_is_never_left_behind_a_heard_one(actions):
    room = play("unheard_categories", actions)
    people, categories = spoken(room)
    m = room.meeting
    rows = waiting(room)

    def key(r):
        return m.participants[r.participant_id].category in categories, r.participant_id in people

    for i, (a, ra, asked_a) in enumerate(rows):
        for b, rb, asked_b in rows[i + 1:]:
            assert key(ra) <= key(rb)  # never a heard category (or person) ahead of an unheard one
            if asked_b < asked_a:
                assert key(ra) < key(rb), (a, b)  # passed by a later asker only for that reason
        if key(ra)[0] is False:
            assert a.reason == "unheard_category"


@runs
@given(st.lists(action, max_size=40))
def test_alternate_gives_for_and_against_in_turn_and_keeps_each_sides_order(actions):
    room = play("alternate", actions)
    rows = waiting(room)
    sides = [r.stance for _, r, _ in rows if r.stance in ("for", "against")]
    remaining = {"for": sides.count("for"), "against": sides.count("against")}
    for previous, current in zip(sides, sides[1:]):
        remaining[previous] -= 1
        if remaining["for"] and remaining["against"]:
            assert previous != current, sides  # while both sides wait, they take turns
    for side in ("for", "against"):
        asked = [asked for _, r, asked in rows if r.stance == side]
        assert asked == sorted(asked)
    others = [asked for _, r, asked in rows if r.stance not in ("for", "against")]
    assert others == sorted(others)


# The whole meeting: points of order, direct replies, the moderator's drags and changes of policy
# on the way, besides the hands raised and the floor given.
point = st.tuples(st.just("point"), st.integers(0, len(PEOPLE) - 1), st.just("other"))
reply = st.tuples(st.just("reply"), st.integers(0, len(PEOPLE) - 1), st.sampled_from(["for", "against", "question"]))
drag = st.tuples(st.just("drag"), st.integers(0, 20), st.sampled_from(["0", "1", "2"]))
change = st.tuples(st.just("policy"), st.just(0), st.sampled_from(POLICIES))
busy = st.one_of(raise_hand, raise_hand, raise_hand, point, reply, drag, change,
                 st.tuples(st.just("grant"), st.just(0), st.just("")), st.tuples(st.just("end"), st.just(0), st.just("")))


def play_all(policy: str, actions: list[tuple[str, int, str]]):
    room = new_meeting(floor_policy=policy)
    pids = [room.check_in(name, category) for name, category in PEOPLE]
    for kind, who, arg in actions:
        room.later(30)
        m = room.meeting
        try:
            if kind == "raise":
                room.run(phone(pids[who]), "raise_hand", stance=arg)
            elif kind == "point":
                room.run(phone(pids[who]), "raise_hand", stance="other", kind="point_of_order")
            elif kind == "reply":
                room.run(phone(pids[who]), "raise_hand", stance=arg, kind="reply")
            elif kind == "drag" and m.queue:  # one request dragged to a place, as the console does
                order = [p.request_id for p in heard_order(m)]
                order.insert(int(arg) % len(order), order.pop(who % len(order)))
                room.mod("reorder_queue", order=order)
            elif kind == "policy":
                room.mod("set_floor_policy", policy=arg)
            elif kind == "grant":
                room.mod("grant_floor")
            elif kind == "end":
                room.mod("end_speech")
        except MeetingError:
            pass
    return room


@runs
@given(st.sampled_from(POLICIES), st.lists(busy, max_size=50))
def test_every_policy_holds_through_points_of_order_replies_moves_and_changes(policy, actions):
    room = play_all(policy, actions)
    m = room.meeting
    order = heard_order(m)
    people, categories = spoken(room)
    latest = latest_speech(m)
    # Points of order first, in the order asked, then the one direct reply to the latest speech;
    # unless the moderator's order holds them elsewhere.
    points = [r for r in m.queue if m.requests[r].kind == "point_of_order" and not m.requests[r].pinned]
    replies = [r for r in m.queue if m.requests[r].kind == "reply" and not m.requests[r].pinned
               and m.requests[r].replies_to == latest]
    assert len(replies) <= 1
    head = [p.request_id for p in order[:len(points) + len(replies)]]
    assert head == points + replies
    assert [p.reason for p in order[:len(head)]] == ["point_of_order"] * len(points) + ["reply"] * len(replies)
    assert sorted(points, key=lambda r: (m.requests[r].raised_at, int(r[1:]))) == points
    # Whoever the moderator moved says so, and keeps the place they were put in.
    for p in order:
        if m.requests[p.request_id].moved and m.requests[p.request_id].pinned and p.request_id not in head:
            assert p.reason == "moved"
    # The others, not held by the moderator's order, in the order the standing policy says.
    rows = [(p, m.requests[p.request_id], asked) for p, _, asked in waiting(room)
            if p.request_id not in head and not m.requests[p.request_id].pinned]
    if m.floor_policy == "first_come":
        assert [asked for _, _, asked in rows] == sorted(asked for _, _, asked in rows)
    elif m.floor_policy in ("unheard_people", "unheard_categories"):
        def key(r):
            unheard_category = m.floor_policy == "unheard_categories" and \
                m.participants[r.participant_id].category not in categories
            return not unheard_category, r.participant_id in people

        for i, (a, ra, asked_a) in enumerate(rows):
            for b, rb, asked_b in rows[i + 1:]:
                assert key(ra) <= key(rb), (a, b)  # nobody heard (nor their category) ahead of the unheard
                if asked_b < asked_a:
                    assert key(ra) < key(rb), (a, b)  # passed by a later asker only for that reason
    else:
        for side in ("for", "against"):
            asked = [asked for _, r, asked in rows if r.stance == side]
            assert asked == sorted(asked)


def test_the_side_that_did_not_speak_last_goes_first():
    room = new_meeting(floor_policy="alternate")
    ann, ben, cai = (room.check_in(n) for n in ("Ann", "Ben", "Cai"))
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    room.run(phone(ben), "raise_hand", stance="for")
    room.run(phone(cai), "raise_hand", stance="against")
    assert queue_names(room) == ["Cai", "Ben"]
    assert [p.reason for p in heard_order(room.meeting)] == ["alternate", ""]


def test_a_category_heard_for_the_first_time_sends_its_others_back_at_once():
    room = new_meeting(floor_policy="unheard_categories")
    ann, ben, cai = room.check_in("Ann", "registered"), room.check_in("Ben", "registered"), room.check_in("Cai", "property")
    room.run(phone(cai), "raise_hand", stance="for")
    room.mod("grant_floor")  # property has spoken
    room.run(phone(ann), "raise_hand", stance="for")
    room.run(phone(ben), "raise_hand", stance="against")
    assert queue_names(room) == ["Ann", "Ben"]
    room.mod("grant_floor")  # Ann: registered has spoken now
    room.mod("end_speech")
    room.run(phone(cai), "raise_hand", stance="for")
    assert queue_names(room) == ["Ben", "Cai"]  # both categories heard: Ben has not spoken, Cai has
    assert [p.reason for p in heard_order(room.meeting)] == ["unheard_person", ""]


def test_the_moderators_move_holds_against_the_policy_and_is_recorded():
    room = new_meeting(floor_policy="unheard_people")
    ann, ben, cai = (room.check_in(n) for n in ("Ann", "Ben", "Cai"))
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    room.run(phone(ann), "raise_hand", stance="for")  # Ann again: heard already
    room.run(phone(ben), "raise_hand", stance="for")
    assert queue_names(room) == ["Ben", "Ann"]
    m = room.meeting
    room.mod("reorder_queue", order=[p.request_id for p in reversed(heard_order(m))])
    assert queue_names(room) == ["Ann", "Ben"]
    # Ann was put ahead of Ben: Ann was moved; Ben, only pushed back, was not.
    assert [p.reason for p in heard_order(m)] == ["moved", ""]
    assert [(mv["participant"], mv["to"], mv["by"]) for mv in m.moves] == [(ann, 0, "moderator")]
    assert room.replay().moves == m.moves  # the record read again counts the same
    room.run(phone(cai), "raise_hand", stance="for")  # a newcomer is placed by the policy, after the moderator's order
    assert queue_names(room) == ["Ann", "Ben", "Cai"]


def test_the_policy_can_change_during_the_meeting_and_each_change_is_kept():
    room = new_meeting()
    assert room.meeting.floor_policy == "first_come"
    for policy in POLICIES:
        room.mod("set_floor_policy", policy=policy, limits={"person_seconds": 300}, show_balance=True)
    m = room.meeting
    assert [h["policy"] for h in m.floor_history] == list(POLICIES)
    assert m.floor_limits == {"person_seconds": 300} and m.show_balance
    assert room.refused(MOD, "set_floor_policy", policy="loudest_first").code == "unknown_floor_policy"
    assert room.refused(MOD, "set_floor_policy", policy="alternate", limits={"shouting": 1}).code == "unknown_limit"
    assert room.refused(MOD, "set_floor_policy", policy="alternate", limits={"person_seconds": -1}).code == "bad_limit"
    assert room.refused(phone(room.check_in("Ann")), "set_floor_policy", policy="alternate").code == "not_allowed"
    room.mod("set_floor_policy", policy="alternate", limits={"person_seconds": 0})  # 0: the limit is lifted
    assert m.floor_limits == {}


def test_limits_are_flagged_on_the_speech_that_passes_them_never_enforced():
    room = new_meeting(floor_limits={"person_speeches": 1, "person_seconds": 200, "category_seconds": 250,
                                     "side_seconds": 350})
    ann, ben = room.check_in("Ann", "registered"), room.check_in("Ben", "registered")
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.later(190)  # within her 180 s? no: 10 s over the speech's own time
    room.mod("end_speech")
    first = room.meeting.speeches["s1"]
    assert first.over == ["time"]
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")  # her second speech: past the one allowed, still given
    room.later(20)
    room.mod("end_speech")
    second = room.meeting.speeches["s2"]
    assert second.over == ["person_speeches", "person_seconds"]
    room.run(phone(ben), "raise_hand", stance="against")
    room.mod("grant_floor")
    room.later(60)
    room.mod("end_speech")
    assert room.meeting.speeches["s3"].over == ["category_seconds"]  # registered residents: 270 s > 250
    cai = room.check_in("Cai", "property")
    room.run(phone(cai), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.later(150)
    room.mod("end_speech")
    assert room.meeting.speeches["s4"].over == ["side_seconds"]  # for: 190 + 20 + 150 s > 350; nothing else


def test_a_hearing_hears_both_sides_in_turn_unless_told_otherwise():
    assert new_meeting(form="hearing").meeting.floor_policy == "alternate"
    assert new_meeting(form="hearing", floor_policy="first_come").meeting.floor_policy == "first_come"
    council = new_meeting(form="council")
    assert council.meeting.floor_policy == "first_come"
    assert "FloorPolicySet" not in [r.type for r in council.record]  # nothing said: first come, as before


# -- what the moderator moved, counted from the record ------------------------------------------


def test_moving_one_request_counts_that_one_whichever_way_it_went():
    assert moved_by_hand(["a", "b"], ["b", "a"]) == ["b"]  # b brought ahead of a
    assert moved_by_hand(["a", "b", "c", "d"], ["d", "a", "b", "c"]) == ["d"]  # the last put first
    assert moved_by_hand(["a", "b", "c", "d"], ["b", "c", "d", "a"]) == ["a"]  # the first sent last
    assert moved_by_hand(["a", "b", "c", "d"], ["a", "c", "b", "d"]) == ["c"]
    assert moved_by_hand(["a", "b", "c"], ["a", "b", "c"]) == []
    reversed_ = moved_by_hand(["a", "b", "c", "d"], ["d", "c", "b", "a"])
    assert len(reversed_) == 3 and {"c", "d"} <= set(reversed_)  # reversed: three moves, both brought forward
    assert moved_by_hand(["a"], ["a", "x"]) == ["x"]  # one the policy did not hear before


@given(st.permutations(list("abcdefg")), st.integers(0, 6), st.integers(0, 6))
def test_one_drag_is_one_move(before, start, to):
    order = list(before)
    order.insert(to, order.pop(start))
    if start == to:
        assert moved_by_hand(list(before), order) == []
    elif abs(start - to) == 1:  # two neighbours swapped: the one brought forward was moved
        assert moved_by_hand(list(before), order) == [order[min(start, to)]]
    else:
        assert moved_by_hand(list(before), order) == [before[start]]


def _minutes_lines(room, lang):
    model = minutes(room.meeting, IDENTITY)
    return model["heard"], Presenter(model, lang).floor_lines()


def test_the_minutes_say_whom_the_moderator_moved_and_where_to_counted_from_one():
    room = new_meeting(floor_policy="unheard_people")
    ann, ben, cai = (room.check_in(n) for n in ("Ann", "Ben", "Cai"))
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")
    room.mod("end_speech")
    for pid in (ann, ben, cai):
        room.run(phone(pid), "raise_hand", stance="for")
    assert queue_names(room) == ["Ben", "Cai", "Ann"]
    room.later(60)
    order = [p.request_id for p in heard_order(room.meeting)]
    room.mod("reorder_queue", order=[order[2], order[0], order[1]])  # Ann first: one move
    heard, zh = _minutes_lines(room, "zh-CN")
    (move,) = heard["moves"]
    assert move["to"] == 1 and move["speaker"]["name"] == "Ann"
    _, en = _minutes_lines(room, "en")
    assert [line for line in zh if line.startswith("主持人手动调整发言顺序")] == [
        "主持人手动调整发言顺序 1 次：08:17 将Ann（户籍居民）调至第 1 位。"]
    assert "The moderator moved 1 request(s) by hand: Ann (registered resident) to place 1 at 08:17." in en
    assert "主持人未手动调整发言顺序。" not in zh and "The moderator moved nobody by hand." not in en


def test_the_minutes_say_nobody_was_moved_and_each_change_of_policy():
    room = new_meeting()
    room.later(600)
    room.mod("set_floor_policy", policy="unheard_categories")
    room.later(600)
    room.mod("set_floor_policy", policy="alternate", limits={"side_seconds": 900})
    heard, zh = _minutes_lines(room, "zh-CN")
    _, en = _minutes_lines(room, "en")
    assert heard["policy"] == "alternate" and heard["moves"] == []
    assert [c["policy"] for c in heard["policy_changes"]] == ["unheard_categories", "alternate"]
    assert "主持人未手动调整发言顺序。" in zh and "The moderator moved nobody by hand." in en
    assert "会中调整：08:26 改为未发言的类别优先；08:36 改为正反方轮流。" in zh
    assert "Changed during the meeting: 08:26 categories not yet heard first; 08:36 for and against in turn." in en
    assert "发言顺序：正反方轮流。" in zh and "Order of the floor: for and against in turn." in en


def test_one_policy_all_along_says_no_change():
    room = new_meeting(floor_policy="unheard_people")
    heard, zh = _minutes_lines(room, "zh-CN")
    assert len(heard["policy_changes"]) == 1 and not any(line.startswith("会中调整") for line in zh)


# -- the live balance and what is left ---------------------------------------------------------


def test_the_balance_counts_seconds_per_category_side_and_person_and_who_waits():
    room = new_meeting(floor_limits={"person_seconds": 300, "category_seconds": 500, "side_seconds": 400,
                                     "person_speeches": 2})
    ann, ben, cai = room.check_in("Ann", "registered"), room.check_in("Ben", "registered"), room.check_in("Cai", "property")
    room.check_in("Eve", "expert")  # present, never asks: an expert is unheard
    for pid, stance, seconds in ((ann, "for", 100), (cai, "against", 70), (ann, "for", 40)):
        room.run(phone(pid), "raise_hand", stance=stance)
        room.mod("grant_floor")
        room.later(seconds)
        room.mod("end_speech")
    room.run(phone(ben), "raise_hand", stance="against")  # Ben waits
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor", request_id=room.meeting.queue[-1])  # Ann's third speech under way: not counted in seconds
    room.later(30)
    m = room.meeting
    b = balance(m, people=True)
    rows = {c["key"]: c for c in b["categories"]}
    assert rows["registered"] == {"key": "registered", "present": 2, "speakers": 1, "speeches": 3, "seconds": 140,
                                  "waiting": 1, "unheard": False}
    assert rows["property"] == {"key": "property", "present": 1, "speakers": 1, "speeches": 1, "seconds": 70,
                                "waiting": 0, "unheard": False}
    assert rows["expert"]["unheard"] is True and (rows["expert"]["speeches"], rows["expert"]["seconds"]) == (0, 0)
    assert b["sides"] == {"for": 140, "against": 70}
    people = {p["name"]: (p["speeches"], p["seconds"], p["waiting"]) for p in b["people"]}
    assert people == {"Ann": (3, 140, False), "Cai": (1, 70, False), "Ben": (0, 0, True)}
    assert b["people"][0]["name"] == "Ben"  # who waits unheard first
    assert "people" not in balance(m, people=False)  # the projector sees no one by name
    # What Ann's speech under way has left: of her time, her category's, her side's, her speeches.
    assert left_for(m, m.speeches[m.current_speech]) == {"person_seconds": 160, "category_seconds": 360,
                                                         "side_seconds": 260, "person_speeches": 0}
    room.mod("end_speech")
    room.run(phone(cai), "raise_hand", stance="question")
    room.mod("grant_floor", request_id=m.queue[-1])  # Cai, past Ben
    # a question is no side's: no side limit applies to it
    assert left_for(m, m.speeches[m.current_speech]) == {"person_seconds": 230, "category_seconds": 430,
                                                         "person_speeches": 1}


def test_nothing_is_left_to_count_without_limits():
    room = new_meeting()
    ann = room.check_in("Ann")
    room.run(phone(ann), "raise_hand", stance="for")
    room.mod("grant_floor")
    assert left_for(room.meeting, room.meeting.speeches["s1"]) == {}
