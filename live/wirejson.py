"""The JSON that socket.io packets are read and written with.

Written as UTF-8 text (`ensure_ascii=False`): a view in Chinese is a third smaller than with
every character escaped as \\uXXXX. Text holding a lone surrogate (which UTF-8 cannot carry) is
written escaped as before.

engine.io's own module guards against huge integers by passing `parse_int` to `json.loads`,
which builds a new decoder for every packet read (about 6 % of the server's time during a vote
of 5,000 phones). This keeps the same guard with one decoder built once.

Two kinds of packet are read as an event name no client can send, which the handler of unknown
events answers (socket.io has the acknowledgement's id by then):

- a packet whose JSON cannot be read (a number of more than MAX_DIGITS digits, arrays or objects
  nested deeper than the decoder goes, not JSON at all) is the event UNREADABLE, without
  arguments, answered `bad_payload`: raising here would leave the sender unanswered and log a
  traceback for each such packet (its event name is lost with the rest of it);
- an event named "*" is the event STAR, answered `unknown_command` like any other name:
  python-socketio would hand it to the handler of unknown events without its name, as though
  that handler were the event's own.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DIGITS = 100
_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any, **kwargs: Any) -> str:
    """json.dumps, as engine.io and socket.io call it, writing text as it is rather than escaped."""
    if kwargs.get("ensure_ascii", False):
        return json.dumps(obj, **kwargs)
    text = json.dumps(obj, **{**kwargs, "ensure_ascii": False})
    if not text.isascii() and _SURROGATE.search(text):
        return json.dumps(obj, **{**kwargs, "ensure_ascii": True})
    return text


def _safe_int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise ValueError("Integer is too large")
    return int(text)


_decoder = json.JSONDecoder(parse_int=_safe_int)


class _Event:
    """An event's name that is not text, so no client can send it."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def __str__(self) -> str:
        return self.shown

    __repr__ = __str__


UNREADABLE = _Event("<unreadable>")
STAR = _Event("*")


def loads(text: str | bytes, **kwargs: Any) -> Any:
    try:
        if kwargs:
            data = json.loads(text, **{"parse_int": _safe_int, **kwargs})
        else:
            data = _decoder.decode(text.decode("utf-8") if isinstance(text, (bytes, bytearray)) else text)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return [UNREADABLE]
    if type(data) is list and data and data[0] == "*":
        data[0] = STAR
    return data
