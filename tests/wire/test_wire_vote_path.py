"""The vote path over the real wire: what a voter, the projector and the other phones see."""
from __future__ import annotations

import asyncio

import socketio
from support.wire import CALL_BUDGET_S, CONNECT_BUDGET_S, until

from live import fanout


async def hall(server, screens, phones=3):
    meeting = await server.create_meeting()
    mid = meeting["id"]
    mod = await screens(mid, "moderator", key=meeting["key"])
    projector = await screens(mid, "projector")
    await mod.send("open_item", {"item": 0})
    people = []
    for i in range(phones):
        guest = await screens(mid, "phone", token=None)
        ack = await guest.send("check_in", {"name": f"住户{i}", "category": "registered"})
        assert ack["ok"], ack
        people.append((guest, ack["participant_id"], ack["token"]))
    return mid, meeting["key"], mod, projector, people


async def open_poll(mod):
    assert (await mod.send("open_poll", {"question": "同意加装电梯吗？"}))["ok"]
    return next(p["id"] for p in (await mod.send("sync"))["view"]["polls"] if p["open"])


async def test_a_ballots_acknowledgement_carries_the_count_that_includes_it(server, screens):
    _, _, mod, projector, people = await hall(server, screens)
    poll = await open_poll(mod)
    (first, _, _), (second, _, _), _ = people
    ack = await first.send("cast_ballot", {"poll_id": poll, "choice": 0})
    assert ack["ok"] and ack["tally"]["seq"] >= ack["seq"]
    assert [(p["id"], p["counts"], p["voters"]) for p in ack["tally"]["polls"]] == [(poll, [1, 0, 0], 1)]
    ack = await second.send("cast_ballot", {"poll_id": poll, "choice": 1})
    assert ack["tally"]["polls"][0]["counts"] == [1, 1, 0] and ack["tally"]["polls"][0]["voters"] == 2
    # a refused ballot carries no count
    again = await second.send("cast_ballot", {"poll_id": poll, "choice": 0})
    assert again["code"] == "already_voted" and "tally" not in again


async def test_the_projector_the_moderator_and_phones_that_did_not_vote_all_see_the_final_count(server, screens):
    _, _, mod, projector, people = await hall(server, screens, phones=4)
    poll = await open_poll(mod)
    voters, bystander = people[:3], people[3][0]
    acks = await asyncio.gather(*(p.send("cast_ballot", {"poll_id": poll, "choice": i % 2}) for i, (p, _, _) in enumerate(voters)))
    assert all(a["ok"] for a in acks)
    last = max(a["seq"] for a in acks)

    async def final(screen):
        def newest():
            counts = [p for t in screen.tallies if t["seq"] >= last for p in t["polls"] if p["id"] == poll]
            counts += [p for s in screen.states if s["seq"] >= last for p in s["view"]["polls"] if p["id"] == poll]
            return counts[-1]["counts"] if counts else None

        return await screen.until(newest, "the final count never arrived")

    for screen in (projector, mod, bystander):
        assert await final(screen) == [2, 1, 0]
    # every tally anyone got went forwards
    for screen in (projector, mod, bystander, *(p for p, _, _ in voters)):
        seqs = [t["seq"] for t in screen.tallies]
        assert seqs == sorted(seqs)


async def test_phones_that_leave_leave_nothing_behind_and_come_back_as_themselves(server, screens):
    mid, _, mod, _, people = await hall(server, screens, phones=5)
    manager = server.yishi.live.sio.manager
    rooms_before = set(manager.rooms["/"])
    for phone, _, _ in people:
        await phone.close()
    await until(lambda: not any(str(r).startswith(f"p:{mid}:") for r in manager.rooms["/"]),
                "a phone's room outlived its connection")
    left = set(manager.rooms["/"])
    assert not any(str(r).startswith(f"p:{mid}:") for r in left), "a phone's room outlived its connection"
    assert len(left) < len(rooms_before) - 5  # each phone's own room and its participant's room are gone
    if isinstance(manager, fanout.DirectEmit):  # the direct path's own bookkeeping: one entry per connected client
        assert len(manager.rooms_of) == len(manager.rooms["/"][None])

    # The phone comes back with its token: its own view ("me") reaches it again.
    _, pid, token = people[0]
    back = await screens(mid, "phone", token=token)
    ack = await back.send("submit_opinion", {"text": "电梯井会挡住二楼的光"})
    assert ack["ok"]
    await back.until(lambda: any(m["me"]["participant"]["id"] == pid for m in back.mes),
                     "the phone's own view never reached it again")
    assert back.mes[-1]["me"]["participant"]["id"] == pid


async def test_a_huge_number_in_a_packet_changes_nothing(server, screens):
    """socket.io's JSON guard against huge integers is kept: the packet is not read but refused
    bad_payload, and nothing is recorded."""
    mid, _, mod, _, people = await hall(server, screens, phones=1)
    poll = await open_poll(mod)
    raw = socketio.AsyncClient(reconnection=False)
    phone, _, token = people[0]
    await phone.close()
    await raw.connect(server.url, auth={"meeting": mid, "role": "phone", "token": token},
                      transports=["websocket"], wait_timeout=CONNECT_BUDGET_S)
    try:
        # ["cast_ballot", {...}] with a 200-digit choice (Python's JSON writes it; a browser's cannot)
        refused = await raw.call("cast_ballot", {"poll_id": poll, "choice": int("9" * 200)}, timeout=CALL_BUDGET_S)
        assert refused["code"] == "bad_payload" and refused["status"] == 400
        assert "seq" in await raw.call("sync", {}, timeout=CALL_BUDGET_S)  # the connection goes on
    finally:
        await raw.disconnect()
    view = (await mod.send("sync"))["view"]
    assert next(p for p in view["polls"] if p["id"] == poll)["counts"] == [0, 0, 0]
    # and the server is still serving
    again = await screens(mid, "phone", token=token)
    assert (await again.send("cast_ballot", {"poll_id": poll, "choice": 2}))["tally"]["polls"][0]["counts"] == [0, 0, 1]
