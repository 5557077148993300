"""The minutes over HTTP on a real server: who may fetch which version, the public page, the
explanation log after the meeting (organisers explain, the objector answers from their phone),
and verification."""
from __future__ import annotations

import asyncio
import io
import json
import re
import sqlite3
import threading

import docx

from facilitation.roles import MODERATOR, Actor
from live import minutes_http
from live.demo import create_finished_demo
from live.minutes import render

from support.minutes_meeting import RESIDENTS
from support.wire import HTTP_BUDGET_S

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def finished(server):
    return await create_finished_demo(server.yishi.meetings)


async def test_the_full_minutes_need_the_moderator_key_or_the_facilitator_token(server):
    mid, key = await finished(server)
    async with server.http() as c:
        for query in ("", "?key=wrong"):
            r = await c.get(f"/meetings/{mid}/minutes.json{query}")
            assert r.status_code == 403 and r.json()["code"] == "minutes_need_key"
            assert "公示版" in r.json()["error"]
        for fmt, media in CONTENT_TYPES.items():
            r = await c.get(f"/meetings/{mid}/minutes.{fmt}?key={key}")
            assert (r.status_code, r.headers["content-type"]) == (200, media), fmt
            assert r.headers["cache-control"] == "no-store"
        r = await c.get(f"/meetings/{mid}/minutes.json", headers={"Authorization": f"Bearer {server.token}"})
        model = r.json()
        assert r.status_code == 200 and model["public"] is False
        assert "张桂英" in json.dumps(model, ensure_ascii=False)
        r = await c.get(f"/meetings/{mid}/minutes.docx?key={key}")
        assert f'filename="minutes-{mid}.docx"' in r.headers["content-disposition"]
        assert docx.Document(io.BytesIO(r.content)).paragraphs[0].text.startswith("幸福里小区3号楼加装电梯居民协商会")


async def test_the_public_minutes_need_no_token_and_name_no_resident(server):
    mid, _ = await finished(server)
    async with server.http() as c:
        for fmt in ("json", "md", "html"):
            r = await c.get(f"/meetings/{mid}/minutes.{fmt}?public=1")
            text = r.text.replace("\\", "")  # Markdown escapes the asterisks of 张**
            assert r.status_code == 200
            assert [n for n in RESIDENTS if n in text] == [], fmt
            assert "王秀兰" in text and "张**" in text
        page = await c.get(f"/meetings/{mid}/public")
        assert page.status_code == 200 and "公示版" in page.text and "张桂英" not in page.text
        assert f'href="/meetings/{mid}/minutes.pdf?public=1"' in page.text and "key=" not in page.text
        assert f'<a href="/meetings/{mid}/verify">核对记录</a>' in page.text
        pdf = await c.get(f"/meetings/{mid}/minutes.pdf?public=1")
        assert pdf.content.startswith(b"%PDF") and "public" in pdf.headers["content-disposition"]


async def test_the_projectors_json_links_the_public_page(server):
    mid, _ = await finished(server)
    async with server.http() as c:
        view = (await c.get(f"/api/meetings/{mid}")).json()
        assert view["status"] == "closed"
        page = await c.get(view["minutes"]["public"])
        assert page.status_code == 200 and "会议纪要" in page.text


async def test_minutes_in_english_and_another_time_zone(server):
    mid, key = await finished(server)
    async with server.http() as c:
        md = (await c.get(f"/meetings/{mid}/minutes.md?key={key}&lang=en&tz=Europe/Berlin")).text
        assert "## Attendance" in md and "Times are in the time zone Europe/Berlin." in md
        bad = await c.get(f"/meetings/{mid}/minutes.md?key={key}&tz=Mars/Olympus")
        assert bad.status_code == 400 and bad.json()["code"] == "unknown_timezone"
        # names that make the zone file's lookup itself fail: too long for the file system, outside
        # the zone folder, a NUL byte
        for odd in ("长" * 200, "Asia/" + "x" * 300, "../../etc/passwd", "Asia/Shanghai\x00"):
            bad = await c.get(f"/meetings/{mid}/public", params={"tz": odd})
            assert bad.status_code == 400 and bad.json()["code"] == "unknown_timezone"


