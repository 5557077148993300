"""The sample meetings `yishi demo` sets up: a consultation on adding a lift to an old building,
one ready to run and one already held and closed, so that a newcomer sees the minutes at once,
followed up in the days since (the public board and the office's page show its decisions at every
stage); and, convened from the sample registers, the building's owners deciding on the lift by their
double majority (held and closed) and a villagers' assembly of every adult (ready to run); and topics
for consultation at every stage, the sample village's petitions among them."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from facilitation.roles import MODERATOR, RECORDER, Actor

from .attachments import Attachments
from .services import Meetings

LIFT = {
    "title": "幸福里小区3号楼加装电梯居民协商会",
    "form": "owners",
    "place": "幸福里社区居委会二楼会议室",
    "starts_at": "2026-12-05 19:00",
    "language": "zh-CN",
    "speaking_seconds": 180,
    "moderator": "王秀兰（社区居委会主任）",
    "recorder": "陈明（社区工作者）",
    "agenda": [
        {"title": "是否为3号楼加装电梯",
         "background": "3号楼建于1992年，共6层24户，60岁以上居民31人。已有18户联名申请加装电梯。",
         # the sub-district office asked the community to consult the residents: it is reported back to it
         "entrusted_by": "幸福街道办事处"},
        {"title": "费用分摊方案",
         "background": "设计单位估算总造价约58万元，可申请政府补贴20万元，其余按楼层系数分摊。"},
        {"title": "施工期间的安全与出行安排", "background": "施工期约90天，需占用楼前部分绿地和通道。"},
    ],
    "roster": [
        {"name": "王秀兰", "category": "committee"}, {"name": "李建国", "category": "party"},
        {"name": "张桂英", "category": "registered"}, {"name": "刘志强", "category": "registered"},
        {"name": "赵丽", "category": "registered"}, {"name": "孙德明", "category": "owners_committee"},
        {"name": "周海燕", "category": "property"}, {"name": "吴工程师", "category": "expert"},
        {"name": "郑晓东", "category": "non_registered"}, {"name": "马玉珍", "category": "registered"},
    ],
}


async def create_demo(meetings: Meetings) -> tuple[str, str]:
    """The meeting ready to run: (id, moderator key)."""
    meeting_id, key, _ = await meetings.create(dict(LIFT))
    return meeting_id, key


HELD_DAYS_AGO = 6
DEMO_ZONE = "Asia/Shanghai"


def _due(start: float, days: int) -> str:
    """The day `days` after the meeting's day, as an action's due date is typed (2026-12-31)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    return (datetime.fromtimestamp(start, ZoneInfo(DEMO_ZONE)).date() + timedelta(days=days)).isoformat()


def _evening(days_ago: int) -> float:
    """19:00 (Shanghai time) `days_ago` days before today, as seconds since the epoch."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    day = datetime.now(ZoneInfo(DEMO_ZONE)) - timedelta(days=days_ago)
    return day.replace(hour=19, minute=0, second=0, microsecond=0).timestamp()


async def create_finished_demo(meetings: Meetings, *, held_at: float | None = None, form: str | None = None,
                               before_close: Any = None) -> tuple[str, str]:
    """The same consultation, held and closed: speeches, opinions, objections, a poll of every kind
    (yes/no/abstain on the first item; a rating and a ranking counted by instant runoff on the
    second; on the third a multiple-choice poll whose results the moderator reveals, a single
    choice, a democratic evaluation, a secret ballot and a roll call), outcomes.

    So that its minutes read like a real meeting's, the record's times are those of an evening
    meeting (19:00, six days ago unless `held_at` says when): the service's clock is stepped
    through the meeting while it is created, then given back. Run it before serving.
    `before_close(run, people)` may add to the meeting before it closes (the tests extend it):
    `run(actor, command, after=seconds, **payload)`, `people` maps names to participant ids.
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = _evening(HELD_DAYS_AGO) if held_at is None else held_at
    now = [start - 15 * 60]
    real_clock = meetings.clock
    meetings.clock = lambda: now[0]
    try:
        starts_at = datetime.fromtimestamp(start, ZoneInfo(DEMO_ZONE)).strftime("%Y-%m-%d %H:%M")
        spec = dict(LIFT, title=LIFT["title"] + "（已结束示例）", starts_at=starts_at, form=form or LIFT["form"])
        return await _hold(meetings, spec, now, start, before_close)
    finally:
        meetings.clock = real_clock


