from __future__ import annotations


async def test_a_phone_checks_in_and_the_projector_sees_it(server, screens):
    meeting = await server.create_meeting()
    projector = await screens(meeting["id"], "projector")
    phone = await screens(meeting["id"], "phone", token=None)
    ack = await phone.send("check_in", {"name": "张三", "category": "registered"})
    assert ack["ok"] and ack["token"]
    view = await projector.wait_for(lambda v: v["attendance"]["total"] == 1)
    assert view["attendance"]["by_category"]["registered"] == 1
