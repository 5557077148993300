"""Topics and petitions over HTTP: a residents' petition reaching 1/10 of the adult registered
residents of the sample village register through a paper sheet entered by staff (a duplicate, an
outsider and a child refused with the reason), accepted by the signature that reaches it, then
scheduled, consulted and decided in a meeting; a topic declined with its reason; the public list
showing progress and never a signer's name."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from facilitation import topics
from facilitation.convening import adult

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
VILLAGE = "heping-cun"


def auth(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": "zh-CN"}


async def test_a_petition_signed_on_paper_makes_a_topic_that_a_meeting_then_decides(server: Any, screens: Any) -> None:
    at = {"community": VILLAGE}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", **at}, headers=auth(server),
                            content=(SAMPLES / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
        register = server.yishi.registries(VILLAGE).state()
        year = date.today().year
        adults = [e for e in register.entries.values() if adult(e.person, year) and e.status == "active"]
        needed = -(-len(adults) // 10)
        names = Counter(e.person.name for e in register.entries.values())
        unique = [e.person.name for e in adults if names[e.person.name] == 1]
        child = next(e.person.name for e in register.entries.values()
                     if not adult(e.person, year) and names[e.person.name] == 1)

        made = await http.post("/api/topics", params=at, headers=auth(server), json={
            "title": "村道硬化和路灯安装", "kind": "planning", "source": "residents", "proposer": "村民 张建国等",
            "groups": ["第一村民小组", "第二村民小组"], "background": "村东主路雨天泥泞，夜间无照明。",
            "petition": "residents"})
        assert made.status_code == 201, made.text
        tid = made.json()["topic"]

        sheet = [{"name": n} for n in unique[:needed - 1]] + [{"name": unique[0]}, {"name": "不存在的人"}, {"name": child}]
        r = await http.post(f"/api/topics/{tid}/signatures", params=at, headers=auth(server), json={"sheet": sheet})
        assert r.status_code == 200, r.text
        refused = [x for x in r.json()["results"] if not x["ok"]]
        assert [(x["line"], x["code"]) for x in refused] == [
            (needed, "already_signed"), (needed + 1, "not_in_register_named"), (needed + 2, "not_entitled_to_sign")]
        assert refused[0]["error"] == f"{unique[0]} 已在这份联名上签过名。"
        assert refused[1]["error"] == "不存在的人 不在本社区名册中。"
        assert r.json()["status"] == "proposed"
        assert r.json()["petition"] == {"base": "residents", "signatures": needed - 1, "needed": needed}

        public = await http.get("/topics.json", params=at)
        (shown,) = public.json()["topics"]
        assert shown["petition"] == {"base": "residents", "signatures": needed - 1, "needed": needed}
        assert not any(n in public.text for n in unique[:needed - 1]) and "张建国" not in public.text

        # the signature that reaches 1/10 accepts the topic; the petition then takes no more
        r = await http.post(f"/api/topics/{tid}/signatures", params=at, headers=auth(server),
                            json={"sheet": [{"name": unique[needed - 1]}, {"name": unique[needed]}]})
        assert [x["ok"] for x in r.json()["results"]] == [True, False]
        assert r.json()["results"][1]["code"] == "petition_closed" and r.json()["status"] == "accepted"
        assert r.json()["results"][1]["error"] == "这份联名已不再征集签名：议题已受理，将协商。"
        office = (await http.get("/api/topics", params=at, headers=auth(server))).json()["topics"][0]
        assert office["accepted_by"] == "petition" and len(office["signers"]) == needed
        assert {s["name"] for s in office["signers"]} == set(unique[:needed])
        assert {s["via"] for s in office["signers"]} == {"paper"}

        # another topic, declined with the reason told to the proposer
        other = (await http.post("/api/topics", params=at, headers=auth(server), json={
            "title": "修建篮球场", "kind": "other", "source": "residents", "proposer": "村民 李四"})).json()["topic"]
        r = await http.post(f"/api/topics/{other}/decline", params=at, headers=auth(server),
                            json={"reason": "村集体用地已列入规划，明年再议。"})
        assert r.status_code == 200, r.text
        assert (await http.post(f"/api/topics/{other}/schedule", params=at, headers=auth(server),
                                json={"meeting": "x", "item": 0})).status_code == 404

        meeting = await http.post("/api/meetings", headers=auth(server), json={
            "title": "村民代表会议", "form": "representatives", "agenda": [{"title": "村道硬化和路灯安装"}],
            "convene": {"who": "representatives", "community": VILLAGE}})
        mid, key = meeting.json()["id"], meeting.json()["key"]
        r = await http.post(f"/api/topics/{tid}/schedule", params=at, headers=auth(server), json={"meeting": mid, "item": 0})
        assert r.status_code == 200, r.text
        stages = {t["id"]: t for t in (await http.get("/topics.json", params=at)).json()["topics"]}
        assert stages[tid]["status"] == "scheduled" and stages[tid]["meeting"] == mid
        assert stages[other]["status"] == "declined" and stages[other]["reason"] == "村集体用地已列入规划，明年再议。"

        # the meeting keeps what its item takes up: its minutes say where the topic came from
        again = await http.post(f"/api/topics/{tid}/schedule", params=at, headers=auth(server), json={"meeting": mid, "item": 0})
        assert again.status_code == 200, again.text  # sent again: the meeting already has it, nothing doubles
        doc = (await http.get(f"/meetings/{mid}/minutes.json", params={"key": key})).json()
        topic = doc["items"][0]["topic"]
        assert (topic["title"], topic["source"], topic["accepted_by"]) == ("村道硬化和路灯安装", "residents", "petition")
        assert topic["petition"] == {"base": "residents", "signatures": needed, "needed": needed}
        assert [r for r in server.yishi.store.events(mid) if r.type == "TopicLinked"].__len__() == 1
        mod = await screens(mid, "moderator", key=key)
        assert (await mod.send("open_item", {"item": 0}))["ok"]
        assert (await http.get("/topics.json", params=at)).json()["topics"][0]["status"] == "consulted"
        assert (await mod.send("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意硬化"}))["ok"]
        assert (await http.get("/topics.json", params=at)).json()["topics"][0]["status"] == "decided"

        # the record of the topics is a hash chain of its own
        rows = server.yishi.store.events(topics.topics_id(VILLAGE))
        assert [r.type for r in rows].count("TopicSigned") == needed and rows[-1].type == "TopicScheduled"


async def test_the_office_routes_need_the_token_and_bad_input_changes_nothing(server: Any) -> None:
    async with server.http() as http:
        for method, path in [("GET", "/api/topics"), ("POST", "/api/topics"), ("POST", "/api/topics/t1/signatures"),
                             ("POST", "/api/topics/t1/accept"), ("POST", "/api/topics/t1/decline"),
                             ("POST", "/api/topics/t1/schedule")]:
            r = await http.request(method, path, headers={"Authorization": "Bearer forged"}, content=b"{}")
            assert r.status_code == 401, (method, path)
        for body, code in [({"title": "x", "kind": "weather", "source": "residents", "proposer": "甲"}, "unknown_topic_kind"),
                           ({"title": "x", "kind": "other", "source": "aliens", "proposer": "甲"}, "unknown_topic_source"),
                           ({"title": "x", "kind": "other", "source": "committee", "proposer": "居委会",
                             "petition": "residents"}, "unknown_petition_base"),
                           ({"title": " ", "kind": "other", "source": "residents", "proposer": "甲"}, "empty_text"),
                           ({"title": "x", "kind": "other", "source": "residents", "proposer": "甲", "groups": "一组"},
                            "bad_payload")]:
            r = await http.post("/api/topics", headers=auth(server), json=body)
            assert r.status_code == 400 and r.json()["code"] == code, (body, r.text)
        assert (await http.get("/topics.json", params={"community": "../x"})).status_code == 400
        assert (await http.get("/topics.json")).json()["topics"] == []
        made = (await http.post("/api/topics", headers=auth(server), json={
            "title": "加装电梯", "kind": "planning", "source": "committee", "proposer": "社区居委会"})).json()["topic"]
        r = await http.post(f"/api/topics/{made}/signatures", headers=auth(server), json={"sheet": [{"name": "张三"}]})
        assert r.status_code == 400 and r.json()["code"] == "not_a_petition"
        assert (await http.post(f"/api/topics/{made}/signatures", headers=auth(server), json={"sheet": []})).status_code == 400
        nested = b"[" * 100_000 + b"]" * 100_000  # JSON nested too deep: refused, never a 500
        for path in ("/api/topics", f"/api/topics/{made}/signatures", f"/api/topics/{made}/schedule",
                     f"/api/topics/{made}/decline"):
            r = await http.post(path, headers=auth(server), content=nested[:60_000])
            assert r.status_code in (400, 413) and r.json()["code"] == "bad_payload", (path, r.status_code)
        assert (await http.post("/api/topics/t99/accept", headers=auth(server))).status_code == 404
        assert (await http.post(f"/api/topics/{made}/accept", headers=auth(server))).status_code == 200
        again = await http.post(f"/api/topics/{made}/accept", headers=auth(server))
        assert again.status_code == 400 and again.json()["code"] == "topic_not_proposed"


async def test_the_public_page_shows_progress_and_reasons_never_who_signed(server: Any) -> None:
    async with server.http() as http:
        for name in ("王建华", "李秀英", "赵德明"):
            r = await http.post("/api/register/people", headers=auth(server),
                                json={"fields": {"name": name, "birth_year": "1960", "registered": "是"}})
            assert r.status_code == 200, r.text
        tid = (await http.post("/api/topics", headers=auth(server), json={
            "title": "楼道堆物清理", "kind": "urgent", "source": "residents", "proposer": "居民 王建华",
            "groups": ["3号楼"], "background": "消防通道被占。\n多次劝说无效。", "petition": "residents"})).json()["topic"]
        r = await http.post(f"/api/topics/{tid}/signatures", headers=auth(server), json={"sheet": [{"name": "王建华"}]})
        assert r.json()["status"] == "accepted"  # three adults on this register: one signature is a tenth
        other = (await http.post("/api/topics", headers=auth(server), json={
            "title": "<script>alert(1)</script>", "kind": "other", "source": "parties", "proposer": "物业"})).json()["topic"]
        await http.post(f"/api/topics/{other}/decline", headers=auth(server), json={"reason": "<b>不属于</b>协商范围"})

        page = await http.get("/topics", params={"lang": "zh-CN"})
        assert page.status_code == 200
        html = page.text
        assert "协商议题" in html and "楼道堆物清理" in html and "急难问题和矛盾纠纷" in html
        assert "联名：已有 1 人，需 1 人（成年户籍居民的十分之一）" in html and "联名已达到法定人数，议题已受理。" in html
        assert "王建华" not in html and "物业" not in html  # neither signers nor proposers by name
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;不属于&lt;/b&gt;协商范围" in html and "不予受理，理由" in html
        assert 'data:image/svg+xml;base64,' in html  # its own address as a QR code, for the notice board
        english = (await http.get("/topics", params={"lang": "en"})).text
        assert "Topics for consultation" in english and "Co-signatures: 1 of the 1 needed" in english
        assert (await http.get("/topics", params={"community": "../x"})).status_code == 400
