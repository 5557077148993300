"""`yishi meetings`, `yishi minutes`, `yishi verify` as commands on a data folder (while a server
runs on it), and `yishi demo`'s banner leading to the finished sample's minutes."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import docx
import httpx

from live.demo import create_finished_demo

from support.minutes_meeting import RESIDENTS
from support.wire import HTTP_BUDGET_S, STOP_BUDGET_S, free_port

ROOT = Path(__file__).resolve().parents[2]
COMMAND_BUDGET_S = 300  # generous: a fresh interpreter importing everything and rendering, on busy CPUs
DEMO_START_BUDGET_S = 120  # `yishi demo` listening after it has printed its links


def yishi(*args: str, env_lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": env_lang, "LC_ALL": env_lang}
    return subprocess.run([sys.executable, "-m", "live.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=COMMAND_BUDGET_S)


async def run(*args: str, env_lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    """The command in a worker thread, so the server in this event loop keeps serving meanwhile."""
    return await asyncio.to_thread(yishi, *args, env_lang=env_lang)


async def test_meetings_lists_the_data_folder_while_the_server_runs(server):
    live = await server.create_meeting()
    done, _ = await create_finished_demo(server.yishi.meetings)
    out = await run("meetings", "--data", str(server.data), "--json")
    assert out.returncode == 0, out.stderr
    listed = {m["id"]: m for m in json.loads(out.stdout)["meetings"]}
    assert listed[live["id"]]["status"] == "open" and listed[done]["status"] == "closed"
    assert listed[done]["title"].endswith("（已结束示例）") and listed[done]["form"] == "owners"
    assert set(listed[done]) == {"id", "title", "form", "status", "starts_at", "events"}
    table = await run("meetings", "--data", str(server.data))
    assert done in table.stdout and "closed" in table.stdout


async def test_minutes_in_every_format_from_the_command_line(server, tmp_path):
    mid, _ = await create_finished_demo(server.yishi.meetings)
    for fmt in ("html", "pdf", "docx", "md", "json"):
        target = tmp_path / f"m.{fmt}"
        out = await run("minutes", mid, "-o", str(target), "--data", str(server.data))  # format from the suffix
        assert out.returncode == 0, out.stderr
        assert target.stat().st_size > 1000 and f"written to {target}" in out.stderr
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    assert "会议纪要" in (tmp_path / "m.html").read_text()
    assert docx.Document(str(tmp_path / "m.docx")).core_properties.keywords.startswith(f"yishi-record {mid} / ")
    model = json.loads((tmp_path / "m.json").read_text())
    assert model["record"]["meeting_id"] == mid and model["public"] is False
    stdout = await run("minutes", mid, "--format", "md", "--public", "--lang", "en", "--data", str(server.data))
    text = stdout.stdout.replace("\\", "")
    assert "## Attendance" in text and [n for n in RESIDENTS if n in text] == [] and "张**" in text


async def test_verify_says_intact_and_matching_then_names_the_tampered_event(server, tmp_path):
    mid, _ = await create_finished_demo(server.yishi.meetings)
    saved = tmp_path / "minutes.docx"
    assert (await run("minutes", mid, "-o", str(saved), "--data", str(server.data))).returncode == 0
    ok = await run("verify", mid, "--minutes", str(saved), "--data", str(server.data))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"The record of {mid} is intact" in ok.stdout and "matches the record" in ok.stdout
    with sqlite3.connect(server.data / "yishi.db") as conn:
        seq = conn.execute("SELECT seq FROM events WHERE meeting_id = ? AND type = 'BallotCast' ORDER BY seq LIMIT 1",
                           (mid,)).fetchone()[0]
        conn.execute("UPDATE events SET data = replace(data, '\"choice\":2', '\"choice\":0') "
                     "WHERE meeting_id = ? AND type = 'BallotCast'", (mid,))
    bad = await run("verify", mid, "--minutes", str(saved), "--data", str(server.data))
    assert bad.returncode == 1
    assert "is NOT intact" in bad.stdout
    as_json = json.loads((await run("verify", mid, "--json", "--data", str(server.data))).stdout)
    first = as_json["record"]["first_bad"]
    assert as_json["ok"] is False and first["reason"] == "content_changed"
    assert first["seq"] > seq  # the first ballot cast was for "yes"; the changed one came later
    zh = await run("verify", mid, "--data", str(server.data), env_lang="zh_CN.UTF-8")
    assert "记录不完好" in zh.stdout and f"第一个有问题的是第 {first['seq']} 个事件" in zh.stdout


async def test_missing_data_and_unknown_meetings_are_told_apart(server, tmp_path):
    out = await run("verify", "abc", "--data", str(tmp_path / "nothing"))
    assert out.returncode == 2 and "There is no Yishi data in" in out.stderr
    assert not (tmp_path / "nothing").exists()  # reading does not create a data folder
    out = await run("minutes", "nope", "--data", str(server.data), "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 2 and "There is no meeting nope" in out.stderr
    out = await run("minutes", "nope", "--data", str(server.data), "--timezone", "Nowhere/City")
    assert out.returncode == 2


def test_yishi_demo_prints_links_to_the_finished_samples_minutes(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "live.cli", "demo", "--data", str(tmp_path / "data"), "--host", "127.0.0.1",
         "--port", str(port), "--public-url", url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        lines: list[str] = []
        assert proc.stdout is not None
        while sum("public / 公示" in line for line in lines) < 2:  # the finished sample's, the owners' decision's
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        minutes_url = next(line.split(": ", 1)[1].strip() for line in lines if "minutes / 会议纪要" in line)
        public_url = next(line.split(": ", 1)[1].strip() for line in lines if "public / 公示" in line)
        assert minutes_url.startswith(f"{url}/meetings/") and "?key=" in minutes_url
        recorder_urls = [line.split(": ", 1)[1].strip() for line in lines if "recorder / 记录人" in line]
        # the sample meeting, the village assembly, the hearing, the finished one and the owners' decision:
        # a recorder link each
        assert len(recorder_urls) == 5
        assert all(u.startswith(f"{url}/m/") and "/record?key=" in u for u in recorder_urls)
        deadline = time.monotonic() + DEMO_START_BUDGET_S
        while True:
            assert proc.poll() is None, "".join(lines)
            try:
                httpx.get(f"{url}/api/health", timeout=HTTP_BUDGET_S)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"yishi demo never answered in {DEMO_START_BUDGET_S}s"
                time.sleep(0.2)
        for recorder_url in recorder_urls:  # the recorder's console
            console = httpx.get(recorder_url, timeout=HTTP_BUDGET_S)
            assert console.status_code == 200 and 'data-console="recorder"' in console.text
        page = httpx.get(minutes_url, timeout=HTTP_BUDGET_S)
        assert page.status_code == 200 and "张桂英" in page.text and "会议纪要" in page.text
        public = httpx.get(public_url, timeout=HTTP_BUDGET_S)
        assert public.status_code == 200 and "张桂英" not in public.text and "张**" in public.text
        # the owners of building 3, convened from the sample register, decided on the lift by art. 278
        owners_minutes = [line.split(": ", 1)[1].strip() for line in lines if "minutes / 会议纪要" in line][1]
        owners = httpx.get(owners_minutes.replace("minutes.html", "minutes.md"), timeout=HTTP_BUDGET_S).text
        for said in ("表决结果：通过", "参与表决业主 30 人，业主总数 35 人", "总面积 3,302.88 ㎡", "其中 2 票由工作人员"):
            assert said in owners, said
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_BUDGET_S)
        if proc.stdout:
            proc.stdout.close()


async def test_minutes_from_a_tampered_record_come_with_a_warning(server, tmp_path):
    mid, _ = await create_finished_demo(server.yishi.meetings)
    with sqlite3.connect(server.data / "yishi.db") as conn:
        conn.execute("UPDATE events SET data = replace(data, '七十三岁', '三十七岁') WHERE meeting_id = ?", (mid,))
    out = await run("minutes", mid, "-o", str(tmp_path / "m.md"), "--data", str(server.data))
    assert out.returncode == 0
    assert f"Warning: the record of {mid} is not intact from event" in out.stderr and "it was edited" in out.stderr
    assert "三十七岁" in (tmp_path / "m.md").read_text()  # what is stored, flagged as such


async def test_starting_the_demo_again_reuses_its_sample_meetings(tmp_path):
    from live.cli import _meetings_in
    from live.settings import Settings

    settings = Settings(data=tmp_path / "data", host="127.0.0.1", port=8000)
    first = await _meetings_in(settings, demo=True)
    second = await _meetings_in(settings, demo=True)

    def public(links):
        return [(title, {k: v for k, v in ls.items() if k in ("projector", "join", "public")}) for title, ls in links]

    assert public(first) == public(second) and len(first) == 5  # the same five sample meetings
    assert first[0][0] == "幸福里小区3号楼加装电梯居民协商会"
    # Their console keys are stored hashed: each start issues new ones, and the old ones end.
    assert first[0][1]["moderator"] != second[0][1]["moderator"]
    from live.services import Meetings
    from live.store import Store

    store = Store(settings.database_url)
    meetings = Meetings(store)
    try:
        mid = first[0][1]["join"].split("/m/")[1].split("/")[0]
        old, new = (links[0][1]["moderator"].split("key=")[1] for links in (first, second))
        assert not await meetings.key_fits(mid, "moderator", old) and await meetings.key_fits(mid, "moderator", new)
    finally:
        await meetings.close()
        store.close()
    served = await _meetings_in(settings, demo=False)  # `yishi serve` lists the open ones, latest first
    assert [title for title, _ in served] == ["幸福村第五村民小组饮水管网改造方案听证会", "幸福村村民会议：修订村规民约",
                                              "幸福里小区3号楼加装电梯居民协商会"]
    assert all("moderator" not in links and "recorder" not in links for _, links in served)
