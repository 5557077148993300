"""`synced`: a client whose connect `auth` carries `sync` is sent what `sync` would answer right
after the connection is made, without asking (docs/protocol.md, connect): the snapshot, or
up to date when its last whole view is the latest; the phone's own part; the moderator view for
staff. Without `sync` in the auth nothing comes unasked."""
from __future__ import annotations

from typing import Any

import pytest

from support.wire import Screen, until
from support.workers import workers


class Connecting(Screen):
    """A screen that asks for its first view with the connect, and keeps each `synced` it is sent,
    with whether socket.io had already connected it when it came."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        super().__init__(url, auth)
        self.synced: list[dict[str, Any]] = []
        self.after_connect: list[bool] = []
        self.sio.on("synced", self._keep_synced)

    def _keep_synced(self, message: dict[str, Any]) -> None:
        self.after_connect.append(self.sio.get_sid() is not None)
        self.synced.append(message)

    async def first(self) -> dict[str, Any]:
        await until(lambda: self.synced, "no synced came after connecting")
        return self.synced[0]


async def connecting(server: Any, opened: list[Screen], meeting: str, role: str, **auth: Any) -> Connecting:
    screen = Connecting(server.url, {"meeting": meeting, "role": role, **auth})
    opened.append(screen)
    await screen.connect()
    return screen


@pytest.fixture
async def opened() -> Any:
    screens: list[Screen] = []
    yield screens
    for s in screens:
        if s.sio.connected:
            await s.close()


async def test_a_phone_gets_its_first_view_with_the_connection_and_on_return_what_it_missed(server, screens, opened):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    guest = await connecting(server, opened, mid, "phone", token=None, sync={})
    first = await guest.first()
    assert first["ok"] and first["role"] == "guest" and first["me"] is None
    assert first["seq"] == first["view"]["seq"] == (await mod.send("sync"))["seq"]
    assert "participants" not in first["view"] and first["view"]["title"] == "3号楼加装电梯协商会"
    assert guest.after_connect == [True]  # sent after socket.io's CONNECT, not before

    checked = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    assert (await mod.send("open_poll", {"question": "同意吗？"}))["ok"]
    latest = (await mod.send("sync"))["seq"]

    # Back with the latest whole view: told it is up to date, with its own part.
    same = await connecting(server, opened, mid, "phone", token=checked["token"], sync={"last_seq": latest})
    answer = await same.first()
    assert answer["up_to_date"] is True and answer["seq"] == latest and "view" not in answer
    assert answer["me"]["participant"]["id"] == checked["participant_id"]

    # Back with an older one: the snapshot, with what it missed (the poll) and its ballot counted.
    ballot = await same.send("cast_ballot", {"poll_id": "v1", "choice": 0})
    assert ballot["ok"] and ballot["tally"]["seq"] > latest
    back = await connecting(server, opened, mid, "phone", token=checked["token"], sync={"last_seq": first["seq"]})
    snap = await back.first()
    assert "up_to_date" not in snap and snap["role"] == "attendee" and snap["seq"] > latest
    assert snap["view"]["polls"][0]["counts"] == [1, 0, 0] and snap["me"]["voted"] == {"v1": 0}
    assert len(back.synced) == 1


async def test_staff_get_the_moderator_view_with_the_connection(server, opened):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    for role, auth in (("moderator", {"key": meeting["key"]}), ("recorder", {"key": meeting["recorder_key"]}),
                       ("facilitator", {"token": server.token}), ("projector", {})):
        first = await (await connecting(server, opened, mid, role, sync={}, **auth)).first()
        assert first["role"] == role and ("participants" in first["view"]) is (role != "projector"), role


@pytest.mark.parametrize("sync", [{"last_seq": True}, {"last_seq": "1"}, {"last_seq": None}, {"other": 1}])
async def test_anything_but_the_latest_seq_gets_the_snapshot(server, opened, sync):
    meeting = await server.create_meeting()
    first = await (await connecting(server, opened, meeting["id"], "projector", sync=sync)).first()
    assert "up_to_date" not in first and first["view"]["seq"] == first["seq"]


@pytest.mark.parametrize("sync", [None, 1, "yes", [], True, "absent"])
async def test_nothing_comes_unasked(server, screens, opened, sync):
    """Without an object in `sync` the client asks with `sync` itself, as before; nothing is sent
    to it but what the meeting broadcasts."""
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    wall = await connecting(server, opened, mid, "projector", **({} if sync == "absent" else {"sync": sync}))
    assert (await wall.send("sync"))["ok"]
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    await wall.wait_for(lambda view: view["current_item"] == 0)  # a broadcast sent after any first view would be
    assert wall.synced == [] and not server.yishi.live.first_views


async def test_with_two_workers_the_first_view_comes_from_the_phones_own_with_the_others_changes(tmp_path):
    """Workers sharing PostgreSQL and Redis: the first view is sent by the worker the phone is
    connected to, straight to it, and holds what was done on the other worker."""
    async with workers(tmp_path / "data") as shared:
        a, b = shared.running
        meeting = await a.create_meeting()
        mid = meeting["id"]
        mod = await shared.screen(a, {"meeting": mid, "role": "moderator", "key": meeting["key"]})
        assert (await mod.send("open_item", {"item": 1}))["ok"]
        phone = await connecting(b, shared.screens, mid, "phone", token=None, sync={})
        first = await phone.first()
        assert first["view"]["current_item"] == 1 and first["seq"] == (await mod.send("sync"))["seq"]
        assert len(phone.synced) == 1
