"""Fixtures shared by the test layers, and each test marked with the layer its folder names.

The folders are the layers: unit (rules alone, no I/O), integration (real files and databases, no
network server), wire (a real server on loopback), browser (Debian's Chromium). `pytest -m wire`
runs the wire tests. The helpers themselves live in the package tests/support.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from support.wire import Running, Screen, start_server, stop_server

TESTS = Path(__file__).resolve().parent
LAYERS = ("unit", "integration", "wire", "browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            layer = item.path.resolve().relative_to(TESTS).parts[0]
        except ValueError:
            continue
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Running]:
    running, srv, task = await start_server(tmp_path / "data")
    yield running
    await stop_server(srv, task)


@pytest.fixture
async def screens(server: Running) -> AsyncIterator[Any]:
    opened: list[Screen] = []

    async def open_screen(meeting: str, role: str, **auth: Any) -> Screen:
        s = await Screen(server.url, {"meeting": meeting, "role": role, **auth}).connect()
        opened.append(s)
        return s

    yield open_screen
    for s in opened:
        if s.sio.connected:
            await s.close()