async def test_unknown_meetings_and_formats_are_refused(server):
    mid, key = await finished(server)
    async with server.http() as c:
        r = await c.get(f"/meetings/{mid}/minutes.xls?key={key}")
        assert r.status_code == 404 and r.json()["code"] == "unknown_format"
        for path in ("/meetings/nope/minutes.pdf?public=1", "/meetings/nope/public", "/meetings/nope/verify"):
            r = await c.get(path)
            assert r.status_code == 404 and r.json()["code"] == "no_such_meeting", path


async def test_the_server_keeps_answering_while_a_pdf_renders(server, monkeypatch):
    mid, key = await finished(server)
    rendering, finish = threading.Event(), threading.Event()

    def held_render(model, fmt, lang, **kw):
        """The real renderer, held open while the test asks the server something else (English only:
        the minutes the closed meeting prepares in Chinese render as usual)."""
        if fmt == "pdf" and lang == "en":
            rendering.set()
            assert finish.wait(HTTP_BUDGET_S), "the test never let the render finish"
        return render(model, fmt, lang, **kw)

    monkeypatch.setattr(minutes_http, "render", held_render)
    async with server.http() as c:
        pdf = asyncio.create_task(c.get(f"/meetings/{mid}/minutes.pdf?key={key}&lang=en"))
        try:
            assert await asyncio.to_thread(rendering.wait, HTTP_BUDGET_S), "the PDF never began to render"
            health = await c.get("/api/health")  # answered while the render is still running
            assert health.json()["ok"] is True and not pdf.done()
        finally:
            finish.set()
        assert (await pdf).content.startswith(b"%PDF")


async def test_after_the_meeting_organisers_explain_and_the_objector_answers_from_their_phone(server, screens):
    meeting = await server.create_meeting()
    mid, key = meeting["id"], meeting["key"]
    mod = await screens(mid, "moderator", key=key)
    phone = await screens(mid, "phone", token=None)
    ack = await phone.send("check_in", {"code": (await server.join_codes(mid, key))[0]})  # 张桂英, with her slip
    token = ack["token"]
    assert (await mod.send("open_item", {"item": 0}))["ok"]
    x = await phone.send("raise_objection", {"reason": "电梯位置挡住我家窗户。"})
    assert x["ok"]
    assert (await mod.send("close_meeting"))["ok"]
    async with server.http() as c:
        before = (await c.get(f"/meetings/{mid}/minutes.json?key={key}")).json()
    assert before["open_objections"] == ["x1"] and before["meeting"]["status"] == "closed"
    synced = await mod.send("sync")
    assert synced["view"]["open_objections"] == ["x1"]  # the moderator console lists it

    # After close: the explanation is an appended event, not an edit.
    assert (await mod.send("give_explanation", {"objection_id": "x1", "text": "井道已移到楼梯间外侧。", "by": "王秀兰"}))["ok"]
    await phone.close()
    personal = await screens(mid, "phone", token=token)  # the objector opens their link later
    me = (await personal.send("sync"))["me"]
    assert me["objections"][0]["explanations"][0]["text"] == "井道已移到楼梯间外侧。"
    assert (await personal.send("answer_objection", {"objection_id": "x1", "response": "answered",
                                                     "comment": "可以接受。"}))["ok"]
    async with server.http() as c:
        after = (await c.get(f"/meetings/{mid}/minutes.json?key={key}")).json()
        md = (await c.get(f"/meetings/{mid}/minutes.md?key={key}")).text
        old = await c.post(f"/meetings/{mid}/verify", content=json.dumps(before, ensure_ascii=False).encode())
    objection = after["items"][0]["objections"][0]
    assert after["open_objections"] == [] and objection["response"] == "answered"
    assert after["record"]["events"] == before["record"]["events"] + 2
    assert "井道已移到楼梯间外侧。" in md and "接受解释说明 — 可以接受。" in md
    result = old.json()["minutes"]
    assert result["matches"] and result["newer_events"] == 2


