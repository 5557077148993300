"""Who the community is, over HTTP: without a key, the meeting's JSON names residents only as the
public minutes do (private residents masked, officials by name); with the meeting's key or the
facilitator's token, the names. The live room (projector, phones) is not touched."""
from __future__ import annotations

import json

from live.demo import create_demo, create_finished_demo

from support.minutes_meeting import OFFICIALS, RESIDENTS, ROSTER_SIZE, realistic_meeting

# An invitee the record knows only from the roster, and who never checked in.
ABSENT = "刘志强"


def residents_named_in(text: str) -> list[str]:
    return [n for n in RESIDENTS if n in text]


async def test_without_a_key_the_meetings_json_names_no_resident(server):
    mid, key = await realistic_meeting(server.yishi.meetings)
    other_mid, other_key = await create_finished_demo(server.yishi.meetings)
    recorder_key = await server.yishi.meetings.reissue_key(mid, "recorder")
    async with server.http() as c:
        for attempt in ("", "?key=", "?key=forged", f"?key={other_key}", f"?key={key}x", f"?token={key}",
                        "?token=forged", f"?key={key[:-1]}", "?key[]=x"):
            r = await c.get(f"/api/meetings/{mid}{attempt}")
            assert r.status_code == 200, attempt
            assert residents_named_in(r.text) == [], attempt  # the raw body, escapes and all
            assert residents_named_in(json.dumps(r.json(), ensure_ascii=False)) == [], attempt
            assert r.json()["masked"] is True and r.headers["cache-control"] == "no-store"
        for header in (f"Bearer {key}", f"Bearer {other_key}", "Bearer forged", key):
            r = await c.get(f"/api/meetings/{mid}", headers={"Authorization": header})
            assert residents_named_in(r.text) == [] and r.json()["masked"] is True, header
        view = r.json()
        # What a reader sees: how many were invited and came, never the list of who.
        assert "roster" not in view and view["invited"] == {"total": ROSTER_SIZE, "in": 9}
        authors = {o["who"]["name"] for o in view["opinions"]}
        assert authors and all("**" in a or a in OFFICIALS or a == "J. S." for a in authors), authors
        assert view["attendance"]["total"] > 0 and view["status"] == "closed"
        assert view["polls"] and all(isinstance(p["counts"], list) for p in view["polls"])
        # Another meeting's key opens that meeting only.
        theirs = await c.get(f"/api/meetings/{other_mid}?key={other_key}")
        assert theirs.json()["masked"] is False and "张桂英" in theirs.text


async def test_the_meetings_key_or_the_facilitators_token_shows_the_names(server):
    mid, key = await realistic_meeting(server.yishi.meetings)
    recorder_key = await server.yishi.meetings.reissue_key(mid, "recorder")
    async with server.http() as c:
        answers = [await c.get(f"/api/meetings/{mid}?key={key}"),
                   await c.get(f"/api/meetings/{mid}?key={recorder_key}"),
                   await c.get(f"/api/meetings/{mid}", headers={"Authorization": f"Bearer {server.token}"}),
                   await c.get(f"/api/meetings/{mid}?token={server.token}")]
    for r in answers:
        assert r.status_code == 200 and r.json()["masked"] is False
        text = json.dumps(r.json(), ensure_ascii=False)
        # Every resident on the roster by name (the absent invitee too); walk-ins are not on it.
        on_roster = [n for n in RESIDENTS if n not in ("钱大爷", "John Smith")]
        assert residents_named_in(r.text) == residents_named_in(text) == on_roster
        assert ABSENT in {p["name"] for p in r.json()["roster"]}


async def test_during_the_meeting_the_api_masks_while_the_wall_shows_who_speaks(server, screens):
    mid, key = await create_demo(server.yishi.meetings)
    moderator = await screens(mid, "moderator", key=key)
    projector = await screens(mid, "projector")
    assert (await moderator.send("open_item", {"item": 0}))["ok"]
    for name, stance in (("张桂英", "for"), ("赵丽", "against")):
        ack = await moderator.send("add_speaker", {"name": name, "category": "registered", "stance": stance})
        assert ack["ok"], ack
    assert (await moderator.send("grant_floor", {}))["ok"]
    phone = await screens(mid, "phone", token=None)
    checked = await phone.send("check_in", {"code": (await server.join_codes(mid, key))[9]})  # 马玉珍, on the roster
    assert checked["ok"], checked
    await phone.close()
    phone = await screens(mid, "phone", token=checked["token"])
    sent = await phone.send("submit_opinion", {"text": "赞成，张桂英说得对。"})
    assert sent["ok"], sent
    opinion = (await moderator.send("sync"))["view"]["all_opinions"][0]["id"]
    assert (await moderator.send("moderate_opinion", {"opinion_id": opinion, "visible": True}))["ok"]
    # The wall still shows who has the floor, who waits and who wrote (the socket views are unchanged).
    wall = await projector.wait_for(lambda v: v["speaker"] and v["queue"] and v["opinions"])
    assert wall["speaker"]["who"]["name"] == "张桂英" and wall["queue"][0]["who"]["name"] == "赵丽"
    assert wall["opinions"][0]["who"]["name"] == "马玉珍"
    async with server.http() as c:
        public = await c.get(f"/api/meetings/{mid}")
        full = await c.get(f"/api/meetings/{mid}?key={key}")
    assert residents_named_in(public.text) == []
    view = public.json()
    assert view["speaker"]["who"]["name"] == "张**" and view["queue"][0]["who"]["name"] == "赵**"
    assert view["opinions"][0] == {**wall["opinions"][0], "text": "赞成，张**说得对。",
                                   "who": {**wall["opinions"][0]["who"], "name": "马**"}}
    assert full.json()["speaker"]["who"]["name"] == "张桂英"
    assert full.json()["opinions"][0]["text"] == "赞成，张桂英说得对。"


