"""A topic's background material: the office adds a photo and a PDF to a topic; anyone reading the
public topics list opens them (the photo in the page, without the camera's metadata; the PDF only
as a download); what is not a photo or a whole PDF is refused, as is anyone without the token; a
file removed is no longer listed nor served; a restart keeps the list."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

from support.wire import start_server, stop_server

AT = {"community": "heping-cun"}


def office(server: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": "zh-CN"}


def photo() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("GPS", "29.56N 106.55E")  # where it was taken: not to be published
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


async def a_topic(http: Any, server: Any) -> str:
    made = await http.post("/api/topics", params=AT, headers=office(server), json={
        "title": "村东主路路灯安装", "kind": "planning", "source": "committee", "proposer": "村民委员会",
        "background": "方案与报价见附件。"})
    assert made.status_code == 201, made.text
    return str(made.json()["topic"])


async def test_photos_and_pdfs_of_a_topic_are_listed_and_served_safely(tmp_path: Path) -> None:
    server, srv, task = await start_server(tmp_path / "data")
    try:
        async with server.http() as http:
            tid = await a_topic(http, server)
            up = f"/api/topics/{tid}/materials"
            r = await http.post(up, params={**AT, "name": "路灯位置图.png"}, headers=office(server), content=photo())
            assert r.status_code == 201, r.text
            shot = r.json()
            r = await http.post(up, params={**AT, "name": "C:\\报价\\路灯报价单.pdf"}, headers=office(server), content=PDF)
            assert r.status_code == 201, r.text
            quote = r.json()
            assert quote["name"] == "路灯报价单.pdf" and quote["type"] == "application/pdf"

            # refused, and nothing listed for it
            r = await http.post(up, params={**AT, "name": "x.png"}, content=photo())
            assert r.status_code == 401
            r = await http.post(up, params={**AT, "name": "a.html"}, headers=office(server),
                                content=b"<script>alert(1)</script>")
            assert r.status_code == 415 and r.json()["code"] == "bad_file"
            r = await http.post(up, params={**AT, "name": "again.png"}, headers=office(server), content=photo())
            assert r.status_code == 400 and r.json()["error"] == "路灯位置图.png 已在该议题的材料中。"
            r = await http.post("/api/topics/t99/materials", params=AT, headers=office(server), content=photo())
            assert r.status_code == 404 and r.json()["code"] == "no_such_topic"

            (listed,) = (await http.get("/topics.json", params=AT)).json()["topics"]
            assert [m["name"] for m in listed["materials"]] == ["路灯位置图.png", "路灯报价单.pdf"]

            img = await http.get(f"/topics/{tid}/materials/{shot['sha256']}", params=AT)
            assert img.status_code == 200 and img.headers["content-type"] == "image/png"
            assert img.headers["content-disposition"].startswith("inline")
            assert img.headers["x-content-type-options"] == "nosniff"
            with Image.open(io.BytesIO(img.content)) as back:
                assert back.size == (64, 48) and "GPS" not in back.info
            doc = await http.get(f"/topics/{tid}/materials/{quote['sha256']}", params=AT)
            assert doc.status_code == 200 and doc.content == PDF
            assert doc.headers["content-disposition"].startswith("attachment")
            # another community's list, another topic, a path that is no hash: nothing
            for path, params in ((f"/topics/{tid}/materials/{quote['sha256']}", {}),
                                 (f"/topics/t2/materials/{quote['sha256']}", AT),
                                 (f"/topics/{tid}/materials/..%2F..%2Fyishi.db", AT)):
                assert (await http.get(path, params=params)).status_code == 404, path

            r = await http.post(f"{up}/{quote['sha256']}/remove", params=AT, headers=office(server))
            assert r.status_code == 200, r.text
            assert (await http.get(f"/topics/{tid}/materials/{quote['sha256']}", params=AT)).status_code == 404
            r = await http.post(f"{up}/{quote['sha256']}/remove", params=AT, headers=office(server))
            assert r.status_code == 404 and r.json()["code"] == "no_such_material"
            history = next(t for t in (await http.get("/api/topics", params=AT, headers=office(server))).json()["topics"]
                           if t["id"] == tid)["history"]
            assert [(h["what"], h.get("name"), h["by"]) for h in history[1:]] == [
                ("material_added", "路灯位置图.png", "facilitator"), ("material_added", "路灯报价单.pdf", "facilitator"),
                ("material_removed", "路灯报价单.pdf", "facilitator")]
    finally:
        await stop_server(srv, task)

    server, srv, task = await start_server(tmp_path / "data")
    try:
        async with server.http() as http:
            (listed,) = (await http.get("/topics.json", params=AT)).json()["topics"]
            assert [m["name"] for m in listed["materials"]] == ["路灯位置图.png"]
            assert (await http.get(f"/topics/{tid}/materials/{shot['sha256']}", params=AT)).status_code == 200
    finally:
        await stop_server(srv, task)


async def test_a_topic_holds_at_most_twelve_files(tmp_path: Path) -> None:
    server, srv, task = await start_server(tmp_path / "data")
    try:
        async with server.http() as http:
            tid = await a_topic(http, server)
            for n in range(12):
                out = io.BytesIO()
                Image.new("RGB", (8, 8), (n * 20, 0, 0)).save(out, "PNG")
                r = await http.post(f"/api/topics/{tid}/materials", params={**AT, "name": f"{n}.png"},
                                    headers=office(server), content=out.getvalue())
                assert r.status_code == 201, r.text
            r = await http.post(f"/api/topics/{tid}/materials", params={**AT, "name": "13.pdf"},
                                headers=office(server), content=PDF)
            assert r.status_code == 400 and r.json()["error"] == "一个议题最多附 12 份材料。"
    finally:
        await stop_server(srv, task)


async def test_the_public_topics_page_shows_the_photos_and_links_the_pdf(tmp_path: Path) -> None:
    server, srv, task = await start_server(tmp_path / "data")
    try:
        async with server.http() as http:
            tid = await a_topic(http, server)
            for name, body in (("现场照片.png", photo()), ("<b>报价单.pdf", PDF)):
                r = await http.post(f"/api/topics/{tid}/materials", params={**AT, "name": name},
                                    headers=office(server), content=body)
                assert r.status_code == 201, r.text
            page = (await http.get("/topics", params={**AT, "lang": "zh-CN"})).text
            shot, doc = (await http.get("/topics.json", params=AT)).json()["topics"][0]["materials"]
            assert f'<img src="{shot["href"]}" alt="现场照片.png"' in page
            assert f'<a href="{doc["href"]}" download>&lt;b&gt;报价单.pdf</a> <span class="size">(PDF，1 KB)' in page
            assert "<b>报价单" not in page
            assert shot["href"] == f"/topics/{tid}/materials/{shot['sha256']}?community=heping-cun"
    finally:
        await stop_server(srv, task)
