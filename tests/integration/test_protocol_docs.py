"""docs/protocol.md names every socket event the server handles, and every HTTP route."""
from __future__ import annotations

import re
from pathlib import Path

from dataclasses import fields

from facilitation.commands import COMMANDS
from facilitation.events import EVENT_TYPES
from facilitation.roles import ATTENDEE, GUEST, MODERATOR, RECORDER
from live.app import Yishi
from live.errors import MESSAGES
from live.escalation import HTTP_ONLY
from live.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()


CATCH_ALL = "*"  # python-socketio's name for the handler of every other event


def test_every_socket_event_the_server_handles_is_documented(tmp_path):
    yishi = Yishi(Settings(data=tmp_path))
    handled = set(yishi.live.sio.handlers["/"]) - {CATCH_ALL}
    documented = set(re.findall(r"^### (\w+)$", DOC, re.M))
    assert handled - documented == set(), "handled but not in docs/protocol.md"
    # The commands live/ sends itself over HTTP are documented with the others, and not on the socket.
    assert documented - handled == set(HTTP_ONLY), "documented but not handled"
    assert not set(HTTP_ONLY) & handled


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


def section(title: str) -> str:
    """The text of a `## title` section, up to the next `## `."""
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


# The words a command's `Who:` line uses for the roles that may send it (the facilitator may send
# whatever the moderator may, and is not named).
WHO_WORDS = {"guest": GUEST, "attendee": ATTENDEE, "moderator": MODERATOR, "recorder": RECORDER}


def test_each_commands_who_names_exactly_the_roles_that_may_send_it():
    for name, command in COMMANDS.items():
        found = re.search(rf"^### {name}\nWho: (.*?)\.(?:\s|$)", DOC, re.M | re.S)
        assert found, f"{name}: no `Who:` line"
        said = {WHO_WORDS[w] for w in re.findall(r"\b(guest|attendee|moderator|recorder)\b", found.group(1))}
        assert said == set(command.roles) & set(WHO_WORDS.values()), name


def test_every_error_code_is_listed():
    listed = set(re.findall(r"^\| `(\w+)` \|", section("Error codes"), re.M))
    assert listed == set(MESSAGES)


def test_every_event_of_the_record_is_listed_with_its_fields():
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| (.*?) \|", section("The record"), re.M)}
    assert set(rows) == set(EVENT_TYPES)
    for name, cls in EVENT_TYPES.items():
        named = set(re.findall(r"`(\w+)`", rows[name]))
        missing = {f.name for f in fields(cls)} - {"actor"} - named
        assert missing == set(), f"{name} lacks {missing}"
    assert "`actor`" in section("The record") and "`v`" in section("The record")
