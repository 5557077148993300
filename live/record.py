"""Checking a meeting's record: the hash chain, the replay, and a minutes file against both.

`verify_chain` reads the rows in the order they were stored and trusts nothing in them: each
row's position must equal its `seq`, its `prev_hash` must be the hash of the row before, and its
`hash` must be what its content hashes to. The first row that fails is named with the reason.
The chain alone cannot show that the last events were cut off; a minutes file can, because it
states how many events it was generated from and the hash of the last one.
"""
from __future__ import annotations

import json
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol

from facilitation.meeting import Meeting
from facilitation.minutes import DEFAULT_TIMEZONE, SCHEMA_VERSION, Identity, as_schema, minutes, schema_version
from facilitation.replay import replay
from facilitation.upcast import readable

from .i18n import N_, gettext
from .store import Record, event_hash
from .zips import FREE_PART, MAX_ENTRIES, MAX_RATIO, parts as zip_parts

# How every format states what it was generated from (see live/minutes): one line of text.
STATED = re.compile(r"yishi-record\s+([A-Za-z0-9_-]{1,64})\s*/\s*(\d+)\s*/\s*([0-9a-f]{64})")


class Row(Protocol):
    meeting_id: str
    seq: int
    type: str
    data: str
    at: float
    prev_hash: str
    hash: str


@dataclass
class ChainReport:
    intact: bool
    events: int  # rows that check out, from the first
    last_hash: str  # hash of the last good row
    bad_seq: int | None = None  # the position (1-based) of the first bad row
    reason: str | None = None  # a code: see REASONS
    found_seq: int | None = None  # the sequence number the bad row claims

    def detail(self, lang: str = "en") -> str:
        if self.reason is None:
            return ""
        return gettext(lang, REASONS[self.reason], expected=self.bad_seq, found=self.found_seq)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        bad = {"seq": self.bad_seq, "reason": self.reason, "found_seq": self.found_seq, "detail": self.detail(lang)}
        return {"intact": self.intact, "events": self.events, "last_hash": self.last_hash,
                "first_bad": None if self.intact else bad}


REASONS = {
    "out_of_sequence": N_("the row in place {expected} of the record is event {found}: an event was dropped, "
                          "inserted or moved"),
    "wrong_meeting": N_("the row belongs to another meeting"),
    "broken_link": N_("the row does not carry the hash of the event before it: an event before it was changed, "
                      "dropped, inserted or moved"),
    "content_changed": N_("the row's content does not match its hash: it was edited"),
    "unreadable": N_("the row's content cannot be read as an event"),
    "empty": N_("there are no events for this meeting"),
}


def verify_chain(meeting_id: str, rows: Iterable[Row], known: Callable[[str, dict[str, Any]], bool] | None = None) -> ChainReport:
    """The first row (in storage order) that breaks the chain, or an intact report; `known` tells
    the events this code reads (a meeting's by default; the register's for its record)."""
    known = known or readable
    prev = ""
    count = 0
    for position, row in enumerate(rows, 1):
        def bad(reason: str) -> ChainReport:
            return ChainReport(False, count, prev, position, reason, row.seq)

        if row.meeting_id != meeting_id:
            return bad("wrong_meeting")
        if row.seq != position:
            return bad("out_of_sequence")
        if row.prev_hash != prev:
            return bad("broken_link")
        try:
            data = json.loads(row.data)
            computed = event_hash(meeting_id, row.seq, row.type, row.data, row.at, row.prev_hash)
        except (ValueError, TypeError):
            return bad("unreadable")
        if computed != row.hash:
            return bad("content_changed")
        if not known(row.type, data):  # a type or version newer than this code
            return bad("unreadable")
        prev, count = row.hash, position
    if count == 0:
        return ChainReport(False, 0, "", 1, "empty")
    return ChainReport(True, count, prev)


def fold_records(meeting_id: str, records: list[Record]) -> Meeting:
    """The meeting as of the last of `records` (which must be its first events, in order)."""
    return replay(records, meeting_id)


def identity_of(m: Meeting, generated_at: float | None = None) -> Identity:
    return Identity(m.id, m.seq, m.last_hash, float(int(time.time() if generated_at is None else generated_at)))


# -- a minutes file against the record ----------------------------------------------


Problem = tuple[str, dict[str, Any]]  # a message id and its parameters


@dataclass
class MinutesCheck:
    format: str
    matches: bool
    stated: dict[str, Any] | None  # meeting_id, events, last_hash as the file states them
    problems: list[Problem] = field(default_factory=list)
    newer_events: int = 0  # events recorded after the minutes were generated
    content_checked: bool = False  # a JSON file recomputed field by field (else: its stamp only)

    def messages(self, lang: str = "en") -> list[str]:
        return [gettext(lang, msg, **params) for msg, params in self.problems]

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {"format": self.format, "matches": self.matches, "stated": self.stated,
                "problems": self.messages(lang), "newer_events": self.newer_events,
                "content_checked": self.content_checked}


