"""`yishi serve` keeps what it stores its owner's only: the register's phones and birth years, the
keys, the record. A folder it makes is 0700, the database and the token 0600; an older version's
folder (0755, the database 0644) is made private at start, and says so; a folder that is not
Yishi's (one holding other things) keeps the permissions its owner gave it, Yishi's files in it
still 0600."""
from __future__ import annotations

import shutil
import stat
from pathlib import Path

import httpx

from support.process import yishi_process
from support.wire import LIFT

OLD = Path(__file__).resolve().parent.parent / "fixtures" / "data-2e1af6a"


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


async def a_meeting(url: str, data: Path) -> None:
    """A write, so that SQLite's journal files exist too."""
    token = (data / "facilitator-token").read_text().strip()
    async with httpx.AsyncClient(base_url=url) as http:
        r = await http.post("/api/meetings", headers={"Authorization": f"Bearer {token}"}, json=LIFT)
        assert r.status_code == 201, r.text


def assert_private_files(data: Path) -> None:
    for name in ("yishi.db", "yishi.db-wal", "yishi.db-shm", "facilitator-token"):
        if name == "facilitator-token" or (data / name).exists():
            assert mode(data / name) == 0o600, (name, oct(mode(data / name)))
    assert (data / "yishi.db").exists()


async def test_a_new_folder_and_its_database_are_the_owners_only(tmp_path: Path) -> None:
    data = tmp_path / "yishi-data"
    async with yishi_process(data, "serve") as server:
        await a_meeting(server.url, data)
        assert mode(data) == 0o700
        assert_private_files(data)
        assert "0700" not in server.said()  # nothing to say: it was private already


async def test_an_older_versions_folder_is_made_private_at_start(tmp_path: Path) -> None:
    data = Path(shutil.copytree(OLD, tmp_path / "data"))
    data.chmod(0o755)
    (data / "yishi.db").chmod(0o644)
    async with yishi_process(data, "serve") as server:
        await a_meeting(server.url, data)
        assert mode(data) == 0o700
        assert_private_files(data)
        backups = list((data / "backups").glob("yishi-0001-*.db"))  # taken before the upgrade
        assert len(backups) == 1 and mode(backups[0]) == 0o600
        said = server.said()
        assert f"the data folder {data} is now its owner's only (0700; it was 0755)" in said, said
        assert "仅本人可读写" in said


async def test_a_folder_holding_other_things_keeps_its_permissions(tmp_path: Path) -> None:
    data = tmp_path / "shared"
    data.mkdir()
    data.chmod(0o755)
    (data / "notes.txt").write_text("the office's own file")
    async with yishi_process(data, "serve") as server:
        await a_meeting(server.url, data)
        assert mode(data) == 0o755  # the owner chose who may look in it
        assert (data / "notes.txt").read_text() == "the office's own file"
        assert "0700" not in server.said()
        for name in ("yishi.db", "yishi.db-wal", "yishi.db-shm"):
            if (data / name).exists():
                assert mode(data / name) == 0o600, name
