"""The community register kept as a record: every import and every edit is an event, hash-chained
like a meeting's (stored under the record id REGISTER), so who was on the register when can be
checked, and a meeting convened from it names the register event it was drawn from.

Each person gets a stable id (r1, r2 …) when first seen: an import finds people again by
`register.Person.key`, an edit (a move to another household changes the key) by id. Nobody is
ever deleted: a person who moved away or died is marked so, and is no longer invited.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from . import events as ev
from .convening import of_age
from .errors import MeetingError
from .register import FIELDS, Flat, Parsed, Person, merge

REGISTER = "register"  # the record id (meeting ids are eight hex digits: no clash)
# An install serving a street office keeps one register per community, each its own record
# (`register:<community>`); the community named "" is the install's first, kept as REGISTER.
COMMUNITY = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def register_id(community: str = "") -> str:
    """The record id of a community's register (`community` is "" or matches COMMUNITY)."""
    if community and not COMMUNITY.fullmatch(community):
        raise ValueError(f"not a community id: {community!r}")
    return f"{REGISTER}:{community}" if community else REGISTER


def community_of(record_id: str) -> str | None:
    """The community whose register a record is, or None for a record that is not a register."""
    if record_id == REGISTER:
        return ""
    head, _, tail = record_id.partition(":")
    return tail if head == REGISTER and COMMUNITY.fullmatch(tail) else None
VERSION = 1
STATUSES = ("active", "moved_away", "deceased")
LEFT = ("moved_away", "deceased")
MAX_NOTE = 200
# A person of the register acting from their own phone with their resident code (居民码,
# live/resident_codes.py), as an event's actor: `id` is their register id.
RESIDENT = ev.RESIDENT  # who acts with a resident code (facilitation/events.py)


def person_data(p: Person) -> dict[str, Any]:
    """A person as the record stores it (areas as decimal strings)."""
    data = asdict(p)
    data["flats"] = [dict(f, area=None if f["area"] is None else str(f["area"])) for f in data["flats"]]
    data["other_phones"] = list(p.other_phones)
    data.pop("row", None)
    return data


def person_from(data: dict[str, Any]) -> Person:
    flats = tuple(Flat(f["building"], f["unit"], f["room"], None if f.get("area") is None else Decimal(f["area"]))
                  for f in data.get("flats") or ())
    known = {k: v for k, v in data.items() if k in Person.__dataclass_fields__ and k not in ("flats", "other_phones")}
    return Person(**known, flats=flats, other_phones=tuple(data.get("other_phones") or ()))


@dataclass
class Entry:
    id: str
    person: Person
    status: str = "active"
    note: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)  # what, at, by (and note)
    code_round: int = 0  # which derivation their resident code is: one more at each reissue


@dataclass
class Community:
    seq: int = 0
    last_hash: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)  # the fields the register's files have had (export order)
    imports: list[dict[str, Any]] = field(default_factory=list)  # file, at, seq, counts
    # Every resident code issued, in the order issued: (person, round). A person's first as they
    # enter the register, each reissue where it happened; codes are made unique in this order.
    code_issues: list[tuple[str, int]] = field(default_factory=list)

    def active(self) -> list[Person]:
        return [e.person for e in self.entries.values() if e.status == "active"]

    def people(self) -> list[Person]:
        return [e.person for e in self.entries.values()]

    def as_parsed(self, *, everyone: bool = False) -> Parsed:
        """The register in the shape of a read file, for exporting it with `register.to_rows`."""
        people = self.people() if everyone else self.active()
        columns = {f: f for f in FIELDS if f in self.columns}
        return Parsed(people, [], [], 1, columns, [])

    def _new_id(self) -> str:
        return f"r{len(self.entries) + 1}"

    def _put(self, person: Person, at: float, by: str, what: str) -> str:
        pid = self.by_key.get(person.key)
        if pid is None:
            pid = self._new_id()
            self.entries[pid] = Entry(pid, person)
            self.code_issues.append((pid, 0))
        else:
            old = self.entries[pid]
            if old.person.same_as(person):
                return pid
            self.entries[pid].person = person
        self.by_key[person.key] = pid
        self.entries[pid].history.append({"what": what, "at": at, "by": by})
        return pid

    def apply(self, type_name: str, data: dict[str, Any], at: float) -> None:
        by = ev.By.from_data(data.get("actor")).role
        if type_name == "RegisterImported":
            for f in data.get("columns") or []:
                if f not in self.columns:
                    self.columns.append(f)
            counts = {"added": 0, "updated": 0}
            for d in data["people"]:
                person = person_from(d)
                known = self.by_key.get(person.key)
                before = self.entries[known].person if known else None
                self._put(person, at, by, "imported")
                if before is None:
                    counts["added"] += 1
                elif not before.same_as(person):
                    counts["updated"] += 1
            self.imports.append({"file": data.get("file", ""), "at": at, "seq": self.seq, "people": len(data["people"]),
                                 **counts})
        elif type_name == "PersonAdded":
            self._put(person_from(data["person"]), at, by, "added")
        elif type_name == "PersonChanged":
            entry = self.entries[data["id"]]
            self.by_key.pop(entry.person.key, None)
            entry.person = person_from(data["person"])
            self.by_key[entry.person.key] = entry.id
            entry.history.append({"what": "changed", "at": at, "by": by})
        elif type_name == "PersonStatusChanged":
            entry = self.entries[data["id"]]
            entry.status, entry.note = data["status"], data.get("note", "")
            entry.history.append({"what": data["status"], "note": entry.note, "at": at, "by": by})
        elif type_name == "ResidentCodeReissued":
            entry = self.entries[data["id"]]
            entry.code_round += 1
            self.code_issues.append((entry.id, entry.code_round))
            entry.history.append({"what": "code_reissued", "at": at, "by": by})
        # an event type this version does not know is skipped: an old Yishi reads a newer register


