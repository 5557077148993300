"""A realistic meeting for the minutes tests: the demo's finished consultation, extended.

On top of the demo (five speeches and a poll on item 1, an objection answered, one still
standing, a hidden opinion) it adds: a walk-in with a Latin name, an observer, a point of order,
a speech that names a resident in its summary, an objection with no explanation, one explained
but not yet answered, a rating poll, a single-choice poll whose options try to inject HTML and
Markdown, an opinion not yet moderated, an outcome put to the residents' assembly, and an item
added during the meeting (临时动议) and deferred.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from facilitation.roles import FACILITATOR, MODERATOR, Actor
from live.demo import LIFT, create_finished_demo
from live.services import Meetings
from live.store import Store

MOD = Actor(MODERATOR)
# Private residents (registered, non-registered): their names must not be in the public minutes.
RESIDENTS = ["张桂英", "刘志强", "赵丽", "马玉珍", "钱大爷", "郑晓东", "John Smith"]
OFFICIALS = ["王秀兰", "李建国", "孙德明", "周海燕", "吴工程师"]
INJECTION = "<script>alert('x')</script> **粗体** | 竖线 [链接](http://evil.example)"
SUMMARY_NAMING = "同意张桂英的意见，并提醒施工噪音要控制在白天。"
OPEN_REASON = "施工期间老人出行没有保障，必须先有临时通道方案。"
LATE_EXPLANATION = "施工期间在楼东侧设临时无障碍通道，由物业每天巡查。"
ADDED_REASON = "居民会上临时提议"
PETITION_TOPIC = {"id": "t1", "community": "", "title": "3号楼加装电梯", "kind": "planning", "source": "residents",
                  "groups": ["3号楼住户"], "proposer": "3号楼住户代表", "proposed_at": 1_790_000_000.0,
                  "accepted_by": "petition", "petition": {"base": "residents", "signatures": 98, "needed": 92}}


async def extend(run: Any, people: dict[str, str]) -> None:
    walk = await run(MOD, "check_in", name="John Smith", category="registered")
    people["John Smith"] = walk.records[0].data["participant_id"]
    obs = await run(MOD, "check_in", name="周医生", category="expert", role="observer")
    people["周医生"] = obs.records[0].data["participant_id"]
    await run(MOD, "open_item", item=2)
    await run(MOD, "raise_hand", participant_id=people["John Smith"], stance="for")
    await run(MOD, "grant_floor", after=10)
    done = await run(MOD, "end_speech", after=130)
    await run(MOD, "summarise_speech", speech_id=done.records[0].data["speech_id"], summary=SUMMARY_NAMING)
    await run(MOD, "raise_hand", participant_id=people["李建国"], stance="other", kind="point_of_order")
    await run(MOD, "grant_floor", after=5)
    done = await run(MOD, "end_speech", after=40)
    await run(MOD, "summarise_speech", speech_id=done.records[0].data["speech_id"], summary="提请按议程先讨论通道安排。")
    await run(Actor("attendee", people["赵丽"]), "raise_objection", reason=OPEN_REASON)
    x = await run(Actor("attendee", people["钱大爷"]), "raise_objection", reason="绿地占用后要恢复原样。")
    await run(MOD, "give_explanation", objection_id=x.records[0].data["objection_id"], by="周海燕",
              text="施工结束后一个月内由施工方恢复绿地，物业验收。")
    await run(Actor("attendee", people["张桂英"]), "submit_opinion", text=INJECTION)
    rating = await run(MOD, "open_poll", question="对临时通道安排是否满意？", kind="rating")
    rid = rating.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("赵丽", 2), ("李建国", 1), ("孙德明", 0)):
        await run(Actor("attendee", people[who]), "cast_ballot", poll_id=rid, choice=choice)
    await run(MOD, "close_poll", poll_id=rid)
    single = await run(MOD, "open_poll", question="施工时间选哪个？", kind="single",
                       options=["白天 8:00-17:00", INJECTION, "周末不施工"])
    sid = single.records[0].data["poll_id"]
    await run(Actor("attendee", people["马玉珍"]), "cast_ballot", poll_id=sid, choice=1)
    await run(MOD, "add_hand_count", poll_id=sid, counts=[3, 0, 2])
    await run(MOD, "close_poll", poll_id=sid)
    await run(MOD, "record_outcome", item=2, outcome="none", opinion="未达成一致，提交居民会议决定。",
              actions=[{"what": "召开居民会议表决施工安排", "owner": "王秀兰（居委会）", "due": "2027-01-10"}])
    # the first item takes up a residents' petition, put on the agenda by the office
    await run(Actor(FACILITATOR), "link_topic", item=0, topic=PETITION_TOPIC)
    # an item put on the agenda during the meeting (临时动议), deferred to another meeting
    await run(MOD, "add_item", title="小区停车位分配", background="多位居民会上提出", reason=ADDED_REASON)
    await run(MOD, "record_outcome", item=3, outcome="deferred", opinion="下次会议专题协商。")  # not opened: put off at once


async def realistic_meeting(meetings: Meetings, *, form: str = "assembly") -> tuple[str, str]:
    """The extended demo, closed; a residents' assembly by default (so it has a quorum)."""
    return await create_finished_demo(meetings, form=form, before_close=extend)


ROSTER_SIZE = len(LIFT["roster"])


def stored_realistic_meeting(db: Path) -> Any:
    """The realistic meeting, held and closed, stored in a new SQLite file at `db`; its state."""
    async def build() -> Any:
        store = Store(f"sqlite:///{db}")
        meetings = Meetings(store)
        mid, _ = await realistic_meeting(meetings)
        m = await meetings.state(mid)
        await meetings.close()
        store.close()
        return m

    return asyncio.run(build())
