"""Residents' personal codes (居民码): one per person of a community's register, printed on their
slip (live/resident_slips_http.py), with which a resident takes part in the community's topics
from their own phone: proposes a topic, co-signs a petition.

A code is 12 digits (four groups of three), typed once on a phone's number pad and kept there. It
is derived (HMAC-SHA256) from a secret of the community's own, kept in the data folder
(`resident-codes/<community>.secret`, readable by its owner only) and never in the record, from
the person's register id and their round: 0, then one more at each reissue (the register's
`ResidentCodeReissued`, which names who reissued and never holds a code). So a copy of the record
alone gives nobody's code, and a reissued code replaces the old one, which stops working.

Codes are unique within the community: they are worked out in the order they were issued
(everyone's first as they entered the register, each reissue where it happened), each taking the
next derivation when an earlier code, current or replaced, already has it. A printed code
therefore changes only by its own reissue, and a replaced code never opens another person.

Only a person who holds a code (facilitation.community.holds_code: active, and an adult
registered resident or a representative) is known by it; a person who moved away or died is not.

Wrong codes are counted per community: past MAX_MISSES in MISS_WINDOW_S seconds the community's
codes are refused for a while (too_many_tries), and one address's after fewer (live/misses.py), so that
one phone cannot lock the community's codes for everyone. With 10^12 codes, guessing one of a community's
10,000 takes 10^8 tries on average: at 20 a minute, about nine and a half years. (Each server
process counts its own: N processes let N times as many through.)

`ResidentCodes.identify(community, code)` is what other parts call: the register id, or a
TransportError (`resident_code_required`, `wrong_resident_code`, `resident_code_replaced`,
`resident_code_withdrawn`, `too_many_tries`).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from facilitation.community import COMMUNITY, Community, fold, holds_code

from .errors import TransportError
from .join_codes import normalise
from .misses import Misses
from .registry import Registries
from .settings import private_folder

DIGITS = 12
MAX_MISSES = 20
MISS_WINDOW_S = 60.0
FOLDER = "resident-codes"


def derive(secret: str, community: str, person: str, round_: int, attempt: int) -> str:
    mac = hmac.new(secret.encode(), f"resident/{community}/{person}/{round_}/{attempt}".encode(), hashlib.sha256).digest()
    return str(int.from_bytes(mac[:8], "big") % 10**DIGITS).zfill(DIGITS)


def shown(code: str) -> str:
    """A code as printed: groups of three (123 456 789 012)."""
    return " ".join(code[i:i + 3] for i in range(0, len(code), 3))


@dataclass
class Book:
    """A community's codes as its register stands at `seq`."""

    secret: str
    seq: int
    issued: dict[str, tuple[str, int]]  # every code issued -> (person, round)
    current: dict[str, str]  # person -> their code now (whether or not it works: see holds_code)


def book_of(secret: str, community: str, register: Community) -> Book:
    issued: dict[str, tuple[str, int]] = {}
    current: dict[str, str] = {}
    for person, round_ in register.code_issues:
        attempt = 0
        while (code := derive(secret, community, person, round_, attempt)) in issued:
            attempt += 1
        issued[code] = (person, round_)
        current[person] = code
    return Book(secret, register.seq, issued, current)


class ResidentCodes:
    """The codes of every community on the install, and the wrong codes typed lately in each."""

    def __init__(self, data: Path, registries: Registries) -> None:
        self.folder = Path(data) / FOLDER
        self.registries = registries
        self._books: dict[str, Book] = {}
        self.misses = Misses(MAX_MISSES, MISS_WINDOW_S)
        self._fresh: dict[str, Community] = {}  # a register read afresh, when another process wrote to it
        self._lock = threading.Lock()

    def secret(self, community: str) -> str:
        """The community's secret, made the first time it is needed (by whichever process comes first)."""
        path = self.folder / f"{community or '_'}.secret"  # "_" is no community's id
        if not path.exists():
            private_folder(self.folder)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it meanwhile: read theirs
            else:
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_urlsafe(32))
        text = ""
        for _ in range(50):  # another process may be between creating and writing it
            text = path.read_text().strip()
            if text:
                break
            time.sleep(0.01)
        if not text:
            raise RuntimeError(f"{path} is empty")
        return text

    def book(self, community: str, register: Community) -> Book:
        """The community's codes for this state of its register (worked out again when it changed)."""
        with self._lock:
            held = self._books.get(community)
            secret = held.secret if held is not None else self.secret(community)
            if held is None or held.seq != register.seq or held.secret != secret:
                held = book_of(secret, community, register)
                self._books[community] = held
            return held

    def register(self, community: str) -> Community:
        """The community's register as stored now. With several server processes another may have
        written to it (a reissue, someone moved away) since this one read it: then it is read
        afresh, so that a replaced or withdrawn code stops working in every process at once."""
        registry = self.registries(community)
        held = registry.state()
        head = registry.store.last_seq(registry.record_id)
        if head == held.seq:
            return held
        fresh = self._fresh.get(community)
        if fresh is None or fresh.seq != head:
            fresh = fold([(r.type, r.data, r.at, r.seq, r.hash) for r in registry.store.events(registry.record_id)])
            self._fresh[community] = fresh
        return fresh

    async def codes(self, community: str) -> tuple[Community, dict[str, str]]:
        """The register, and the code of everyone holding one (for their slips)."""
        register = await asyncio.to_thread(self.register, community)
        book = await asyncio.to_thread(self.book, community, register)
        year = date.today().year
        return register, {pid: code for pid, code in book.current.items() if holds_code(register.entries[pid], year)}

    async def identify(self, community: str, code: str, address: str = "") -> str:
        """The register id of the person whose code this is, in this community (`address`: the
        network address it was typed from, whose wrong codes are counted apart too)."""
        if community and not COMMUNITY.fullmatch(community):
            raise TransportError("bad_payload", 400, detail="community")
        typed = normalise(code) if isinstance(code, str) else ""
        if not typed:
            raise TransportError("resident_code_required", 400)
        if self.misses.blocked(community, address):
            raise TransportError("too_many_tries", 429)
        register = await asyncio.to_thread(self.register, community)
        if not register.code_issues:  # no register here: nothing to guess, and no secret made for it
            raise TransportError("wrong_resident_code", 403)
        book = await asyncio.to_thread(self.book, community, register)
        found = book.issued.get(typed)
        if found is None:
            self.misses.missed(community, address)
            raise TransportError("wrong_resident_code", 403)
        pid, round_ = found
        entry = register.entries[pid]
        if round_ != entry.code_round:
            raise TransportError("resident_code_replaced", 403)
        if not holds_code(entry, date.today().year):
            raise TransportError("resident_code_withdrawn", 403)
        return pid
