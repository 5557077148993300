"""Arbitrary requests to every HTTP endpoint of one server started for this file: any method, path
parameters, query strings, headers and bodies (random bytes, random and deeply nested JSON, bodies
shaped like the real ones with wrong types, multipart forms, wrong content types), with and without
the keys and the facilitator's token, as a program or as a browser. No answer is a 5xx; every
refusal that is JSON has the one error shape with a documented code in the asker's language; every
other refusal is a page, never an /api/ answer; every answer carries the security headers; redirects
stay on this server; and the server stays healthy."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, AsyncIterator
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from live.errors import MESSAGES
from live.headers import HEADERS
from live.app import STATIC, assets
from live.i18n import pick
from live.room_codes import code_of

from support.fuzz import (ERROR_TABLE, HTTP_TABLE_CODES, JSON, NASTY, TEXT, check_refusal, doc_section, mostly,
                          nested, weighted)
from support.wire import LIFT, Running, Screen, start_server, stop_server

pytestmark = pytest.mark.asyncio(loop_scope="module")

# YISHI_FUZZ_EXAMPLES=500 for a deeper search
FUZZ = settings(max_examples=int(os.environ.get("YISHI_FUZZ_EXAMPLES", "30")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])

# The refusals the register's file checks give besides the error codes (docs/protocol.md, HTTP).
REGISTER_CODES = {"bad_rows", "unreadable", "bad_person"}
HTTP_CODES = set(ERROR_TABLE) | HTTP_TABLE_CODES
OTHER_METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]

# Every route the server serves, as Starlette names it, with its methods and the query keys it
# reads; test_the_fuzz_table_names_every_route fails on a route served or documented and not here.
ROUTES: dict[str, dict[str, Any]] = {
    "/": {"methods": ["GET"], "query": ["token", "lang"]},
    "/office": {"methods": ["GET"], "query": ["token", "lang"]},
    "/j": {"methods": ["GET"], "query": ["code", "lang"]},
    "/j/{code}": {"methods": ["GET"], "query": ["lang"]},
    "/api/health": {"methods": ["GET"], "query": []},
    "/api/meetings": {"methods": ["GET", "POST"], "query": ["token", "lang"], "body": "meeting"},
    "/api/meetings/{id}": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/api/meetings/{id}/keys": {"methods": ["POST"], "query": ["token", "lang"], "body": "role"},
    "/api/meetings/{id}/codes": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/m/{id}/qr.svg": {"methods": ["GET"], "query": ["lang"]},
    "/m/{id}/screen": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/m/{id}/join": {"methods": ["GET"], "query": ["code", "lang"]},
    "/m/{id}/moderate": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/m/{id}/record": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/m/{id}": {"methods": ["GET"], "query": ["lang"]},
    "/m/{id}/slips": {"methods": ["GET"], "query": ["key", "token", "lang", "page"]},
    "/m/{id}/notice": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/meetings/{id}/notice": {"methods": ["GET"], "query": ["lang"]},
    "/api/meetings/{id}/notices": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/api/meetings/{id}/reply": {"methods": ["POST"], "query": ["lang"], "body": "reply"},
    "/meetings/{id}/polls/{poll}/receipts": {"methods": ["GET"], "query": ["lang"]},
    "/meetings/{id}/minutes.{fmt}": {"methods": ["GET"], "query": ["key", "token", "public", "lang", "tz"]},
    "/meetings/{id}/public": {"methods": ["GET"], "query": ["lang", "tz"]},
    "/meetings/{id}/verify": {"methods": ["GET", "POST"], "query": ["key", "token", "lang", "format", "tz"],
                              "body": "minutes"},
    "/api/register": {"methods": ["GET"], "query": ["token", "lang", "community"]},
    "/api/register/import": {"methods": ["POST"], "query": ["token", "name", "good_rows", "lang", "community"], "body": "register"},
    "/api/register/export.{fmt}": {"methods": ["GET"], "query": ["token", "all", "lang", "community"]},
    "/api/register/people": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "person"},
    "/api/register/people/{id}": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "person"},
    "/api/register/people/{id}/status": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "status"},
    "/api/register/people/{id}/code": {"methods": ["POST"], "query": ["token", "lang", "community"]},
    "/api/register/codes": {"methods": ["GET"], "query": ["token", "lang", "community", "group", "person"]},
    "/register/slips": {"methods": ["GET"], "query": ["token", "lang", "community", "group", "person", "page"]},
    "/topics/me": {"methods": ["POST"], "query": ["community", "lang"], "body": "resident"},
    "/topics/propose": {"methods": ["POST"], "query": ["community", "lang"], "body": "resident_topic"},
    "/topics/{topic}/sign": {"methods": ["POST"], "query": ["community", "lang"], "body": "resident"},
    "/api/topics": {"methods": ["GET", "POST"], "query": ["token", "lang", "community"], "body": "topic"},
    "/api/topics/{topic}/signatures": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "sheet"},
    "/api/topics/{topic}/accept": {"methods": ["POST"], "query": ["token", "lang", "community"]},
    "/api/topics/{topic}/decline": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "decline"},
    "/api/topics/{topic}/schedule": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "schedule"},
    "/topics.json": {"methods": ["GET"], "query": ["community", "lang"]},
    "/api/topics/{topic}/materials": {"methods": ["POST"], "query": ["token", "name", "lang", "community"], "body": "file"},
    "/api/topics/{topic}/materials/{sha256}/remove": {"methods": ["POST"], "query": ["token", "lang", "community"]},
    "/topics/{topic}/materials/{sha256}": {"methods": ["GET"], "query": ["community", "lang"]},
    "/api/topics/{topic}/opinions": {"methods": ["GET", "POST"], "query": ["token", "lang", "community"],
                                     "body": "opinion_entry"},
    "/api/topics/{topic}/opinions/open": {"methods": ["POST"], "query": ["token", "lang", "community"],
                                          "body": "opinion_period"},
    "/api/topics/{topic}/opinions/close": {"methods": ["POST"], "query": ["token", "lang", "community"]},
    "/api/topics/{topic}/opinions/{statement}/hide": {"methods": ["POST"], "query": ["token", "lang", "community"],
                                                      "body": "decline"},
    "/topics/{topic}/opinions.json": {"methods": ["GET"], "query": ["community", "lang"]},
    "/topics/{topic}/opinions": {"methods": ["POST"], "query": ["community", "lang"], "body": "opinion"},
    "/topics/{topic}/opinions/{statement}/stance": {"methods": ["POST"], "query": ["community", "lang"],
                                                    "body": "opinion"},
    "/topics": {"methods": ["GET"], "query": ["community", "lang"]},
    "/api/forms": {"methods": ["GET"], "query": ["token", "lang", "community"]},
    "/api/forms/wording": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "wording"},
    "/api/forms/petition-base": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "petition_base"},
    "/api/forms/{form}": {"methods": ["POST"], "query": ["token", "lang", "community"], "body": "template"},
    "/api/forms/{form}/reset": {"methods": ["POST"], "query": ["token", "lang", "community"]},
    "/api/meetings/{id}/attachments": {"methods": ["POST"], "query": ["key", "token", "name", "lang"], "body": "file"},
    "/meetings/{id}/files/{sha256}": {"methods": ["GET"], "query": ["key", "token", "lang"]},
    "/api/meetings/{id}/actions/{action}": {"methods": ["POST"], "query": ["key", "token", "lang"], "body": "update"},
    "/api/actions": {"methods": ["GET"], "query": ["token", "all", "tz", "lang"]},
    "/api/objections": {"methods": ["GET"], "query": ["token", "lang"]},
    "/api/meetings/{id}/objections/{objection}/explanations": {"methods": ["POST"], "query": ["token", "lang"],
                                                               "body": "explanation"},
    "/api/meetings/{id}/items/{item}/corrections": {"methods": ["POST"], "query": ["token", "lang"], "body": "correction"},
    "/api/meetings/{id}/items/{item}/escalate": {"methods": ["POST"], "query": ["token", "lang"], "body": "escalation"},
    "/api/meetings/{id}/items/{item}/reports": {"methods": ["POST"], "query": ["token", "lang"], "body": "report"},
    "/api/meetings/{id}/items/{item}/replies": {"methods": ["POST"], "query": ["token", "lang"], "body": "report"},
    "/api/matters": {"methods": ["GET"], "query": ["token", "lang"]},
    "/meetings/{id}/object": {"methods": ["GET", "POST"], "query": ["lang"], "body": "objection"},
    "/meetings/{id}/object/answer": {"methods": ["POST"], "query": ["lang"], "body": "objection"},
    "/board": {"methods": ["GET"], "query": ["status", "year", "meeting", "lang"]},
    "/board.json": {"methods": ["GET"], "query": ["status", "year", "meeting", "lang"]},
    "/static/v/{version}/{path:path}": {"methods": ["GET"], "query": []},
    **{f"/static/{part}": {"methods": ["GET"], "query": [], "mount": True} for part in ("css", "js", "i18n", "vendor")},
}


# -- one server, a meeting with something in it ------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    running, server, task = await start_server(tmp_path_factory.mktemp("fuzz-http") / "data")
    made = await running.create_meeting(roster=[{"name": "张桂英", "category": "registered", "area": "85.50"},
                                                {"name": "周海燕", "category": "property", "area": "92.10"}])
    mod = await Screen(running.url, {"meeting": made["id"], "role": "moderator", "key": made["key"]}).connect()
    for event, payload in [("open_item", {"item": 0}), ("add_speaker", {"name": "钱大爷", "category": "registered",
                                                                         "stance": "for"}),
                           ("grant_floor", {}), ("end_speech", {}), ("open_poll", {"question": "同意吗？"})]:
        assert (await mod.send(event, payload))["ok"], event
    await mod.close()
    # A closed meeting with an action item and an update naming a photo: what the follow-up routes take.
    closed = await running.create_meeting()
    mod = await Screen(running.url, {"meeting": closed["id"], "role": "moderator", "key": closed["key"]}).connect()
    for event, payload in [("open_item", {"item": 0}), ("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意",
                           "actions": [{"what": "提交申请", "owner": "物业", "due": "2026-12-31"}]}), ("close_meeting", {})]:
        assert (await mod.send(event, payload))["ok"], event
    await mod.close()
    async with running.http() as http:
        person = await http.post("/api/register/people", headers={"Authorization": f"Bearer {running.token}"},
                                 json={"fields": {"name": "王建华", "sex": "男", "birth_year": "1960"}})
        assert person.status_code == 200, person.text
        for topic in ({"title": "村道硬化", "kind": "planning", "source": "residents", "proposer": "村民 张三",
                       "petition": "residents"},
                      {"title": "加装电梯", "kind": "planning", "source": "committee", "proposer": "居委会"}):
            made_topic = await http.post("/api/topics", headers={"Authorization": f"Bearer {running.token}"}, json=topic)
            assert made_topic.status_code == 201, made_topic.text
        opened = await http.post("/api/topics/t2/opinions/open", headers={"Authorization": f"Bearer {running.token}"},
                                 json={"until": (date.today() + timedelta(days=30)).isoformat()})
        assert opened.status_code == 200, opened.text
        given = await http.post("/api/topics/t2/opinions", headers={"Authorization": f"Bearer {running.token}"},
                                json={"name": "王建华", "text": "同意", "channel": "paper"})
        assert given.status_code == 201, given.text
        photo = await http.post(f"/api/meetings/{closed['id']}/attachments", params={"key": closed["key"], "name": "a.png"},
                                content=PHOTO)
        assert photo.status_code == 201, photo.text
        update = await http.post(f"/api/meetings/{closed['id']}/actions/1.1", params={"key": closed["key"]},
                                 json={"note": "已提交", "attachments": [{"sha256": photo.json()["sha256"], "name": "a.png"}]})
        assert update.status_code == 200, update.text
        site = Site(running, server.config.app.other_asgi_app, made, person.json()["id"], http)
        site.closed, site.photo = closed, photo.json()["sha256"]
        site.codes = await running.join_codes(closed["id"], closed["key"])
        listed = await http.get("/api/register/codes", headers={"Authorization": f"Bearer {running.token}"})
        site.resident = listed.json()["codes"][0]["code"]
        yield site
    await stop_server(server, task)


class Site:
    def __init__(self, running: Running, app: Any, meeting: dict[str, Any], person: str,
                 http: httpx.AsyncClient) -> None:
        self.running, self.app, self.meeting, self.person, self.http = running, app, meeting, person, http
        self.made: list[str] = []  # meetings the fuzz created (their titles and rosters are arbitrary)
        self.statuses: dict[int, int] = {}
        self.closed: dict[str, Any] = {}  # a closed meeting with an action item, and the photo its update names
        self.photo = ""
        self.codes: list[str] = []  # the closed meeting's invitees' personal codes
        self.resident = ""  # the resident code of the person added to the register


# -- what a request is made of ---------------------------------------------------------------------

HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.strip)  # HTTP's
ACCEPTS = ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json", "*/*",
           "text/html", "text/html;q=0", "text/html;q=abc, application/json;q=0.5", "application/*", ""]
CONTENT_TYPES = ["application/json", "application/json; charset=latin-1", "text/plain", "text/csv",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/pdf",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/svg+xml", ""]


SHORT_TEXT = TEXT.filter(lambda t: len(t) < 300)  # a URL stays within what a client sends (httpx: 64 KiB)


def path_value(site: Site, kind: str, route: str) -> st.SearchStrategy[str]:
    if kind == "code":  # the short code a phone types on the start page
        code = code_of(site.meeting["id"])
        return mostly(st.sampled_from([code, code.lower(), f"{code[:2]}-{code[2:]}"]),
                      st.sampled_from(["AAAAA", "0O1I", ""]), SHORT_TEXT)
    if kind == "version":
        return mostly(st.just(assets().version), st.sampled_from(["0", "..", "v"]), SHORT_TEXT)
    if kind == "path":  # a file's path under the version, slashes and all
        return mostly(st.sampled_from(sorted(assets().files)), st.sampled_from(
            ["../live/app.py", "pages/join.html", "js/../../live/app.py", "js/", "%2e%2e/x"]), SHORT_TEXT)
    if kind == "fmt":
        formats = ["xlsx", "csv"] if route.startswith("/api/register") else ["html", "md", "json", "docx", "pdf"]
        return mostly(st.sampled_from(formats), st.sampled_from(["HTML", "pdf ", "exe", "", "json.json"]), SHORT_TEXT)
    if kind == "sha256":
        return mostly(st.just(site.photo), st.sampled_from(["0" * 64, site.photo.upper(), "../../yishi.db", ""]), SHORT_TEXT)
    if kind == "form":  # a form of consultation (facilitation/meeting.py FORMS)
        return mostly(st.sampled_from(["council", "hearing", "assembly", "board"]),
                      st.sampled_from(["picnic", "../council", "Council", ""]), SHORT_TEXT)
    if kind == "topic":
        return mostly(st.sampled_from(["t1", "t2"]), st.sampled_from(["t0", "../t1", "t1/..", ""]), SHORT_TEXT)
    if kind == "objection":
        return mostly(st.sampled_from(["x1", "x2"]), st.sampled_from(["x0", "../x1", ""]), SHORT_TEXT)
    if kind == "statement":  # an opinion given on a topic in advance
        return mostly(st.sampled_from(["s1", "s2"]), st.sampled_from(["s0", "../s1", ""]), SHORT_TEXT)
    if kind == "item":
        return mostly(st.sampled_from(["1", "2"]), st.sampled_from(["0", "-1", "99999", "1.5", ""]), SHORT_TEXT)
    if kind == "poll":
        return mostly(st.sampled_from(["v1", "v2"]), st.sampled_from(["v0", "../v1", "v1/..", ""]), SHORT_TEXT)
    if kind == "action":
        return mostly(st.sampled_from(["1.1", "1.2", "2.1"]), st.sampled_from(["0.0", "../1.1", "1.1/..", ""]), SHORT_TEXT)
    if route in FOLLOW_UP:  # mostly the closed meeting, whose action items can be updated
        return mostly(st.just(site.closed["id"]), st.just(site.meeting["id"]), st.sampled_from(["nope", "00000000"]),
                      SHORT_TEXT)
    if route.startswith("/api/register/people/"):
        return mostly(st.just(site.person), st.sampled_from(["r999", "r0", "1"]), SHORT_TEXT)
    if route == "/api/meetings/{id}/keys":  # the meeting the other routes are asked about keeps its keys
        return mostly(st.sampled_from(site.made or ["nope"]), st.sampled_from(["nope", "00000000"]), SHORT_TEXT)
    return mostly(st.just(site.meeting["id"]), st.sampled_from(site.made or ["nope"]),
                  st.sampled_from(["nope", "00000000", site.meeting["id"].upper()]), SHORT_TEXT)


def query_value(site: Site, key: str) -> st.SearchStrategy[str]:
    plausible = {
        "key": [site.meeting["key"], site.closed["key"], site.meeting["recorder_key"], site.closed["recorder_key"], "guess"],
        "token": [site.running.token, "guess"],
        "lang": ["en", "zh-CN", "fr"],
        "public": ["1", "true", "0", "yes", ""],
        # the default zone, else names that are not zones: a valid zone renders every format again
        "tz": ["Asia/Shanghai", "Mars/Olympus", "../../etc/passwd", "Asia/Shanghai\x00"],
        "page": ["1", "2", "-1", "0", "99999999999999999999", "1e3", "NaN"],
        "name": ["register.csv", "register.xlsx", "../../x.csv", "名册.xlsx", ".csv", "现场.jpg", "../../../etc/x.png"],
        "status": ["overdue", "open", "done", "all", "OPEN"], "year": ["2026", "1999", "0", "-1", "2026.0", "２０２６"],
        # the closed meeting, the one under way, one the fuzz made (perhaps never held), ids that are no meeting's
        "meeting": [site.closed["id"], site.meeting["id"], *site.made[:1], "00000000", site.closed["id"].upper(), ""],
        "group": ["", "一组", "x" * 300], "person": [site.person, "r999", ""],
        "community": ["", "heping-cun", "../register", "A", "x" * 41], "good_rows": ["1", "0"], "all": ["1", "0"], "code": ["123456789", "ABCDE", "abcde", "２３４５６", "abc"], "format": ["html", "json", "pdf"],
    }[key]
    return mostly(st.just(plausible[0]), st.sampled_from(plausible), SHORT_TEXT)


@dataclass(frozen=True)
class Form:
    """A multipart/form-data body (the verification page's upload form) and its boundary."""

    boundary: str
    body: bytes


def form(boundary: str, parts: list[tuple[str, bytes]], closed: bool) -> Form:
    body = b"".join(b"--%s\r\nContent-Disposition: %s\r\n\r\n%s\r\n" % (
        boundary.encode(), disposition.encode("utf-8", "surrogatepass"), content) for disposition, content in parts)
    return Form(boundary, body + (b"--%s--\r\n" % boundary.encode() if closed else b""))


FOLLOW_UP = ("/api/meetings/{id}/objections/{objection}/explanations", "/api/meetings/{id}/items/{item}/corrections", "/api/meetings/{id}/items/{item}/escalate",
             "/api/meetings/{id}/items/{item}/reports", "/api/meetings/{id}/items/{item}/replies", "/api/meetings/{id}/attachments", "/meetings/{id}/files/{sha256}", "/api/meetings/{id}/actions/{action}",
             "/meetings/{id}/object", "/meetings/{id}/object/answer")


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


PHOTO = _image("PNG", (40, 30))
# A PNG whose header claims 100,000 x 100,000 pixels: a decompression bomb's first bytes.
BOMB = PHOTO[:16] + (100_000).to_bytes(4, "big") * 2 + PHOTO[24:]
FILE_LIKE = [PHOTO, _image("JPEG", (64, 48)), BOMB, b"%PDF-1.4\n1 0 obj\n%%EOF", b"%PDF-1.4 no end",
             b"\xff\xd8\xff\xe0 not really a jpeg", b"<svg onload=alert(1)>", b"GIF89a", b""]
MINUTES_LIKE = [b"%PDF-1.4\n%%EOF", b"PK\x03\x04", b'{"schema": "yishi-minutes/4"}', b"# minutes\n", b"<html></html>"]
FORMS = st.builds(
    form,
    mostly(st.sampled_from(["x", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "b" * 70]),
           st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"\\;'), min_size=1,
                   max_size=80)),
    st.lists(st.tuples(mostly(st.sampled_from(['form-data; name="file"; filename="minutes.pdf"', 'form-data; name="file"',
                                               'form-data; name="other"']), TEXT),
                       mostly(st.sampled_from(MINUTES_LIKE), st.binary(max_size=200))), max_size=3),
    st.booleans(),
)


