"""The community register (名册) as the office keeps it: one spreadsheet row per person, or per flat.

`read_rows` takes the cells of a sheet (live/register_files.py reads .csv and .xlsx into them) and
returns the people and every row it could not take, each with its row number as the office sees it
in Excel (1-based, the title row above the header counted) and a reason code with its params; the
messages live in live/register_cli.py, translated. No I/O here.

Two kinds of file come in, told apart by their columns:

- a household register (户号, 与户主关系, 村民小组 ...): one row per person;
- an owners' list (楼栋, 单元, 房号, 专有部分面积 ...): one row per flat. Rows with the same name
  are one owner holding several flats: within one building's list two owners of the same name are
  rarer than one owner giving a different phone for each flat (the sample does this), so the name
  decides. When the phones differ the owner keeps the first and the others are kept as
  `other_phones`, and the rows are listed in `Parsed.notes` for the office to look at.

The stable key of a person (`key`), which a re-import matches on so that it updates rather than
duplicates: household code + name + birth year + sex in a household register (members of one
household may share a name, as the sample's do, even a name and a birth year, but not all three
with the sex); the name alone in an
owners' list (as above); name + phone + birth year when the file has neither.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import TypeVar

from .errors import MeetingError
from .texts import clean

T = TypeVar("T")

HOUSEHOLD_HEAD = "户主"
HEADER_SEARCH_ROWS = 10  # the header is looked for in the first rows (a title or two above it)
MIN_YEAR = 1890
MAX_NAME = 40


@dataclass(frozen=True)
class Flat:
    building: str
    unit: str
    room: str
    area: Decimal | None  # 专有部分面积, in square metres


@dataclass(frozen=True)
class Person:
    name: str
    sex: str | None = None  # "male" / "female"
    birth_year: int | None = None
    household: str | None = None  # 户号
    relation: str | None = None  # 与户主关系, as written (户主, 配偶, 子女 ...)
    group: str | None = None  # 村民小组 / 居民小组; for owners the building and unit of the first flat
    registered: bool | None = None  # 户籍 (True) / 非户籍 (False)
    representative: bool = False  # 居民代表 / 村民代表
    party_member: bool = False
    phone: str | None = None
    flats: tuple[Flat, ...] = ()
    other_phones: tuple[str, ...] = ()
    row: int = 0  # the (first) row it was read from

    @property
    def key(self) -> tuple[str, ...]:
        if self.household:
            return ("household", self.household, self.name, str(self.birth_year or ""), self.sex or "")
        if self.flats:
            return ("owner", self.name)
        return ("person", self.name, self.phone or "", str(self.birth_year or ""))

    @property
    def area(self) -> Decimal:
        return sum((f.area for f in self.flats if f.area is not None), Decimal(0))

    def same_as(self, other: Person) -> bool:
        """The same content, wherever it was read from."""
        return replace(self, row=0) == replace(other, row=0)


@dataclass(frozen=True)
class BadRow:
    row: int  # as in Excel: 1-based, every row above counted
    reason: str  # a code; the message is in live/
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class Parsed:
    people: list[Person]
    bad: list[BadRow]
    notes: list[BadRow]  # rows taken, but worth a look (an owner's rows with different phones)
    header_row: int
    columns: dict[str, str]  # field -> the column title as written in the file
    ignored_columns: list[str]  # titles in the header row that name no field

    @property
    def households(self) -> set[str]:
        return {p.household for p in self.people if p.household}

    @property
    def groups(self) -> set[str]:
        return {p.group for p in self.people if p.group}

    @property
    def owners(self) -> list[Person]:
        return [p for p in self.people if p.flats]

    @property
    def flats(self) -> int:
        return sum(len(p.flats) for p in self.people)

    @property
    def area(self) -> Decimal:
        return sum((p.area for p in self.people), Decimal(0))


class RegisterUnreadable(ValueError):
    """The file as a whole cannot be read as a register (no header row, a column twice, not a spreadsheet ...)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# -- the columns --------------------------------------------------------------------------

