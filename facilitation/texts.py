"""Limits on what people type, so that one phone cannot flood the record or the wall."""
from __future__ import annotations

from .errors import MeetingError

NAME = 40
TITLE = 200
SHORT = 200
TEXT = 2000


def clean(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise MeetingError("empty_text", field=field)
    if len(value) > limit:
        raise MeetingError("text_too_long", field=field, max=limit)
    return value
