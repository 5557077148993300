"""PostgreSQL and Redis servers started for the tests, on loopback, in temporary folders.

Both come from Debian's packages (scripts/test installs them). As root, PostgreSQL runs as the
`postgres` user, since it refuses to run as root. A missing binary is a failure, never a skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from support.wire import free_port

PG_BIN = Path("/usr/lib/postgresql")
START_BUDGET_S = 120  # generous: a cluster or a Redis starting while other processes keep the CPUs busy
STOP_BUDGET_S = 60


def _pg_tool(name: str) -> str:
    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    assert path, f"{name} not found: install Debian's postgresql (scripts/test does)"
    return path


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Postgres:
    """A PostgreSQL cluster that can be stopped and started again on the same port and data folder."""

    def __init__(self, data: Path, port: int) -> None:
        self.data, self.port = data, port
        self.url = f"postgresql+psycopg://yishi@127.0.0.1:{port}/yishi"

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(_as_postgres([_pg_tool("pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-t", str(START_BUDGET_S),
                                     "-l", str(self.data / "log"), "start"]), check=True, capture_output=True)

    def stop(self, mode: str = "fast") -> None:
        """Stopped (`fast`: its sessions are ended, as a restart of the server does)."""
        subprocess.run(_as_postgres([_pg_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t",
                                     str(STOP_BUDGET_S), "stop"]), check=True, capture_output=True)


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A fresh PostgreSQL cluster, to stop and start again."""
    # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
    data = Path(tempfile.mkdtemp(prefix="yishi-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    server = Postgres(data, free_port())
    subprocess.run(_as_postgres([_pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "yishi", "-E", "UTF8",
                                 "--no-sync"]), check=True, capture_output=True)
    server.start()
    try:
        subprocess.run(_as_postgres([_pg_tool("createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "yishi",
                                     "yishi"]), check=True, capture_output=True)
        yield server
    finally:
        subprocess.run(_as_postgres([_pg_tool("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster; yields its SQLAlchemy URL."""
    with postgres_server() as server:
        yield server.url


class Redis:
    """A Redis server (no persistence) that can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server not found: install Debian's redis-server (scripts/test does)"
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis as redis_client

        deadline = time.monotonic() + START_BUDGET_S
        while True:
            try:
                redis_client.Redis(host="127.0.0.1", port=self.port).ping()
                break
            except redis_client.ConnectionError:
                assert self.proc.poll() is None, "redis-server stopped as it started (is the port taken?)"
                assert time.monotonic() < deadline, f"redis-server did not start in {START_BUDGET_S}s"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(STOP_BUDGET_S)
            self.proc = None


@contextmanager
def redis_server() -> Iterator[Redis]:
    """A Redis server, to stop and start again."""
    server = Redis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def redis() -> Iterator[str]:
    """A Redis server with no persistence; yields its URL."""
    with redis_server() as server:
        yield server.url
