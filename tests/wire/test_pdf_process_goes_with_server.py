"""The process that lays out PDFs goes when the server's does, even when the server is killed
(kill -9, a closed window): it must not linger with the memory typst keeps."""
from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx

from support.process import yishi_process
from support.wire import HTTP_BUDGET_S, LIFT, until

TOKEN = "pdf-process-token-0123456789abcdef"


def children(pid: int) -> set[int]:
    """The processes `pid` started (Linux: /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its parent to read its end."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


async def test_the_pdf_process_ends_when_the_server_is_killed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with yishi_process(data, "serve", token=TOKEN) as server:
        before = children(server.proc.pid)
        async with httpx.AsyncClient(base_url=server.url, timeout=HTTP_BUDGET_S) as http:
            made = await http.post("/api/meetings", json=LIFT, headers={"Authorization": f"Bearer {TOKEN}"})
            assert made.status_code == 201, made.text
            meeting = made.json()
            pdf = await http.get(f"/meetings/{meeting['id']}/minutes.pdf", params={"key": meeting["key"]})
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:200]
        started = children(server.proc.pid) - before
        workers = {pid for pid in started if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()}
        assert workers, "no PDF process was started"
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        await until(lambda: not any(alive(pid) for pid in workers),
                    lambda: f"the PDF process outlived the server: {[p for p in workers if alive(p)]}")
