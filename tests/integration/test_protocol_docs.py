"""docs/protocol.md names every socket event the server handles, and every HTTP route."""
from __future__ import annotations

import re
from pathlib import Path

from live.app import Yishi
from live.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()


CATCH_ALL = "*"  # python-socketio's name for the handler of every other event


def test_every_socket_event_the_server_handles_is_documented(tmp_path):
    yishi = Yishi(Settings(data=tmp_path))
    handled = set(yishi.live.sio.handlers["/"]) - {CATCH_ALL}
    documented = set(re.findall(r"^### (\w+)$", DOC, re.M))
    assert handled - documented == set(), "handled but not in docs/protocol.md"
    assert documented - handled == set(), "documented but not handled"


def test_the_answer_to_any_other_event_is_documented(tmp_path):
    assert CATCH_ALL in Yishi(Settings(data=tmp_path)).live.sio.handlers["/"]
    section = DOC.split("\n### Any other event\n", 1)[1].split("\n#", 1)[0]
    assert "`unknown_command`" in section


def test_every_http_route_is_documented(tmp_path):
    app = Yishi(Settings(data=tmp_path)).asgi().other_asgi_app
    for route in app.routes:
        path = route.path
        if path == "/static":
            path = "/static/"
        assert f"`{path}" in DOC or f" {path}" in DOC, f"{path} is not in docs/protocol.md"
