"""`yishi serve` on a data folder written by release 2e1af6a: it backs the database up, upgrades
it, says so, and the old meeting carries on with its old moderator link and phone token."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
from support.wire import HTTP_BUDGET_S, STOP_BUDGET_S, Screen, free_port

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "data-2e1af6a"
OPEN, MODERATOR_KEY, PHONE_TOKEN = "270dcce7", "bW46Alvj63LIS0NeCx4nywlU", "uJ0EEgrPOApIjZKg7u17jKNvDDxrRWtI"
START_BUDGET_S = 60  # generous: a cold start on a busy machine imports a lot


async def test_serve_upgrades_an_old_folder_and_the_meeting_goes_on(tmp_path):
    data = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "live.cli", "serve", "--data", str(data), "--host", "127.0.0.1",
                                 "--port", str(port), "--public-url", f"http://127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    screens: list[Screen] = []
    try:
        deadline = asyncio.get_running_loop().time() + START_BUDGET_S
        async with httpx.AsyncClient(base_url=url, timeout=HTTP_BUDGET_S) as http:
            while True:
                assert proc.poll() is None, log.read_text()
                assert asyncio.get_running_loop().time() < deadline, log.read_text()
                try:
                    if (await http.get("/api/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        said = log.read_text()
        assert "tables upgraded: revision 0001 → 0002" in said and "backup" in said, said
        assert len(list((data / "backups").glob("yishi-0001-*.db"))) == 1

        mod = await Screen(url, {"meeting": OPEN, "role": "moderator", "key": MODERATOR_KEY}).connect()
        screens.append(mod)
        ack = await mod.send("sync")
        assert ack["ok"] and ack["view"]["title"], ack
        phone = await Screen(url, {"meeting": OPEN, "role": "phone", "token": PHONE_TOKEN}).connect()
        screens.append(phone)
        me = (await phone.send("sync"))["me"]
        assert me["participant"]["name"] == "张桂英", me
        # The old meeting takes new events on top of its old ones.
        ack = await phone.send("submit_opinion", {"text": "升级之后继续提意见。"})
        assert ack["ok"], ack
    finally:
        for s in screens:
            if s.sio.connected:
                await s.close()
        proc.terminate()
        proc.wait(timeout=STOP_BUDGET_S)
