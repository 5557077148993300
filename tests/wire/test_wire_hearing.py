"""A hearing over the real socket: an invitee registers to testify from the phone their personal
code checked in, another with her code without checking in, the console registers more by name, forged identities are refused, the chair
runs the stages and calls the parties in order, the projector sees the party speaking, and a
restart of the server keeps all of it."""
from __future__ import annotations

from support.wire import Screen, start_server, stop_all, stop_server

ROSTER = [{"name": "张桂英", "category": "registered"}, {"name": "周海燕", "category": "registered"},
          {"name": "李建国", "category": "registered"}]


def stored(running, meeting_id, type_):
    return [r for r in running.yishi.store.events(meeting_id) if r.type == type_]


async def test_a_hearing_registers_parties_runs_its_stages_and_survives_a_restart(tmp_path):
    running, srv, task = await start_server(tmp_path / "data")
    opened: list[Screen] = []

    async def screen(mid, role, **auth):
        s = await Screen(running.url, {"meeting": mid, "role": role, **auth}).connect()
        opened.append(s)
        return s

    try:
        meeting = await running.create_meeting(form="hearing", roster=ROSTER)
        mid = meeting["id"]
        mod = await screen(mid, "moderator", key=meeting["key"])
        projector = await screen(mid, "projector")
        codes = await running.join_codes(mid, meeting["key"])
        guest = await screen(mid, "phone", token=None)
        checked = await guest.send("check_in", {"code": codes[0]})
        zhang = await screen(mid, "phone", token=checked["token"])

        # the invitee registers from her own phone, before the meeting's first item is open
        ack = await zhang.send("register_party", {"for_kind": "building", "speaks_for": "3号楼一层住户",
                                                  "side": "against", "summary": "一层采光受影响"})
        assert ack["ok"], ack
        (registered,) = stored(running, mid, "PartyRegistered")
        assert registered.data["actor"] == {"role": "participant", "id": checked["participant_id"]}
        assert registered.data["name"] == "张桂英" and registered.data["invitee"] == 0
        await zhang.until(lambda: zhang.mes and (zhang.mes[-1]["me"].get("party") or {}).get("name") == "张桂英",
                          "the phone never saw its own registration")

        # forged: a phone naming someone else, another's participant, a roster place; a walk-in; a stranger's withdrawal
        stranger = await screen(mid, "phone", token=None)
        walk_in_ack = await (await screen(mid, "phone", token=None)).send("check_in", {"name": "过路人", "category": "registered"})
        walker = await screen(mid, "phone", token=walk_in_ack["token"])
        for payload, code in [({"name": "周海燕"}, "not_your_participant"), ({"invitee": 1}, "not_your_participant"),
                              ({"participant_id": "p9"}, "not_your_participant")]:
            ack = await zhang.send("register_party", {"for_kind": "concerned", "side": "for", "summary": "冒名",
                                                      **payload})
            assert ack["code"] == code, (payload, ack)
        ack = await walker.send("register_party", {"for_kind": "concerned", "side": "for", "summary": "我也说"})
        assert ack["code"] == "party_needs_code" and "个人码" in ack["error"]
        ack = await walker.send("withdraw_party", {"party_id": "h1"})
        assert ack["code"] == "not_your_party"
        ack = await stranger.send("register_party", {"for_kind": "concerned", "side": "for", "summary": "未签到"})
        assert ack["code"] == "code_required"
        ack = await stranger.send("register_party", {"code": "000000", "for_kind": "concerned", "side": "for",
                                                     "summary": "猜的码"})
        assert ack["code"] == "bad_code"
        # with the code on her slip, without checking in: registered as herself, and not counted as here
        ack = await stranger.send("register_party", {"code": codes[1], "for_kind": "concerned", "side": "other",
                                                     "summary": "用码登记"})
        assert ack["ok"], ack
        by_code = stored(running, mid, "PartyRegistered")[-1]
        assert by_code.data["actor"] == {"role": "invitee", "id": "1"} and by_code.data["name"] == "周海燕"
        assert (await mod.send("withdraw_party", {"party_id": by_code.data["party_id"], "reason": "改为书面意见"}))["ok"]
        assert (await mod.send("sync"))["view"]["invited"]["in"] == 1
        # the console registers a company by name, an invitee by roster place; a duplicate is refused
        for payload in [{"name": "幸福城建公司", "category": "unit", "for_kind": "organisation",
                         "speaks_for": "幸福城建有限公司", "side": "for", "summary": "施工方案"},
                        {"invitee": 2, "for_kind": "concerned", "side": "other", "summary": "费用分摊"}]:
            assert (await mod.send("register_party", payload))["ok"]
        ack = await mod.send("register_party", {"invitee": 0, "for_kind": "concerned", "side": "for", "summary": "x"})
        assert ack["code"] == "party_registered" and "张桂英" in ack["error"]
        assert len(stored(running, mid, "PartyRegistered")) == 4

        # the stages, in order
        ack = await mod.send("begin_hearing_stage", {"stage": "testimony"})
        assert ack["code"] == "hearing_stage_order" and "宣布听证程序" in ack["error"]
        assert (await mod.send("set_hearing_time", {"testimony_seconds": 240, "closing_seconds": 60}))["ok"]
        assert (await mod.send("open_item", {"item": 0}))["ok"]
        for stage in ("explain", "plan", "testimony"):
            assert (await mod.send("begin_hearing_stage", {"stage": stage}))["ok"], stage
        ack = await zhang.send("register_party", {"for_kind": "concerned", "side": "for", "summary": "晚了"})
        assert ack["code"] == "registration_closed"
        assert (await mod.send("call_party", {}))["ok"]
        view = await projector.wait_for(lambda v: v["hearing"]["speaking"] == "h1")  # h2 withdrew
        assert view["speaker"]["who"]["name"] == "张桂英" and view["speaker"]["kind"] == "testimony"
        assert view["speaker"]["ends_at"] - view["speaker"]["started_at"] == 240
        assert view["hearing"]["to_come"] == ["h3", "h4"] and view["hearing"]["stage"] == "testimony"
        assert (await mod.send("call_party", {}))["ok"]
        view = await projector.wait_for(lambda v: v["hearing"]["speaking"] == "h3")
        assert view["speaker"]["who"]["name"] == "幸福城建公司" and view["hearing"]["to_come"] == ["h4"]
        ack = await zhang.send("withdraw_party", {"party_id": "h1"})
        assert ack["code"] == "party_already_heard"
        await stop_all(opened, (srv, task))
        opened.clear()

        # a restart keeps the parties, the stage and the speech under way
        running, srv, task = await start_server(tmp_path / "data")
        mod = await screen(mid, "moderator", key=meeting["key"])
        view = (await mod.send("sync"))["view"]
        assert view["hearing"]["stage"] == "testimony" and view["hearing"]["speaking"] == "h3"
        assert [p["name"] for p in view["hearing"]["parties"]] == ["张桂英", "幸福城建公司", "李建国"]
        assert (await mod.send("call_party", {}))["ok"]
        ack = await mod.send("call_party", {})
        assert ack["code"] == "no_party_left"
        view = (await mod.send("sync"))["view"]
        assert view["speaker"]["who"]["name"] == "李建国"  # checked in by the desk when called
        assert len(stored(running, mid, "PartyCalled")) == 3
    finally:
        await stop_all(opened, (srv, task))