FIELDS = ("name", "sex", "birth_year", "household", "relation", "group", "registered", "representative",
          "party_member", "building", "unit", "room", "area", "phone")

# The names a column goes by, compared after `_header_key` (width, case, spaces and brackets folded).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "户主姓名", "业主姓名", "业主", "name", "full name", "owner"),
    "sex": ("性别", "sex", "gender"),
    "birth_year": ("出生年份", "出生年月", "出生日期", "出生年", "生年", "birth year", "year of birth", "born",
                   "birth date", "date of birth"),
    "household": ("户号", "户编号", "户籍编号", "household", "household no", "household number", "household code"),
    "relation": ("与户主关系", "与户主的关系", "关系", "relation", "relation to head", "relationship"),
    "group": ("村民小组", "居民小组", "小组", "组别", "组", "group", "village group"),
    "registered": ("户籍", "户籍状态", "是否户籍", "户口", "registered", "hukou", "registration"),
    "representative": ("居民代表", "村民代表", "代表", "是否代表", "representative"),
    "party_member": ("党员", "是否党员", "中共党员", "party member", "party"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "电话号码", "联系方式", "phone", "telephone", "mobile",
              "phone number", "tel"),
    "building": ("楼栋", "楼号", "栋", "幢", "楼栋号", "building", "block"),
    "unit": ("单元", "单元号", "unit", "entrance"),
    "room": ("房号", "房间号", "门牌号", "室", "room", "flat", "apartment", "flat no", "room no"),
    "area": ("专有部分面积(m2)", "专有部分面积(平方米)", "专有部分面积", "面积(m2)", "面积(平方米)", "建筑面积", "面积",
             "房屋面积", "area", "area(m2)", "area (m2)", "floor area"),
}

# The titles an export writes, per language (both are read back).
TITLES = {
    "zh-CN": {"name": "姓名", "sex": "性别", "birth_year": "出生年份", "household": "户号", "relation": "与户主关系",
              "group": "村民小组", "registered": "户籍", "representative": "居民代表", "party_member": "党员",
              "phone": "联系电话", "building": "楼栋", "unit": "单元", "room": "房号", "area": "专有部分面积（㎡）"},
    "en": {"name": "name", "sex": "sex", "birth_year": "birth year", "household": "household",
           "relation": "relation to head", "group": "group", "registered": "registered",
           "representative": "representative", "party_member": "party member", "phone": "phone",
           "building": "building", "unit": "unit", "room": "room", "area": "area (m2)"},
}

_FULL = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20,
                                                          0x2003: 0x20, 0x2009: 0x20, 0x200B: None,
                                                          0xFEFF: None}


def halfwidth(text: str) -> str:
    """Full-width letters, digits and signs to their ASCII forms; ideographic and other odd spaces to plain ones."""
    return text.translate(_FULL)


def fullwidth(text: str) -> str:
    """The inverse of `halfwidth` for printable ASCII (the way some offices type numbers)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _header_key(title: str) -> str:
    t = halfwidth(title).replace("㎡", "m2").replace("m²", "m2").replace("平方米", "m2").lower()
    return re.sub(r"[\s*:：_\-]+", "", t)


_LOOKUP = {_header_key(alias): f for f, names in ALIASES.items() for alias in names} | {
    _header_key(t): f for titles in TITLES.values() for f, t in titles.items()}


def field_of(title: object) -> str | None:
    """The field a column title names, or None."""
    if not isinstance(title, str) or not title.strip():
        return None
    return _LOOKUP.get(_header_key(title))


# -- cells ----------------------------------------------------------------------------------

_CJK = r"[\u3400-\u9fff\uf900-\ufaff\u00b7]"


def text(cell: object) -> str:
    """A cell as trimmed text: numbers stored as floats lose their `.0`, odd spaces go."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return ""
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    t = unicodedata.normalize("NFC", halfwidth(str(cell)))
    t = re.sub(r"[\r\n\t ]+", " ", t).strip()
    if t[:1] == "'" and FORMULA_START.match(t[1:]):  # the guard an export put before it (see `guarded`)
        t = t[1:]
    return t