async def _hold(meetings: Meetings, spec: dict[str, Any], now: list[float], start: float,
                before_close: Any) -> tuple[str, str]:
    meeting_id, key, _ = await meetings.create(spec)
    mod = Actor(MODERATOR)

    async def run(actor: Actor, command: str, after: float = 20, **payload: Any) -> Any:
        now[0] += after
        return await meetings.execute(meeting_id, actor, command, payload)

    people = {}
    for i in (0, 1, 2, 3, 4, 5, 6, 7, 9):
        done = await run(mod, "check_in", after=60, invitee=i)
        people[LIFT["roster"][i]["name"]] = done.records[0].data["participant_id"]
    walk_in = await run(mod, "check_in", name="钱大爷", category="registered")
    people["钱大爷"] = walk_in.records[0].data["participant_id"]

    def phone(name: str) -> Actor:
        return Actor("attendee", people[name])

    async def speak(who: str, stance: str, seconds: float, summary: str, kind: str = "speech") -> None:
        await run(mod, "raise_hand", after=15, participant_id=people[who], stance=stance, kind=kind)
        await run(mod, "grant_floor", after=10)
        done = await run(mod, "end_speech", after=seconds)
        await run(mod, "summarise_speech", after=30, speech_id=done.records[0].data["speech_id"], summary=summary)

    async def heard(done: Any, seconds: float, summary: str) -> None:
        ended = await run(mod, "end_speech", after=seconds)
        await run(mod, "summarise_speech", after=30, speech_id=ended.records[0].data["speech_id"], summary=summary)

    now[0] = start
    # Categories not yet heard go first; each person has five minutes in all, a direct reply one.
    await run(mod, "set_floor_policy", after=0, policy="unheard_categories",
              limits={"person_seconds": 300, "reply_seconds": 60})
    await run(mod, "open_item", after=0, item=0)
    await speak("张桂英", "for", 150, "我住六楼，今年七十三岁，每天上下楼很困难，强烈希望加装电梯。")
    await speak("刘志强", "against", 175, "我住一楼，担心电梯遮挡采光、运行噪音影响休息，希望先看设计方案。")
    # The engineer speaks; 刘志强 answers him directly, and goes past his minute.
    await run(mod, "raise_hand", after=15, participant_id=people["吴工程师"], stance="question")
    engineer = await run(mod, "grant_floor", after=10)
    await run(phone("刘志强"), "raise_hand", after=60, stance="against", kind="reply")
    await heard(engineer, 180, "说明了井道位置选在楼梯间外侧，对一楼采光影响约一小时，噪音低于45分贝。")
    reply = await run(mod, "grant_floor", after=5)
    await heard(reply, 75, "直接回应：一小时的采光影响也是损失，希望在补偿方案中写明。")
    # The property company has not been heard, so the policy puts it ahead of 钱大爷; the moderator
    # lets the old man, who has no phone and has waited, speak first (recorded as a move).
    zhou = await run(mod, "raise_hand", after=15, participant_id=people["周海燕"], stance="other")
    qian = await run(mod, "raise_hand", after=5, participant_id=people["钱大爷"], stance="for")
    await run(mod, "reorder_queue", after=5, order=[qian.records[0].data["request_id"], zhou.records[0].data["request_id"]])
    await heard(await run(mod, "grant_floor", after=5), 95, "没有手机，举手发言：支持加装，愿意多出一些费用。")
    await heard(await run(mod, "grant_floor", after=10), 120,
                "物业表示施工期间可配合做好安全围挡，电梯建成后的维保费用需另行约定。")
    op = await run(phone("赵丽"), "submit_opinion", text="建议施工单位公开招标，并请业委会全程监督。")
    await run(mod, "moderate_opinion", opinion_id=op.records[0].data["opinion_id"], visible=True)
    ad = await run(phone("马玉珍"), "submit_opinion", text="请大家扫码关注某某装修公司，价格优惠！")
    await run(mod, "moderate_opinion", opinion_id=ad.records[0].data["opinion_id"], visible=False)
    x = await run(phone("刘志强"), "raise_objection", reason="一楼住户的采光和噪音补偿没有落实，不同意现在决定。")
    oid = x.records[0].data["objection_id"]
    await run(mod, "give_explanation", after=120, objection_id=oid, by="王秀兰",
              text="设计单位已调整井道位置，一楼住户不分摊费用，并由楼内住户协商给予适当补偿，补偿方案下次会议公示。")
    await run(phone("刘志强"), "answer_objection", after=60, objection_id=oid, response="answered",
              comment="可以接受，等补偿方案公示。")
    poll = await run(mod, "open_poll", question="是否同意为3号楼加装电梯？")
    pid = poll.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("刘志强", 2), ("赵丽", 0), ("孙德明", 0), ("马玉珍", 0), ("李建国", 0)):
        await run(phone(who), "cast_ballot", after=8, poll_id=pid, choice=choice)
    await run(mod, "add_hand_count", poll_id=pid, counts=[1, 0, 0])
    await run(mod, "close_poll", poll_id=pid)
    # Due dates count from the day of the meeting, so that the sample reads the same whenever it is made.
    await run(mod, "record_outcome", after=90, item=0, outcome="consensus",
              opinion="同意为3号楼加装电梯，由业委会牵头委托设计，补偿方案另行协商并公示。",
              actions=[{"what": "委托设计单位出具正式方案", "owner": "孙德明（业委会）", "due": _due(start, 25)},
                       {"what": "拟定一楼住户补偿方案并公示", "owner": "王秀兰（居委会）", "due": _due(start, 40)},
                       {"what": "在各单元门口和社区公开栏张贴协商结果", "owner": "陈明（社区工作者）", "due": _due(start, 3)}])
    await run(mod, "open_item", item=1)
    await speak("马玉珍", "question", 110, "二楼住户是否也要按系数分摊？希望按实际使用情况收费。")
    await speak("孙德明", "for", 200, "介绍了按楼层系数分摊的测算，二楼系数0.3，六楼系数1.5。")
    x2 = await run(phone("马玉珍"), "raise_objection", reason="二楼住户基本不用电梯，不应分摊。")
    oid2 = x2.records[0].data["objection_id"]
    await run(mod, "give_explanation", after=60, objection_id=oid2, by="孙德明",
              text="二楼系数已按最低标准设定，电梯同时提高房屋价值；可在正式方案中再议。")
    await run(phone("马玉珍"), "answer_objection", after=30, objection_id=oid2, response="still_objects",
              comment="仍希望二楼免于分摊。")
    # How well the sums were explained (满意度测评), then the three ways of sharing the cost put in
    # order of preference, counted by instant runoff: the plan put first least often is eliminated
    # and its ballots pass to their next choice.
    told = await run(mod, "open_poll", question="对分摊测算的说明是否满意？", kind="rating")
    tid = told.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("刘志强", 1), ("赵丽", 0), ("马玉珍", 2), ("孙德明", 0), ("李建国", 1),
                        ("吴工程师", 0)):
        await run(phone(who), "cast_ballot", after=8, poll_id=tid, choice=choice)
    await run(mod, "add_hand_count", poll_id=tid, counts=[0, 1, 0])  # 钱大爷's hand
    await run(mod, "close_poll", poll_id=tid)
    plans = await run(mod, "open_poll", after=30, question="三种费用分摊方案，请按您的意愿排序", kind="ranking",
                      options=["按楼层系数分摊", "一楼和二楼不分摊", "各户平均分摊"], method="instant_runoff")
    plid = plans.records[0].data["poll_id"]
    # Some rank every plan, some stop early (马玉珍 accepts only the one that spares the second floor).
    for who, order in (("张桂英", [2, 0, 1]), ("刘志强", [1, 0]), ("赵丽", [0, 1, 2]), ("孙德明", [0, 2, 1]),
                       ("马玉珍", [1]), ("李建国", [0, 1]), ("吴工程师", [1, 0])):
        await run(phone(who), "cast_ballot", after=12, poll_id=plid, choices=order)
    # Hands cannot show an order of preference: 钱大爷 says his at the desk.
    await run(mod, "cast_ballot", after=30, poll_id=plid, participant_id=people["钱大爷"], choices=[2, 0])
    await run(mod, "close_poll", after=20, poll_id=plid)
    await run(mod, "record_outcome", item=1, outcome="deferred", opinion="待正式造价出来后再议。",
              actions=[{"what": "向街道咨询加装电梯补贴的申请条件，书面告知各户", "owner": "王秀兰（居委会）",
                        "due": _due(start, 3)}])
    await run(mod, "open_item", item=2)
    # What the building most needs kept safe during the works: each ticks at most two; the room sees
    # how many have voted, and the count only when the moderator reveals it after the close.
    works = await run(mod, "open_poll", after=240, question="施工期间最需要保障的是哪几项？", kind="multiple",
                      options=["老人出行通道", "消防通道畅通", "夜间停止施工", "临时停车位", "垃圾及时清运"],
                      max_choices=2, hide_results=True)
    wid = works.records[0].data["poll_id"]
    for who, choices in (("张桂英", [0, 2]), ("刘志强", [2, 4]), ("赵丽", [0, 1]), ("马玉珍", [3]),
                         ("孙德明", [0, 1]), ("李建国", [0, 1]), ("吴工程师", [1])):
        await run(phone(who), "cast_ballot", after=12, poll_id=wid, choices=choices)
    # 钱大爷 has no phone: he tells the desk his two, and the moderator enters his ballot.
    await run(mod, "cast_ballot", after=40, poll_id=wid, participant_id=people["钱大爷"], choices=[0, 2])
    await run(mod, "close_poll", after=30, poll_id=wid)
    await run(mod, "reveal_results", after=5, poll_id=wid)
    # Where the temporary passage goes while the works close the front path: one choice each.
    side = await run(mod, "open_poll", question="施工期间临时通道设在哪一侧？", kind="single",
                     options=["楼东侧", "楼西侧", "楼前绿地"])
    sid = side.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("刘志强", 1), ("赵丽", 0), ("马玉珍", 0), ("孙德明", 2), ("李建国", 0),
                        ("吴工程师", 0)):
        await run(phone(who), "cast_ballot", after=8, poll_id=sid, choice=choice)
    await run(mod, "add_hand_count", poll_id=sid, counts=[1, 0, 0])  # 钱大爷's hand
    await run(mod, "close_poll", poll_id=sid)
    # Those who will keep the building safe, clean and informed during the works, rated each on one
    # ballot (民主评议); a voter who does not know one leaves them unrated (-1). 周海燕 works for the
    # property company and does not rate it, nor the others.
    rated = await run(mod, "open_poll", after=30, question="民主评议：请对以下单位今年的服务作出评价",
                      kind="evaluation", options=["物业服务中心", "社区居委会", "保洁公司"])
    rid = rated.records[0].data["poll_id"]
    for who, ratings in (("张桂英", [0, 0, 1]), ("刘志强", [2, 1, 1]), ("赵丽", [1, 0, 0]), ("马玉珍", [2, 0, -1]),
                         ("孙德明", [1, 0, 0]), ("李建国", [0, 0, 1]), ("吴工程师", [1, -1, -1])):
        await run(phone(who), "cast_ballot", after=12, poll_id=rid, choices=ratings)
    # 钱大爷 gives his ratings at the desk.
    await run(mod, "cast_ballot", after=30, poll_id=rid, participant_id=people["钱大爷"], choices=[1, 0, 2])
    await run(mod, "close_poll", after=20, poll_id=rid)
    # Who builds it is a sensitive choice between neighbours: a secret ballot (无记名投票). Each phone
    # gets a receipt to find in the list published at the close; 钱大爷 votes on paper, counted as a total.
    firm = await run(mod, "open_poll", after=5, question="是否同意由业委会推荐的施工单位承建？", secret=True)
    fid = firm.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("刘志强", 1), ("赵丽", 0), ("马玉珍", 2), ("孙德明", 0), ("李建国", 0),
                        ("吴工程师", 0)):
        await run(phone(who), "cast_ballot", after=3, poll_id=fid, choice=choice)
    await run(mod, "add_hand_count", after=5, poll_id=fid, counts=[1, 0, 0])  # 钱大爷's paper ballot
    await run(mod, "close_poll", after=3, poll_id=fid)
    # Whether to put the works plan to the residents' representatives: a roll call (记名表决), every
    # vote public with its name; 钱大爷 says his and the moderator enters it by name.
    roll = await run(mod, "open_poll", after=5, question="是否同意将施工方案提交居民代表会议审议？（记名表决）", named=True)
    lid = roll.records[0].data["poll_id"]
    for who, choice in (("张桂英", 0), ("刘志强", 0), ("赵丽", 0), ("马玉珍", 1), ("孙德明", 0), ("李建国", 2),
                        ("吴工程师", 0)):
        await run(phone(who), "cast_ballot", after=3, poll_id=lid, choice=choice)
    await run(mod, "cast_ballot", after=5, poll_id=lid, participant_id=people["钱大爷"], choice=0)
    await run(mod, "close_poll", after=3, poll_id=lid)
    await run(mod, "record_outcome", after=90, item=2, outcome="deferred",
              opinion="与施工方案一并讨论；施工方案须首先保障老人出行通道和消防通道畅通，并明确夜间停止施工。")
    if before_close is not None:
        await before_close(run, people)
    await run(mod, "close_meeting", after=120)
    return meeting_id, key


