"""Residents' codes against a real server: residents propose a topic and co-sign a petition from
their phones with the codes on their slips, until the threshold accepts it; forged identities in
the body are ignored; a wrong code is refused and guessing is stopped; a reissued slip replaces
the old code; someone marked moved away can no longer sign; the slips and the list need the token;
the record never holds a code."""
from __future__ import annotations

import json
from typing import Any

from facilitation import topics
from facilitation.community import register_id
from live.resident_codes import MAX_MISSES
from support.wire import start_server, stop_server

HEPING = "heping"
AT = {"community": HEPING}
HEADER = "姓名,性别,出生年份,户号,与户主关系,村民小组,户籍,居民代表"
PEOPLE = [  # eleven adults (one a representative) and two who hold no code
    "王建国,男,1960,0101,户主,一组,户籍,是", "李秀英,女,1962,0101,配偶,一组,户籍,否",
    "王小明,男,2016,0101,子女,一组,户籍,否",  # a child
    "张伟,男,1975,0102,户主,一组,户籍,否", "刘芳,女,1978,0102,配偶,一组,户籍,否",
    "陈静,女,1985,0201,户主,二组,户籍,否", "杨洋,男,1983,0201,配偶,二组,户籍,否",
    "赵磊,男,1990,0202,户主,二组,户籍,否", "黄丽,女,1991,0202,配偶,二组,户籍,否",
    "周强,男,1970,0203,户主,二组,户籍,否", "吴敏,女,1972,0203,配偶,二组,户籍,否",
    "孙杰,男,1988,0204,户主,二组,户籍,否",
    "外来工,男,1980,0301,户主,三组,非户籍,否",  # not registered here: a code (opinions), no signature by default
]


def auth(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}"}


async def setup(server: Any, http: Any) -> dict[str, dict[str, Any]]:
    """The register imported; each holder's entry from the codes' list, by name."""
    r = await http.post("/api/register/import", params={"name": "heping.csv", **AT}, headers=auth(server),
                        content="\n".join([HEADER, *PEOPLE]).encode())
    assert r.status_code == 200, r.text
    return await codes(server, http)


async def codes(server: Any, http: Any, **params: str) -> dict[str, dict[str, Any]]:
    r = await http.get("/api/register/codes", params={**AT, **params}, headers=auth(server))
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store", r.text
    return {e["name"]: e for e in r.json()["codes"]}


