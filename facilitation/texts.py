"""Limits on what people type, so that one phone cannot flood the record or the wall."""
from __future__ import annotations

import unicodedata

from .errors import MeetingError

NAME = 40
TITLE = 200
SHORT = 200
TEXT = 2000


# The one policy for what people type (names, opinions, reasons, summaries, agenda, poll options):
# Unicode NFC; no control characters (a tab or a new line only in longer texts), no text-direction
# embeddings, overrides or isolates (they let a name show as another on the wall), no lone
# surrogates or non-characters (no page or Word file can hold them); and something visible.
# Lengths are counted in characters (code points) after normalising.
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_NEVER = frozenset((0xFFFE, 0xFFFF))
_INVISIBLE = frozenset((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x180E, 0x3164, 0x115F,
                        0x1160, 0xFFA0))


def _refused(ch: str, lines: bool) -> bool:
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return not (lines and ch in "\n\t")
    return cp in _BIDI or cp in _NEVER or cat == "Cs"


def visible(ch: str) -> bool:
    return not (ch.isspace() or ord(ch) in _INVISIBLE or unicodedata.category(ch) in ("Cf", "Mn", "Me"))


def clean(value: str, field: str, limit: int, *, required: bool = True, lines: bool | None = None) -> str:
    """`value` as the record keeps it, or MeetingError naming `field`. `lines`: new lines and tabs
    allowed (by default in the long texts: opinions, reasons, summaries, backgrounds)."""
    lines = limit > TITLE if lines is None else lines
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if any(_refused(ch, lines) for ch in value):
        raise MeetingError("bad_characters", field=field)
    if value and not any(visible(ch) for ch in value):
        raise MeetingError("invisible_text", field=field)
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