# -- after the meeting: what became of the finished consultation's decisions -------------------

PUBLICITY_OBJECTOR = 8  # 郑晓东, invited, who did not come: he objects with the code on his slip


def plan_pdf() -> bytes:
    """A one-page PDF standing for the road's plan (drawn with matplotlib: no other PDF maker needed)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 5.8))
    ax = fig.add_subplot()
    ax.plot([0, 0.6, 1.8], [0, 0.4, 0.5], linewidth=6, color="#888")
    ax.set_title("Village road, 1.8 km: hardening plan")
    ax.set_xlabel("km")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    return out.getvalue()


def notice_photo() -> bytes:
    """A photo of the results pinned on the notice board, as a phone would send it: a JPEG whose
    metadata says where it was taken and on which phone (the store keeps neither)."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (960, 720), (214, 206, 190))  # the wall
    draw = ImageDraw.Draw(img)
    draw.rectangle((90, 60, 870, 660), fill=(52, 92, 70), outline=(120, 84, 48), width=14)  # the board
    draw.rectangle((300, 110, 660, 610), fill=(250, 250, 246))  # the notice
    draw.rectangle((330, 140, 630, 172), fill=(196, 40, 36))  # its heading
    for n in range(11):
        draw.rectangle((330, 200 + n * 28, 630 - (n % 3) * 40, 210 + n * 28), fill=(90, 90, 90))
    draw.ellipse((520, 500, 610, 590), outline=(196, 40, 36), width=6)  # the committee's seal
    for x in (315, 645):
        draw.ellipse((x - 9, 118, x + 9, 136), fill=(200, 30, 30))  # pins
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Demo", "Phone"  # camera maker and model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 13.0, 30.0), "E", (121.0, 28.0, 10.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