async def test_residents_propose_and_co_sign_with_their_codes_until_the_petition_is_accepted(server: Any) -> None:
    async with server.http() as http:
        holders = await setup(server, http)
        assert set(holders) == {p.split(",")[0] for p in PEOPLE} - {"王小明"}  # no child
        assert all(len(e["code"]) == 12 and e["shown"] == " ".join([e["code"][i:i + 3] for i in (0, 3, 6, 9)])
                   for e in holders.values())
        assert holders["陈静"]["link"] == f"{server.url}/topics?community={HEPING}#code={holders['陈静']['code']}"
        wang, li, chen = holders["王建国"], holders["李秀英"], holders["陈静"]

        # a resident proposes: the body's claims about who they are count for nothing
        r = await http.post("/topics/propose", params=AT, json={
            "code": wang["shown"], "title": "村道安装路灯", "kind": "planning", "background": "夜里太黑。",
            "groups": ["一组"], "petition": "residents", "actor": {"role": "facilitator"}, "proposer": "居委会",
            "source": "party", "person": chen["person"]})
        assert r.status_code == 201, r.text
        tid = r.json()["topic"]
        proposed = server.yishi.store.events(topics.topics_id(HEPING))[-1]
        assert proposed.data["actor"] == {"role": "resident", "id": wang["person"]}
        assert (proposed.data["proposer"], proposed.data["source"], proposed.data["person"]) == \
            ("王建国", "residents", wang["person"])

        # who the code is; signing, and signing again
        me = (await http.post("/topics/me", params=AT, json={"code": li["code"]})).json()
        assert (me["name"], me["representative"], me["signed"]) == ("李秀英", False, [])
        r = await http.post(f"/topics/{tid}/sign", params={**AT, "lang": "zh-CN"},
                            json={"code": li["code"], "actor": {"role": "facilitator"}})
        assert r.status_code == 200, r.text
        assert r.json()["petition"] == {"base": "residents", "signatures": 1, "needed": 2}
        assert r.json()["status"] == "proposed" and "1" in r.json()["text"]
        signed = server.yishi.store.events(topics.topics_id(HEPING))[-1]
        assert signed.data["actor"] == {"role": "resident", "id": li["person"]} and signed.data["via"] == "online"
        again = await http.post(f"/topics/{tid}/sign", params={**AT, "lang": "zh-CN"}, json={"code": li["code"]})
        assert again.status_code == 400 and again.json()["error"] == "李秀英 已在这份联名上签过名。"
        assert (await http.post("/topics/me", params=AT, json={"code": li["code"]})).json()["signed"] == [tid]

        # moved away: the code stops working
        r = await http.post(f"/api/register/people/{holders['张伟']['person']}/status", params=AT, headers=auth(server),
                            json={"status": "moved_away", "note": "迁往外地"})
        assert r.status_code == 200, r.text
        gone = await http.post(f"/topics/{tid}/sign", params={**AT, "lang": "en"}, json={"code": holders["张伟"]["code"]})
        assert gone.status_code == 403 and gone.json()["code"] == "resident_code_withdrawn"
        assert "张伟" not in await codes(server, http)

        # a lost slip reissued: the old code no longer works, the new one does
        r = await http.post(f"/api/register/people/{chen['person']}/code", params=AT, headers=auth(server))
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store", r.text
        reissued = server.yishi.store.events(register_id(HEPING))[-1]
        assert reissued.type == "ResidentCodeReissued" and reissued.data == {
            "id": chen["person"], "actor": {"role": "facilitator"}, "v": 1}
        old = await http.post(f"/topics/{tid}/sign", params=AT, json={"code": chen["code"]})
        assert old.status_code == 403 and old.json()["code"] == "resident_code_replaced"
        new = (await codes(server, http))["陈静"]
        assert new["code"] != chen["code"] and {k: v["code"] for k, v in (await codes(server, http)).items()
                                                  if k != "陈静"} == {k: v["code"] for k, v in holders.items()
                                                                     if k not in ("陈静", "张伟")}

        # the second signature of the (now ten) holders reaches one tenth: the topic is accepted
        r = await http.post(f"/topics/{tid}/sign", params=AT, json={"code": new["code"]})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "accepted" and r.json()["petition"]["signatures"] == 2
        late = await http.post(f"/topics/{tid}/sign", params=AT, json={"code": holders["赵磊"]["code"]})
        assert late.status_code == 400 and late.json()["code"] == "petition_closed"
        office = (await http.get("/api/topics", params=AT, headers=auth(server))).json()["topics"][0]
        assert office["accepted_by"] == "petition" and {s["name"] for s in office["signers"]} == {"李秀英", "陈静"}
        assert {(s["via"], s["by"]) for s in office["signers"]} == {("online", "resident")}

        # the public never sees who signed, nor who proposed
        for path in ("/topics", "/topics.json"):
            page = (await http.get(path, params=AT)).text
            assert not any(n in page for n in ("李秀英", "陈静", "王建国")), path

        # no code is in the record; each community's secret is a private file of the data folder
        record = json.dumps([r.data for r in server.yishi.store.events(register_id(HEPING))] +
                            [r.data for r in server.yishi.store.events(topics.topics_id(HEPING))], ensure_ascii=False)
        assert not any(e["code"] in record for e in holders.values()) and new["code"] not in record
        secret = server.data / "resident-codes" / f"{HEPING}.secret"
        assert secret.stat().st_mode & 0o777 == 0o600


async def test_a_representative_opens_a_representatives_petition_and_others_may_not(server: Any) -> None:
    async with server.http() as http:
        holders = await setup(server, http)
        body = {"title": "修订居民公约", "kind": "charter", "petition": "representatives"}
        r = await http.post("/topics/propose", params={**AT, "lang": "en"}, json={**body, "code": holders["李秀英"]["code"]})
        assert r.status_code == 400 and r.json()["code"] == "not_a_representative"
        r = await http.post("/topics/propose", params=AT, json={**body, "code": holders["王建国"]["code"]})
        assert r.status_code == 201, r.text
        assert (await http.post("/topics/me", params=AT, json={"code": holders["王建国"]["code"]})).json()["representative"]
        # one resident's proposals waiting for a decision are limited
        for n in range(topics.MAX_OPEN_BY_ONE - 1):
            r = await http.post("/topics/propose", params=AT, json={
                "code": holders["王建国"]["code"], "title": f"议题{n}", "kind": "other"})
            assert r.status_code == 201, r.text
        r = await http.post("/topics/propose", params=AT, json={"code": holders["王建国"]["code"], "title": "再一个",
                                                               "kind": "other"})
        assert r.status_code == 400 and r.json()["code"] == "too_many_open_proposals"


