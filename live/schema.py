"""The tables' version: Alembic migrations (live/migrations), run when a data folder is opened.

A database is in one of four states: empty (the tables are created at the newest revision),
unversioned (written before migrations existed: release 2e1af6a and earlier, taken as revision
0001), behind (upgraded, after a backup, by `yishi upgrade` or `yishi serve`), or current. Rows
are never rewritten by a migration that touches the record: the events' hash chain covers their
stored text, and old event versions are read through facilitation/upcast.py instead.
"""
from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine, make_url

MIGRATIONS = Path(__file__).parent / "migrations"
BEFORE_MIGRATIONS = "0001"  # what a database without Alembic's table holds: the tables of 2e1af6a
PG_LOCK = 0x79697368  # advisory lock: two workers starting together do not migrate twice


class TablesOutdated(RuntimeError):
    """The database is older than this version of Yishi; `yishi upgrade` brings it up to date."""


class TablesTooNew(RuntimeError):
    """The database was written by a newer version of Yishi than this one."""


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def known(revision: str) -> bool:
    scripts = ScriptDirectory.from_config(_config())
    return any(s.revision == revision for s in scripts.walk_revisions())


def revision(conn: Connection) -> str | None:
    """The database's revision; None when it has no tables at all."""
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        return current
    return BEFORE_MIGRATIONS if inspect(conn).has_table("events") else None


@dataclass(frozen=True)
class Upgrade:
    before: str | None  # None: the database was empty
    after: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def ensure(engine: Engine, *, upgrade: bool) -> Upgrade:
    """Bring the tables to the newest revision: always from empty, from an older one only if `upgrade`."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK})
            conn.commit()
        try:
            before = revision(conn)
            target = head()
            if before == target:
                return Upgrade(before, target)
            if before is not None and not known(before):
                raise TablesTooNew(before)
            if before is not None and not upgrade:
                raise TablesOutdated(before)
            cfg = _config(conn)
            if before == BEFORE_MIGRATIONS and MigrationContext.configure(conn).get_current_revision() is None:
                command.stamp(cfg, BEFORE_MIGRATIONS)
            command.upgrade(cfg, "head")
            conn.commit()
            return Upgrade(before, target)
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK})
                conn.commit()


def pending(engine: Engine) -> str | None:
    """The revision the database is at when it needs an upgrade; None when it does not."""
    with engine.connect() as conn:
        before = revision(conn)
    if before is None or before == head():
        return None
    if not known(before):
        raise TablesTooNew(before)
    return before


def backup(url: str, folder: Path, before: str) -> Path:
    """A copy of the database as it is, before it is upgraded from `before`."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = folder / f"yishi-{before}-{stamp}.db"
        src = sqlite3.connect(str(parsed.database))
        try:
            dst = sqlite3.connect(str(target))
            with dst:
                src.backup(dst)  # consistent even while the WAL holds recent writes
            dst.close()
        finally:
            src.close()
        return target
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise FileNotFoundError("pg_dump")
    target = folder / f"yishi-{before}-{stamp}.sql"
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with target.open("wb") as out:
        subprocess.run([pg_dump, "--no-owner", plain], stdout=out, check=True)
    return target


def prepare(url: str, data: Path, *, make_backup: bool = True) -> Upgrade:
    """Open a data folder's database for this version: back it up and upgrade it if it is older."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        before = pending(engine)
        if before is None:
            return ensure(engine, upgrade=False)  # current, or empty: nothing to back up
        copy = backup(url, data / "backups", before) if make_backup else None
        done = ensure(engine, upgrade=True)
        return Upgrade(done.before, done.after, copy)
    finally:
        engine.dispose()


def said(result: Upgrade) -> str:
    """What `prepare` did, for the terminal (both languages, as the banner is)."""
    if not result.changed or result.before is None:
        return f"数据表已是最新 / tables up to date (revision {result.after})"
    where = f"; 备份 / backup: {result.backup}" if result.backup else "; 未备份 / no backup taken"
    return f"数据表已升级 / tables upgraded: revision {result.before} → {result.after}{where}"