async def follow_up_demo(meetings: Meetings, meeting_id: str, attachments: Attachments) -> None:
    """The days after the finished consultation (create_finished_demo), so that the public board
    and the office's page show decisions at every stage: the results posted (three updates, the
    last with a photo), the design commissioned (40 %), the compensation blocked waiting for it,
    the question about subsidies overdue; an invited resident who did not come objects in the
    publicity period with his code, is answered and replies; 刘志强, who spoke against, asks for an
    explanation and still objects after it; the office reports the first item back to the
    sub-district office that entrusted it, which replies, and corrects that item's decision, which
    only the owners may take.

    Each step goes the way the server takes it (the payload parsed, the photo through the file
    store `attachments`, live/attachments.py), as the role that would send it, at a time in the
    five days after the close: the service's clock is stepped, then given back, as for the meeting.
    """
    from datetime import datetime, time as day_time, timedelta
    from zoneinfo import ZoneInfo

    from facilitation.roles import FACILITATOR, GUEST, RECORDER

    from . import payloads

    m = await meetings.state(meeting_id)
    assert m.closed_at is not None, "the meeting is followed up after it closed"
    zone = ZoneInfo(DEMO_ZONE)
    closed_on = datetime.fromtimestamp(m.closed_at, zone).date()
    real_clock = meetings.clock
    now = [m.closed_at]
    meetings.clock = lambda: now[0]

    async def run(actor: Actor, command: str, days: int, at: str, **body: Any) -> Any:
        when = datetime.combine(closed_on + timedelta(days=days), day_time.fromisoformat(at), zone).timestamp()
        now[0] = max(now[0] + 1, min(when, real_clock() - 60))  # in order, and never later than now
        payload = payloads.parse(command, body)
        if command == "update_action":
            payload["attachments"] = attachments.resolve(meeting_id, payload.get("attachments"))
        return await meetings.execute(meeting_id, actor, command, payload)

    recorder, chair, office = Actor(RECORDER), Actor(MODERATOR), Actor(FACILITATOR)
    liu = Actor("attendee", next(p.id for p in m.participants.values() if p.name == "刘志强"))
    resident = Actor(GUEST, None, PUBLICITY_OBJECTOR)  # as POST /meetings/{id}/object names him, by his code
    try:
        # 1.3, done in three updates, the last with the photo of the board.
        await run(recorder, "update_action", 1, "09:30", action="1.3", status="in_progress", percent=30,
                  note="公示稿已拟好，报街道审核。")
        # The next morning the sub-district office corrects the first item: the owners decide on a lift.
        await run(office, "correct_decision", 1, "11:00", item=0, outcome="consensus",
                  opinion="同意推进3号楼加装电梯的前期工作，由业委会牵头委托设计；是否加装由3号楼业主依照《民法典》"
                          "第二百七十八条共同决定。补偿方案另行协商并公示。",
                  reason="加装电梯属于改建建筑物及其附属设施，应由业主共同决定；居民协商会的意见可作为业主表决的依据，"
                         "不能代替业主表决。",
                  decided_by="幸福街道办事处")
        # He spoke against the lift; he asks the organisers why it was decided before the compensation was.
        asked = await run(liu, "request_explanation", 1, "12:30", item=0,
                          reason="我在会上发言反对，为什么补偿方案还没出来就先表决同意加装？")
        await run(office, "report_matter", 1, "15:00", item=0,
                  text="经居民协商会协商，多数居民同意推进3号楼加装电梯前期工作，一楼住户关注采光和噪音补偿；"
                       "是否加装将由3号楼业主共同决定，补偿方案另行协商并公示。")
        await run(recorder, "update_action", 1, "16:10", action="1.3", percent=70,
                  note="街道审核通过，1单元、2单元门口已张贴；3单元门禁维修，明天补贴。")
        photo = attachments.store(meeting_id, notice_photo(), "公开栏张贴照片.jpg")
        await run(recorder, "update_action", 2, "10:20", action="1.3", status="done",
                  note="3单元门口和社区公开栏已张贴，公示期7天。",
                  attachments=[{"sha256": photo.sha256, "name": photo.name}])
        # A resident who was not there objects while the decisions are posted.
        raised = await run(resident, "object_in_publicity", 2, "20:15", item=0,
                           reason="我是3号楼一楼住户，开会那天在外地没能参加。井道离我家窗户很近，"
                                  "采光和噪音的补偿还没有具体标准，不同意现在就定下来。")
        objection = raised.records[0].data["objection_id"]
        await run(recorder, "give_explanation", 3, "10:00", objection_id=objection, by="王秀兰",
                  text="井道位置已改到楼梯间北侧，不在您家窗前；补偿标准待设计方案确定后测算，"
                       "拟定后在楼道公示，并上门听取您的意见。")
        await run(recorder, "give_explanation", 3, "11:30", objection_id=asked.records[0].data["objection_id"],
                  by="王秀兰", text="协商会表决的是是否推进前期工作；是否加装由业主共同决定，"
                                    "补偿方案会在业主表决前公示，一楼住户的意见会单独听取。")
        await run(chair, "update_action", 3, "16:30", action="1.1", status="in_progress", percent=40,
                  note="已与设计单位签订委托合同，现场测绘已完成，初步方案预计本月底出。")
        await run(liu, "answer_objection", 3, "19:00", objection_id=asked.records[0].data["objection_id"],
                  response="still_objects", comment="补偿标准定下来之前，我仍然不同意。")
        await run(resident, "answer_in_publicity", 3, "20:40", objection_id=objection, response="answered",
                  comment="清楚了，等补偿标准公示后再看。")
        await run(office, "record_reply", 4, "09:00", item=0,
                  text="已收悉。请社区指导业委会依法组织3号楼业主共同决定，并将补偿方案报街道备案。")
        await run(recorder, "update_action", 4, "11:00", action="1.2", status="blocked",
                  note="补偿标准要按井道的最终位置测算采光影响，须等设计单位的正式方案（1.1）出来后再拟定。")
        # 2.1 is left as the meeting decided it: due three days after the meeting, so now overdue.
    finally:
        meetings.clock = real_clock


