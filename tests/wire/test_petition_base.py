"""Whom a residents' petition counts, as the community chooses: by default one tenth of the adult
registered residents; once the office says every adult resident counts, a petition proposed from
then on needs a tenth of all of them, a non-registered adult co-signs it from their phone with their
resident code, and the public page, the office's list and the minutes word it so. A petition
proposed before keeps its base; a base that is neither is refused and changes nothing."""
from __future__ import annotations

from typing import Any

AT = {"community": "heping"}
CSV = "\n".join(["姓名,性别,出生年份,户号,与户主关系,村民小组,户籍,居民代表"] + [
    f"户籍{i},男,1970,01{i:02d},户主,一组,户籍,否" for i in range(9)] + [
    f"外来{i},女,1985,02{i:02d},户主,二组,非户籍,否" for i in range(11)])


def office(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": "zh-CN"}


async def test_a_community_counting_every_adult_resident(server: Any) -> None:
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "h.csv", **AT}, headers=office(server),
                            content=CSV.encode())
        assert r.status_code == 200, r.text
        codes = {c["name"]: c["code"] for c in (await http.get("/api/register/codes", params=AT,
                                                                headers=office(server))).json()["codes"]}
        assert "外来0" in codes  # a non-registered adult holds a resident code

        async def petition(title: str) -> str:
            r = await http.post("/api/topics", params=AT, headers=office(server), json={
                "title": title, "kind": "planning", "source": "residents", "proposer": "村民", "petition": "residents"})
            assert r.status_code == 201, r.text
            return str(r.json()["topic"])

        before = await petition("村道硬化")
        r = await http.post("/api/forms/petition-base", params=AT, headers=office(server), json={"base": "everyone"})
        assert r.status_code == 400 and r.json()["error"] == "居民联名的基数是成年户籍居民或全体成年居民（everyone 都不是）。"
        assert (await http.get("/api/forms", params=AT, headers=office(server))).json()["petition_base"] == "residents"
        r = await http.post("/api/forms/petition-base", params=AT, json={"base": "adults"})
        assert r.status_code == 401
        r = await http.post("/api/forms/petition-base", params=AT, headers=office(server), json={"base": "adults"})
        assert r.status_code == 200, r.text
        assert (await http.get("/api/forms", params=AT, headers=office(server))).json()["petition_base"] == "adults"
        after = await petition("安装路灯")

        # the one proposed before still counts the registered only: the outsider may not sign it
        r = await http.post(f"/topics/{before}/sign", params={**AT, "lang": "zh-CN"}, json={"code": codes["外来0"]})
        assert r.status_code == 400 and r.json()["code"] == "not_entitled_to_sign"
        r = await http.post(f"/topics/{after}/sign", params={**AT, "lang": "zh-CN"}, json={"code": codes["外来0"]})
        assert r.status_code == 200, r.text
        assert r.json()["petition"] == {"base": "adults", "signatures": 1, "needed": 2}
        assert r.json()["text"] == "联名：已有 1 人，需 2 人（成年居民的十分之一）"
        r = await http.post(f"/topics/{after}/sign", params={**AT, "lang": "zh-CN"}, json={"code": codes["户籍0"]})
        assert r.json()["status"] == "accepted"
        listed = {t["id"]: t["petition"] for t in (await http.get("/topics.json", params=AT)).json()["topics"]}
        assert listed[before] == {"base": "residents", "signatures": 0, "needed": 1}
        page = (await http.get("/topics", params={**AT, "lang": "zh-CN"})).text
        assert "联名：已有 2 人，需 2 人（成年居民的十分之一）" in page and "外来0" not in page

        # the meeting that takes it up says so in its minutes, and the file fits its schema
        r = await http.post("/api/meetings", headers=office(server), json={
            "title": "居民议事会", "form": "council", "language": "zh-CN", "agenda": [{"title": "安装路灯"}]})
        meeting = r.json()
        r = await http.post(f"/api/topics/{after}/schedule", params=AT, headers=office(server),
                            json={"meeting": meeting["id"], "item": 0})
        assert r.status_code == 200, r.text
        md = (await http.get(f"/meetings/{meeting['id']}/minutes.md", params={"key": meeting["key"], "lang": "zh-CN"})).text
        assert "2名居民联名提出；成年居民的十分之一为2人。" in md
        doc = (await http.get(f"/meetings/{meeting['id']}/minutes.json", params={"key": meeting["key"]})).json()
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "minutes.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["items"][0]["topic"]["petition"]["base"] == "adults"
