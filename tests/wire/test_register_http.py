"""The register in the data folder over HTTP: import (clean, faulty, good rows only), re-import,
export, edits, convening a meeting from it, a restart, and everyone without the token refused."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from facilitation.community import REGISTER, readable
from live.record import verify_chain
from live.register_files import MAX_BYTES

from support.wire import start_server, stop_server

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
FAULTY = ("姓名,性别,出生年份,户号,与户主关系,村民小组,户籍,居民代表,党员,联系电话\n"
          "卢晓东,男,1949,010001,户主,第一村民小组,户籍,否,否,10018609139\n"
          "卢小东,男,2999,010001,子女,第一村民小组,户籍,否,否,\n").encode("utf-8-sig")


def auth(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}"}


async def test_without_the_facilitators_token_the_register_is_closed(server: Any) -> None:
    async with server.http() as http:
        for method, path in [("GET", "/api/register"), ("POST", "/api/register/import"), ("GET", "/api/register/export.csv"),
                             ("POST", "/api/register/people"), ("POST", "/api/register/people/r1"),
                             ("POST", "/api/register/people/r1/status")]:
            for headers in ({}, {"Authorization": "Bearer forged"}):
                r = await http.request(method, path, headers=headers, content=b"{}")
                assert r.status_code == 401 and "卢晓东" not in r.text, (method, path)


async def test_import_reimport_and_export_keep_one_entry_per_person(server: Any) -> None:
    async with server.http() as http:
        first = await http.post("/api/register/import", params={"name": "village-register.xlsx"}, headers=auth(server),
                                content=(SAMPLES / "village-register.xlsx").read_bytes())
        assert first.status_code == 200, first.text
        assert first.json()["changes"] == {"added": 1121, "updated": 0, "unchanged": 0, "absent": 0}
        again = await http.post("/api/register/import", params={"name": "village-register.csv"}, headers=auth(server),
                                content=(SAMPLES / "village-register.csv").read_bytes())
        assert again.json()["changes"] == {"added": 0, "updated": 0, "unchanged": 1121, "absent": 0}
        summary = again.json()["summary"]
        assert (summary["people"], summary["households"], len(summary["groups"])) == (1121, 324, 10)
        xlsx = await http.get("/api/register/export.xlsx", headers=auth(server))
        assert xlsx.headers["cache-control"] == "no-store"
        rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
        assert len(rows) == 1 + 1121 and rows[0][0] == "姓名" and rows[1][0] == "卢晓东"
        assert (await http.get("/api/register/export.pdf", headers=auth(server))).status_code == 404


async def test_a_faulty_file_imports_nothing_unless_its_good_rows_are_chosen(server: Any) -> None:
    async with server.http() as http:
        r = await http.post("/api/register/import", params={"name": "faulty.csv"}, headers=auth(server), content=FAULTY)
        assert r.status_code == 400 and r.json()["code"] == "bad_rows"
        this_year = date.today().year
        assert r.json()["found"]["bad"] == [{"row": 3, "reason": f"出生年份 2999 不合理（应在 1890 到 {this_year} 之间）"}]
        assert (await http.get("/api/register", headers=auth(server))).json()["summary"]["people"] == 0
        r = await http.post("/api/register/import", params={"name": "faulty.csv", "good_rows": "1", "lang": "en"},
                            headers=auth(server), content=FAULTY)
        assert r.status_code == 200 and r.json()["changes"]["added"] == 1
        garbage = await http.post("/api/register/import", headers=auth(server), content=b"\x00\x01PK\x03\x04" * 100)
        assert garbage.status_code == 400 and garbage.json()["code"] == "unreadable"
        huge = await http.post("/api/register/import", headers=auth(server), content=b"x" * (MAX_BYTES + 1))
        assert huge.status_code == 413


async def test_edits_are_events_and_who_left_is_not_invited(server: Any) -> None:
    async with server.http() as http:
        await http.post("/api/register/import", params={"name": "v.csv"}, headers=auth(server),
                        content=(SAMPLES / "village-register.csv").read_bytes())
        people = (await http.get("/api/register", headers=auth(server))).json()["people"]
        head = next(p for p in people if p["relation"] == "户主" and p["birth_year"] < 1960)
        added = await http.post("/api/register/people", headers=auth(server), json={"fields": {
            "name": "<script>新生儿</script>", "birth_year": str(date.today().year), "household": head["household"],
            "relation": "孙子女",
            "group": head["group"], "registered": "户籍"}})
        assert added.json()["ok"], added.text
        dup = await http.post("/api/register/people", headers=auth(server), json={"fields": {
            "name": "<script>新生儿</script>", "birth_year": str(date.today().year), "household": head["household"],
            "group": head["group"]}})
        assert dup.status_code == 400 and dup.json()["code"] == "person_exists"
        bad = await http.post("/api/register/people", headers=auth(server), json={"fields": {"name": "某", "birth_year": "明年"}})
        assert bad.status_code == 400 and bad.json()["code"] == "bad_person" and "明年" in bad.json()["error"]
        moved = await http.post(f"/api/register/people/{head['id']}", headers=auth(server), json={"fields": {
            **{k: str(head[k]) for k in ("name", "birth_year", "relation", "group")}, "household": "099001"}})
        assert moved.json()["ok"], moved.text
        left = await http.post(f"/api/register/people/{head['id']}/status", headers=auth(server),
                               json={"status": "deceased", "note": "2026年11月去世"})
        assert left.json()["ok"]
        assert (await http.post(f"/api/register/people/{head['id']}/status", headers=auth(server),
                                json={"status": "deceased"})).json()["code"] == "nothing_changed"
        shown = (await http.get("/api/register", headers=auth(server))).json()
        entry = next(p for p in shown["people"] if p["id"] == head["id"])
        assert (entry["household"], entry["status"], entry["note"]) == ("099001", "deceased", "2026年11月去世")
        assert shown["summary"]["active"] == 1121  # one added, one deceased
        made = await http.post("/api/meetings", headers=auth(server), json={
            "title": "村民会议", "form": "assembly", "agenda": [{"title": "村规民约"}], "convene": {"who": "adults"}})
        assert made.status_code == 201, made.text
        codes = (await http.get(f"/api/meetings/{made.json()['id']}/codes", params={"key": made.json()["key"]})).json()
        names = [c["name"] for c in codes["codes"]]
        adults = [p for p in shown["people"] if p["status"] == "active" and p["registered"] is not False
                  and p["birth_year"] is not None and date.today().year - p["birth_year"] >= 18]
        assert len(names) == len(adults) and head["id"] not in {p["id"] for p in adults}  # the deceased is not invited
        assert "<script>新生儿</script>" not in names  # born this year: not an adult


async def test_an_assembly_convened_by_households_needs_two_thirds_of_them(server: Any, screens: Any) -> None:
    async with server.http() as http:
        await http.post("/api/register/import", params={"name": "v.xlsx"}, headers=auth(server),
                        content=(SAMPLES / "village-register.xlsx").read_bytes())
        made = await http.post("/api/meetings", headers=auth(server), json={
            "title": "第一、二村民小组户代表会议", "form": "assembly", "agenda": [{"title": "村道硬化"}],
            "convene": {"who": "households", "groups": ["第一村民小组", "第二村民小组"]}})
        assert made.status_code == 201, made.text
        for wrong in ({"who": "everyone"}, {"who": "owners"}, {"who": "adults", "groups": "第一村民小组"}):
            r = await http.post("/api/meetings", headers=auth(server), json={
                "title": "x", "form": "assembly", "agenda": [{"title": "x"}], "convene": wrong})
            assert r.status_code == 400, wrong
        assert r.json()["code"] == "bad_payload"
    wall = await screens(made.json()["id"], "projector")
    view = (await wall.send("sync", {}))["view"]
    q = view["attendance"]["quorum"]
    households = view["invited"]["total"]
    assert 0 < households < 324 and q["rule"] == "two_thirds" and q["required"] == -(-2 * households // 3)
    m = await server.yishi.meetings.state(made.json()["id"])
    assert m.convened["who"] == "households" and m.convened["register_seq"] == 1 and m.convened["invited"] == households


async def test_the_register_outlives_a_restart_and_its_chain_verifies(tmp_path: Path) -> None:
    data = tmp_path / "data"
    running, srv, task = await start_server(data)
    async with running.http() as http:
        await http.post("/api/register/import", params={"name": "b.csv"}, headers=auth(running),
                        content=(SAMPLES / "building-owners.csv").read_bytes())
        before = (await http.get("/api/register", headers=auth(running))).json()
    await stop_server(srv, task)
    running, srv, task = await start_server(data, token=running.token)
    try:
        async with running.http() as http:
            after = (await http.get("/api/register", headers=auth(running))).json()
        assert after == before and after["summary"]["owners"] == 35 and after["summary"]["area"] == "3302.88"
        report = verify_chain(REGISTER, running.yishi.store.rows(REGISTER), readable)
        assert report.intact and report.events == 1
    finally:
        await stop_server(srv, task)


async def test_each_community_of_a_street_office_keeps_its_own_register(server: Any) -> None:
    """An install serving several communities: a register per community, each its own record, and a
    meeting convened from one draws only its people."""
    async with server.http() as http:
        village = await http.post("/api/register/import", params={"name": "v.csv", "community": "heping-cun"},
                                  headers=auth(server), content=(SAMPLES / "village-register.csv").read_bytes())
        assert village.status_code == 200, village.text
        owners = await http.post("/api/register/import", params={"name": "o.csv", "community": "jinxiu-yuan"},
                                 headers=auth(server), content=(SAMPLES / "building-owners.csv").read_bytes())
        assert owners.status_code == 200, owners.text
        shown = (await http.get("/api/register", params={"community": "heping-cun"}, headers=auth(server))).json()
        assert shown["community"] == "heping-cun" and shown["communities"] == ["heping-cun", "jinxiu-yuan"]
        assert shown["summary"]["people"] == 1121 and shown["summary"]["seq"] == 1
        other = (await http.get("/api/register", params={"community": "jinxiu-yuan"}, headers=auth(server))).json()
        assert other["summary"]["owners"] > 0 and "卢晓东" not in {p["name"] for p in other["people"]}
        # the install's first register is still empty: nothing went there
        assert (await http.get("/api/register", headers=auth(server))).json()["summary"]["people"] == 0
        csv = await http.get("/api/register/export.csv", params={"community": "heping-cun"}, headers=auth(server))
        assert csv.text.count("\n") == 1 + 1121
        made = await http.post("/api/meetings", headers=auth(server), json={
            "title": "和平村户代表会议", "form": "assembly", "agenda": [{"title": "村道硬化"}],
            "convene": {"who": "households", "community": "heping-cun"}})
        assert made.status_code == 201, made.text
        for bad in ("../register", "A", "x" * 41, "和平村"):
            r = await http.get("/api/register", params={"community": bad}, headers=auth(server))
            assert r.status_code == 400 and r.json()["code"] == "bad_payload", bad
            r = await http.post("/api/meetings", headers={**auth(server), "Accept-Language": "zh-CN"}, json={
                "title": "x", "form": "assembly", "agenda": [{"title": "x"}], "convene": {"who": "households", "community": bad}})
            assert r.status_code == 400 and "社区代号" in r.json()["error"], bad
    m = await server.yishi.meetings.state(made.json()["id"])
    assert m.convened["community"] == "heping-cun" and m.convened["register_seq"] == 1
    assert m.convened["invited"] == 324 and len(m.roster) == 324
    verified = [r for r in server.yishi.store.events("register:heping-cun")]
    assert [r.type for r in verified] == ["RegisterImported"]
