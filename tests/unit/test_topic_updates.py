"""A topic's summary brought up to date in its meeting is recorded as what changed: the meeting
read back from its record holds the same topic as the meeting that applied the changes live, and
an update is small beside the summary."""
import json

from facilitation import agenda
from facilitation.commands import decide
from facilitation.events import event_from
from facilitation.meeting import Meeting
from facilitation.replay import advance
from facilitation.roles import FACILITATOR, Actor


def summary(statements: int, agree: dict[int, int]) -> dict:
    return {"id": "t1", "community": "", "title": "加装电梯", "kind": "planning",
            "opinions": {"hidden": 0, "closed_at": None, "statements": [
                {"id": f"s{i}", "text": f"意见{i}：" + "北侧单元先装，" * 5, "name": "李**",
                 "counts": {"agree": agree.get(i, 0), "disagree": 0}} for i in range(statements)]}}


def test_updates_hold_what_changed_and_replay_to_the_same_topic() -> None:
    live, events = Meeting(id="m1"), []
    for e in agenda.create_meeting(live, title="居民议事会", form="council", place="", starts_at="",
                                   agenda=[{"title": "加装电梯"}], moderator="", recorder=""):
        advance(live, e, 1.0, len(events) + 1, "h")
        events.append(e)
    office = Actor(FACILITATOR)

    def run(topic: dict, refresh: bool) -> list:
        made = decide(live, office, "link_topic", {"item": 0, "topic": topic, "refresh": refresh}, 2.0)
        for e in made:
            advance(live, e, 2.0, len(events) + 1, "h")
            events.append(e)
        return made

    (linked,) = run(summary(0, {}), refresh=False)
    assert type(linked).__name__ == "TopicLinked" and linked.actor.role == "facilitator"
    grown = {}
    for n in range(1, 30):
        grown[n % 7] = grown.get(n % 7, 0) + 1
        (update,) = run(summary(min(n, 12), grown), refresh=True)
        assert type(update).__name__ == "TopicUpdated" and update.actor.role == "system"
    whole = len(json.dumps(live.items[0].topic, ensure_ascii=False))
    assert len(json.dumps(update.to_data()["changes"], ensure_ascii=False)) < whole / 3
    assert live.items[0].topic == summary(12, grown)

    again = Meeting(id="m1")
    for seq, e in enumerate(events, 1):
        stored = json.loads(json.dumps(e.to_data(), ensure_ascii=False))  # as the record keeps it
        advance(again, event_from(type(e).__name__, stored), 2.0, seq, "h")
    assert again.items[0].topic == live.items[0].topic

    # another topic on the same item is linked whole
    (other,) = run({**summary(1, {}), "id": "t2"}, refresh=True)
    assert type(other).__name__ == "TopicLinked"
