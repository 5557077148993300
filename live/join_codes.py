"""Personal join codes: one per invitee, printed on their slip (with a QR of their join link).

A code is 9 digits, typed on any phone's number pad. It is derived from a secret of the meeting's
own (HMAC-SHA256 of the meeting id and the invitee's place in the roster; the secret is kept in
the meetings table, apart from the record), so no code is stored and a copy of the record alone
does not give anyone's code; the moderator, the recorder and the facilitator can print the slips
again. Codes are unique within a meeting (a collision takes the next
derivation). Wrong codes are counted per meeting: past MAX_MISSES in MISS_WINDOW_S seconds typed
codes are refused for a while, so guessing one of a thousand codes takes years, not an evening;
the desk still checks people in meanwhile. One address is refused after fewer
(live/misses.py), so that one phone cannot lock everyone's codes.
"""
from __future__ import annotations

import hashlib
import hmac
import unicodedata

from .misses import Misses

DIGITS = 9
MAX_MISSES = 30
MISS_WINDOW_S = 60.0


def derive(secret: str, meeting_id: str, count: int) -> list[str]:
    """The codes of the first `count` invitees, in roster order."""
    codes: list[str] = []
    taken: set[str] = set()
    for index in range(count):
        attempt = 0
        while True:
            mac = hmac.new(secret.encode(), f"join/{meeting_id}/{index}/{attempt}".encode(), hashlib.sha256).digest()
            code = str(int.from_bytes(mac[:8], "big") % 10**DIGITS).zfill(DIGITS)
            if code not in taken:
                break
            attempt += 1
        taken.add(code)
        codes.append(code)
    return codes


def normalise(text: str) -> str:
    """What was typed, as digits only: full-width digits folded, spaces and dashes dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isascii() and c.isdigit())


def shown(code: str) -> str:
    """A code as printed: three groups of three (123 456 789)."""
    return " ".join(code[i:i + 3] for i in range(0, len(code), 3))


class CodeBook:
    """Each meeting's codes, kept while its roster size and key stay the same."""

    def __init__(self) -> None:
        self._books: dict[str, tuple[str, int, dict[str, int], list[str]]] = {}
        self.misses = Misses(MAX_MISSES, MISS_WINDOW_S)

    def codes(self, meeting_id: str, secret: str, count: int) -> list[str]:
        return self._book(meeting_id, secret, count)[1]

    def invitee(self, meeting_id: str, secret: str, count: int, typed: str) -> int | None:
        return self._book(meeting_id, secret, count)[0].get(normalise(typed))

    def _book(self, meeting_id: str, secret: str, count: int) -> tuple[dict[str, int], list[str]]:
        held = self._books.get(meeting_id)
        if held is None or held[0] != secret or held[1] != count:
            codes = derive(secret, meeting_id, count)
            held = (secret, count, {c: i for i, c in enumerate(codes)}, codes)
            self._books[meeting_id] = held
        return held[2], held[3]

    def blocked(self, meeting_id: str, address: str = "") -> bool:
        """Too many wrong codes lately in this meeting, or from this address."""
        return self.misses.blocked(meeting_id, address)

    def missed(self, meeting_id: str, address: str = "") -> None:
        self.misses.missed(meeting_id, address)

    def forget(self, meeting_id: str) -> None:
        self._books.pop(meeting_id, None)
        self.misses.forget(meeting_id)