async def test_the_pages_title_names_no_resident_without_a_key(server):
    mid, key = await create_demo(server.yishi.meetings)
    made = await server.create_meeting(title="张桂英家门口停车位协商会",
                                       roster=[{"name": "张桂英", "category": "registered"}])
    async with server.http() as c:
        for page in ("screen", "join", "moderate", "record"):
            r = await c.get(f"/m/{made['id']}/{page}")
            assert r.status_code == 200 and "张桂英" not in r.text and "张**家门口" in r.text, page
        r = await c.get(f"/m/{made['id']}/moderate?key={made['key']}")
        assert "张桂英家门口" in r.text
        r = await c.get(f"/api/meetings/{made['id']}")
        assert r.json()["title"] == "张**家门口停车位协商会" and "roster" not in r.json()


async def test_verification_without_a_key_cannot_be_asked_whether_a_guessed_name_is_right(server):
    """An attacker takes the public minutes, states `public: false` and puts a guess where a masked
    name is: compared field by field, the places that differ would confirm a right guess."""
    mid, key = await realistic_meeting(server.yishi.meetings)
    async with server.http() as c:
        public = (await c.get(f"/meetings/{mid}/minutes.json?public=1")).json()
        speech = public["items"][0]["speeches"][0]
        assert speech["speaker"]["name"] == "张**"
        answers = {}
        for guess in ("张桂英", "张伟"):  # the right name, and a wrong one
            speech["speaker"] = {**speech["speaker"], "name": guess, "masked": False}
            forged = json.dumps({**public, "public": False}, ensure_ascii=False).encode()
            answers[guess] = [(await c.post(f"/meetings/{mid}/verify{q}", content=forged)).json()["minutes"]
                              for q in ("", "?key=forged", f"?key={key}")]
        right, wrong = answers["张桂英"], answers["张伟"]
        # Without a key (or with a wrong one): the stamp alone is checked, the same answer for both guesses.
        for k in (0, 1):
            assert right[k] == wrong[k] and right[k]["content_checked"] is False and right[k]["matches"]
            assert not any("speeches" in p for p in right[k]["problems"])
        # With the key the content is compared: the file is not the full minutes, and says where.
        assert right[2]["content_checked"] and not right[2]["matches"]
        assert any("attendance" in p for p in right[2]["problems"])
        # The public file itself is compared field by field for anyone, and an edit is caught.
        genuine = (await c.get(f"/meetings/{mid}/minutes.json?public=1")).content
        checked = (await c.post(f"/meetings/{mid}/verify", content=genuine)).json()["minutes"]
        assert checked["matches"] and checked["content_checked"]
        edited = json.loads(genuine)
        edited["items"][0]["speeches"][0]["summary"] = "我反对加装电梯。"
        checked = (await c.post(f"/meetings/{mid}/verify",
                                content=json.dumps(edited, ensure_ascii=False).encode())).json()["minutes"]
        assert not checked["matches"] and any("items[0].speeches[0].summary" in p for p in checked["problems"])


async def test_the_public_minutes_over_http_do_not_break_down_a_category_of_two_voters(server):
    """The rating poll: two registered residents voted by phone. The public page and JSON hide their
    row; the full minutes, with the key, show it."""
    mid, key = await realistic_meeting(server.yishi.meetings)
    async with server.http() as c:
        page = (await c.get(f"/meetings/{mid}/public")).text
        public = (await c.get(f"/meetings/{mid}/minutes.json?public=1")).json()
        full = (await c.get(f"/meetings/{mid}/minutes.json?key={key}")).json()
        internal_page = (await c.get(f"/meetings/{mid}/minutes.html?key={key}")).text
    rows = {p["question"]: {r["category"]: r["counts"] for r in p["by_category"]}
            for i in public["items"] for p in i["polls"]}
    full_rows = {p["question"]: {r["category"]: r["counts"] for r in p["by_category"]}
                 for i in full["items"] for p in i["polls"]}
    assert rows["对临时通道安排是否满意？"]["registered"] is None
    assert full_rows["对临时通道安排是否满意？"]["registered"] == [1, 0, 1]
    assert rows["是否同意为3号楼加装电梯？"]["registered"] == [3, 0, 1]  # three voters: shown
    cell = '<td class="n">少于3人</td>'
    assert f"<td>户籍居民</td>{cell * 3}" in page and "少于3人" not in internal_page
    assert '<td>户籍居民</td><td class="n">1</td><td class="n">0</td><td class="n">1</td>' in internal_page