def body_for(site: Site, kind: str) -> st.SearchStrategy[bytes | Form | None]:
    """A body shaped like the route's own (with any values), or any bytes or JSON."""
    import json

    def as_json(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")

    person = {"name": ["王建华", "李秀英"], "sex": ["男", "女"], "birth_year": ["1960", "2001"],
              "household": ["H001"], "relation": ["户主", "配偶"], "group": ["一组"], "registered": ["是", "否"],
              "representative": ["是", "否"],
              "party_member": ["否"], "phone": ["13800138000"], "building": ["3"], "unit": ["1"], "room": ["302"],
              "area": ["85.50"], "nonsense": ["x"]}
    shapes = {  # required fields, optional ones
        "meeting": ({"title": mostly(st.just(LIFT["title"]), TEXT),
                     "agenda": mostly(st.just(LIFT["agenda"]), st.lists(st.fixed_dictionaries(
                         {"title": TEXT}, optional={"background": TEXT}), max_size=3), JSON)},
                    {**{k: mostly(st.just(v), JSON) for k, v in LIFT.items() if k not in ("title", "agenda", "roster")},
                     "roster": mostly(st.just(LIFT["roster"]), st.lists(st.dictionaries(st.sampled_from(
                         ["name", "category", "area", "household"]), TEXT, max_size=4), max_size=4), JSON),
                     "proxy_limit": mostly(st.integers(-1, 6), JSON),
                     "community": mostly(st.sampled_from(["", "heping-cun", "../x"]), JSON),
                     "convene": st.one_of(st.fixed_dictionaries({"who": st.sampled_from(["adults", "owners", "x"])}),
                                          JSON)}),
        "role": ({}, {"role": mostly(st.sampled_from(["moderator", "recorder", "projector"]), JSON)}),
        "person": ({"fields": mostly(st.fixed_dictionaries({"name": mostly(st.sampled_from(person["name"]), TEXT)},
                                                           optional={k: mostly(st.sampled_from(v), TEXT, st.integers())
                                                                     for k, v in person.items() if k != "name"}),
                                     JSON)}, {}),
        "status": ({"status": mostly(st.sampled_from(["active", "moved_away", "deceased"]), JSON)},
                   {"note": mostly(TEXT, JSON)}),
        "topic": ({"title": mostly(st.just("村道硬化"), TEXT), "kind": mostly(st.sampled_from(["planning", "other", "x"]), JSON),
                   "source": mostly(st.sampled_from(["residents", "committee", "x"]), JSON),
                   "proposer": mostly(st.just("村民 张三"), TEXT)},
                  {"background": mostly(TEXT, JSON), "groups": mostly(st.lists(TEXT, max_size=3), JSON),
                   "petition": mostly(st.sampled_from(["residents", "representatives", ""]), JSON)}),
        "sheet": ({"sheet": mostly(st.lists(st.fixed_dictionaries({"name": mostly(st.sampled_from(person["name"]), TEXT)},
                                                                    optional={"household": TEXT, "birth_year": JSON}),
                                            max_size=4), JSON)}, {}),
        "decline": ({"reason": mostly(TEXT, JSON)}, {}),
        # a resident's code: the person the fuzz added (site.resident), a guess, or anything
        "resident": ({"code": mostly(st.sampled_from([site.resident, "000000000000", ""]), TEXT, JSON)}, {}),
        "resident_topic": ({"code": mostly(st.sampled_from([site.resident, "000000000000"]), TEXT, JSON),
                            "title": mostly(st.just("路灯"), TEXT), "kind": mostly(st.sampled_from(["planning", "x"]), JSON)},
                           {"background": mostly(TEXT, JSON), "groups": mostly(st.lists(TEXT, max_size=3), JSON),
                            "petition": mostly(st.sampled_from(["residents", "representatives", ""]), JSON),
                            "actor": JSON, "proposer": TEXT, "person": JSON}),
        "wording": ({"wording": mostly(st.sampled_from(["village", "neighbourhood", "city"]), JSON)}, {}),
        "petition_base": ({"base": mostly(st.sampled_from(["residents", "adults", "representatives"]), JSON)}, {}),
        "template": ({}, {"agenda": mostly(st.lists(TEXT, max_size=4), JSON),
                          "speaking_seconds": mostly(st.integers(0, 4000), JSON),
                          "speakers": mostly(st.sampled_from(["everyone", "invitees"]), st.lists(
                              st.sampled_from(["registered", "party", "x"]), max_size=3), JSON),
                          "voters": mostly(st.sampled_from(["everyone", "invitees"]), JSON),
                          "poll_kinds": mostly(st.lists(st.sampled_from(["yes_no_abstain", "rating", "x"]), max_size=3), JSON),
                          "quorum": mostly(st.sampled_from(["more_than_half", "two_thirds", None, "x"]), JSON)}),
        "schedule": ({"meeting": mostly(st.just("00000000"), TEXT), "item": mostly(st.integers(-1, 3), JSON)}, {}),
        "opinion_period": ({"until": mostly(st.sampled_from(["2099-01-01", "2026-13-01", ""]), st.floats(), JSON)},
                           {"opens": mostly(st.sampled_from(["2020-01-01", "x"]), st.integers(), JSON)}),
        "opinion_entry": ({"name": mostly(st.sampled_from(person["name"]), TEXT), "text": mostly(TEXT, JSON),
                           "channel": mostly(st.sampled_from(["paper", "phone", "online", "x"]), JSON)},
                          {"household": TEXT, "birth_year": JSON}),
        "opinion": ({"code": mostly(st.sampled_from(["000000000000", "123 456 789 012"]), TEXT, JSON)},
                    {"text": mostly(TEXT, JSON), "stance": mostly(st.sampled_from(["agree", "disagree", "x"]), JSON)}),
    }
    shaped: list[st.SearchStrategy[bytes | Form | None]] = []
    if kind in shapes:
        required, optional = shapes[kind]
        shaped.append(st.fixed_dictionaries(required, optional=optional).map(as_json))
        shaped.append(st.builds(lambda some, extra: {**some, **extra}, st.fixed_dictionaries({}, optional={
            **required, **optional}), st.dictionaries(st.text(max_size=8), JSON, max_size=2)).map(as_json))
    if kind == "register":
        shaped.append(st.lists(st.lists(TEXT.filter(lambda t: len(t) < 200), max_size=8), max_size=6).map(
            lambda rows: "\n".join(",".join(r) for r in [["姓名", "性别", "出生年份", "户号"], *rows]).encode(
                "utf-8", "surrogatepass")))
    if kind == "file":
        shaped.append(st.sampled_from(FILE_LIKE))
    if kind == "explanation":
        shaped.append(st.fixed_dictionaries({}, optional={"text": mostly(TEXT, JSON), "by": mostly(TEXT, JSON)}).map(as_json))
    if kind == "escalation":
        shaped.append(st.fixed_dictionaries({}, optional={
            "to_form": mostly(st.sampled_from(["assembly", "representatives", "council"]), JSON),
            "reason": mostly(TEXT, JSON), "title": mostly(TEXT, JSON), "place": mostly(TEXT, JSON),
            "convene": mostly(st.fixed_dictionaries({"who": st.sampled_from(["representatives", "x"])}), JSON)}).map(as_json))
    if kind == "correction":
        shaped.append(st.fixed_dictionaries({}, optional={
            "outcome": mostly(st.sampled_from(["consensus", "partial", "none", "deferred", "victory"]), JSON),
            "opinion": mostly(TEXT, JSON), "reason": mostly(TEXT, JSON), "decided_by": mostly(TEXT, JSON)}).map(as_json))
    if kind == "report":  # an entrusted matter's report back, or its reply
        shaped.append(st.fixed_dictionaries({}, optional={
            "text": mostly(TEXT, JSON), "to": mostly(TEXT, JSON), "by_body": mostly(TEXT, JSON)}).map(as_json))
    if kind == "objection":  # as the page's forms send it, or as JSON
        fields = {"code": mostly(st.sampled_from(site.codes or ["000000000"]), TEXT),
                  "item": mostly(st.sampled_from(["0", "1", "-1", "99999"]), TEXT), "reason": TEXT,
                  "objection_id": mostly(st.sampled_from(["x1", "x2"]), TEXT),
                  "response": mostly(st.sampled_from(["answered", "still_objects"]), TEXT), "comment": TEXT}
        shaped.append(st.fixed_dictionaries({}, optional=fields).map(
            lambda d: urlencode(d, encoding="utf-8", errors="surrogatepass").encode()))
        shaped.append(st.fixed_dictionaries({}, optional=fields).map(as_json))
    if kind == "reply":  # an invitee's reply with their code
        shaped.append(st.fixed_dictionaries({}, optional={
            "code": mostly(st.sampled_from(site.codes or ["000000000"]), TEXT, JSON),
            "answer": mostly(st.sampled_from(["coming", "not_coming", "proxy", "maybe"]), JSON),
            "holder": mostly(TEXT, JSON), "invitee": JSON}).map(as_json))
    if kind == "update":
        shaped.append(st.fixed_dictionaries({}, optional={
            "status": mostly(st.sampled_from(["in_progress", "done", "blocked", "cancelled", "open", ""]), JSON),
            "percent": mostly(st.integers(-5, 105), JSON), "note": mostly(TEXT, JSON),
            "due": mostly(st.sampled_from(["2027-01-31", "明年", "2026-02-30"]), JSON),
            "attachments": mostly(st.lists(st.fixed_dictionaries({"sha256": st.sampled_from([site.photo, "0" * 64]),
                                                                  "name": TEXT}), max_size=8), JSON)}).map(as_json))
    if kind == "minutes":
        shaped.append(st.sampled_from(MINUTES_LIKE))
        shaped.append(FORMS)
    deep = st.builds(lambda depth, opener: (opener * depth).encode(), st.integers(100, 200_000),
                     st.sampled_from(["[", '{"a":']))
    return weighted(*[(4, one) for one in shaped], (1, st.none()), (1, st.binary(max_size=300)), (1, JSON.map(as_json)),
                    (1, deep), (1, st.builds(nested, st.integers(10, 400), JSON).map(as_json)))


@st.composite
def requests(draw: st.DrawFn, site: Site, route: str) -> dict[str, Any]:
    spec = ROUTES[route]
    method = draw(mostly(st.sampled_from(spec["methods"]), st.sampled_from(OTHER_METHODS)), label="method")
    if spec.get("mount"):
        there = sorted(p.name for p in (STATIC / route.removeprefix("/static/")).iterdir())
        rest = draw(mostly(st.sampled_from(there), st.sampled_from(
            ["", "x", "..%2f..%2fpages%2fjoin.html", "%2e%2e/%2e%2e/live/app.py", "..%5c..%5clive%5capp.py", "%00",
             "%ff%fe", "a/b/c", "../pages/join.html", "__init__.py"]),
            st.text(max_size=30).map(lambda t: quote(t, safe=""))),
                    label="rest")
        path = f"{route}/{rest}"
    else:
        path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: quote(draw(path_value(site, m.group(1), route),
                                                                label=m.group(1)), safe="/" if m.group(1) == "path" else ""),
                      route)
    query = draw(st.fixed_dictionaries({}, optional={k: query_value(site, k) for k in spec["query"]}), label="query")
    query.update(draw(st.dictionaries(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)),
                                      SHORT_TEXT, max_size=2), label="more query"))
    headers = {}
    auth = draw(st.one_of(st.just(f"Bearer {site.running.token}"),
                          st.sampled_from(["", "Bearer guess", "Basic eDp5", "Bearer", site.running.token])),
                label="authorization")
    if auth:
        headers["Authorization"] = auth
    if draw(st.booleans(), label="accept-language?"):
        headers["Accept-Language"] = draw(st.one_of(st.sampled_from(["en", "en-GB,en;q=0.9", "zh-CN", "fr, de",
                                                                   "*", ";;;", "en;q=abc"]), HEADER_TEXT))
    if draw(st.booleans(), label="accept?"):  # a browser's, a program's, or any
        headers["Accept"] = draw(st.one_of(st.sampled_from(ACCEPTS), HEADER_TEXT))
    if draw(st.booleans(), label="accept-encoding?"):
        headers["Accept-Encoding"] = draw(st.one_of(st.sampled_from(
            ["gzip", "gzip, deflate, br", "identity", "*;q=0", "gzip;q=abc", "gzip;q=0", ""]), HEADER_TEXT))
    if draw(st.booleans(), label="if-none-match?"):
        headers["If-None-Match"] = draw(st.one_of(st.just("*"), HEADER_TEXT))
    if draw(st.booleans(), label="content-type?"):
        headers["Content-Type"] = draw(st.one_of(st.sampled_from(CONTENT_TYPES), HEADER_TEXT))
    body = draw(body_for(site, spec.get("body", "")), label="body") if method in ("POST", "PUT", "PATCH") else None
    if isinstance(body, Form):  # mostly sent as a form, with its boundary
        if draw(weighted((3, st.just(True)), (1, st.just(False))), label="as a form?"):
            headers["Content-Type"] = f"multipart/form-data; boundary={body.boundary}"
        body = body.body
    return {"method": method, "path": path, "params": query, "headers": headers, "content": body}


