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


def _layer(item: pytest.Item) -> str | None:
    try:
        return item.path.resolve().relative_to(TESTS).parts[0]
    except ValueError:
        return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if (layer := _layer(item)) in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test outside the layers' folders has no marker: `pytest -m wire` and the like would leave it out."""
    if (layer := _layer(item)) is not None and layer not in LAYERS:
        where = item.path.resolve().relative_to(TESTS)
        pytest.fail(f"tests/{where} is in no layer: move it to tests/{{{','.join(LAYERS)}}}/ "
                    "(the helpers it imports live in tests/support)", pytrace=False)


def _no_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """A skip is a failure here: a missing tool or an empty parameter list must be seen, not hidden."""
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped ({reason}), and this suite skips nothing: make it pass or fail"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    _no_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    outcome = yield
    _no_skip(outcome.get_result())


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
