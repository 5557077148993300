"""Limits on what people type, so that one phone cannot flood the record or the wall."""
from __future__ import annotations

import unicodedata

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


def name_key(name: str) -> str:
    """A name as compared when matching people: full-width folded, spaces and middle dots dropped,
    case ignored ("王 芳", "王芳" and "Wang Fang" / "wang fang" match their own kind)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and c not in "·・.")