async def test_wrong_codes_are_refused_and_guessing_is_stopped_for_the_community(server: Any) -> None:
    async with server.http() as http:
        holders = await setup(server, http)
        right = holders["陈静"]["code"]
        before = len(server.yishi.store.events(topics.topics_id(HEPING)))
        for body, status, code in [({"code": ""}, 400, "resident_code_required"), ({}, 400, "resident_code_required"),
                                   ({"code": 123456789012}, 400, "bad_payload"), ({"code": "1" * 41}, 400, "bad_payload"),
                                   ({"code": ["x"]}, 400, "bad_payload")]:
            r = await http.post("/topics/propose", params=AT, json={**body, "title": "x", "kind": "other"})
            assert (r.status_code, r.json()["code"]) == (status, code), body
        assert (await http.post("/topics/me", params={"community": "../x"}, json={"code": right})).status_code == 400
        assert (await http.post("/topics/me", params=AT, content=b"[" * 50_000)).json()["code"] == "bad_payload"
        # full-width digits and spaces are the same code
        wide = "".join(chr(ord(c) + 0xFEE0) for c in right)
        assert (await http.post("/topics/me", params=AT, json={"code": wide})).json()["name"] == "陈静"

        for n in range(MAX_MISSES):
            guess = f"{n:012d}"
            r = await http.post("/topics/me", params={**AT, "lang": "zh-CN"}, json={"code": guess})
            assert r.status_code == 403 and r.json()["code"] == "wrong_resident_code", r.text
        assert r.json()["error"].startswith("这不是本社区的居民码")
        blocked = await http.post("/topics/me", params=AT, json={"code": right})  # even the right one, for a while
        assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_tries"
        # another community is not held up by this one's guessing
        r = await http.post("/api/register/import", params={"name": "d.csv", "community": "dongfang"}, headers=auth(server),
                            content="\n".join([HEADER, *PEOPLE]).encode())
        assert r.status_code == 200, r.text
        theirs = (await http.get("/api/register/codes", params={"community": "dongfang"}, headers=auth(server))).json()
        mine = (await http.post("/topics/me", params={"community": "dongfang"}, json={"code": theirs["codes"][0]["code"]}))
        assert mine.status_code == 200 and mine.json()["name"] == theirs["codes"][0]["name"]
        assert theirs["codes"][0]["code"] not in {e["code"] for e in holders.values()}  # a secret of its own
        # a community without a register: refused, and no secret is made for it
        assert (await http.post("/topics/me", params={"community": "nowhere"}, json={"code": right})).status_code == 403
        assert sorted(p.name for p in (server.data / "resident-codes").iterdir()) == ["dongfang.secret", "heping.secret"]
        assert len(server.yishi.store.events(topics.topics_id(HEPING))) == before  # nothing was stored


async def test_the_slips_and_the_codes_need_the_token_and_print_by_group(server: Any) -> None:
    async with server.http() as http:
        holders = await setup(server, http)
        for method, path in [("GET", "/register/slips"), ("GET", "/api/register/codes"),
                             ("POST", f"/api/register/people/{holders['陈静']['person']}/code")]:
            r = await http.request(method, path, params={**AT, "token": "guess"})
            assert r.status_code == 401, path
        page = await http.get("/register/slips", params={**AT, "token": server.token, "lang": "zh-CN"})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert all(e["shown"] in page.text and e["name"] in page.text for e in holders.values())
        assert "王小明" not in page.text and "外来工" in page.text
        one = await http.get("/register/slips", params={**AT, "token": server.token, "group": "一组"})
        assert "王建国" in one.text and "陈静" not in one.text and holders["陈静"]["shown"] not in one.text
        assert set(await codes(server, http, group="二组")) == {"陈静", "杨洋", "赵磊", "黄丽", "周强", "吴敏", "孙杰"}
        alone = await http.get("/register/slips", params={**AT, "token": server.token, "person": holders["陈静"]["person"]})
        assert alone.text.count('class="slip"') == 1
        # a name with markup is printed as text
        r = await http.post("/api/register/people", params=AT, headers=auth(server), json={"fields": {
            "name": "<b>韩梅</b>", "birth_year": "1980", "household": "0401", "group": "四组", "registered": "是"}})
        assert r.status_code == 200, r.text
        page = await http.get("/register/slips", params={**AT, "token": server.token, "group": "四组"})
        assert "<b>韩梅</b>" not in page.text and "&lt;b&gt;韩梅&lt;/b&gt;" in page.text
        # nobody to reissue for: a child holds no code
        child = next(e["id"] for e in (await http.get("/api/register", params=AT, headers=auth(server))).json()["people"]
                     if e["name"] == "王小明")
        r = await http.post(f"/api/register/people/{child}/code", params=AT, headers=auth(server))
        assert r.status_code == 400 and r.json()["code"] == "no_resident_code"
        assert (await http.post("/api/register/people/r999/code", params=AT, headers=auth(server))).status_code == 404