# A text cell a spreadsheet would take for a formula: "=", "@", or "+"/"-" not starting a number.
FORMULA_START = re.compile(r"[=@]|[+-](?![\d.])")


def guarded(value: str) -> str:
    """Text to write into a CSV file that Excel opens: a would-be formula gets a leading apostrophe
    (shown as text, read back without it by `text`)."""
    return "'" + value if FORMULA_START.match(value) else value


def clean_name(cell: object) -> str:
    """Spaces between Chinese characters go (offices pad two-character names to line them up: 张　三)."""
    t = text(cell)
    t = re.sub(rf"(?<={_CJK}) +(?={_CJK})", "", t)
    return t


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是"}


def flag(cell: object) -> bool | None:
    """是/否, Y/N, yes/no, √/× (and 1/0) as a bool; empty as None; anything else raises ValueError."""
    if isinstance(cell, bool):
        return cell
    t = text(cell).lower()
    if not t:
        return None
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(t)


def registered(cell: object) -> bool | None:
    t = text(cell).lower()
    if t in ("户籍", "户籍人口", "本地户籍", "本村户籍", "registered", "local"):
        return True
    if t in ("非户籍", "非户籍人口", "外来", "流动人口", "not registered", "unregistered", "non-local"):
        return False
    return flag(cell)


def sex(cell: object) -> str | None:
    t = text(cell).lower()
    if not t:
        return None
    if t in ("男", "m", "male", "man"):
        return "male"
    if t in ("女", "f", "female", "woman"):
        return "female"
    raise ValueError(t)


def year(cell: object) -> int | None:
    """1949, 1949.0, 1949-03, 1949年3月, 1949.03, 19490312, or a date cell; None when empty."""
    if isinstance(cell, datetime | date):
        return cell.year
    if isinstance(cell, float) and not cell.is_integer():
        raise ValueError(text(cell))
    t = text(cell)
    if not t:
        return None
    if re.fullmatch(r"[0-9]{4}|[0-9]{6}|[0-9]{8}", t):
        return int(t[:4])
    m = re.fullmatch(r"([0-9]{4})\s*(?:年|[-./年]\s*[0-9]{1,2}\s*(?:月|[-./月]\s*[0-9]{1,2}\s*日?)?)", t)
    if not m:
        raise ValueError(t)
    return int(m.group(1))


def area(cell: object) -> Decimal | None:
    """97.11, "97.11", "９７．１１", "97.11㎡", "97.11 平方米"; None when empty; ValueError when not a number."""
    if isinstance(cell, bool):
        raise ValueError(text(cell))
    if isinstance(cell, int):
        return Decimal(cell)
    t = text(cell)
    if not t:
        return None
    t = re.sub(r"\s*(m2|m²|㎡|平方米|平米|sqm)$", "", t, flags=re.IGNORECASE)
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", t):  # thousands separated
        t = t.replace(",", "")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", t):
        raise ValueError(text(cell))
    return Decimal(t)


def phone(cell: object) -> str | None:
    """As text, leading zeros kept; spaces and dashes inside go. ValueError when it is not a phone number."""
    t = text(cell)
    if not t:
        return None
    digits = re.sub(r"[\s\-()]", "", t)
    if not re.fullmatch(r"\+?[0-9]{5,15}", digits):
        raise ValueError(t)
    return digits


def code(cell: object) -> str:
    """A code such as a household number or a room: as text, without a float's `.0`."""
    return text(cell)


# -- rows -----------------------------------------------------------------------------------


def find_header(rows: list[list[object]]) -> int:
    """The index of the header row: among the first rows, the one naming the most fields, with a name column."""
    best, best_count = -1, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = [f for f in (field_of(c) for c in row) if f]
        if "name" in found and len(set(found)) > best_count:
            best, best_count = i, len(set(found))
    if best < 0:
        raise RegisterUnreadable("no_header", rows=min(len(rows), HEADER_SEARCH_ROWS))
    return best


