"""A topic from a resident's proposal to the minutes, as a village lives it: a villager proposes
it from the public topics page with their resident code; the office adds its plan; the petition
reaches a tenth of the adult registered villagers of the sample register through a paper sheet
entered by staff (a duplicate and an outsider refused with the reason) and a last signature given
online; opinions are gathered in advance (online, and from paper by staff, agreed with or not);
the representatives' meeting that takes it up is convened from the register, its notice printed
with the slips, who was told recorded and an invitee's reply taken from their code; the meeting
consults and decides; and the minutes report all of it: where the topic came from, the petition,
the opinions, the notice, the outcome."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from facilitation.convening import adult

from support.wire import Running, Screen

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
VILLAGE = {"community": "heping-cun"}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def office(server: Running) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": "zh-CN"}


async def test_a_villagers_proposal_goes_from_petition_and_notice_to_the_minutes(server: Running) -> None:
    year = date.today().year
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "村民名册.csv", **VILLAGE}, headers=office(server),
                            content=(REGISTERS / "village-register.csv").read_bytes())
        assert r.status_code == 200, r.text
        register = server.yishi.registries("heping-cun").state()
        names = Counter(e.person.name for e in register.entries.values())
        adults = [e for e in register.entries.values()
                  if e.status == "active" and adult(e.person, year) and names[e.person.name] == 1]
        needed = -(-sum(e.status == "active" and adult(e.person, year) for e in register.entries.values()) // 10)
        codes = {c["person"]: c for c in (await http.get("/api/register/codes", params=VILLAGE,
                                                          headers=office(server))).json()["codes"]}
        proposer, online, agreeing, representative = (
            adults[0], adults[-1], adults[-2], next(e for e in adults if e.person.representative))

        # 1. A villager proposes it from their phone, under their own name, as a petition.
        r = await http.post("/topics/propose", params={**VILLAGE, "lang": "zh-CN"}, json={
            "code": codes[proposer.id]["code"], "title": "村东主路硬化和路灯安装", "kind": "planning",
            "background": "村东主路雨天泥泞，夜间无照明，老人孩子出行不便。", "groups": ["第一村民小组"],
            "petition": "residents", "proposer": "村委会"})  # who proposes is the code's holder, whatever is said
        assert r.status_code == 201, r.text
        tid = r.json()["topic"]
        r = await http.post(f"/api/topics/{tid}/materials", params={**VILLAGE, "name": "硬化方案.pdf"},
                            headers=office(server), content=PDF)
        assert r.status_code == 201, r.text

        # 2. The paper sheet: all but one of the signatures needed, then a duplicate and an outsider.
        on_paper = [e.person.name for e in adults[1:needed]]
        r = await http.post(f"/api/topics/{tid}/signatures", params=VILLAGE, headers=office(server),
                            json={"sheet": [{"name": n} for n in on_paper] + [{"name": on_paper[0]}, {"name": "外村人"}]})
        results = r.json()["results"]
        assert [x["ok"] for x in results] == [True] * len(on_paper) + [False, False]
        assert [x["error"] for x in results[-2:]] == [f"{on_paper[0]} 已在这份联名上签过名。", "外村人 不在本社区名册中。"]
        assert r.json()["status"] == "proposed"
        # ... and the last one online, with the signer's own code: it reaches the threshold.
        r = await http.post(f"/topics/{tid}/sign", params={**VILLAGE, "lang": "zh-CN"},
                            json={"code": codes[online.id]["code"]})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "accepted"
        assert r.json()["petition"] == {"base": "residents", "signatures": needed, "needed": needed}

        # 3. Opinions in advance: one online, one from paper; a representative agrees with the first.
        r = await http.post(f"/api/topics/{tid}/opinions/open", params=VILLAGE, headers=office(server),
                            json={"until": (date.today() + timedelta(days=7)).isoformat()})
        assert r.status_code == 200, r.text
        r = await http.post(f"/topics/{tid}/opinions", params=VILLAGE, json={
            "code": codes[agreeing.id]["code"], "text": "路灯要装到村小学门口。"})
        assert r.status_code == 201, r.text
        first = r.json()["statement"]
        r = await http.post(f"/api/topics/{tid}/opinions", params=VILLAGE, headers=office(server), json={
            "name": proposer.person.name, "text": "硬化时留出排水沟。", "channel": "paper"})
        assert r.status_code == 201, r.text
        r = await http.post(f"/topics/{tid}/opinions/{first}/stance", params=VILLAGE, json={
            "code": codes[representative.id]["code"], "stance": "agree"})
        assert r.status_code == 200, r.text

        # 4. The representatives' meeting, convened from the register, takes it up.
        starts = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=3)
        r = await http.post("/api/meetings", headers=office(server), json={
            "title": "和平村村民代表会议", "form": "representatives", "place": "村委会会议室", "language": "zh-CN",
            "starts_at": starts.strftime("%Y-%m-%d %H:%M"), "agenda": [{"title": "村东主路硬化和路灯安装"}],
            "moderator": "村委会主任", "convene": {"who": "representatives", **VILLAGE}})
        assert r.status_code == 201, r.text
        meeting = r.json()
        r = await http.post(f"/api/topics/{tid}/schedule", params=VILLAGE, headers=office(server),
                            json={"meeting": meeting["id"], "item": 0})
        assert r.status_code == 200, r.text

        # 5. The notice printed with the slips; who was told; a representative's reply with their code.
        notice = await http.get(f"/m/{meeting['id']}/notice", params={"key": meeting["key"], "lang": "zh-CN"})
        assert notice.status_code == 200 and "村东主路硬化和路灯安装" in notice.text and "村委会会议室" in notice.text
        slips = await http.get(f"/m/{meeting['id']}/slips", params={"key": meeting["key"], "lang": "zh-CN"})
        join_codes = await server.join_codes(meeting["id"], meeting["key"])
        assert slips.status_code == 200 and join_codes and all(c[:3] in slips.text for c in join_codes[:3])
    mod = await Screen(server.url, {"meeting": meeting["id"], "role": "moderator", "key": meeting["key"]}).connect()
    try:
        assert (await mod.send("record_notice", {"how": "slip"}))["ok"]
        async with server.http() as http:
            r = await http.post(f"/api/meetings/{meeting['id']}/reply", headers={"Accept-Language": "zh-CN"},
                                json={"code": join_codes[0], "answer": "coming"})
            assert r.status_code == 200 and r.json()["reply"]["answer"] == "coming", r.text

        # 6. The meeting consults on it and decides.
        for cmd, payload in (("open_item", {"item": 0}),
                             ("check_in", {"name": "来开会的代表", "category": "registered"}),
                             ("record_outcome", {"item": 0, "outcome": "consensus",
                                                 "opinion": "同意实施，明年春耕前完工。"}),
                             ("close_meeting", {})):
            ack = await mod.send(cmd, payload)
            assert ack["ok"], (cmd, ack)
    finally:
        await mod.close()

    async with server.http() as http:
        # The public topics page now reads it as decided.
        (shown,) = (await http.get("/topics.json", params=VILLAGE)).json()["topics"]
        assert shown["status"] == "decided" and [m["name"] for m in shown["materials"]] == ["硬化方案.pdf"]
        minutes = (await http.get(f"/meetings/{meeting['id']}/minutes.json", params={"key": meeting["key"]})).json()
        md = (await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"], "lang": "zh-CN"})).text
    item = minutes["items"][0]
    topic = item["topic"]
    assert (topic["title"], topic["source"], topic["proposer"], topic["accepted_by"]) == (
        "村东主路硬化和路灯安装", "residents", proposer.person.name, "petition")
    assert topic["petition"] == {"base": "residents", "signatures": needed, "needed": needed}
    opinions = topic["opinions"]
    assert [s["text"] for s in opinions["statements"]] == ["路灯要装到村小学门口。", "硬化时留出排水沟。"]
    assert opinions["channels"] == {"online": 1, "paper": 1, "phone": 0}
    assert opinions["statements"][0]["agree"] == 1
    assert item["outcome"]["outcome"] == "consensus"
    notice_given = minutes["meeting"]["notice"]
    assert notice_given["told"] == notice_given["invitees"] == len(join_codes)
    assert notice_given["ways"] == {"slip": len(join_codes)}
    assert notice_given["replies"]["coming"] == 1
    assert notice_given["first_at"].startswith(date.today().isoformat()[:4])  # when the slips went out, local time
    # told three days ahead (in Beijing time, as the meeting's time is read), less the moments the test took
    assert (notice_given["lead"]["to"], notice_given["lead"]["days"], notice_given["lead"]["hours"]) == ("starts_at", 2, 23)
    for said in ("村东主路硬化和路灯安装", "路灯要装到村小学门口。", "硬化时留出排水沟。", "同意实施，明年春耕前完工。"):
        assert said in md, said
    for said in (f"会前已通知应参会的 {len(join_codes)} 人中的 {len(join_codes)} 人：发放签到条 {len(join_codes)} 人。",
                 "首次通知于预定开会时间前 2 天 23 小时发出。", "参会回复：参加 1 人",
                 f"议题由居民提出（{proposer.person.name}）", f"{needed}名居民联名提出",
                 "共 2 条意见（网上 1 条、书面 1 条、电话 0 条）"):
        assert said in md, said