async def test_a_reissue_or_a_move_in_one_server_process_holds_in_another_at_once(server: Any) -> None:
    """Two processes on one data folder (as `yishi serve --workers N`): each has read the register;
    a slip reissued and a person moved away through one are refused by the other straight away."""
    other, srv, task = await start_server(server.data)
    try:
        async with server.http() as http, other.http() as there:
            holders = await setup(server, http)
            chen, zhang = holders["陈静"], holders["张伟"]
            for code in (chen["code"], zhang["code"]):  # the other process knows them both
                assert (await there.post("/topics/me", params=AT, json={"code": code})).status_code == 200
            assert (await http.post(f"/api/register/people/{chen['person']}/code", params=AT, headers=auth(server))).is_success
            assert (await http.post(f"/api/register/people/{zhang['person']}/status", params=AT, headers=auth(server),
                                    json={"status": "moved_away"})).is_success
            old = await there.post("/topics/me", params=AT, json={"code": chen["code"]})
            assert old.status_code == 403 and old.json()["code"] == "resident_code_replaced"
            gone = await there.post("/topics/me", params=AT, json={"code": zhang["code"]})
            assert gone.status_code == 403 and gone.json()["code"] == "resident_code_withdrawn"
            new = (await codes(server, http))["陈静"]["code"]
            assert (await there.post("/topics/me", params=AT, json={"code": new})).json()["name"] == "陈静"
    finally:
        await stop_server(srv, task)


async def test_a_village_prints_its_slips_page_by_page_and_a_representatives_petition_takes_only_them(
        server: Any) -> None:
    from pathlib import Path

    from live.resident_slips_http import SLIPS_PER_PAGE

    village = Path(__file__).resolve().parents[1] / "fixtures" / "registers" / "village-register.csv"
    at = {"community": "heping-cun"}
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "v.csv", **at}, headers=auth(server),
                            content=village.read_bytes())
        assert r.status_code == 200, r.text
        listed = (await http.get("/api/register/codes", params=at, headers=auth(server))).json()["codes"]
        assert len({e["code"] for e in listed}) == len(listed) > 2 * SLIPS_PER_PAGE
        pages = -(-len(listed) // SLIPS_PER_PAGE)
        second = await http.get("/register/slips", params={**at, "token": server.token, "page": 2, "lang": "en"})
        assert second.text.count('class="slip"') == SLIPS_PER_PAGE and f"Page 2 of {pages}" in second.text
        assert all(e["shown"] in second.text for e in listed[SLIPS_PER_PAGE:2 * SLIPS_PER_PAGE])
        assert listed[0]["shown"] not in second.text
        last = await http.get("/register/slips", params={**at, "token": server.token, "page": 10**6})
        assert last.text.count('class="slip"') == len(listed) - (pages - 1) * SLIPS_PER_PAGE

        # a representatives' petition: a resident who is no representative is refused with the reason
        made = await http.post("/api/topics", params=at, headers=auth(server), json={
            "title": "修订村规民约", "kind": "charter", "source": "residents", "proposer": "村民代表",
            "petition": "representatives"})
        register = server.yishi.registries("heping-cun").state()
        plain = next(e for e in listed if not register.entries[e["person"]].person.representative)
        rep = next(e for e in listed if register.entries[e["person"]].person.representative)
        tid = made.json()["topic"]
        r = await http.post(f"/topics/{tid}/sign", params={**at, "lang": "en"}, json={"code": plain["code"]})
        assert r.status_code == 400 and r.json()["code"] == "not_entitled_to_sign" and plain["name"] in r.json()["error"]
        r = await http.post(f"/topics/{tid}/sign", params=at, json={"code": rep["code"]})
        assert r.status_code == 200 and r.json()["petition"]["signatures"] == 1, r.text
