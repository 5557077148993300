"""A decision the server never wrote back: the process stopped after the meeting an item was sent on
to had closed, before the decision reached the original item. The next start writes it back, once."""
from __future__ import annotations

import asyncio
from typing import Any

from facilitation.roles import MODERATOR, Actor
from live.services import Meetings
from live.store import Store

from support.wire import HTTP_BUDGET_S, Running, Screen, start_server, stop_server, until


def decided_events(url: str, meeting_id: str) -> int:
    store = Store(url)
    try:
        return sum(r.type == "EscalationDecided" for r in store.events(meeting_id))
    finally:
        store.close()


async def test_a_decision_not_written_back_before_a_stop_is_written_back_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    running, srv, task = await start_server(data)
    url = running.yishi.settings.database_url
    try:
        source = await running.create_meeting()
        mod = await Screen(running.url, {"meeting": source["id"], "role": "moderator", "key": source["key"]}).connect()
        for event, payload in [("open_item", {"item": 0}),
                               ("record_outcome", {"item": 0, "outcome": "none", "opinion": "分歧较大，提交居民代表会议。"}),
                               ("close_meeting", {})]:
            assert (await mod.send(event, payload))["ok"], event
        await mod.close()
        async with running.http() as c:
            r = await c.post(f"/api/meetings/{source['id']}/items/1/escalate",
                             headers={"Authorization": f"Bearer {running.token}"},
                             json={"to_form": "representatives", "reason": "业主意见分歧，按章程提交居民代表会议表决。"})
            assert r.status_code == 201, r.text
            target = r.json()
    finally:
        await stop_server(srv, task)

    # No server: the representatives' meeting closes and nothing tells the original meeting, as
    # when the process stops between the close being committed and the write-back.
    store = Store(url)
    meetings = Meetings(store)  # no publisher: nothing runs after a commit
    try:
        moderator = Actor(MODERATOR)
        await meetings.execute(target["id"], moderator, "open_item", {"item": 0})
        await meetings.execute(target["id"], moderator, "record_outcome",
                               {"item": 0, "outcome": "consensus", "opinion": "同意加装，费用按楼层分摊。"})
        await meetings.execute(target["id"], moderator, "close_meeting", {})
        assert (await meetings.state(target["id"])).closed
        (sent,) = (await meetings.state(source["id"])).items[0].escalations
        assert sent["to_meeting"] == target["id"] and not sent["decided"]
    finally:
        await meetings.close()
        store.close()
    assert decided_events(url, source["id"]) == 0

    running, srv, task = await start_server(data)
    try:
        async with running.http() as c:
            async def decided() -> dict[str, Any]:
                while True:  # written back once the server has looked for decisions owed
                    r = await c.get(f"/meetings/{source['id']}/minutes.json", params={"key": source["key"]})
                    assert r.status_code == 200, r.text
                    (sent,) = r.json()["items"][0]["escalations"]
                    if sent["decided"]:
                        return sent
                    await asyncio.sleep(0.05)

            sent = await asyncio.wait_for(decided(), HTTP_BUDGET_S)
        assert sent["to_meeting"] == target["id"]
        assert sent["decided"]["outcome"] == "consensus" and sent["decided"]["opinion"] == "同意加装，费用按楼层分摊。"
    finally:
        await stop_server(srv, task)
    assert decided_events(url, source["id"]) == 1

    running, srv, task = await start_server(data)  # the decision is there now: nothing more is written
    try:
        await settled_start(running)
    finally:
        await stop_server(srv, task)
    assert decided_events(url, source["id"]) == 1


async def settled_start(running: Running) -> None:
    """The server's work at start is done (its background tasks have all ended)."""
    await until(lambda: not running.yishi._background, "the server's work at start never ended", HTTP_BUDGET_S)
