"""A data folder written by release 2e1af6a (tests/fixtures/data-2e1af6a) under this version:
its tables are backed up and migrated by Alembic, its record is untouched and still verifies,
replays and renders; the minutes files it issued still verify. The same on PostgreSQL."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel
from support.servers import postgres

from facilitation.minutes import minutes
from live import cli, schema
from live.minutes import FORMATS, render
from live.record import fold_records, identity_of, verify_meeting
from live.store import Store, token_hash

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "data-2e1af6a"
FINISHED, OPEN = "39ca50f7", "270dcce7"
MODERATOR_KEYS = {FINISHED: "5OGaZNnyyT4_bLQcf8AEvWuv", OPEN: "bW46Alvj63LIS0NeCx4nywlU"}


@pytest.fixture
def old_folder(tmp_path: Path) -> Path:
    """A copy: the fixture itself is never written to."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "data"))


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_old_folder_is_refused_until_upgraded_and_the_refusal_changes_nothing(old_folder):
    before = (old_folder / "yishi.db").read_bytes()
    with pytest.raises(schema.TablesOutdated):
        Store(f"sqlite:///{old_folder / 'yishi.db'}")
    assert (old_folder / "yishi.db").read_bytes() == before


def test_yishi_upgrade_backs_up_migrates_and_leaves_the_record_as_it_was(old_folder, capsys):
    db = old_folder / "yishi.db"
    events_before = rows(db, "SELECT * FROM events ORDER BY id")
    credentials_before = rows(db, "SELECT * FROM credentials ORDER BY token_hash")

    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    said = capsys.readouterr().err
    assert f"0001 → {schema.head()}" in said and "backup" in said

    [backup] = (old_folder / "backups").iterdir()
    assert rows(backup, "SELECT * FROM events ORDER BY id") == events_before  # the copy is the old database
    assert "recorder_key" not in {r[1] for r in rows(backup, "PRAGMA table_info(meetings)")}
    # The record's rows are exactly as stored before: migrations never rewrite the hash-chained text.
    assert rows(db, "SELECT * FROM events ORDER BY id") == events_before
    assert rows(db, "SELECT * FROM credentials ORDER BY token_hash") == credentials_before
    # The staff's keys are kept hashed; old moderator links keep working, and the codes on slips
    # printed for the open meeting stay the same (their secret is its old moderator key, until a
    # new key is issued); the closed meeting's key is nowhere in the database.
    columns = {r[1] for r in rows(db, "PRAGMA table_info(meetings)")}
    assert "moderator_key" not in columns and "recorder_key" not in columns
    hashes = dict(rows(db, "SELECT id, moderator_key_hash FROM meetings"))
    assert hashes == {m: token_hash(k) for m, k in MODERATOR_KEYS.items()}
    secrets_now = dict(rows(db, "SELECT id, codes_secret FROM meetings"))
    assert secrets_now[OPEN] == MODERATOR_KEYS[OPEN] and len(secrets_now[FINISHED]) >= 24
    assert MODERATOR_KEYS[FINISHED] not in secrets_now.values()
    recorder = dict(rows(db, "SELECT id, recorder_key_hash FROM meetings"))
    assert len(set(recorder.values())) == 2 and set(recorder.values()).isdisjoint(hashes.values())
    assert MODERATOR_KEYS[FINISHED].encode() not in db.read_bytes()

    # A second run finds nothing to do and takes no second backup.
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    assert "up to date" in capsys.readouterr().err
    assert len(list((old_folder / "backups").iterdir())) == 1


def test_the_upgraded_folder_verifies_replays_and_renders_and_its_old_minutes_still_verify(old_folder):
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    store = Store(f"sqlite:///{old_folder / 'yishi.db'}")
    try:
        finished = fold_records(FINISHED, store.events(FINISHED))
        assert finished.status == "closed" and finished.title.endswith("（已结束示例）")
        open_one = fold_records(OPEN, store.events(OPEN))
        assert open_one.status == "open" and "张桂英" in {p.name for p in open_one.participants.values()}

        # Every format the old release issued, checked against the record under the schema it states.
        for issued in sorted((old_folder / "minutes").iterdir()):
            meeting = issued.name.split(".")[0]
            result = verify_meeting(store, meeting, issued.read_bytes(), "en")
            assert result["record"]["intact"], issued.name
            assert result["minutes"]["matches"], (issued.name, result["minutes"]["problems"])

        # The new code renders the old meeting in every format, in the current schema.
        model = minutes(finished, identity_of(finished))
        assert model["schema"] == "yishi-minutes/9" and model["record"]["events"] == 91
        for public in (False, True):
            model = minutes(finished, identity_of(finished), public=public)
            for fmt in FORMATS:
                body = render(model, fmt, "zh-CN")
                assert len(body) > 500, (fmt, public)
                assert fmt != "pdf" or body.startswith(b"%PDF")
                assert fmt not in ("html", "md") or "加装电梯" in body.decode()
    finally:
        store.close()