async def test_verify_over_http_finds_a_row_edited_in_the_database(server):
    mid, _ = await finished(server)
    async with server.http() as c:
        good = (await c.get(f"/meetings/{mid}/verify")).json()
        assert good["ok"] and good["record"]["intact"] and good["record"]["first_bad"] is None
        minutes_file = (await c.get(f"/meetings/{mid}/minutes.pdf?public=1")).content
        with sqlite3.connect(server.data / "yishi.db") as conn:  # while the server runs
            conn.execute("UPDATE events SET data = replace(data, '强烈希望', '并不希望') WHERE meeting_id = ?", (mid,))
        bad = (await c.get(f"/meetings/{mid}/verify", headers={"Accept-Language": "zh-CN"})).json()
        assert not bad["record"]["intact"]
        assert bad["record"]["first_bad"]["reason"] == "content_changed"
        assert "内容被修改过" in bad["record"]["first_bad"]["detail"]
        checked = (await c.post(f"/meetings/{mid}/verify?lang=en", content=minutes_file)).json()["minutes"]
        assert checked["format"] == "pdf" and not checked["matches"]
        assert "only intact up to event" in checked["problems"][0]
        empty = await c.post(f"/meetings/{mid}/verify")
        assert empty.status_code == 400 and empty.json()["code"] == "bad_payload"


async def test_the_finished_demo_reads_like_an_evening_meeting(server):
    mid, key = await finished(server)
    async with server.http() as c:
        model = (await c.get(f"/meetings/{mid}/minutes.json?key={key}")).json()
    assert model["meeting"]["started_at"][11:16] == "19:00" and model["meeting"]["ended_at"][11:13] == "19"
    assert [s["seconds"] for s in model["items"][0]["speeches"]] == [150, 175, 240, 75, 95, 120]  # 75: a direct reply
    assert model["open_objections"]  # one objector still objects: the newcomer sees an open one


async def test_a_repeat_download_is_the_same_file_until_the_record_changes(server):
    mid, key = await finished(server)
    async with server.http() as c:
        first = (await c.get(f"/meetings/{mid}/minutes.pdf?public=1")).content
        again = (await c.get(f"/meetings/{mid}/minutes.pdf?public=1")).content
        assert again == first
        await server.yishi.meetings.execute(mid, Actor(MODERATOR), "give_explanation",
                                            {"objection_id": "x2", "text": "会后补充说明。", "by": "孙德明"})
        newer = (await c.post(f"/meetings/{mid}/verify", content=(await c.get(
            f"/meetings/{mid}/minutes.pdf?public=1")).content)).json()["minutes"]
        assert newer["matches"] and newer["newer_events"] == 0
        older = (await c.post(f"/meetings/{mid}/verify", content=first)).json()["minutes"]
        assert older["matches"] and older["newer_events"] == 1


async def test_two_people_downloading_pdfs_at_once_both_get_their_file(server):
    mid, key = await finished(server)
    async with server.http() as c:
        zh, en, public = await asyncio.gather(c.get(f"/meetings/{mid}/minutes.pdf?key={key}"),
                                              c.get(f"/meetings/{mid}/minutes.pdf?key={key}&lang=en"),
                                              c.get(f"/meetings/{mid}/minutes.pdf?public=1"))
    assert all(r.status_code == 200 and r.content.startswith(b"%PDF") for r in (zh, en, public))
    assert len({zh.content, en.content, public.content}) == 3


# -- the verification page: what a phone sees after scanning the printed QR code ---------------------

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
           "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


def form_upload(name: str, data: bytes) -> dict[str, tuple[str, bytes, str]]:
    """What the page's form sends: the file as the `file` part of multipart/form-data."""
    return {"file": (name, data, "application/octet-stream")}