def _columns(header: list[object], header_row: int) -> tuple[dict[str, int], dict[str, str], list[str]]:
    where: dict[str, int] = {}
    titles: dict[str, str] = {}
    ignored: list[str] = []
    for i, cell in enumerate(header):
        f = field_of(cell)
        if f is None:
            if text(cell):
                ignored.append(text(cell))
            continue
        if f in where:
            raise RegisterUnreadable("duplicate_column", row=header_row, first=titles[f], second=text(cell))
        where[f], titles[f] = i, text(cell)
    return where, titles, ignored


def read_rows(rows: list[list[object]], *, this_year: int | None = None) -> Parsed:
    """The people in a sheet's cells (rows[0] is Excel's row 1), and the rows that could not be taken.

    Empty rows are skipped; rows that name no one (a total, 合计; a signature line, 制表人：...) are
    skipped and noted. A row is bad, and nothing of it taken, when: the name is missing or too long; a
    shown text (name, household, relation, group, building, unit, room) has control or text-direction
    characters or nothing visible (the policy for typed text, facilitation/texts.py); the birth year, sex,
    a yes/no column, the phone or the area cannot be read; the birth year is before 1890 or after
    `this_year`; the area is not a positive number or is missing in an owners' list; a household
    code is not letters and digits, is shorter than the others (Excel drops leading zeros from
    numbers), or its member is in another group than the household's first; a household has a
    second head (户主); the same person (same key) comes twice, or the same flat (again with the same
    owner: a duplicate; with another: a flat claimed twice).
    Raises RegisterUnreadable when there is no header row or a field has two columns.
    """
    h = find_header(rows)
    where, titles, ignored = _columns(rows[h], h + 1)
    owners = "room" in where or "area" in where or ("building" in where and "household" not in where)

    def cell(row: list[object], f: str) -> object:
        i = where.get(f)
        return row[i] if i is not None and i < len(row) else None

    bad: list[BadRow] = []
    notes: list[BadRow] = []
    taken: list[Person] = []

    # The usual length of all-digit household codes, to catch those Excel stored as numbers.
    lengths: dict[int, int] = {}
    for row in rows[h + 1:]:
        c = code(cell(row, "household"))
        if re.fullmatch("[0-9]+", c):
            lengths[len(c)] = lengths.get(len(c), 0) + 1
    usual = max(lengths, key=lambda n: (lengths[n], n)) if lengths else 0

    for index in range(h + 1, len(rows)):
        row, number = rows[index], index + 1
        if not any(text(c) for c in row):
            continue
        if (footer := _footer(row)) is not None:
            notes.append(BadRow(number, "not_a_person", {"text": footer}))
            continue
        problem = _person(number, partial(cell, row), owners=owners, this_year=this_year, usual=usual, titles=titles)
        if isinstance(problem, BadRow):
            bad.append(problem)
        else:
            taken.append(problem)

    people: list[Person] = []
    by_key: dict[tuple[str, ...], int] = {}
    flats: dict[tuple[str, str, str], int] = {}
    heads: dict[str, int] = {}
    groups: dict[str, tuple[str | None, int]] = {}
    for p in taken:
        if p.key in by_key and not owners:
            bad.append(BadRow(p.row, "duplicate", {"name": p.name, "first_row": people[by_key[p.key]].row}))
            continue
        if p.household:
            g = groups.setdefault(p.household, (p.group, p.row))
            if g[0] != p.group:
                bad.append(BadRow(p.row, "household_group", {"household": p.household, "group": p.group or "",
                                                              "first_group": g[0] or "", "first_row": g[1]}))
                continue
        if p.household and p.relation == HOUSEHOLD_HEAD and p.household in heads:
            bad.append(BadRow(p.row, "second_head", {"household": p.household, "first_row": heads[p.household]}))
            continue
        dup = next((flats[k] for f in p.flats if (k := (f.building, f.unit, f.room)) in flats), None)
        if dup is not None:
            holder = people[by_key[p.key]] if p.key in by_key else None
            if holder is not None and any(f.room == p.flats[0].room and f.unit == p.flats[0].unit
                                          and f.building == p.flats[0].building for f in holder.flats):
                bad.append(BadRow(p.row, "duplicate", {"name": p.name, "first_row": dup}))  # the same row again
            else:
                bad.append(BadRow(p.row, "duplicate_flat", {"flat": _flat_label(p.flats[0]), "first_row": dup}))
            continue
        if p.key in by_key:  # an owners' list: the same owner's next flat
            first = people[by_key[p.key]]
            merged = replace(first, flats=first.flats + p.flats)
            if p.phone and p.phone != first.phone and p.phone not in first.other_phones:
                if first.phone is None:
                    merged = replace(merged, phone=p.phone)
                else:
                    merged = replace(merged, other_phones=first.other_phones + (p.phone,))
                    notes.append(BadRow(p.row, "owner_phones", {"name": p.name, "first_row": first.row,
                                                                 "phone": first.phone}))
            people[by_key[p.key]] = merged
        else:
            by_key[p.key] = len(people)
            people.append(p)
        if p.household and p.relation == HOUSEHOLD_HEAD:
            heads[p.household] = p.row
        for f in p.flats:
            flats[(f.building, f.unit, f.room)] = p.row
    bad.sort(key=lambda b: b.row)
    return Parsed(people, bad, notes, h + 1, titles, ignored)