PROBLEMS = {
    "unreadable": N_("the file cannot be read: {error}"),
    "no_stamp": N_("the file does not state which record it was generated from"),
    "other_meeting": N_("the file is the minutes of meeting {stated}, not {meeting}"),
    "bad_count": N_("the file states {n} events"),
    "beyond_intact": N_("the file was generated from event {n}; the record is only intact up to event {intact}"),
    "cut_off": N_("the file states {n} events; the record has {have}: events were removed from the end of the record"),
    "other_hash": N_("the hash the file states for event {n} is not the record's"),
    "not_recomputable": N_("the minutes cannot be recomputed from what the file states: {error}"),
    "unknown_schema": N_("the file states schema {schema}, which this version of Yishi does not know"),
    "differs": N_("the file differs from the minutes recomputed from the record at {where}"),
    "more": N_("… and {n} more differences"),
    "too_complex": N_("the file is not checked: it has more streams or parts, or inflates to more, than minutes do"),
}


def sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        return "docx"
    head = data.lstrip()[:1]
    if head == b"{":
        return "json"
    return "html" if b"<html" in data[:2000].lower() else "md"


# What a minutes file may inflate to while its stamp is looked for: a real file's streams are far
# smaller; a "bomb" (a small upload that inflates to gigabytes) stops here, in bounded memory.
MAX_INFLATED = 16 * 1024 * 1024  # all of a file's streams or parts together
MAX_PART = 8 * 1024 * 1024  # one stream or part
# A part of a Word file is read to at most MAX_RATIO times its stored size, and a file of more
# than MAX_ENTRIES parts not at all (see live/zips.py).
# The streams of a PDF looked at (minutes of a long meeting have a few hundred), and the seconds
# the whole look for the stamp may take (a real file's take milliseconds): past either the look
# stops, and a file whose stamp was not found by then is said to be too complex to check.
MAX_STREAMS = 10_000
CHECK_SECONDS = 3.0


class TooComplex(Exception):
    """The look for the stamp stopped at a limit (the limit's name is the argument)."""


def _inflate(blob: bytes | memoryview, budget: int) -> bytes:
    """At most `budget` bytes of a zlib stream (the rest is never produced)."""
    try:
        return zlib.decompressobj().decompress(blob, budget)
    except zlib.error:
        return b""


# An image's dictionary: its stream is pixels, never the stamp.
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_PDF_STREAM = re.compile(rb"stream\r?\n")


def _pdf_text(data: bytes, limited: list[str] | None = None) -> str:
    """Every stream of a PDF but images', inflated where it can be, as text (enough to find the
    metadata). Images are left out: minutes with many charts would spend the budget on their pixels
    before reaching the metadata, which comes last.

    One pass forward: each stream's `endstream` is looked for once, and the next stream after it
    (streams do not nest), so a file of nothing but `stream` markers costs one search, not one per
    marker. The limit that stopped the look, if one did, is appended to `limited`."""
    parts = [data.decode("latin-1")]
    view = memoryview(data)
    budget = MAX_INFLATED
    deadline = time.monotonic() + CHECK_SECONDS
    pos = streams = 0
    while m := _PDF_STREAM.search(data, pos):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:  # no stream after this one can end either
            break
        pos = end + len(b"endstream")
        streams += 1
        if streams > MAX_STREAMS or budget <= 0 or time.monotonic() > deadline:
            if limited is not None:
                limited.append("streams" if streams > MAX_STREAMS else "inflated" if budget <= 0 else "time")
            break
        head = data[max(0, start - 1024):start]
        if _PDF_IMAGE.search(head[max(head.rfind(b"obj"), 0):]):
            continue
        inflated = _inflate(view[start:end], min(budget, MAX_PART))
        budget -= len(inflated)
        parts.append(inflated.decode("latin-1"))
    return "\n".join(parts)


def _docx_text(data: bytes, limited: list[str] | None = None) -> str:
    """The text of a Word file's document and properties (where the stamp is). Each part is read as
    a stream, never more than MAX_PART of it, nor more than MAX_RATIO times what it is stored as."""
    import io

    out = []
    f = io.BytesIO(data)
    if zip_parts(f) > MAX_ENTRIES:  # listing hundreds of thousands of empty parts would take seconds and memory
        if limited is not None:
            limited.append("parts")
        return ""
    with zipfile.ZipFile(f) as z:
        for info in z.infolist():
            if info.filename not in ("docProps/core.xml", "word/document.xml"):
                continue
            cap = min(MAX_PART, max(FREE_PART, MAX_RATIO * info.compress_size))
            with z.open(info) as part:
                text = part.read(cap)
                if part.read(1) and limited is not None:  # more than the cap: only its first part is looked at
                    limited.append("ratio" if cap < MAX_PART else "inflated")
            out.append(re.sub(r"<[^>]+>", "", text.decode("utf-8", "replace")))
    return "\n".join(out)