def expected_lang(request: dict[str, Any]) -> str:
    """The language the server answers in: `lang` in the query, else Accept-Language, else Chinese."""
    return pick(request["params"].get("lang"), request["headers"].get("Accept-Language", ""))


async def ask(site: Site, request: dict[str, Any]) -> httpx.Response:
    """Send the request and check what no answer may be, whatever was asked."""
    answer = await site.http.request(request["method"], request["path"], params=request["params"],
                                     headers=request["headers"], content=request["content"])
    site.statuses[answer.status_code] = site.statuses.get(answer.status_code, 0) + 1
    where = f"{request['method']} {answer.request.url}: {answer.status_code}"
    assert answer.status_code < 500, f"{where} {answer.text[:2000]}"
    for name, value in HEADERS:
        assert answer.headers.get(name.decode()) == value.decode(), (where, name)
    kind = answer.headers.get("content-type", "")
    if answer.status_code >= 400 and request["method"] != "HEAD":
        if kind.startswith("application/json"):
            body = answer.json()
            if body.get("code") in REGISTER_CODES:  # the register's checks of a file or a person
                assert body["ok"] is False and body["status"] == answer.status_code, (where, body)
                assert isinstance(body["error"], str) and body["error"].strip(), (where, body)
                assert set(body) - {"ok", "code", "status", "error"} <= {"found"}, (where, body)
            else:
                check_refusal(body, expected_lang(request), status=answer.status_code, codes=HTTP_CODES & set(MESSAGES))
        else:  # a page saying what is wrong (the missing page, the verification page …): never an /api/ answer
            assert kind.startswith("text/html") and not answer.request.url.path.startswith("/api/"), where
    if answer.status_code in (301, 302, 303, 307, 308):  # redirects stay on this server
        location = urlsplit(answer.headers["location"])
        assert location.netloc in ("", answer.request.url.netloc.decode()), (where, location)
        assert location.path.startswith("/") and not location.path.startswith("//"), (where, location)
        assert "\\" not in location.path, (where, location)
        assert not re.search(r"[\x00-\x20]", answer.headers["location"]), (where, location)
    return answer


