"""Binding polls over the wire: the quorum gate and the chair's reason, members only, the owners'
double majority by area, and the result with both counts on the wall and in the minutes."""
from __future__ import annotations

import json
from typing import Any

from live.errors import message

MEMBERS = [{"name": f"代表{i}", "category": "registered"} for i in range(1, 7)]
OWNERS = [{"name": "张桂英", "category": "registered", "area": "120.00"},
          {"name": "周海燕", "category": "registered", "area": "80.50"},
          {"name": "李建国", "category": "registered", "area": "60.00"}]


async def member_phones(server: Any, screens: Any, meeting: dict[str, Any], how_many: int) -> list[Any]:
    codes = await server.join_codes(meeting["id"], meeting["key"])
    phones = []
    for code in codes[:how_many]:
        guest = await screens(meeting["id"], "phone", token=None)
        checked = await guest.send("check_in", {"code": code})
        assert checked["ok"], checked
        phones.append(await screens(meeting["id"], "phone", token=checked["token"]))
    return phones


async def test_a_representatives_assembly_without_quorum_passes_nothing(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(title="第二届居民代表会议", form="representatives", roster=MEMBERS)
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    wall = await screens(mid, "projector")
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    phones = await member_phones(server, screens, meeting, 3)
    refused = await mod.send("open_poll", {"question": "通过物业选聘方案", "rule": "present"})
    assert refused["code"] == "no_quorum"
    assert refused["error"] == message("no_quorum", "zh-CN", {"present": 3, "required": 4})
    opened = await mod.send("open_poll", {"question": "通过物业选聘方案", "rule": "present",
                                          "quorum_override": "暴雨，部分代表无法到场"})
    assert opened["ok"], opened
    walk_in = await screens(mid, "phone", token=None)
    checked = await walk_in.send("check_in", {"name": "旁听居民", "category": "registered"})
    walk_in = await screens(mid, "phone", token=checked["token"])
    assert (await walk_in.send("cast_ballot", {"poll_id": "v1", "choice": 0}))["code"] == "not_entitled"
    for phone in phones:
        assert (await phone.send("cast_ballot", {"poll_id": "v1", "choice": 0}))["ok"]
    assert (await mod.send("close_poll", {"poll_id": "v1"}))["ok"]
    view = await wall.wait_for(lambda v: v["polls"] and v["polls"][0]["result"] is not None)
    poll = view["polls"][0]
    assert (poll["rule"], poll["present"], poll["entitled"], poll["quorum_override"]) == ("present", 3, 6, "暴雨，部分代表无法到场")
    assert poll["result"]["passed"] is False
    assert [(c["what"], c["met"]) for c in poll["result"]["checks"]] == [("quorum", False), ("approval", True)]
    async with server.http() as http:
        model = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": key})).json()
        md = (await http.get(f"/meetings/{mid}/minutes.md", params={"key": key})).text
        public = (await http.get(f"/meetings/{mid}/minutes.md", params={"public": 1, "lang": "en"})).text
    (stated,) = model["items"][0]["polls"]
    assert model["schema"] == "yishi-minutes/9"
    assert (stated["rule"], stated["quorum_override"], stated["result"]["passed"]) == ("present", "暴雨，部分代表无法到场", False)
    assert stated["quorum_at_open"] == {"rule": "two_thirds", "members": 6, "present": 3, "required": 4, "met": False}
    for line in ("正式表决，通过规则：到会有表决权人员过半数同意。", "未达到法定人数即开始表决，主持人说明的理由：暴雨，部分代表无法到场",
                 "表决结果：未通过", "表决结束时法定人数：应到 6 人，实到 3 人，需 4 人——未达到"):
        assert line in md, line
    assert "Result: not passed" in public and "Binding vote. Passes when more than half of those present" in public


async def test_the_owners_decide_by_number_and_by_area(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting(title="3号楼业主共同决定", form="owners", roster=OWNERS)
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    phones = await member_phones(server, screens, meeting, 3)
    assert (await mod.send("open_poll", {"question": "同意加装电梯", "rule": "owners"}))["ok"]
    assert (await mod.send("add_hand_count", {"poll_id": "v1", "counts": [1, 0, 0]}))["code"] == "hands_not_weighted"
    assert (await phones[0].send("cast_ballot", {"poll_id": "v1", "choice": 0}))["ok"]  # 120 ㎡
    synced = await mod.send("sync")
    pid = next(p["id"] for p in synced["view"]["participants"] if p["name"] == "周海燕")
    # 周海燕 has no phone with her: the desk enters her ballot as she says it
    assert (await mod.send("cast_ballot", {"poll_id": "v1", "choice": 0, "participant_id": pid}))["ok"]
    assert (await phones[1].send("cast_ballot", {"poll_id": "v1", "choice": 1}))["code"] == "already_voted"
    assert (await mod.send("close_poll", {"poll_id": "v1"}))["ok"]
    poll = (await mod.send("sync"))["view"]["polls"][0]
    checks = {c["what"]: c for c in poll["result"]["checks"]}
    assert poll["result"]["passed"] is True
    assert checks["participation_area"] == {"what": "participation_area", "have": "200.50", "base": "260.50",
                                            "need": "173.67", "fraction": "two_thirds", "met": True}
    assert (checks["approval_owners"]["have"], checks["approval_owners"]["base"]) == (2, 2)
    async with server.http() as http:
        model = (await http.get(f"/meetings/{mid}/minutes.json", params={"public": 1})).json()
    (stated,) = model["items"][0]["polls"]
    assert stated["staff_ballots"] == 1 and stated["result"]["passed"] is True
    assert json.dumps(model, ensure_ascii=False).count("张桂英") == 0  # the public minutes still name no resident