# -- meetings convened from the sample registers (live/samples) -----------------------------

SAMPLES = Path(__file__).resolve().parent / "samples"

OWNERS_VOTE = {
    "title": "幸福里小区3号楼业主共同决定：加装电梯（已结束示例）",
    "form": "owners",
    "place": "幸福里社区居委会二楼会议室",
    "language": "zh-CN",
    "speaking_seconds": 180,
    "moderator": "王秀兰（社区居委会主任）",
    "recorder": "陈明（社区工作者）",
    "agenda": [{"title": "是否同意为3号楼加装电梯",
                "background": "加装电梯属于改建建筑物及其附属设施（《民法典》第二百七十八条第一款第八项）：须由专有部分面积"
                              "占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上"
                              "且参与表决人数四分之三以上的业主同意。"}],
}

VILLAGE_ASSEMBLY = {
    "title": "幸福村村民会议：修订村规民约",
    "form": "assembly",
    "place": "幸福村村民委员会大礼堂",
    "language": "zh-CN",
    "speaking_seconds": 180,
    "moderator": "李建国（村民委员会主任）",
    "recorder": "陈明（村务工作者）",
    "agenda": [{"title": "修订村规民约（草案）", "background": "草案已在各村民小组张贴公示十五天，收到书面意见23条。"},
               {"title": "村道硬化工程方案", "background": "拟硬化第三、第七村民小组之间的村道1.8公里。"}],
}