async def test_the_printed_minutes_carry_the_servers_verification_link(server):
    mid, _ = await finished(server)
    link = f"{server.url}/meetings/{mid}/verify"
    async with server.http() as c:
        md = (await c.get(f"/meetings/{mid}/minutes.md?public=1")).text.replace("\\", "")
        page = (await c.get(f"/meetings/{mid}/public")).text
        word = docx.Document(io.BytesIO((await c.get(f"/meetings/{mid}/minutes.docx?public=1")).content))
    assert f"访问 {link}，可核对本纪要与会议记录是否一致。" in md and "公示期：" in md
    assert f"扫描二维码或访问 {link}，可核对本纪要与会议记录是否一致。" in page and 'class="qr"' in page
    assert word.sections[0].header.paragraphs[0].text.endswith(" · 公示")
    assert word.paragraphs[-2].text == "幸福里社区居委会"


async def test_a_browser_gets_the_verification_page_and_a_program_gets_json(server):
    mid, _ = await finished(server)
    async with server.http() as c:
        state = (await c.get(f"/meetings/{mid}/verify")).json()  # httpx asks for */*
        page = await c.get(f"/meetings/{mid}/verify", headers=BROWSER)
        asked_json = await c.get(f"/meetings/{mid}/verify", headers={"Accept": "application/json"})
        chosen = await c.get(f"/meetings/{mid}/verify?format=json", headers=BROWSER)
        both = await c.get(f"/meetings/{mid}/verify", headers={"Accept": "text/html, application/json"})
        chosen_page = await c.get(f"/meetings/{mid}/verify?format=html")
    assert state["ok"] and state["record"]["intact"]
    for r in (asked_json, chosen, both):
        assert r.headers["content-type"] == "application/json" and r.json() == state
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in page.headers["vary"].split(", ") and page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"] and "<script" not in page.text
    text = page.text
    record = state["record"]
    assert f"✔ 记录完好：共 {record['events']} 个事件，没有被修改、删除、插入或调换顺序。" in text
    assert record["last_hash"] in text and f"<dd>{state['stored_events']}</dd>" in text
    assert "幸福里小区3号楼加装电梯居民协商会（已结束示例）" in text and "幸福里社区居委会二楼会议室" in text
    assert re.search(r"<dt>召开时间</dt><dd>\d{4}-\d\d-\d\d 19:00–19:\d\d（北京时间）</dd>", text)
    assert f'<a href="/meetings/{mid}/public">公示版会议纪要</a>' in text
    assert f'<a href="/meetings/{mid}/minutes.pdf?public=1">PDF</a>' in text
    assert f'<form method="post" enctype="multipart/form-data" action="/meetings/{mid}/verify#file">' in text
    assert '<input type="file" name="file" required' in text
    assert chosen_page.headers["content-type"].startswith("text/html") and "记录完好" in chosen_page.text


async def test_the_verification_page_speaks_the_readers_language(server):
    mid, _ = await finished(server)
    async with server.http() as c:
        english = (await c.get(f"/meetings/{mid}/verify", headers={**BROWSER, "Accept-Language": "en-GB,en;q=0.9"})).text
        chosen = (await c.get(f"/meetings/{mid}/verify?lang=en", headers=BROWSER)).text
        chinese = (await c.get(f"/meetings/{mid}/verify?lang=zh-CN&tz=Europe/Berlin",
                               headers={**BROWSER, "Accept-Language": "en"})).text
    for text in (english, chosen):
        assert '<html lang="en">' in text and "The record is intact:" in text and "记录完好" not in text
        assert "(Beijing time)" in text and ">中文</a>" in text
    assert '<html lang="zh-CN">' in chinese and "记录完好" in chinese and ">English</a>" in chinese
    assert re.search(r"\d{4}-\d\d-\d\d 12:00–12:\d\d（Europe/Berlin）", chinese)  # 19:00 in Beijing