# -- what changes it -------------------------------------------------------------------------


def _event(type_name: str, actor: ev.By, **data: Any) -> tuple[str, dict[str, Any]]:
    return type_name, {**data, "actor": actor.to_data(), "v": VERSION}


def import_people(c: Community, parsed: Parsed, *, file: str, actor: ev.By) -> tuple[tuple[str, dict[str, Any]], Any]:
    """The event that imports the good rows of `parsed`, and what it changes (register.Changes)."""
    _, changes = merge(c.people(), parsed.people)
    event = _event("RegisterImported", actor, file=file[:200], columns=[f for f in FIELDS if f in parsed.columns],
                   people=[person_data(p) for p in parsed.people])
    return event, changes


def _entry(c: Community, pid: str) -> Entry:
    if pid not in c.entries:
        raise MeetingError("no_such_person")
    return c.entries[pid]


def add_person(c: Community, person: Person, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    if person.key in c.by_key:
        raise MeetingError("person_exists", name=person.name)
    return _event("PersonAdded", actor, person=person_data(person))


def change_person(c: Community, pid: str, person: Person, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A person's details changed (a move to another household or group among them)."""
    entry = _entry(c, pid)
    other = c.by_key.get(person.key)
    if other is not None and other != pid:
        raise MeetingError("person_exists", name=person.name)
    if entry.person.same_as(person):
        raise MeetingError("nothing_changed")
    return _event("PersonChanged", actor, id=pid, person=person_data(replace(person, row=0)))


def set_status(c: Community, pid: str, status: str, note: str = "", *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """Moved away, deceased, or back (active): kept in the register, invited again only when active."""
    entry = _entry(c, pid)
    if status not in STATUSES:
        raise MeetingError("unknown_status", status=status)
    if entry.status == status:
        raise MeetingError("nothing_changed")
    return _event("PersonStatusChanged", actor, id=pid, status=status, note=note.strip()[:MAX_NOTE])


def holds_code(entry: Entry, year: int) -> bool:
    """Who has a working resident code: active on the register, and of age or a representative:
    everyone who may co-sign a petition (registered or not, as the community counts them) or give
    an opinion in advance. Someone who moved away or died keeps their place in the register, not
    their code."""
    return entry.status == "active" and (of_age(entry.person, year) or entry.person.representative)


def reissue_code(c: Community, pid: str, *, year: int, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A lost slip replaced: the person's next code (the event never holds a code), the old one stops working."""
    entry = _entry(c, pid)
    if not holds_code(entry, year):
        raise MeetingError("no_resident_code", name=entry.person.name)
    return _event("ResidentCodeReissued", actor, id=pid)


TYPES = ("RegisterImported", "PersonAdded", "PersonChanged", "PersonStatusChanged", "ResidentCodeReissued")


def readable(type_name: str, data: dict[str, Any]) -> bool:
    """An event of the register this version knows how to read."""
    v = data.get("v", 1)
    return type_name in TYPES and isinstance(v, int) and v <= VERSION


def fold(records: list[tuple[str, dict[str, Any], float, int, str]]) -> Community:
    """The register from its stored events: (type, data, at, seq, hash) in order."""
    c = Community()
    for type_name, data, at, seq, hash_ in records:
        c.seq, c.last_hash = seq, hash_
        c.apply(type_name, data, at)
    return c


# -- a person typed in (the browser's form): read as a one-row register file ----------------

PERSON_FIELDS = ("name", "sex", "birth_year", "household", "relation", "group", "registered", "representative",
                 "party_member", "phone")
FLAT_FIELDS = ("building", "unit", "room", "area")


class PersonRefused(ValueError):
    """A typed person the register's rules refuse; `code` and `params` as a bad row's (live/register_cli)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def read_person(fields: dict[str, str], *, this_year: int, flats: tuple[Flat, ...] = ()) -> Person:
    """A person from a form's fields, checked by the same rules as a row of an imported file; an
    existing person's `flats` are kept when the form has no flat of its own."""
    from .register import TITLES, read_rows

    used = [f for f in FIELDS if f in fields and str(fields[f]).strip() != ""]
    if "name" not in used:
        raise PersonRefused("no_name")
    titles = TITLES["en"]
    parsed = read_rows([[titles[f] for f in used], [str(fields[f]) for f in used]], this_year=this_year)
    if parsed.bad:
        raise PersonRefused(parsed.bad[0].reason, **parsed.bad[0].params)
    person = parsed.people[0]
    return replace(person, row=0, flats=person.flats or flats)
