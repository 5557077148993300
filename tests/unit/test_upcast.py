"""Old event shapes are read through upcasters, never rewritten: version 1 (no actor) becomes
version 2 with the actor its shape shows, or "unknown" where version 1 did not say."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation import events as ev
from facilitation.meeting import Meeting
from facilitation.replay import replay
from facilitation.upcast import current, read, readable, version_of

from support.meetings import Rec


def v1(type_name: str, **data: object) -> dict[str, object]:
    """Data as release 2e1af6a stored it: no `v`, no `actor`."""
    return dict(data)


CREATED = v1("MeetingCreated", title="老旧小区改造议事会", form="owners", place="活动室", starts_at="2026-12-01 19:00",
             language="zh-CN", speaking_seconds=180, categories=[{"key": "registered", "zh": "户籍居民", "en": "residents"}],
             agenda=[{"title": "是否加装电梯", "background": ""}])


def test_data_without_a_version_is_version_1_and_is_brought_to_the_current_one():
    data = v1("PollClosed", poll_id="p1")
    assert version_of(data) == 1
    now = current("PollClosed", data)
    assert now["v"] == ev.Event.VERSION == 2
    assert now["actor"] == {"role": "moderator"}
    assert data == {"poll_id": "p1"}  # the stored data itself is left as it was


def test_what_a_version_1_shape_shows_becomes_the_actor():
    assert read("MeetingCreated", CREATED).actor == ev.By(ev.FACILITATOR)
    assert read("BallotCast", v1("BallotCast", poll_id="p1", participant_id="a1", choice=0)).actor == \
        ev.By(ev.PARTICIPANT, "a1")
    assert current("HandRaised", v1("HandRaised", request_id="r1", participant_id="a1", stance="for",
                                    kind="normal", by="moderator"))["actor"] == {"role": "moderator"}
    assert current("HandRaised", v1("HandRaised", request_id="r1", participant_id="a1", stance="for",
                                    kind="normal", by="self"))["actor"] == {"role": "participant", "id": "a1"}


def test_what_version_1_could_not_tell_stays_unknown_rather_than_guessed():
    # An objection could come from the objector's phone or be entered by the moderator for them.
    for type_name in ("ObjectionRaised", "ObjectionAnswered", "OpinionSubmitted"):
        assert current(type_name, {"participant_id": "a1"})["actor"] == {"role": ev.UNKNOWN}


def test_the_current_version_passes_through_unchanged():
    data = {"poll_id": "p1", "v": 2, "actor": {"role": "recorder"}}
    assert current("PollClosed", data) == data


def test_a_newer_version_or_an_unknown_type_is_not_readable():
    assert readable("PollClosed", {"poll_id": "p1"})
    assert readable("PollClosed", {"poll_id": "p1", "v": 2})
    assert not readable("PollClosed", {"poll_id": "p1", "v": 3})
    assert not readable("PollReopenedInTheFuture", {})
    assert not readable("PollClosed", ["not", "a", "dict"])


@settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine is slow, not wrong
@given(st.dictionaries(st.sampled_from(["participant_id", "poll_id", "by", "extra"]),
                       st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=4),
       st.sampled_from(sorted(ev.EVENT_TYPES)))
def test_upcasting_is_pure_and_always_names_a_known_actor_role(data, type_name):
    before = copy.deepcopy(data)
    now = current(type_name, data)
    assert data == before
    assert now["v"] == ev.EVENT_TYPES[type_name].VERSION
    assert now["actor"]["role"] in ev.ACTOR_ROLES
    assert current(type_name, now) == now  # reading it again changes nothing


def test_a_version_1_record_replays_to_the_same_meeting_as_the_same_record_in_version_2():
    created = CREATED
    old = [Rec(1, "MeetingCreated", created, 1000.0)]
    new = [Rec(1, "MeetingCreated", current("MeetingCreated", created), 1000.0)]
    a, b = replay(old, "m1"), replay(new, "m1")
    assert (a.title, a.form, a.seq) == (b.title, b.form, b.seq) == ("老旧小区改造议事会", "owners", 1)
    assert isinstance(a, Meeting)