def sample_people(name: str) -> list[Any]:
    """The people of a sample register shipped with Yishi (the office's own files look the same)."""
    from datetime import date

    from facilitation.register import read_rows

    from .register_files import read_file

    return read_rows(read_file(SAMPLES / name), this_year=date.today().year).people


async def create_village_demo(meetings: Meetings) -> tuple[str, str]:
    """A villagers' assembly convened from the village register: every registered adult invited,
    ready to run (its quorum is more than half of them)."""
    from datetime import date

    from facilitation.convening import invitees

    from facilitation import forms
    from facilitation.events import FACILITATOR, By

    from .registry import FormsBook

    # The sample village is a village: its meetings say 村民, 村民小组, 村民委员会 (facilitation/forms.py).
    wording = FormsBook(meetings.store, community=VILLAGE)
    if wording.state().wording != "village":
        wording.append(forms.set_wording(wording.state(), "village", actor=By(FACILITATOR)))
    roster = invitees(sample_people("village-register.csv"), "adults", year=date.today().year)
    meeting_id, key, _ = await meetings.create(dict(VILLAGE_ASSEMBLY, roster=roster, wording="village", template=forms.applied(
        forms.builtin("assembly"), community=VILLAGE, agenda_applied=False)))
    # Told in the villagers' message group, the first group's heads by telephone as well; a few
    # replies taken by the committee (coming, not coming, sending someone with a written proxy).
    desk = Actor(RECORDER)
    await meetings.execute(meeting_id, desk, "record_notice", {"how": "message_group", "note": "幸福村村民微信群"})
    await meetings.execute(meeting_id, desk, "record_notice", {"how": "call", "invitees": list(range(8))})
    for invitee, answer, holder in ((0, "coming", ""), (1, "coming", ""), (2, "not_coming", ""), (3, "coming", ""),
                                    (4, "proxy", roster[5]["name"]), (6, "coming", "")):
        await meetings.execute(meeting_id, desk, "reply", {"invitee": invitee, "answer": answer, "holder": holder})
    return meeting_id, key


HEARING = {
    "title": "幸福村第五村民小组饮水管网改造方案听证会",
    "form": "hearing",
    "place": "幸福村村民委员会二楼会议室",
    "language": "zh-CN",
    "speaking_seconds": 300,
    "moderator": "李建国（村民委员会主任）",
    "recorder": "陈明（村务工作者）",
    "agenda": [{"title": "第五村民小组饮水管网改造方案", "background": "镇政府安排专项资金改造第五村民小组饮水管网，"
                "管线走向有北线（机耕道）和南线（沿河）两个方案，听取各方意见后报镇政府决定。"}],
}
HEARING_PARTIES = (
    ("王德明", "resident_group", "group", "第五村民小组", "for", "组里多数人家盼早日通上稳定的自来水，支持北线方案。"),
    ("赵桂兰", "registered", "concerned", "北线机耕道沿线农户", "against", "北线要挖开机耕道，农忙时农机无法通行，要求改走南线或错开农忙。"),
    ("幸福村股份经济合作社", "unit", "organisation", "村集体", "other", "入户水表和后期维护费用由谁承担，需要在方案中写明。"),
)


async def create_hearing_demo(meetings: Meetings) -> tuple[str, str]:
    """A hearing (听证会) ready to run: three parties registered to testify beforehand, in that
    order, each with the time the hearing gives them (facilitation/hearing.py)."""
    from facilitation import forms

    roster = [{"name": name, "category": category} for name, category, *_ in HEARING_PARTIES]
    meeting_id, key, _ = await meetings.create(dict(HEARING, roster=roster, wording="village", template=forms.applied(
        forms.builtin("hearing"), community=VILLAGE, agenda_applied=False)))
    desk = Actor(RECORDER)
    await meetings.execute(meeting_id, desk, "record_notice", {"how": "slip"})
    for i, (name, category, kind, speaks_for, side, summary) in enumerate(HEARING_PARTIES):
        await meetings.execute(meeting_id, desk, "register_party", {
            "name": name, "category": category, "for_kind": kind, "speaks_for": speaks_for, "side": side,
            "summary": summary, "invitee": i})
    await meetings.execute(meeting_id, Actor(MODERATOR), "set_hearing_time", {"testimony_seconds": 300, "closing_seconds": 120})
    return meeting_id, key


