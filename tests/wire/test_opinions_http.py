"""Opinions gathered on a topic in advance, over HTTP against a real server: the office opens the
period and enters opinions from paper and phone calls (looked up in the register), residents give
their own and agree or disagree with their personal codes (a wrong code changes nothing, a forged
person in the body is ignored), the office hides an abusive one (gone from the public, kept with its
reason for the office), the meeting the topic is on keeps the summary as it changes, and nothing is
taken once the period is closed."""
from __future__ import annotations

import json
from typing import Any

from facilitation import topics

OFFICE_NAMES = ("王建华", "李秀英", "赵德明", "孙丽")


def auth(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": "zh-CN"}


async def setup(server: Any, http: Any) -> tuple[str, dict[str, str]]:
    """Four adult registered residents, a topic open for opinions; their codes by name."""
    for name in OFFICE_NAMES:
        r = await http.post("/api/register/people", headers=auth(server),
                            json={"fields": {"name": name, "birth_year": "1960", "registered": "是"}})
        assert r.status_code == 200, r.text
    tid = (await http.post("/api/topics", headers=auth(server), json={
        "title": "加装电梯", "kind": "planning", "source": "committee", "proposer": "社区居委会"})).json()["topic"]
    assert (await http.post(f"/api/topics/{tid}/accept", headers=auth(server))).status_code == 200
    register, codes = await server.yishi.resident_codes.codes("")
    by_name = {register.entries[pid].person.name: code for pid, code in codes.items()}
    return tid, by_name


async def test_opinions_from_paper_phone_and_codes_summarised_hidden_and_kept_by_the_meeting(server: Any) -> None:
    async with server.http() as http:
        tid, code = await setup(server, http)
        base = f"/api/topics/{tid}/opinions"
        # not open yet: nothing is taken
        r = await http.post(f"/topics/{tid}/opinions", json={"code": code["王建华"], "text": "支持"})
        assert r.status_code == 400 and r.json()["code"] == "opinions_not_open"
        r = await http.post(f"{base}/open", headers=auth(server), json={"until": "2999-01-01"})
        assert r.status_code == 400 and r.json()["code"] == "bad_opinion_period"  # too long
        r = await http.post(f"{base}/open", headers=auth(server), json={"until": "2000-01-01"})
        assert r.status_code == 400 and r.json()["error"].startswith("征求意见的期限")
        from datetime import date, timedelta
        until = (date.today() + timedelta(days=7)).isoformat()
        assert (await http.post(f"{base}/open", headers=auth(server), json={"until": until})).status_code == 200

        # the meeting takes the topic up before the opinions are in
        meeting = (await http.post("/api/meetings", headers=auth(server), json={
            "title": "居民议事会", "form": "council", "agenda": [{"title": "加装电梯"}]})).json()
        mid, key = meeting["id"], meeting["key"]
        r = await http.post(f"/api/topics/{tid}/schedule", headers=auth(server), json={"meeting": mid, "item": 0})
        assert r.status_code == 200, r.text

        # staff enter from paper and a phone call; the name is looked up in the register
        r = await http.post(base, headers=auth(server), json={"name": "李秀英", "text": "北侧单元先装", "channel": "paper"})
        assert r.status_code == 201, r.text
        paper = r.json()["statement"]
        r = await http.post(base, headers=auth(server), json={"name": "赵德明", "text": "<b>费用</b>要公开", "channel": "phone"})
        assert r.status_code == 201, r.text
        for body, code_ in [({"name": "不存在", "text": "x", "channel": "paper"}, "not_in_register_named"),
                            ({"name": "孙丽", "text": "x", "channel": "online"}, "wrong_opinion_channel"),
                            ({"name": "孙丽", "text": "x", "channel": "fax"}, "unknown_opinion_channel"),
                            ({"name": "孙丽", "text": "长" * 1001, "channel": "paper"}, "text_too_long")]:
            r = await http.post(base, headers=auth(server), json=body)
            assert r.status_code == 400 and r.json()["code"] == code_, (body, r.text)

        # a resident with their code: their own statement; the body cannot name another person
        r = await http.post(f"/topics/{tid}/opinions", json={"code": code["王建华"], "text": "骂人的话：李秀英是骗子",
                                                              "person": "p2", "actor": {"role": "facilitator"}})
        assert r.status_code == 201, r.text
        abusive = r.json()["statement"]
        wrong = await http.post(f"/topics/{tid}/opinions", json={"code": "000000000000", "text": "冒名"},
                                headers={"Accept-Language": "zh-CN"})
        assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_resident_code"
        # stances: one per person, changeable, never on one's own
        stance = f"/topics/{tid}/opinions/{paper}/stance"
        assert (await http.post(stance, json={"code": code["王建华"], "stance": "agree"})).status_code == 200
        r = await http.post(stance, json={"code": code["王建华"], "stance": "agree"})
        assert r.json()["code"] == "stance_unchanged"
        assert (await http.post(stance, json={"code": code["孙丽"], "stance": "disagree"})).status_code == 200
        assert (await http.post(stance, json={"code": code["孙丽"], "stance": "agree"})).status_code == 200
        r = await http.post(stance, json={"code": code["李秀英"], "stance": "agree"})
        assert r.status_code == 400 and r.json()["code"] == "own_statement"
        r = await http.post(stance, json={"code": code["赵德明"], "stance": "maybe"})
        assert r.json()["code"] == "unknown_stance"

        public = (await http.get(f"/topics/{tid}/opinions.json")).json()
        rows = {s["id"]: s for s in public["summary"]["statements"]}
        assert public["running"] is True
        assert (rows[paper]["agree"], rows[paper]["disagree"]) == (2, 0) and rows[paper]["name"] == "李**"
        assert rows[abusive]["name"] == "王**" and "李秀英" not in rows[abusive]["text"]  # names in the text masked too
        assert public["summary"]["channels"] == {"online": 1, "paper": 1, "phone": 1}
        assert paper in public["summary"]["consensus"]

        # hidden: gone from the public, kept for the office with its reason
        r = await http.post(f"{base}/{abusive}/hide", headers=auth(server), json={"reason": "辱骂他人"})
        assert r.status_code == 200, r.text
        public = (await http.get(f"/topics/{tid}/opinions.json")).text
        assert "骗子" not in public and "王**" not in public
        office = (await http.get(base, headers=auth(server))).json()
        assert office["hidden"][0]["reason"] == "辱骂他人" and office["hidden"][0]["name"] == "王建华"
        assert {s["name"] for s in office["summary"]["statements"]} == {"李秀英", "赵德明"}
        r = await http.post(f"/topics/{tid}/opinions/{abusive}/stance", json={"code": code["孙丽"], "stance": "agree"})
        assert r.status_code == 404 and r.json()["code"] == "no_such_statement"
        # the public page, read without script: the period, the opinions masked and escaped, never the hidden one
        page = (await http.get("/topics", params={"lang": "zh-CN"})).text
        assert "会前征求意见" in page and "征求意见时间：" in page and "北侧单元先装" in page
        assert "李** · 书面 · <span class=\"counts\">赞同 2 · 反对 0</span>" in page
        assert "&lt;b&gt;费用&lt;/b&gt;要公开" in page and "<b>费用" not in page
        assert "骗子" not in page and "李秀英" not in page and "赵德明" not in page
        listed = (await http.get("/topics.json")).json()["topics"][0]["opinions"]
        assert [s["name"] for s in listed["statements"]] == ["李**", "赵**"]

        # the meeting holds the summary as it now stands, without the hidden one
        records = server.yishi.store.events(mid)
        links = [r for r in records if r.type == "TopicLinked"]
        updates = [r for r in records if r.type == "TopicUpdated"]
        # scheduled by the office once; brought up to date by the system after each opinion and
        # stance, each update holding only what changed, never the whole summary again
        assert len(links) == 1 and links[0].data["actor"]["role"] == "facilitator"
        assert updates and {u.data["actor"]["role"] for u in updates} == {"system"}
        topic = (await server.yishi.meetings.state(mid)).items[0].topic
        assert len(json.dumps(updates[-1].data["changes"])) < len(json.dumps(topic)) / 2
        assert [s["id"] for s in topic["opinions"]["statements"]] == [paper, "s2"]
        assert topic["opinions"]["hidden"] == 1

        # closed early: nothing more is taken
        assert (await http.post(f"{base}/close", headers=auth(server))).status_code == 200
        r = await http.post(f"/topics/{tid}/opinions", json={"code": code["孙丽"], "text": "晚了"})
        assert r.status_code == 400 and r.json()["code"] == "opinions_not_open"
        r = await http.post(base, headers=auth(server), json={"name": "孙丽", "text": "晚了", "channel": "paper"})
        assert r.json()["code"] == "opinions_not_open"
        assert (await http.get(f"/topics/{tid}/opinions.json")).json()["running"] is False
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": key})).json()
        opinions = doc["items"][0]["topic"]["opinions"]
        assert opinions["closed_at"] is not None and len(opinions["statements"]) == 2

        rows_ = server.yishi.store.events(topics.topics_id(""))
        given = [r for r in rows_ if r.type == "OpinionGiven"]
        assert [(r.data["channel"], r.data["actor"]["role"]) for r in given] == [
            ("paper", "facilitator"), ("phone", "facilitator"), ("online", "resident")]
        assert given[2].data["person"] == given[2].data["actor"]["id"] != "p2"


async def test_the_office_routes_need_the_token_and_bad_input_changes_nothing(server: Any) -> None:
    async with server.http() as http:
        tid, code = await setup(server, http)
        for method, path in [("GET", f"/api/topics/{tid}/opinions"), ("POST", f"/api/topics/{tid}/opinions"),
                             ("POST", f"/api/topics/{tid}/opinions/open"), ("POST", f"/api/topics/{tid}/opinions/close"),
                             ("POST", f"/api/topics/{tid}/opinions/s1/hide")]:
            r = await http.request(method, path, headers={"Authorization": "Bearer forged"}, content=b"{}")
            assert r.status_code == 401, (method, path)
        before = len(server.yishi.store.events(topics.topics_id("")))
        for body in ({"until": "not a date"}, {"until": None}, {"until": [1]}, {"opens": "x", "until": "2030-01-01"}):
            r = await http.post(f"/api/topics/{tid}/opinions/open", headers=auth(server), json=body)
            assert r.status_code == 400 and r.json()["code"] == "bad_payload", body
        for body in ({}, {"code": ""}, {"code": 5, "text": "x"}, {"code": "1" * 200, "text": "x"}):
            r = await http.post(f"/topics/{tid}/opinions", json=body)
            assert r.status_code == 400, body
        assert (await http.get("/topics/t99/opinions.json")).status_code == 404
        assert (await http.post("/api/topics/t99/opinions/close", headers=auth(server))).status_code == 404
        nested = b"[" * 30_000 + b"]" * 30_000
        r = await http.post(f"/topics/{tid}/opinions", content=nested)
        assert r.status_code in (400, 413) and r.json()["code"] == "bad_payload"
        assert len(server.yishi.store.events(topics.topics_id(""))) == before
        assert (await http.get(f"/topics/{tid}/opinions.json")).json()["summary"] is None
