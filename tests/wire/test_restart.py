"""A server stopped and started again on the same data folder: the record, the queue and each phone's
identity are all still there."""
from __future__ import annotations

from support.wire import Screen, start_server, stop_server


async def test_a_server_restart_loses_nothing(tmp_path):
    data = tmp_path / "data"
    running, srv, task = await start_server(data)
    meeting = await running.create_meeting()
    guest = await Screen(running.url, {"meeting": meeting["id"], "role": "phone", "token": None}).connect()
    ack = await guest.send("check_in", {"name": "孙桂兰", "category": "registered"})
    mod = await Screen(running.url, {"meeting": meeting["id"], "role": "moderator", "key": meeting["key"]}).connect()
    await mod.send("open_item", {"item": 0})
    phone = await Screen(running.url, {"meeting": meeting["id"], "role": "phone", "token": ack["token"]}).connect()
    assert (await phone.send("raise_hand", {"stance": "against"}))["ok"]
    before = await mod.send("sync")
    for s in (guest, mod, phone):
        await s.close()
    await stop_server(srv, task)

    running, srv, task = await start_server(data)  # same data folder, same facilitator token
    try:
        mod = await Screen(running.url, {"meeting": meeting["id"], "role": "moderator", "key": meeting["key"]}).connect()
        after = await mod.send("sync")
        assert after["seq"] == before["seq"] and after["view"] == {**before["view"]}
        phone = await Screen(running.url, {"meeting": meeting["id"], "role": "phone", "token": ack["token"]}).connect()
        me = (await phone.send("sync"))["me"]
        assert me["participant"]["name"] == "孙桂兰" and me["queue_place"] == 1
        assert (await phone.send("withdraw_hand"))["ok"]
        await mod.close()
        await phone.close()
    finally:
        await stop_server(srv, task)