async def create_owners_demo(meetings: Meetings, *, held_at: float | None = None) -> tuple[str, str]:
    """The owners of building 3, convened from the owners' register with their areas, decide on the
    lift by the owners' special majority (Civil Code art. 278), and the meeting is closed: its
    minutes show the result with both counts, by number and by area."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from facilitation.convening import invitees
    from facilitation.roles import GUEST

    roster = invitees(sample_people("building-owners.csv"), "owners", year=date.today().year)
    start = _evening(HELD_DAYS_AGO - 2) if held_at is None else held_at
    now = [start - 15 * 60]
    real_clock = meetings.clock
    meetings.clock = lambda: now[0]
    try:
        starts_at = datetime.fromtimestamp(start, ZoneInfo(DEMO_ZONE)).strftime("%Y-%m-%d %H:%M")
        meeting_id, key, _ = await meetings.create(dict(OWNERS_VOTE, starts_at=starts_at, roster=roster))
        mod = Actor(MODERATOR)

        async def run(actor: Actor, command: str, after: float = 20, **payload: Any) -> Any:
            now[0] += after
            return await meetings.execute(meeting_id, actor, command, payload)

        # The five smallest flats' owners stay away; of those who come, most bring the slip's code
        # on their phone, the two eldest are checked in and vote at the desk.
        by_area = sorted(range(len(roster)), key=lambda i: Decimal(roster[i]["area"]))
        absent, against, abstaining = set(by_area[:5]), set(by_area[5:7]), set(by_area[7:9])
        at_desk = set(by_area[-2:])
        pid: dict[int, str] = {}
        for i in range(len(roster)):
            if i in absent:
                continue
            if i in at_desk:
                done = await run(mod, "check_in", after=40, invitee=i)
            else:
                done = await run(Actor(GUEST, None, i), "check_in", after=25)
            pid[i] = done.records[0].data["participant_id"]
        now[0] = start
        await run(mod, "open_item", after=0, item=0)
        first = next(i for i in pid if i in against)
        x = await run(Actor("attendee", pid[first]), "raise_objection", reason="一楼用不上电梯，还要承担采光损失。")
        await run(mod, "give_explanation", after=90, objection_id=x.records[0].data["objection_id"], by="王秀兰",
                  text="一楼不分摊建设费用，井道位置已调整以减少遮挡，并按协商方案给予补偿。")
        poll = await run(mod, "open_poll", after=60, question="是否同意为3号楼加装电梯？", rule="owners_special")
        poll_id = poll.records[0].data["poll_id"]
        for i, participant in pid.items():
            choice = 1 if i in against else 2 if i in abstaining else 0
            actor, extra = (mod, {"participant_id": participant}) if i in at_desk else (Actor("attendee", participant), {})
            await run(actor, "cast_ballot", after=6, poll_id=poll_id, choice=choice, **extra)
        await run(mod, "close_poll", poll_id=poll_id)
        await run(mod, "record_outcome", after=90, item=0, outcome="consensus",
                  opinion="经业主共同决定，同意为3号楼加装电梯；一楼业主补偿方案由业委会拟定后公示。",
                  actions=[{"what": "委托设计单位出具正式方案并报规划审批", "owner": "业委会", "due": _due(start, 60)}])
        await run(mod, "close_meeting", after=120)
        return meeting_id, key
    finally:
        meetings.clock = real_clock


# -- topics for consultation at every stage (facilitation/topics.py) ---------------------------

VILLAGE = "xingfu-cun"  # the sample village's community id: its register and topics


async def create_topics_demo(meetings: Meetings, *, live: str, finished: str, village: str, hearing: str = "",
                             files: Attachments | None = None) -> int:
    """The sample village's register (imported as its own community's) and topics at every stage:
    a petition still collecting signatures, one that reached a tenth of the adult villagers and was
    put on the villagers' assembly's agenda, the committee's topic on the same agenda, a topic
    accepted and not yet scheduled, one declined with its reason, the lift on the consultation ready
    to run (consulted once its item opens) and on the finished one (decided). The road's plan comes with
    a photo and a PDF; the street lights were proposed by a villager with their resident code and are
    co-signed on paper and online; the water mains, with opinions gathered in advance, go to the
    hearing. Each meeting that takes a topic up holds it (link_topic), as the office's scheduling
    does. Returns the topics made."""
    import asyncio
    from datetime import date

    import time

    from facilitation import advance_opinions, topic_materials, topics
    from facilitation.roles import FACILITATOR as FACILITATOR_ROLE

    from .services import RuleError
    from facilitation.community import import_people
    from facilitation.events import FACILITATOR, By
    from facilitation.register import read_rows

    from .register_files import read_file
    from .registry import Registry, TopicsBook

    office = By(FACILITATOR)
    year = date.today().year

    def build() -> int:
        register = Registry(meetings.store, community=VILLAGE)
        if not register.state().entries:
            parsed = read_rows(read_file(SAMPLES / "village-register.csv"), this_year=year)
            register.append(import_people(register.state(), parsed, file="village-register.csv", actor=office)[0])
        people = register.state()
        book = TopicsBook(meetings.store, community=VILLAGE)
        if book.state().topics:
            return 0
        adults = [pid for pid, e in people.entries.items() if topics.entitled(e, "residents", year)]

        def propose(into: Any = book, **spec: Any) -> str:
            return str(into.append(topics.propose(into.state(), actor=office, **spec)).data["topic"])

        def signed(tid: str, n: int) -> None:
            for pid in adults[:n]:
                book.append(topics.sign(book.state(), tid, people, pid, via="paper", year=year, actor=office))

        needed = topics.needed(people, "residents", year)
        resident = advance_opinions.RESIDENT
        road = propose(title="村道硬化工程方案", kind="planning", source="residents", proposer="第三、第七村民小组村民",
                       groups=["第三村民小组", "第七村民小组"], petition="residents",
                       background="雨天泥泞，学生上学和农产品运输困难。拟硬化两组之间的村道1.8公里。")
        signed(road, needed)  # the signature that reaches a tenth accepts it
        if files is not None:  # the plan's drawing and the photo of the road after rain
            for name, data in (("村道现状（雨后）.jpg", notice_photo()), ("村道硬化工程方案.pdf", plan_pdf())):
                stored = files.store(VILLAGE, data, name)
                book.append(topic_materials.add(book.state(), road, stored.to_data(), actor=office))
        book.append(topics.schedule(book.state(), road, meeting=village, item=1, actor=office))
        rules = propose(title="修订村规民约", kind="charter", source="committee", proposer="幸福村村民委员会",
                        background="现行村规民约制定于2012年，部分条款与新修订的法律法规不一致。")
        book.append(topics.accept(book.state(), rules, actor=office))
        book.append(topics.schedule(book.state(), rules, meeting=village, item=0, actor=office))
        # proposed from a villager's phone with their resident code, under their name in the register
        by = adults[-1]
        lights = str(book.append(topics.propose(
            book.state(), title="村口至学校路段安装路灯", kind="urgent", source="residents",
            proposer=people.entries[by].person.name, groups=["第一村民小组"], petition="residents", person=by,
            background="冬季放学时天已黑，路段无照明。", actor=By(resident, by))).data["topic"])
        signed(lights, needed // 3)  # still collecting: on paper, and online with their own codes
        for pid in adults[-6:-1]:
            book.append(topics.sign(book.state(), lights, people, pid, via="online", year=year, actor=By(resident, pid)))
        water = propose(title="第五村民小组饮水管网改造", kind="planning", source="township", proposer="幸福镇人民政府",
                        groups=["第五村民小组"], background="镇政府安排专项资金，需听取村民对管线走向的意见。")
        book.append(topics.accept(book.state(), water, actor=office))
        # the villagers' opinions on it, gathered for ten days (征求意见): from paper, a telephone call and
        # online, and villagers agreeing or disagreeing with them online
        now = time.time()
        book.append(advance_opinions.open_period(book.state(), water, opens=now - 3 * 86400, until=now + 7 * 86400,
                                                 now=now, actor=office))
        said = {}
        for pid, text, channel in ((adults[0], "管线走北边机耕道，不占农田。", "paper"),
                                   (adults[1], "施工期间要保证临时供水，每天不少于两小时。", "phone"),
                                   (adults[2], "入户水表由村集体统一采购，费用公开。", "online")):
            by = By(advance_opinions.RESIDENT, pid) if channel == "online" else office
            said[text[:4]] = book.append(advance_opinions.give(book.state(), water, people, pid, text, channel=channel,
                                                               now=now, actor=by)).data["statement"]
        for n, pid in enumerate(adults[3:15]):
            for key, stance in (("管线走北", "agree"), ("施工期间", "agree" if n % 3 else "disagree")):
                book.append(advance_opinions.take_stance(book.state(), water, said[key], people, pid, stance, now=now,
                                                         actor=By(advance_opinions.RESIDENT, pid)))
        if hearing:
            book.append(topics.schedule(book.state(), water, meeting=hearing, item=0, actor=office))
        clinic = propose(title="村卫生室改扩建", kind="policy", source="party", proposer="幸福村党支部",
                         background="落实县卫生健康局村卫生室标准化建设要求，需确定选址和用地。")
        book.append(topics.accept(book.state(), clinic, actor=office))  # accepted, not on an agenda yet
        court = propose(title="修建灯光篮球场", kind="other", source="residents", proposer="村民 赵志强")
        book.append(topics.decline(book.state(), court, "村集体建设用地已列入明年规划，届时一并协商。", actor=office))
        # the lift, in the install's first community (幸福里社区): consulted once the meeting ready to
        # run opens its item, decided in the finished one
        street = TopicsBook(meetings.store)
        for meeting_id, title in ((live, "幸福里小区3号楼加装电梯"), (finished, "幸福里小区3号楼加装电梯（上次协商）")):
            lift = propose(street, title=title, kind="planning", source="committee", proposer="幸福里社区居委会",
                           groups=["3号楼住户"], background="3号楼已有18户联名申请加装电梯。")
            street.append(topics.accept(street.state(), lift, actor=office))
            street.append(topics.schedule(street.state(), lift, meeting=meeting_id, item=0, actor=office))
        return len(book.state().topics) + len(street.state().topics)

    made = await asyncio.to_thread(build)
    # The meetings hold the topics on their items, as the office's scheduling gives them (live/topics_http.py).
    for community, book in ((VILLAGE, TopicsBook(meetings.store, community=VILLAGE)), ("", TopicsBook(meetings.store))):
        for t in (await asyncio.to_thread(book.state)).topics.values():
            if t.status == "scheduled" and t.item is not None and t.meeting:
                try:
                    await meetings.execute(t.meeting, Actor(FACILITATOR_ROLE), "link_topic",
                                           {"item": t.item, "topic": topics.summary(t, community)})
                except RuleError:  # held already (a demo started again)
                    pass
    return made
