"""`yishi demo`'s meetings: the finished consultation holds a poll of every kind; convened from the
sample registers, the owners of building 3 decide on the lift by the owners' special majority, and a
villagers' assembly invites every adult."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from facilitation import binding
from facilitation.minutes import minutes
from facilitation.quorum import quorum
from live.demo import create_finished_demo, create_owners_demo, create_village_demo, sample_people
from live.minutes import render
from live.record import identity_of
from live.services import Meetings
from live.store import Store
from voting.polls import KINDS


async def test_the_finished_consultation_holds_a_poll_of_every_kind(tmp_path):
    """So that a newcomer sees each kind in the console's history and the minutes: a ranking counted
    by instant runoff, ballots that stop early and one entered at the desk; a democratic evaluation
    with ones left unrated; a rating and a single choice with a hand counted; a secret ballot and a
    roll call."""
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _ = await create_finished_demo(meetings)
    m = await meetings.state(mid)
    await meetings.close()
    model = minutes(m, identity_of(m), public=True)
    polls = [p for item in model["items"] for p in item["polls"]]
    assert sorted(p["kind"] for p in polls) == sorted([*KINDS, "yes_no_abstain", "yes_no_abstain"])
    assert not any(p["open"] for p in polls)
    # and a secret ballot, its ballots listed by receipt with the paper ballot as a total, and a roll call
    (secret,) = [p for p in polls if p["secret"]]
    assert len(secret["receipts"]) == 7 and secret["hand_counts"] == [1, 0, 0] and secret["counts"] == [6, 1, 1]
    (roll,) = [p for p in polls if p["named"]]
    assert len(roll["roll"]) == 8 and [v["entered_by"] for v in roll["roll"]].count("staff") == 1
    (plans,) = [p for p in polls if p["kind"] == "ranking"]
    assert plans["method"] == "instant_runoff" and plans["staff_ballots"] == 1
    # 各户平均分摊 goes out in the first round (3 / 3 / 2); its ballots make the coefficients win 5 to 3.
    assert [(r["counts"], r["eliminated"]) for r in plans["ranked"]["rounds"]] == [([3, 3, 2], [2]), ([5, 3, None], [])]
    assert plans["ranked"]["winners"] == [0]
    (rated,) = [p for p in polls if p["kind"] == "evaluation"]
    assert [(r["rated"], r["not_rated"], r["satisfaction_percent"]) for r in rated["evaluated"]["evaluated"]] == \
        [(8, 0, "75.0"), (7, 1, "100.0"), (6, 2, "83.3")]
    md = render(model, "md", "zh-CN").decode().replace("\\", "")
    assert "排序投票（即时决选法）" in md and "第1轮：按楼层系数分摊 3 票、一楼和二楼不分摊 3 票、各户平均分摊 2 票" in md
    assert "排名第一：按楼层系数分摊。" in md
    assert "| 物业服务中心 | 2 | 4 | 2 | 0 | 75.0% |" in md and "| 保洁公司 | 2 | 3 | 1 | 2 | 83.3% |" in md
    (side,) = [p for p in polls if p["kind"] == "single"]
    assert (side["counts"], side["hand_counts"]) == ([6, 1, 1], [1, 0, 0])


async def test_the_finished_consultation_hears_unheard_categories_first_and_records_the_move(tmp_path):
    """The demo's floor: categories not yet heard go first, a direct reply is heard, and the
    moderator lets 钱大爷 (no phone, waiting) speak before the property company: one move, his."""
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _ = await create_finished_demo(meetings)
    m = await meetings.state(mid)
    await meetings.close()
    model = minutes(m, identity_of(m))
    heard = model["heard"]
    assert heard["policy"] == "unheard_categories"
    assert heard["limits"] == {"person_seconds": 300, "reply_seconds": 60}
    (move,) = heard["moves"]
    assert move["speaker"]["name"] == "钱大爷" and move["to"] == 1
    assert heard["replies"] == 1
    md = render(model, "md", "zh-CN").decode().replace("\\", "")
    assert "发言顺序：未发言的类别优先" in md
    (line,) = [line for line in md.splitlines() if "主持人手动调整发言顺序" in line]
    assert "主持人手动调整发言顺序 1 次" in line and "钱大爷" in line and "调至第 1 位" in line


async def test_the_owners_decide_on_the_lift_by_number_and_by_area(tmp_path):
    url = f"sqlite:///{tmp_path / 'y.db'}"
    meetings = Meetings(Store(url))
    mid, _ = await create_owners_demo(meetings)
    await meetings.close()
    m = await Meetings(Store(url)).state(mid)  # as a new process reads it back
    assert m.status == "closed" and m.form == "owners" and len(m.roster) == 35
    assert sum(Decimal(r["area"]) for r in m.roster) == Decimal("3302.88")
    (poll,) = m.polls.values()
    assert poll.rule == "owners_special" and len(poll.entered_by_staff) == 2
    result = binding.result(m, poll)
    assert result["passed"] is True
    assert [c["what"] for c in result["checks"]] == ["participation_owners", "participation_area",
                                                     "approval_owners", "approval_area"]
    model = minutes(m, identity_of(m))
    md = render(model, "md", "en").decode()
    assert "Result: passed" in md and "Area taking part: 2,956.79 of 3,302.88 m²" in md
    public = render(minutes(m, identity_of(m), public=True), "md", "zh-CN").decode()
    assert "表决结果：通过" in public and not any(p.name in public for p in sample_people("building-owners.csv"))


async def test_the_villagers_assembly_invites_every_registered_adult(tmp_path):
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _ = await create_village_demo(meetings)
    m = await meetings.state(mid)
    people = sample_people("village-register.csv")
    adults = [p for p in people if p.birth_year and date.today().year - p.birth_year >= 18 and p.registered is not False]
    assert m.form == "assembly" and len(m.roster) == len(adults) and len(adults) < len(people)
    # a village: its categories name the villagers' bodies, and the page's words follow (wording)
    assert m.wording == "village" and {c["key"]: c["zh"] for c in m.categories}["committee"] == "村民委员会"
    q = quorum(m)
    assert (q["members"], q["required"], q["present"]) == (len(adults), len(adults) // 2 + 1, 0)
    # told in the message group, the first eight by telephone too; six replies taken by the committee
    assert [(n["how"], len(n["invitees"])) for n in m.notices] == [("message_group", len(adults)), ("call", 8)]
    assert sorted(r["answer"] for r in m.replies.values()) == ["coming"] * 4 + ["not_coming", "proxy"]
    await meetings.close()


async def test_the_hearing_has_three_parties_registered_in_order(tmp_path):
    from live.demo import HEARING_PARTIES, create_hearing_demo

    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _ = await create_hearing_demo(meetings)
    m = await meetings.state(mid)
    assert m.form == "hearing" and m.wording == "village" and m.hearing_stage == ""
    assert [(p.name, p.side) for p in m.parties.values()] == [(name, side) for name, _, _, _, side, _ in HEARING_PARTIES]
    await meetings.close()


async def test_the_demo_holds_topics_at_every_stage(tmp_path):
    """A petition still collecting, one accepted by reaching a tenth of the village's adults and on
    the villagers' assembly's agenda, one accepted and not yet scheduled, one declined with its
    reason, and the lift on the meeting ready to run and on the finished one."""
    from facilitation import topics
    from live.attachments import Attachments
    from live.demo import VILLAGE, create_demo, create_hearing_demo, create_topics_demo, create_village_demo
    from live.registry import Registry, TopicsBook

    store = Store(f"sqlite:///{tmp_path / 'y.db'}")
    meetings = Meetings(store)
    live, _ = await create_demo(meetings)
    finished, _ = await create_finished_demo(meetings)
    village, _ = await create_village_demo(meetings)
    hearing, _ = await create_hearing_demo(meetings)
    files = Attachments(tmp_path, "topic-materials")
    assert await create_topics_demo(meetings, live=live, finished=finished, village=village, hearing=hearing,
                                    files=files) == 8
    assert await create_topics_demo(meetings, live=live, finished=finished, village=village, hearing=hearing,
                                    files=files) == 0  # once only
    book = TopicsBook(store, community=VILLAGE).state()
    register = Registry(store, community=VILLAGE).state()
    by_title = {t.title: t for t in book.topics.values()}
    road, lights = by_title["村道硬化工程方案"], by_title["村口至学校路段安装路灯"]
    needed = topics.needed(register, "residents", date.today().year)
    assert (road.status, road.accepted_by, len(road.signatures), road.meeting, road.item) == \
        ("scheduled", "petition", needed, village, 1)
    assert lights.status == "proposed" and 0 < len(lights.signatures) < needed
    # the road's photo and plan, kept in the data folder; the lights proposed and co-signed with codes
    assert [(m["name"], m["type"]) for m in road.materials] == [("村道现状（雨后）.jpg", "image/jpeg"),
                                                                ("村道硬化工程方案.pdf", "application/pdf")]
    assert all(files.path(VILLAGE, m["sha256"]) for m in road.materials)
    assert lights.person and lights.proposer == register.entries[lights.person].person.name
    assert [s["via"] for s in lights.signatures.values()].count("online") == 5
    # the meetings hold the topics on their items; the water mains go to the hearing with the opinions
    village_state, hearing_state = await meetings.state(village), await meetings.state(hearing)
    assert [i.topic["title"] if i.topic else None for i in village_state.items] == ["修订村规民约", "村道硬化工程方案"]
    assert hearing_state.items[0].topic["title"] == "第五村民小组饮水管网改造"
    assert len(hearing_state.items[0].topic["opinions"]["statements"]) == 3
    assert by_title["修订村规民约"].status == by_title["第五村民小组饮水管网改造"].status == "scheduled"
    assert by_title["村卫生室改扩建"].status == "accepted"
    assert by_title["修建灯光篮球场"].status == "declined" and "明年" in by_title["修建灯光篮球场"].reason
    from facilitation import advance_opinions
    water = advance_opinions.summary(by_title["第五村民小组饮水管网改造"])  # opinions being gathered
    assert water is not None and water["channels"] == {"online": 1, "paper": 1, "phone": 1}
    assert water["statements"][0]["agree"] == 12 and water["statements"][1]["disagree"] == 4
    street = TopicsBook(store).state()
    assert sorted(t.meeting for t in street.topics.values()) == sorted([live, finished])
    finished_state = await meetings.state(finished)
    assert finished_state.items[0].outcome  # the finished meeting's item has an outcome: the lift reads "decided"
    await meetings.close()
