"""Yishi on the computer a community office has: no Unix-only modules (Windows has no
`resource`, `fcntl`, `pwd` or `grp`), no pango (a Windows PC without GTK: the PDF needs none), a
console in the Chinese code page (cp936) or the old DOS one (cp437). The real `yishi` runs in a
process made to lack them."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import httpx
from support.process import REPO, without, yishi_process
from support.wire import CALL_BUDGET_S, HTTP_BUDGET_S, LIFT, Screen

# uvloop too: uvicorn[standard] does not install it on Windows
UNIX_ONLY = ("resource", "fcntl", "pwd", "grp", "uvloop")
TOKEN = "office-laptop-token-0123456789"


def word_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").decode()


async def checked_in(url: str, meeting: str, name: str, screens: list[Screen]) -> tuple[Screen, str]:
    phone = await Screen(url, {"meeting": meeting, "role": "phone", "token": None}).connect()
    screens.append(phone)
    ack = await phone.send("check_in", {"name": name, "category": "registered"})
    assert ack["ok"], ack
    return phone, ack["participant_id"]


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


async def test_a_meeting_runs_and_prints_its_pdf_without_unix_modules_or_pango_on_a_chinese_console(tmp_path):
    refused = tmp_path / "refused.txt"
    env = {**without(*UNIX_ONLY, "pango", log=refused), "PYTHONIOENCODING": "cp936"}
    screens: list[Screen] = []
    async with yishi_process(tmp_path / "data", "serve", env=env, token=TOKEN) as server:
        # The banner came out in GBK, with its Chinese labels and a QR code of "##" (GBK has no ▀).
        said = server.said("cp936")
        assert "扫码签到" not in said  # no meeting yet: the facilitator's link is the QR code
        assert f"组织者: {server.url}/?token={TOKEN}" in said and "####" in said and "Traceback" not in said, said
        # The guards were reached: the open-files limit asked for `resource` and went on without it.
        assert "resource" in refused.read_text().split()

        async with httpx.AsyncClient(base_url=server.url, timeout=HTTP_BUDGET_S) as http:
            r = await http.post("/api/meetings", json={**LIFT, "roster": []}, headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 201, r.text
            meeting = r.json()
            mid, key = meeting["id"], meeting["key"]
            try:
                mod = await Screen(server.url, {"meeting": mid, "role": "moderator", "key": key}).connect()
                screens.append(mod)
                wall = await Screen(server.url, {"meeting": mid, "role": "projector"}).connect()
                screens.append(wall)
                zhang, _ = await checked_in(server.url, mid, "张桂英", screens)
                liu, _ = await checked_in(server.url, mid, "刘志强", screens)
                assert (await mod.send("open_item", {"item": 0}))["ok"]
                assert (await liu.send("submit_opinion", {"text": "请先公示设计方案"}))["ok"]
                assert (await mod.send("open_poll", {"question": "是否同意加装电梯？"}))["ok"]
                poll = (await wall.wait_for(lambda v: v["polls"]))["polls"][0]
                voted = await zhang.send("cast_ballot", {"poll_id": poll["id"], "choice": 0})
                assert voted["ok"], voted
                assert (await liu.send("cast_ballot", {"poll_id": poll["id"], "choice": 1}))["ok"]
                await wall.until(lambda: wall.tallies and wall.tallies[-1]["polls"][0]["counts"] == [1, 1, 0],
                                 lambda: f"the wall never showed [1, 1, 0]; last tally: {wall.tallies[-1:]}")
                assert (await mod.send("close_poll", {"poll_id": poll["id"]}))["ok"]
                assert (await mod.send("record_outcome", {"item": 0, "outcome": "consensus", "opinion": "同意加装"}))["ok"]
                assert (await mod.send("close_meeting"))["ok"]
                await wall.wait_for(lambda v: v["status"] == "closed")
            finally:
                for s in screens:
                    if s.sio.connected:
                        await s.close()

            # Every format, the PDF too, as on any computer.
            for fmt in ("html", "docx", "md", "json"):
                r = await http.get(f"/meetings/{mid}/minutes.{fmt}", params={"key": key})
                assert r.status_code == 200, (fmt, r.status_code, r.text[:300])
                assert "同意加装" in (word_text(r.content) if fmt == "docx" else r.text), fmt
            r = await http.get(f"/meetings/{mid}/minutes.pdf", params={"key": key, "lang": "zh-CN"},
                               headers={"Accept": "text/html,application/xhtml+xml"})
            assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text[:300]
            assert r.content.startswith(b"%PDF-")
            printed = pdf_text(r.content)
            assert "同意加装" in printed and "张桂英" in printed and "是否同意加装电梯？" in printed, printed
    # Nothing even tried to load weasyprint or pango.
    assert not {"weasyprint", "pango"} & set(refused.read_text().split()), refused.read_text()

    # The command line writes the PDF and the Word minutes, and checks both against the record.
    data = str(tmp_path / "data")
    cli_env = {**os.environ, **env, "LANG": "zh_CN.UTF-8"}
    pdf = subprocess.run([sys.executable, "-m", "live.cli", "minutes", mid, "--data", data, "-o", str(tmp_path / "m.pdf")],
                         capture_output=True, env=cli_env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert pdf.returncode == 0, pdf.stderr.decode("cp936", "replace")
    assert "同意加装" in pdf_text((tmp_path / "m.pdf").read_bytes())
    verified = subprocess.run([sys.executable, "-m", "live.cli", "verify", mid, "--data", data, "--minutes",
                               str(tmp_path / "m.pdf")], capture_output=True, env=cli_env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert verified.returncode == 0, verified.stderr.decode("cp936", "replace")
    docx = subprocess.run([sys.executable, "-m", "live.cli", "minutes", mid, "--data", data, "-o", str(tmp_path / "m.docx")],
                          capture_output=True, env=cli_env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert docx.returncode == 0, docx.stderr.decode("cp936", "replace")
    assert "同意加装" in word_text((tmp_path / "m.docx").read_bytes())
    verified = subprocess.run([sys.executable, "-m", "live.cli", "verify", mid, "--data", data, "--minutes",
                               str(tmp_path / "m.docx")], capture_output=True, env=cli_env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert verified.returncode == 0, verified.stderr.decode("cp936", "replace")
    assert mid in verified.stdout.decode("cp936"), verified.stdout.decode("cp936")


async def test_where_typst_cannot_be_loaded_the_pdf_link_says_so_and_every_other_format_works(tmp_path):
    env = {**without("typst"), "PYTHONIOENCODING": "cp936"}
    async with yishi_process(tmp_path / "data", "serve", env=env, token=TOKEN) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=HTTP_BUDGET_S) as http:
            r = await http.post("/api/meetings", json={**LIFT, "roster": []}, headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 201, r.text
            mid, key = r.json()["id"], r.json()["key"]
            for fmt in ("html", "docx", "md", "json"):
                r = await http.get(f"/meetings/{mid}/minutes.{fmt}", params={"key": key})
                assert r.status_code == 200, (fmt, r.status_code, r.text[:300])
            # The PDF link, followed in a browser, says what is missing and where the print page is.
            r = await http.get(f"/meetings/{mid}/minutes.pdf", params={"key": key, "lang": "zh-CN"},
                               headers={"Accept": "text/html,application/xhtml+xml"})
            assert r.status_code == 503 and r.headers["content-type"].startswith("text/html"), r.text
            assert "typst" in r.text and "docs/install.md" in r.text and "另存为 PDF" in r.text, r.text
            assert f'href="/meetings/{mid}/minutes.html?key={key}&amp;lang=zh-CN"' in r.text, r.text
            # A program asking for it gets the error in the one shape.
            r = await http.get(f"/meetings/{mid}/minutes.pdf", params={"key": key}, headers={"Accept-Language": "en"})
            assert r.status_code == 503 and r.json()["code"] == "pdf_unavailable", r.text
            assert "typst" in r.json()["error"], r.json()
    # The command line says the same, and writes nothing.
    cli_env = {**os.environ, **env, "LANG": "zh_CN.UTF-8"}
    pdf = subprocess.run([sys.executable, "-m", "live.cli", "minutes", mid, "--data", str(tmp_path / "data"), "-o",
                          str(tmp_path / "m.pdf")], capture_output=True, env=cli_env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert pdf.returncode == 1 and not (tmp_path / "m.pdf").exists(), pdf
    assert "typst" in pdf.stderr.decode("cp936") and "另存为 PDF" in pdf.stderr.decode("cp936"), pdf.stderr


async def test_the_demo_banner_on_an_old_dos_console(tmp_path):
    env = {**without(*UNIX_ONLY), "PYTHONIOENCODING": "cp437"}
    async with yishi_process(tmp_path / "data", "demo", env=env, token=TOKEN) as server:
        said = server.said("cp437")
        # cp437 has no Chinese: the English labels alone, the titles as "?", the links whole,
        # and the QR code in half blocks (cp437 has them).
        assert "Traceback" not in said and "Error" not in said, said
        assert f"facilitator: {server.url}/?token={TOKEN}" in said, said
        assert "join:" in said and f"{server.url}/m/" in said and "/join" in said, said
        assert "????" in said and "▀" in said and "█" in said, said
        async with httpx.AsyncClient(base_url=server.url, timeout=HTTP_BUDGET_S) as http:
            join = next(line.split("join:", 1)[1].strip() for line in said.splitlines() if "join:" in line)
            r = await http.get(join.removeprefix(server.url))
            assert r.status_code == 200 and "<!doctype html>" in r.text.lower()


def test_the_banner_in_each_console_encoding(tmp_path):
    """The banner alone, for the encodings a Windows console uses when its output is redirected."""
    from live.cli import banner
    from live.settings import Settings

    settings = Settings(data=tmp_path / "data", host="127.0.0.1", port=8000, public_url="http://192.168.1.20:8000")
    links = {"moderator": "http://192.168.1.20:8000/m/ab/moderate?key=K", "projector": "http://192.168.1.20:8000/m/ab/screen",
             "join": "http://192.168.1.20:8000/m/ab/join"}
    for encoding, labels, qr in (("utf-8", "扫码签到", "▀"), ("cp936", "扫码签到", "##"), ("cp437", "join:", "▀"),
                                 ("ascii", "join:", "##")):
        text = banner(settings, [("3号楼加装电梯协商会", links)], encoding)
        text.encode(encoding)  # nothing the console cannot show
        assert labels in text and qr in text and "http://192.168.1.20:8000/m/ab/join" in text, (encoding, text)
        assert "http://192.168.1.20:8000/topics" in text and "http://192.168.1.20:8000/board" in text


def test_the_office_tools_run_without_unix_modules(tmp_path):
    """`yishi register import` and `yishi verify`, the other commands an office runs by hand."""
    env = {**os.environ, **without(*UNIX_ONLY, "pango"), "PYTHONIOENCODING": "cp936", "LANG": "zh_CN.UTF-8"}
    data = str(tmp_path / "data")
    register = REPO / "tests" / "fixtures" / "registers" / "village-register.xlsx"
    imported = subprocess.run([sys.executable, "-m", "live.cli", "register", "import", str(register), "--data", data],
                              capture_output=True, env=env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert imported.returncode == 0, imported.stderr.decode("cp936", "replace")
    out = tmp_path / "register.csv"
    exported = subprocess.run([sys.executable, "-m", "live.cli", "register", "export", "-o", str(out), "--data", data],
                              capture_output=True, env=env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert exported.returncode == 0, exported.stderr.decode("cp936", "replace")
    assert out.read_text("utf-8-sig").count("\n") > 100  # the village's people, one a line
    listed = subprocess.run([sys.executable, "-m", "live.cli", "meetings", "--data", data],
                            capture_output=True, env=env, cwd=REPO, timeout=CALL_BUDGET_S)
    assert listed.returncode == 0, listed.stderr.decode("cp936", "replace")