def stated_identity(data: bytes, fmt: str) -> dict[str, Any] | None:
    """The record a minutes file says it was generated from; TooComplex when the file's stamp was
    not found before a limit on looking for it (a bomb, or a file no minutes look like)."""
    if fmt == "json":
        rec = json.loads(data).get("record") or {}
        return {"meeting_id": rec.get("meeting_id"), "events": rec.get("events"), "last_hash": rec.get("last_hash")}
    limited: list[str] = []
    if fmt == "pdf":
        text = _pdf_text(data, limited)
    elif fmt == "docx":
        text = _docx_text(data, limited)
    else:
        text = data.decode("utf-8", "replace")
    found = STATED.search(text)
    if not found:
        if limited:
            raise TooComplex(limited[0])
        return None
    return {"meeting_id": found.group(1), "events": int(found.group(2)), "last_hash": found.group(3)}


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += _differences(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [path or "(document)"]


def check_minutes(meeting_id: str, records: list[Record], chain: ChainReport, data: bytes,
                  full: bool = True) -> MinutesCheck:
    """Does a minutes file match the record? JSON is recomputed field by field; the other
    formats are checked by the record they state (meeting, number of events, last hash).
    `records` are the events that passed `verify_chain` (its first `chain.events`).

    `full=False` (asked without the meeting's key): a JSON file of the full (internal) minutes is
    checked by its stamp only, as the other formats are. Compared field by field, the places
    where it differs would tell whoever guessed a resident's name, or a hidden count, whether the
    guess was right."""
    fmt = sniff(data)
    try:
        stated = stated_identity(data, fmt)
    except TooComplex:
        return MinutesCheck(fmt, False, None, [(PROBLEMS["too_complex"], {})])
    except (ValueError, KeyError, AttributeError, OSError, RuntimeError, EOFError, NotImplementedError, zlib.error,
            zipfile.BadZipFile) as exc:  # a damaged, encrypted or oddly packed file: a RuntimeError covers RecursionError
        return MinutesCheck(fmt, False, None, [(PROBLEMS["unreadable"], {"error": str(exc)[:200]})])
    if not stated or not stated.get("last_hash"):
        return MinutesCheck(fmt, False, stated, [(PROBLEMS["no_stamp"], {})])
    problems: list[Problem] = []
    n = stated.get("events")
    if stated.get("meeting_id") != meeting_id:
        problems.append((PROBLEMS["other_meeting"], {"stated": stated.get("meeting_id"), "meeting": meeting_id}))
    elif not isinstance(n, int) or n < 1:
        problems.append((PROBLEMS["bad_count"], {"n": n}))
    elif n > chain.events and not chain.intact:
        problems.append((PROBLEMS["beyond_intact"], {"n": n, "intact": chain.events}))
    elif n > len(records):
        problems.append((PROBLEMS["cut_off"], {"n": n, "have": len(records)}))
    elif records[n - 1].hash != stated["last_hash"]:
        problems.append((PROBLEMS["other_hash"], {"n": n}))
    content = fmt == "json" and (full or _states_public(data))
    if not problems and content:
        problems += _json_differences(meeting_id, records[:n], data)
    newer = max(0, len(records) - n) if isinstance(n, int) and not problems else 0
    return MinutesCheck(fmt, not problems, stated, problems, newer, content)


def _states_public(data: bytes) -> bool:
    """The file says it is the public version (whose every field anyone may read)."""
    try:
        return json.loads(data).get("public") is True
    except (ValueError, AttributeError):
        return False


def _json_differences(meeting_id: str, records: list[Record], data: bytes) -> list[Problem]:
    given = json.loads(data)
    rec = given.get("record", {})
    # Recomputed in the schema the file states: minutes issued by an older version still verify.
    version = schema_version(given.get("schema"))
    if version is None or version > SCHEMA_VERSION:
        return [(PROBLEMS["unknown_schema"], {"schema": str(given.get("schema"))[:80]})]
    try:
        generated = _epoch(rec["generated_at"])
        expected = as_schema(minutes(fold_records(meeting_id, records),
                                     Identity(meeting_id, len(records), records[-1].hash, generated),
                                     public=bool(given.get("public")), timezone=rec.get("timezone") or DEFAULT_TIMEZONE,
                                     small_cells_hidden=version >= 3),
                             version)
    except Exception as exc:  # a forged file may state anything
        return [(PROBLEMS["not_recomputable"], {"error": str(exc)})]
    diff = _differences(expected, given)
    return [(PROBLEMS["differs"], {"where": d}) for d in diff[:10]] + (
        [(PROBLEMS["more"], {"n": len(diff) - 10})] if len(diff) > 10 else [])


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def verify_meeting(store: Any, meeting_id: str, minutes_file: bytes = b"", lang: str = "en",
                   full: bool = True) -> dict[str, Any]:
    """The record's chain, and (given a minutes file) whether the file matches the record;
    `full=False` for whoever has no key (see check_minutes)."""
    rows = store.rows(meeting_id)
    chain = verify_chain(meeting_id, rows)
    out: dict[str, Any] = {"meeting": meeting_id, "stored_events": len(rows), "record": chain.to_json(lang)}
    if minutes_file:
        records = store.events(meeting_id)[: chain.events]
        out["minutes"] = check_minutes(meeting_id, records, chain, minutes_file, full).to_json(lang)
    return out