_FOOTER = re.compile(r"(合计|总计|小计|共计|总数).*|(total|sum)\b.*|(制表|填表|审核|负责人|备注|说明|注)[^:]{0,4}:.*",
                     re.IGNORECASE)


def _footer(row: list[object]) -> str | None:
    """The text of a row below the table that names no one (a total, a signature line), or None."""
    first = next((t for t in (text(c) for c in row) if t), "")
    return first[:30] if _FOOTER.fullmatch(first.replace("：", ":").replace(" ", "")) else None


def _flat_label(f: Flat) -> str:
    return "".join(x for x in (f.building, f.unit, f.room) if x)


class _BadCell(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _read(read: Callable[[object], T], f: str, at: Callable[[str], object]) -> T:
    try:
        return read(at(f))
    except ValueError:
        raise _BadCell(f) from None


# The fields whose text is shown (on the wall, the lists, the minutes): held to the policy for
# what people type (facilitation/texts.py), as a name typed on a phone is.
SHOWN = ("name", "household", "relation", "group", "building", "unit", "room")


def text_problem(value: str) -> str | None:
    """Why the text policy refuses `value` (`bad_characters`, `invisible_text`), or None."""
    try:
        clean(value, "", len(value) * 3 + 1, required=False, lines=False)
    except MeetingError as exc:
        return exc.code
    return None


def _person(number: int, at: Callable[[str], object], *, owners: bool, this_year: int | None,
            usual: int, titles: dict[str, str] | None = None) -> Person | BadRow:
    name = clean_name(at("name"))
    if not name:
        return BadRow(number, "no_name")
    if len(name) > MAX_NAME:
        return BadRow(number, "name_too_long", {"length": len(name), "max": MAX_NAME})
    for f in SHOWN:
        if (problem := text_problem(name if f == "name" else text(at(f)))) is not None:
            return BadRow(number, problem, {"column": (titles or {}).get(f, f)})
    try:
        s = _read(sex, "sex", at)
        y = _read(year, "birth_year", at)
        reg = _read(registered, "registered", at)
        rep = _read(flag, "representative", at)
        party = _read(flag, "party_member", at)
        tel = _read(phone, "phone", at)
        a = _read(area, "area", at)
    except _BadCell as exc:
        return BadRow(number, f"bad_{exc.field}", {"value": text(at(exc.field))})
    if y is not None and (y < MIN_YEAR or (this_year is not None and y > this_year)):
        return BadRow(number, "implausible_year", {"year": y, "min": MIN_YEAR, "max": this_year or ""})
    if a is not None and a <= 0:
        return BadRow(number, "bad_area", {"value": text(at("area"))})
    household = code(at("household")) or None
    if household is not None:
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z\-]*", household):
            return BadRow(number, "bad_household", {"value": household})
        if re.fullmatch("[0-9]+", household) and len(household) < usual:
            return BadRow(number, "short_household", {"value": household, "length": usual})
    building, unit, room = code(at("building")), code(at("unit")), code(at("room"))
    flats: tuple[Flat, ...] = ()
    if owners:
        if a is None:
            return BadRow(number, "no_area")
        if not room:
            return BadRow(number, "no_room")
        flats = (Flat(building, unit, room, a),)
    group = code(at("group")) or None
    if group is None and owners:
        group = (building + unit) or None
    return Person(name=name, sex=s, birth_year=y, household=household, relation=text(at("relation")) or None,
                  group=group, registered=reg, representative=bool(rep), party_member=bool(party), phone=tel,
                  flats=flats, row=number)


