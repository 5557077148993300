"""`yishi serve` or `yishi demo` as a separate process, as a user starts it, on loopback.

For what only a real process shows: the banner on its console, start-up on an old data folder,
a computer that lacks parts of Linux (tests/support/elsewhere/sitecustomize.py).
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

import httpx
from support.wire import HTTP_BUDGET_S, STOP_BUDGET_S, free_port

REPO = Path(__file__).resolve().parents[2]
ELSEWHERE = Path(__file__).resolve().parent / "elsewhere"
START_BUDGET_S = 60  # generous: a cold start on a busy machine imports a lot


@dataclass
class YishiProcess:
    url: str
    log: Path
    proc: subprocess.Popen[bytes]

    def said(self, encoding: str = "utf-8") -> str:
        """What the process wrote to its console so far, read in the console's encoding."""
        return self.log.read_bytes().decode(encoding)


def without(*parts: str, log: Path | None = None) -> dict[str, str]:
    """The environment of a Python lacking `parts` (module names, or "pango"); `log` lists the
    imports that were refused."""
    env = {"PYTHONPATH": os.pathsep.join([str(ELSEWHERE), str(REPO)]), "YISHI_TEST_WITHOUT": ",".join(parts)}
    if log is not None:
        env["YISHI_TEST_WITHOUT_LOG"] = str(log)
    return env


@asynccontextmanager
async def yishi_process(data: Path, command: str = "serve", env: dict[str, str] | None = None,
                        token: str = "") -> AsyncIterator[YishiProcess]:
    """The server started with `python -m live.cli COMMAND`, once /api/health answers; stopped after."""
    port = free_port()
    log = data.parent / f"{command}-{port}.log"
    extra = {"PYTHONUNBUFFERED": "1", **({"YISHI_TOKEN": token} if token else {}), **(env or {})}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "live.cli", command, "--data", str(data), "--host", "127.0.0.1",
                                 "--port", str(port), "--public-url", f"http://127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **extra}, cwd=REPO)
    running = YishiProcess(f"http://127.0.0.1:{port}", log, proc)
    try:
        deadline = asyncio.get_running_loop().time() + START_BUDGET_S
        async with httpx.AsyncClient(base_url=running.url, timeout=HTTP_BUDGET_S) as http:
            while True:
                assert proc.poll() is None, log.read_bytes().decode("utf-8", "replace")
                assert asyncio.get_running_loop().time() < deadline, log.read_bytes().decode("utf-8", "replace")
                try:
                    if (await http.get("/api/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)  # polling for the port to open: there is no event to wait for
        yield running
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_BUDGET_S)