async def test_the_page_checks_a_file_chosen_in_its_form(server):
    mid, key = await finished(server)
    async with server.http() as c:
        pdf = (await c.get(f"/meetings/{mid}/minutes.pdf?public=1")).content
        md = (await c.get(f"/meetings/{mid}/minutes.md?public=1")).content
        good = await c.post(f"/meetings/{mid}/verify", headers=BROWSER, files=form_upload("纪要.pdf", pdf))
        stamp = f"yishi-record {mid} / ".encode()
        forged = md.replace(stamp, stamp + b"1")  # the number of events it states: 97 becomes 197
        bad = await c.post(f"/meetings/{mid}/verify", headers=BROWSER, files=form_upload("纪要.md", forged))
        empty = await c.post(f"/meetings/{mid}/verify", headers=BROWSER, files=form_upload("", b""))
        # a program gets the same check as JSON, whether it sends the file as the body or as a form
        raw = (await c.post(f"/meetings/{mid}/verify", content=pdf)).json()
        as_form = (await c.post(f"/meetings/{mid}/verify", files=form_upload("m.pdf", pdf))).json()
        with_key = await c.post(f"/meetings/{mid}/verify?key={key}&lang=en", headers=BROWSER,
                                files=form_upload("m.json", (await c.get(f"/meetings/{mid}/minutes.json?key={key}")).content))
    assert good.status_code == 200 and "✔ 该文件与记录一致：生成自第" in good.text
    assert "格式：pdf · 已按文件注明的记录核对" in good.text and "记录完好" in good.text
    assert bad.status_code == 200 and "✘ 该文件与记录不一致：" in bad.text and "<li>该文件注明 1" in bad.text
    assert empty.status_code == 400 and "请选择要核对的会议纪要文件。" in empty.text
    assert raw["minutes"]["matches"] and raw["minutes"]["format"] == "pdf"
    assert {k: v for k, v in as_form.items()} == raw
    text = with_key.text
    assert "This file matches the record" in text and "Every field of the file was recomputed" in text
    assert f'action="/meetings/{mid}/verify?key={key}&amp;lang=en#file"' in text  # the form keeps the key


async def test_the_verification_page_escapes_what_the_record_holds(server):
    title = "<script>alert('标题')</script>张桂英的提议"
    place = '"><img src=x onerror=alert(1)>活动室'
    made = await server.create_meeting(title=title, place=place)
    mid = made["id"]
    async with server.http() as c:
        page = (await c.get(f"/meetings/{mid}/verify", headers=BROWSER)).text
        forged = b"<html><body>yishi-record " + mid.encode() + b" / 1 / " + b"0" * 64 + b"<b>x</b></body></html>"
        checked = (await c.post(f"/meetings/{mid}/verify?lang=<i>", headers=BROWSER,
                                files=form_upload("<b>.html", forged))).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;标题&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;活动室" in page
    assert "张桂英" not in page and "张**的提议" in page  # as the public minutes show the title
    assert "<i>" not in checked and "<b>" not in checked and "✘ 该文件与记录不一致：" in checked


async def test_a_meeting_that_is_not_there_is_a_page_for_a_browser_and_an_error_for_a_program(server):
    async with server.http() as c:
        page = await c.get("/meetings/nope/verify", headers=BROWSER)
        program = await c.get("/meetings/nope/verify", headers={"Accept": "application/json"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "没有这个会议。" in page.text and "<form" not in page.text
    assert program.status_code == 404 and program.json()["code"] == "no_such_meeting"


async def test_a_meeting_created_with_its_issuer_and_publicity_period_prints_them(server):
    meeting = await server.create_meeting(issuer="幸福街道办事处", notice_days=15)
    async with server.http() as c:
        page = await c.get(f"/meetings/{meeting['id']}/minutes.md?public=1")
        assert page.status_code == 200
        assert "幸福街道办事处" in page.text and "（共 15 天）" in page.text
        model = (await c.get(f"/meetings/{meeting['id']}/minutes.json?public=1")).json()
        assert (model["meeting"]["issuer"], model["meeting"]["notice_days"]) == ("幸福街道办事处", 15)
        for days in (-1, 91, "7"):
            r = await c.post("/api/meetings", json={"title": "协商会", "agenda": [{"title": "议题"}], "notice_days": days},
                             headers={"Authorization": f"Bearer {server.token}"})
            assert r.status_code == 400 and r.json()["code"] in ("bad_notice_days", "bad_payload"), r.text
        assert "1 到 90 天" in r.json()["error"] or r.json()["code"] == "bad_payload"