# -- the tests -----------------------------------------------------------------------------------

async def test_the_fuzz_table_names_every_route(site: Site) -> None:
    served = {route.path for route in site.app.routes}
    assert served <= set(ROUTES), f"served and not fuzzed: {served - set(ROUTES)}"
    for route in site.app.routes:
        if not isinstance(route, Mount):
            assert set(route.methods or ()) - {"HEAD"} <= set(ROUTES[route.path]["methods"]), route.path
    documented = set()
    for method, path in re.findall(r"`(GET|POST) (/[^`?\s]*)", doc_section("HTTP")):
        path = path.removesuffix("/...")
        documented.add(path)
    assert documented <= set(ROUTES), f"documented and not fuzzed: {documented - set(ROUTES)}"


@pytest.mark.parametrize("route", sorted(ROUTES))
@FUZZ
@given(data=st.data())
async def test_any_request_to_a_route(site: Site, route: str, data: st.DataObject) -> None:
    request = data.draw(requests(site, route), label="request")
    answer = await ask(site, request)
    if route == "/api/meetings" and answer.status_code == 201:
        site.made.append(answer.json()["id"])


async def test_the_server_is_healthy_after_the_fuzz(site: Site) -> None:
    health = await site.http.get("/api/health")
    assert health.status_code == 200 and health.json()["ok"] is True
    for meeting in [site.meeting["id"], *site.made]:
        checked = (await site.http.get(f"/meetings/{meeting}/verify")).json()
        assert checked["record"]["intact"], checked
    assert set(site.statuses) & {200, 201} and set(site.statuses) & {400, 401, 403, 404}, site.statuses
