"""`yishi serve` on a data folder written by release 2e1af6a: it backs the database up, upgrades
it, says so, and the old meeting carries on with its old moderator link and phone token."""
from __future__ import annotations

import shutil
from pathlib import Path

from support.process import yishi_process
from support.wire import Screen

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "data-2e1af6a"
OPEN, MODERATOR_KEY, PHONE_TOKEN = "270dcce7", "bW46Alvj63LIS0NeCx4nywlU", "uJ0EEgrPOApIjZKg7u17jKNvDDxrRWtI"


async def test_serve_upgrades_an_old_folder_and_the_meeting_goes_on(tmp_path):
    data = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    screens: list[Screen] = []
    async with yishi_process(data, "serve") as server:
        url = server.url
        try:
            said = server.said()
            assert "tables upgraded: revision 0001 → 0005" in said and "backup" in said, said
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
