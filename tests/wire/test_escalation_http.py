"""The chain of decision on a real server: an item without consensus goes on to a representatives'
meeting, which takes it up with its record; when that meeting closes, its decision shows on the
original item, in its minutes and on the public board."""
from __future__ import annotations

import asyncio
from typing import Any

from support.wire import HTTP_BUDGET_S, Running


async def no_consensus(server: Running, screens: Any) -> dict[str, Any]:
    meeting = await server.create_meeting()
    mod = await screens(meeting["id"], "moderator", key=meeting["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "none", "opinion": "分歧较大，提交居民代表会议。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    return meeting


async def test_an_item_goes_on_to_the_representatives_and_their_decision_comes_back(server, screens):
    source = await no_consensus(server, screens)
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as c:
        r = await c.post(f"/api/meetings/{source['id']}/items/1/escalate", headers=office, json={
            "to_form": "representatives", "reason": "业主意见分歧，按章程提交居民代表会议表决。",
            "starts_at": "2027-01-10 19:00", "place": "社区居委会二楼"})
        assert r.status_code == 201, r.text
        target = r.json()
        view = (await c.get(f"/api/meetings/{target['id']}", params={"key": target["key"]})).json()
        assert view["form"] == "representatives"
        assert "转来" in view["agenda"][0]["background"] and "分歧较大" in view["agenda"][0]["background"]

    mod = await screens(target["id"], "moderator", key=target["key"])
    for event, payload in [("open_item", {"item": 0}),
                           ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装，费用按楼层分摊。"}),
                           ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event

    async with server.http() as c:
        async def decided() -> dict[str, Any]:
            while True:  # written back once the representatives' meeting has closed
                model = (await c.get(f"/meetings/{source['id']}/minutes.json", params={"key": source["key"]})).json()
                (sent,) = model["items"][0]["escalations"]
                if sent["decided"]:
                    return model
                await asyncio.sleep(0.05)

        model = await asyncio.wait_for(decided(), HTTP_BUDGET_S)
        (sent,) = model["items"][0]["escalations"]
        assert (sent["to_form"], sent["to_meeting"]) == ("representatives", target["id"])
        assert sent["decided"]["outcome"] == "consensus" and sent["decided"]["opinion"] == "同意加装，费用按楼层分摊。"
        md = (await c.get(f"/meetings/{source['id']}/minutes.md", params={"public": "1"})).text
        assert "提交居民代表会议" in md and "其决定：协商一致" in md
        board = (await c.get("/board.json")).json()
        entry = next(e for e in board["meetings"] if e["id"] == source["id"])
        assert entry["items"][0]["escalations"][0]["decided"]["outcome"] == "consensus"
        taken_up = next(e for e in board["meetings"] if e["id"] == target["id"])
        assert taken_up["items"][0]["origin"] == source["id"]
        target_minutes = (await c.get(f"/meetings/{target['id']}/minutes.json", params={"key": target["key"]})).json()
        assert target_minutes["items"][0]["origin"] == f"{source['id']}:0"


async def test_sending_on_is_the_offices_and_needs_an_outcome(server, screens):
    meeting = await server.create_meeting()
    office = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as c:
        body = {"to_form": "assembly", "reason": "法律规定由居民会议决定。"}
        r = await c.post(f"/api/meetings/{meeting['id']}/items/1/escalate", params={"key": meeting["key"]}, json=body)
        assert r.status_code == 401
        r = await c.post(f"/api/meetings/{meeting['id']}/items/1/escalate", headers=office, json=body)
        assert (r.status_code, r.json()["code"]) == (400, "no_outcome_to_escalate")
        r = await c.post(f"/api/meetings/{meeting['id']}/items/1/escalate", headers=office, json={**body, "to_form": "council"})
        assert r.json()["code"] in ("unknown_form", "no_outcome_to_escalate")
        listed = (await c.get("/api/meetings", headers=office)).json()["meetings"]
        assert len(listed) == 1  # nothing was made for a refused sending
    facilitator = await screens(meeting["id"], "facilitator", token=server.token)
    refused = await facilitator.send("escalate_item", {"item": 0, "to_form": "assembly", "to_meeting": "x", "reason": "x"})
    assert refused["code"] == "unknown_command"  # never over the socket: the other meeting is checked first
