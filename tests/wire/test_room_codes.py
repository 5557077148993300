"""The meeting's code under the projector's QR code, and the start page (/j) that takes it: a phone
that cannot scan types the short address and the code and lands on the meeting's join page; a code
that is no open meeting's, or two meetings' at once, is said so in the page's language."""
from __future__ import annotations

import html
import itertools
import time
from typing import Any
from urllib.parse import quote

from live.room_codes import ALPHABET, LENGTH, code_of, normalise
from live.store import chain

TITLE = "3号楼加装电梯协商会"
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def a_wrong_code(*taken: str) -> str:
    return next(c for c in ("".join(p) for p in itertools.product("XYZ", repeat=LENGTH)) if c not in taken)


def two_ids_sharing_a_code() -> tuple[str, str]:
    """Two meeting ids (8 hex digits, as the server makes them) with the same code: the first pair met."""
    seen: dict[str, str] = {}
    for n in itertools.count(0xA0000000):
        meeting_id = f"{n:08x}"
        code = code_of(meeting_id)
        if code in seen:
            return seen[code], meeting_id
        seen[code] = meeting_id
    raise AssertionError("unreachable")


def copy_meeting(server: Any, source: str, meeting_id: str) -> None:
    """A meeting stored under `meeting_id` with the record `source` was created with."""
    store = server.yishi.store
    records = chain(meeting_id, 0, "", [(r.type, r.data, r.at) for r in store.events(source)])
    store.add_meeting(meeting_id, "moderator-key", time.time(), recorder_key="recorder-key", codes_secret="secret")
    store.append(records)


def test_codes_are_short_unmistakable_and_read_however_typed() -> None:
    code = code_of("c0c776e9")
    assert len(code) == LENGTH == 5 and set(code) <= set(ALPHABET)
    assert not set("0O1I") & set(ALPHABET) and len(ALPHABET) == 32
    assert code_of("c0c776e9") == code != code_of("c0c776ea")
    for typed in (code, code.lower(), f" {code[:2]} {code[2:]} ", f"{code[:3]}-{code[3:]}", full_width(code),
                  full_width(code.lower()), f"{code[:2]}\u3000{code[2:]}"):
        assert normalise(typed) == code, typed
    for typed in ("", "ABCD", "ABCDEF", "O0I1A", "AB?CD", "张三李四王"):
        assert normalise(typed) is None, typed


async def test_the_projector_shows_the_short_address_and_the_code(server: Any) -> None:
    meeting = await server.create_meeting()
    code = code_of(meeting["id"])
    async with server.http() as http:
        html = (await http.get(f"/m/{meeting['id']}/screen")).text
    host = server.url.removeprefix("http://")
    assert f'<p id="start-url" class="start-url">{host}/j</p>' in html
    assert f'<strong id="room-code" class="room-code">{code}</strong>' in html
    assert "扫不了码？用手机浏览器打开" in html and "输入会议码" in html


async def test_the_code_leads_to_the_meetings_join_page_however_typed(server: Any) -> None:
    meeting = await server.create_meeting()
    code = code_of(meeting["id"])
    join = f"/m/{meeting['id']}/join"
    async with server.http() as http:
        start = await http.get("/j")
        assert start.status_code == 200 and start.headers["cache-control"] == "no-store"
        assert "会议码" in start.text and 'action="/j"' in start.text and "<script" not in start.text.split("</head>")[1]
        assert "Meeting code" in (await http.get("/j", headers=EN)).text
        for typed in (code, code.lower(), full_width(code), f"{code[:2]} {code[2:]}"):
            r = await http.get("/j", params={"code": typed})
            assert r.status_code == 303 and r.headers["location"] == join, typed
            r = await http.get(f"/j/{quote(typed)}")
            assert r.status_code == 303 and r.headers["location"] == join, typed
        r = await http.get("/j", params={"code": code, "lang": "en"})
        assert r.headers["location"] == f"{join}?lang=en"
        landed = await http.get(f"/j/{code}", follow_redirects=True)
        assert landed.status_code == 200 and TITLE in landed.text


async def test_a_wrong_code_is_said_so_in_the_pages_language(server: Any, screens: Any) -> None:
    meeting = await server.create_meeting()
    code = code_of(meeting["id"])
    wrong = a_wrong_code(code)
    async with server.http() as http:
        r = await http.get("/j", params={"code": wrong.lower()})
        assert r.status_code == 404 and f"没有正在进行的会议使用会议码 {wrong}" in r.text
        assert f'value="{wrong}"' in r.text  # kept in the field, to be corrected
        r = await http.get(f"/j/{wrong}", headers=EN)
        assert r.status_code == 404 and f"No meeting under way has the code {wrong}" in r.text
        r = await http.get("/j", params={"code": "10OI"})
        assert r.status_code == 404 and "会议码是 5 位字母和数字（没有 0、O、1、I）" in r.text
        assert "never 0, O, 1 or I" in (await http.get("/j/10OI", headers=EN)).text

        # A closed meeting is not found by its code.
        mod = await screens(meeting["id"], "moderator", key=meeting["key"])
        assert (await mod.send("close_meeting", {}))["ok"]
        r = await http.get(f"/j/{code}")
        assert r.status_code == 404 and f"没有正在进行的会议使用会议码 {code}" in r.text


async def test_two_open_meetings_with_one_code_are_not_guessed_between(server: Any, screens: Any) -> None:
    made = await server.create_meeting()
    first, second = two_ids_sharing_a_code()
    copy_meeting(server, made["id"], first)
    copy_meeting(server, made["id"], second)
    code = code_of(first)
    async with server.http() as http:
        r = await http.get(f"/j/{code}")
        assert r.status_code == 409
        assert f"有两个正在进行的会议使用会议码 {code}，无法确定是哪一个" in r.text
        assert f"Two meetings under way have the code {code}" in r.text  # in both languages
        assert first not in r.text and second not in r.text and TITLE not in r.text  # naming neither
        # Once one of them is closed, the code is the other's.
        mod = await screens(first, "facilitator", token=server.token)
        assert (await mod.send("close_meeting", {}))["ok"]
        r = await http.get(f"/j/{code}")
        assert r.status_code == 303 and r.headers["location"] == f"/m/{second}/join"


async def test_the_printed_slips_say_how_to_join_without_a_camera(server: Any) -> None:
    meeting = await server.create_meeting()
    code, host = code_of(meeting["id"]), server.url.removeprefix("http://")
    async with server.http() as http:
        zh = (await http.get(f"/m/{meeting['id']}/slips", params={"key": meeting["key"]})).text
        en = html.unescape((await http.get(f"/m/{meeting['id']}/slips", params={"key": meeting["key"], "lang": "en"})).text)
    assert zh.count(f"扫不了码？用手机浏览器打开 {host}/j，输入会议码 {code}，再输入签到码。") == 2  # one a slip
    assert f"Open {host}/j in the phone's browser, type the meeting code {code}, then the check-in code." in en