# -- re-import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    added: list[Person]
    updated: list[tuple[Person, Person]]  # (before, after)
    unchanged: list[Person]
    absent: list[Person]  # in the register but not in the file: kept (a file may be one group's)


def merge(existing: list[Person], incoming: list[Person]) -> tuple[list[Person], Changes]:
    """The register after importing `incoming` over `existing`, matched by `Person.key`.

    A person of the file whose key is in the register replaces the register's entry (updated, or
    unchanged when nothing differs); a new key is added at the end; people the file does not name
    stay as they were (listed as absent: a file may cover one group only, and removing people is
    not an import's business).
    """
    incoming_by_key = {p.key: p for p in incoming}
    existing_keys = {p.key for p in existing}
    people: list[Person] = []
    updated: list[tuple[Person, Person]] = []
    unchanged: list[Person] = []
    absent: list[Person] = []
    for old in existing:
        new = incoming_by_key.get(old.key)
        if new is None:
            absent.append(old)
            people.append(old)
        elif new.same_as(old):
            unchanged.append(old)
            people.append(old)
        else:
            updated.append((old, new))
            people.append(new)
    added = [p for p in incoming if p.key not in existing_keys]
    return people + added, Changes(added, updated, unchanged, absent)


# -- export ---------------------------------------------------------------------------------

SEX_TITLES = {"zh-CN": {"male": "男", "female": "女"}, "en": {"male": "male", "female": "female"}}
YES_NO = {"zh-CN": ("是", "否"), "en": ("yes", "no")}
REGISTERED = {"zh-CN": ("户籍", "非户籍"), "en": ("registered", "not registered")}


def to_rows(parsed: Parsed, lang: str = "zh-CN") -> list[list[object]]:
    """The cleaned register as a header row and one row per person (per flat for owners), in the
    file's own fields, titled in `lang`; `read_rows` reads it back to the same people."""
    fields = [f for f in FIELDS if f in parsed.columns]
    titles = TITLES["en" if lang == "en" else "zh-CN"]
    yes, no = YES_NO["en" if lang == "en" else "zh-CN"]
    reg = REGISTERED["en" if lang == "en" else "zh-CN"]
    sexes = SEX_TITLES["en" if lang == "en" else "zh-CN"]
    out: list[list[object]] = [[titles[f] for f in fields]]
    for p in parsed.people:
        phones = (p.phone,) + p.other_phones
        for i, flat in enumerate(p.flats or (None,)):
            values: dict[str, object] = {
                "name": p.name, "sex": sexes.get(p.sex or "", ""), "birth_year": p.birth_year,
                "household": p.household, "relation": p.relation, "group": p.group,
                "registered": "" if p.registered is None else reg[0] if p.registered else reg[1],
                "representative": yes if p.representative else no, "party_member": yes if p.party_member else no,
                "phone": phones[i] if i < len(phones) and phones[i] else p.phone,
                "building": flat.building if flat else None, "unit": flat.unit if flat else None,
                "room": flat.room if flat else None, "area": flat.area if flat else None,
            }
            out.append([values[f] for f in fields])
    return out
