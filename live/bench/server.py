"""The server under test, as a separate process on 127.0.0.1, and what /proc says about it."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_cpu() -> tuple[float, float]:
    """Seconds of CPU the whole machine has been busy, and stolen by its host (first line of /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / TICK, steal / TICK


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (yishi serve --workers N: its N server processes)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Server:
    """`yishi serve` (or the baseline) in a temporary data folder; stopped and removed on exit."""

    def __init__(self, kind: str = "yishi", database: str = "", gc_tuning: bool = True, checkout: str = "",
                 fanout: str = "", workers: int = 1, redis: str = "") -> None:
        self.kind = kind
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_urlsafe(18)
        self.data = Path(tempfile.mkdtemp(prefix=f"yishi-bench-{kind}-"))
        self.database = database or f"sqlite:///{self.data / 'yishi.db'}"
        env = {**os.environ, "YISHI_TOKEN": self.token, "YISHI_DATABASE_URL": "", "YISHI_REDIS_URL": ""}
        if not gc_tuning:
            env["YISHI_GC"] = "default"
        if fanout:  # the broadcast path (through the environment, which older checkouts ignore)
            env["YISHI_FANOUT"] = fanout
        self.gc_log = self.data / "gc.log"
        env["YISHI_GC_LOG"] = str(self.gc_log)  # Yishi's collector notes each collection (live/collector.py)
        if kind == "yishi":
            cmd = [sys.executable, "-m", "live.cli", "serve", "--data", str(self.data), "--host", "127.0.0.1",
                   "--port", str(self.port), "--public-url", self.url, "--database", self.database]
            if workers > 1:  # several processes on the port, sharing PostgreSQL and Redis
                cmd += ["--workers", str(workers), "--redis", redis]
        else:
            cmd = [sys.executable, "-m", "live.bench.baseline", "--host", "127.0.0.1", "--port", str(self.port)]
        self.log = open(self.data / "server.log", "wb")
        if checkout and kind == "yishi":  # another version of Yishi, to compare with
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(checkout).resolve()), env.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     cwd=Path(checkout).resolve() if checkout and kind == "yishi" else None)
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the {self.kind} server exited: {self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"the {self.kind} server did not start in {timeout:.0f} s: {self.tail()}")

    def tail(self) -> str:
        try:
            return (self.data / "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def health(self) -> dict[str, Any]:
        """GET /api/health: which broadcast path the server takes, and how its writes went (empty if unreadable)."""
        try:
            with urllib.request.urlopen(self.url + "/api/health", timeout=10) as r:
                return dict(json.loads(r.read()))
        except (OSError, ValueError):
            return {}

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return dict(json.loads(r.read()))

    def family(self) -> list[int]:
        """The processes serving: `yishi serve` itself, or with --workers the processes it supervises."""
        return children(self.pid) or [self.pid]

    def cpu(self) -> float:
        """CPU seconds of the server: every serving process's, and the supervisor's."""
        return self._over_family(cpu_seconds)

    def rss_kb(self) -> int:
        return int(self._over_family(rss_kb))

    def _over_family(self, read: Any) -> float:
        total = 0.0
        for pid in {self.pid, *self.family()}:
            try:
                total += read(pid)
            except (OSError, ValueError):  # a process that ended meanwhile
                pass
        return total

    def collections(self, since: float = 0.0, until: float = float("inf")) -> dict[str, Any]:
        """The garbage collections the server noted between two wall-clock times: how many, how long."""
        try:
            lines = self.gc_log.read_text().splitlines()
        except OSError:
            return {}
        pauses = []
        for line in lines:
            at, generation, ms = line.split()
            if since <= float(at) <= until:
                pauses.append((int(generation), float(ms)))
        return {"count": [sum(1 for g, _ in pauses if g == n) for n in range(3)],
                "total_ms": round(sum(ms for _, ms in pauses), 1),
                "max_ms": [round(max((ms for g, ms in pauses if g == n), default=0.0), 1) for n in range(3)]}

    def stop(self, keep_log: str = "") -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        if keep_log:  # the run failed: what the server said is worth reading
            shutil.copy(self.data / "server.log", keep_log)
        shutil.rmtree(self.data, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
