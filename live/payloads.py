"""Payload validation for every command, built from the command functions' own signatures."""
from __future__ import annotations

import inspect
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from facilitation.commands import COMMANDS, SERVER_SUPPLIED

from .errors import TransportError

_INJECTED = {"m", "actor", "now", *SERVER_SUPPLIED}


@lru_cache(maxsize=None)
def model_for(name: str) -> type[BaseModel]:
    fn = COMMANDS[name].fn
    hints = typing.get_type_hints(fn)
    fields: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.name in _INJECTED:
            continue
        default = ... if p.default is inspect.Parameter.empty else p.default
        fields[p.name] = (hints[p.name], default)
    return create_model(f"{name}_payload", __config__=ConfigDict(extra="forbid", strict=True), **fields)


def parse(name: str, data: Any) -> dict[str, Any]:
    """The command's keyword arguments, or a TransportError naming what is wrong."""
    if name not in COMMANDS:
        raise TransportError("unknown_command", command=name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TransportError("bad_payload", detail="expected an object")
    try:
        parsed = model_for(name).model_validate(data)
    except ValidationError as exc:
        raise TransportError("bad_payload", **_problem(exc)) from None
    return {k: getattr(parsed, k) for k in parsed.model_fields_set | _required(parsed)}


def _problem(exc: ValidationError) -> dict[str, str]:
    """The first thing wrong, as a kind of problem and where (live/errors.py words it in the user's
    language; pydantic's own English text is not passed on)."""
    first = exc.errors()[0]
    kind = first["type"]
    problem = ("missing" if kind == "missing" else "extra" if kind == "extra_forbidden"
               else "type" if kind.endswith("_type") or "parsing" in kind else "invalid")
    return {"problem": problem, "where": ".".join(str(x) for x in first["loc"]) or "payload"}


def _required(parsed: BaseModel) -> set[str]:
    return {k for k, f in type(parsed).model_fields.items() if f.is_required()}


class NewMeeting(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str
    form: str = "council"
    place: str = ""
    starts_at: str = ""
    language: str = "zh-CN"
    speaking_seconds: int = 180
    agenda: list[dict[str, str]]
    categories: list[dict[str, str]] | None = None
    moderator: str = ""
    recorder: str = ""
    roster: list[dict[str, str]] | None = None
    convene: dict[str, Any] | None = None  # draw the invited from the register instead: {who, groups?, community?}
    community: str = ""  # whose templates of the forms and wording apply (live/forms_http.py); else convene's
    proxy_limit: int = 1
    floor_policy: str | None = None  # the queue's standing policy (facilitation/fairness.py); first come if none
    floor_limits: dict[str, int] | None = None
    issuer: str = ""  # who issues the public minutes
    notice_days: int = 0  # their publicity period in days; 0: the default


def parse_meeting(payload: Any) -> dict[str, Any]:
    """The fields a new meeting takes (checked further by the rules in facilitation.agenda)."""
    if not isinstance(payload, dict):
        raise TransportError("bad_payload", detail="expected an object")
    try:
        return NewMeeting.model_validate(payload).model_dump()
    except ValidationError as exc:
        raise TransportError("bad_payload", **_problem(exc)) from None