def test_a_tampered_old_minutes_file_still_fails(old_folder):
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    issued = (old_folder / "minutes" / f"{FINISHED}.json").read_text()
    forged = issued.replace("同意", "反对", 1)
    assert forged != issued
    store = Store(f"sqlite:///{old_folder / 'yishi.db'}")
    try:
        result = verify_meeting(store, FINISHED, forged.encode(), "en")
    finally:
        store.close()
    assert result["record"]["intact"] and not result["minutes"]["matches"]


def test_a_minutes_file_stating_an_unknown_schema_is_reported_as_such(old_folder):
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    issued = (old_folder / "minutes" / f"{FINISHED}.json").read_text()
    future = issued.replace('"yishi-minutes/1"', '"yishi-minutes/10"', 1)
    store = Store(f"sqlite:///{old_folder / 'yishi.db'}")
    try:
        result = verify_meeting(store, FINISHED, future.encode(), "en")
    finally:
        store.close()
    assert not result["minutes"]["matches"]
    assert any("yishi-minutes/10" in p for p in result["minutes"]["problems"]), result["minutes"]["problems"]


def test_reading_commands_upgrade_an_old_folder_with_a_backup_and_say_so(old_folder, capsys):
    assert cli.main(["verify", FINISHED, "--data", str(old_folder)]) == 0
    captured = capsys.readouterr()
    assert "intact" in captured.out and f"0001 → {schema.head()}" in captured.err
    assert len(list((old_folder / "backups").iterdir())) == 1


def test_a_database_from_a_newer_version_is_refused_and_left_alone(old_folder, capsys):
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 0
    con = sqlite3.connect(old_folder / "yishi.db")
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.close()
    before = (old_folder / "yishi.db").read_bytes()
    capsys.readouterr()
    assert cli.main(["upgrade", "--data", str(old_folder)]) == 1
    assert "newer version" in capsys.readouterr().err
    with pytest.raises(schema.TablesTooNew):
        Store(f"sqlite:///{old_folder / 'yishi.db'}")
    assert (old_folder / "yishi.db").read_bytes() == before


def test_the_migrations_build_exactly_the_tables_the_code_uses(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Store(url).close()  # an empty database is created at the newest revision
    engine = create_engine(url)
    with engine.connect() as conn:
        assert schema.revision(conn) == schema.head()
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    engine.dispose()


def test_postgresql_is_migrated_from_the_old_tables_with_a_dump_first(tmp_path):
    with postgres() as url:
        engine = create_engine(url)
        with engine.begin() as conn:  # the tables as release 2e1af6a left them, with a meeting in them
            cfg = schema._config(conn)
            command.upgrade(cfg, schema.BEFORE_MIGRATIONS)
            conn.execute(text("DROP TABLE alembic_version"))
            conn.execute(text("INSERT INTO meetings (id, moderator_key, created_at) VALUES ('m1', 'k1', 1.0)"))
        with pytest.raises(schema.TablesOutdated):
            Store(url)
        result = schema.prepare(url, tmp_path)
        assert (result.before, result.after) == ("0001", schema.head())
        assert result.backup is not None and "CREATE TABLE public.meetings" in result.backup.read_text()
        with engine.connect() as conn:
            row = conn.execute(text("SELECT moderator_key_hash, recorder_key_hash, codes_secret FROM meetings "
                                    "WHERE id = 'm1'")).one()
            assert row[0] == token_hash("k1") and row[1] and row[1] != row[0] and row[2] == "k1"
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        engine.dispose()
        store = Store(url)
        assert store.meeting("m1").moderator_key_hash == token_hash("k1")
        store.close()
