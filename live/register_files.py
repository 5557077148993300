"""The office's register files: .csv and .xlsx read into rows of cells (for facilitation/register.py), and written back.

CSV comes as UTF-8 (with or without the BOM Excel writes) or GB18030/GBK (what Excel and WPS save
on a Chinese Windows); .xlsx through openpyxl (read-only, the values of formulas as last computed),
the first sheet, with a merged cell's value repeated over every cell it covers (offices merge a
group's or a household's cells down the rows). Anything else is refused with a RegisterUnreadable
whose code keys a message in live/register_cli.py: the old .xls format, a file that is not a
spreadsheet, an unknown encoding, a file or a cell too large, a workbook that would unpack to too
much (a "bomb": a small file whose parts become gigabytes; its directory is read first, and
nothing of it is unpacked, see live/zips.py).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import iterparse

from facilitation.register import RegisterUnreadable, guarded

from .zips import MAX_ENTRIES, MAX_RATIO, refusal

MAX_BYTES = 20 * 1024 * 1024  # a register of a few thousand people is well under 1 MB
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL = 10_000  # characters
MAX_UNPACKED = 64 * 1024 * 1024  # all a workbook's parts unpacked (a register of a few thousand people: a few MB)
EXCEL_COLUMNS = 16_384  # the most cells a row of Excel's can have
# A part openpyxl holds whole (the shared texts, the styles ...; not a sheet, read row by row, nor
# a picture, not read): 100,000 people's names, phones and codes come to a few MB of texts, and a
# part past this would take many times its size in memory.
MAX_WHOLE_PART = 8 * 1024 * 1024
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls (and .doc) container
ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 reads GBK and GB2312 too


def read_file(path: str | Path) -> list[list[object]]:
    """The rows of a register file; rows[0] is Excel's row 1."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise RegisterUnreadable("too_big", size=size, max=MAX_BYTES)
        with p.open("rb") as f:
            head = f.read(8)
    except IsADirectoryError:
        raise RegisterUnreadable("not_a_file", path=str(p)) from None
    except FileNotFoundError:
        raise RegisterUnreadable("no_file", path=str(p)) from None
    except OSError as exc:
        raise RegisterUnreadable("cannot_open", path=str(p), detail=exc.strerror or str(exc)) from None
    if head.startswith(OLE):
        raise RegisterUnreadable("old_xls")
    if head.startswith(ZIP):
        return read_xlsx(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        raise RegisterUnreadable("not_spreadsheet")
    return read_csv(p.read_bytes())


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise RegisterUnreadable("not_spreadsheet")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
            raise RegisterUnreadable("not_spreadsheet")
        return text
    raise RegisterUnreadable("encoding")


def read_csv(data: bytes) -> list[list[object]]:
    text = decode(data)
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count) if sample else ","
    rows: list[list[object]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            _check_row(len(rows) + 1, record)
            rows.append(list(record))
    except csv.Error:
        raise RegisterUnreadable("bad_csv", row=len(rows) + 1) from None
    return rows


def _check_row(number: int, row: list[object] | tuple[object, ...]) -> None:
    if number > MAX_ROWS:
        raise RegisterUnreadable("too_many_rows", max=MAX_ROWS)
    if len(row) > MAX_COLUMNS and any(c not in (None, "") for c in row[MAX_COLUMNS:]):
        raise RegisterUnreadable("too_many_columns", row=number, max=MAX_COLUMNS)
    for c in row:
        if isinstance(c, str) and len(c) > MAX_CELL:
            raise RegisterUnreadable("cell_too_big", row=number, max=MAX_CELL)


def read_xlsx(path: Path) -> list[list[object]]:
    import openpyxl

    try:
        with path.open("rb") as f:
            why = refusal(f, MAX_UNPACKED)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RegisterUnreadable("not_spreadsheet") from None
    if why == "entries":
        raise RegisterUnreadable("too_many_parts", max=MAX_ENTRIES)
    if why == "ratio":
        raise RegisterUnreadable("packed_too_tight", ratio=MAX_RATIO)
    if why == "inflated":
        raise RegisterUnreadable("unpacks_too_big", max=MAX_UNPACKED // 2**20)
    try:
        _no_part_too_big(path)
        _no_row_too_wide(path)
    except RegisterUnreadable:
        raise
    except Exception:  # damaged, encrypted or oddly packed (zlib, zipfile and struct have their own errors)
        raise RegisterUnreadable("not_spreadsheet") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise RegisterUnreadable("not_spreadsheet") from None
    except Exception:  # openpyxl raises its own errors on a damaged workbook
        raise RegisterUnreadable("not_spreadsheet") from None
    try:
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or wb.worksheets
        if not sheets:
            raise RegisterUnreadable("empty")
        ws = sheets[0]
        ws.reset_dimensions()  # some programs write a wrong size; read what is there
        rows: list[list[object]] = []
        for row in ws.iter_rows(min_row=1, min_col=1, values_only=True):
            _check_row(len(rows) + 1, row)
            rows.append(list(row[:MAX_COLUMNS]))
        merged = _merged_ranges(path, getattr(ws, "_worksheet_path", ""))
    except RegisterUnreadable:
        raise
    except Exception:
        raise RegisterUnreadable("not_spreadsheet") from None
    finally:
        wb.close()
    _fill_merged(rows, merged)
    while rows and not any(c not in (None, "") for c in rows[-1]):
        rows.pop()
    return rows


def _no_part_too_big(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.startswith(("xl/worksheets/", "xl/media/")) or info.file_size <= MAX_WHOLE_PART:
                continue
            raise RegisterUnreadable("part_too_big", part=info.filename[:80], max=MAX_WHOLE_PART // 2**20)


# A cell or a row opening, with or without a namespace prefix (not <col>, <cols>, <rowBreaks> ...).
_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?(c|row)[\s/>]")
_ROW_NUMBER = re.compile(rb'\sr="(\d{1,9})"')


def _no_row_too_wide(path: Path) -> None:
    """RegisterUnreadable when a sheet has a row of more cells than Excel allows: openpyxl holds a
    row whole, hundreds of bytes a cell, and a row of millions (a few MB packed, within the limits
    above) would take gigabytes. The sheets are scanned as they unpack, a megabyte at a time."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with z.open(name) as f:
                pending, cells, row = b"", 0, 0
                while True:
                    chunk = f.read(1 << 20)
                    data = pending + chunk
                    end = len(data) - 64 if chunk else len(data)  # a tag cut at the end is read with the next
                    for m in _CELL_OR_ROW.finditer(data):
                        if m.start() >= end:
                            break
                        if m.group(1) == b"row":
                            cells, row = 0, row + 1
                            tag_end = data.find(b">", m.start(), m.start() + 256)
                            if (n := _ROW_NUMBER.search(data, m.end() - 1, max(tag_end, m.end()))) is not None:
                                row = int(n.group(1))
                        elif (cells := cells + 1) > EXCEL_COLUMNS:
                            raise RegisterUnreadable("too_many_columns", row=row, max=EXCEL_COLUMNS)
                    if not chunk:
                        break
                    pending = data[max(end, 0):]


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet as (first row, first column, last row, last column), 1-based.

    Read-only openpyxl does not report them: they are read from the sheet's XML (after its cells)."""
    from openpyxl.utils.cell import range_boundaries

    if not sheet:
        return []
    out: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(path) as z, z.open(sheet.lstrip("/")) as f:
        for _event, el in iterparse(f, events=("end",)):
            if el.tag.endswith("}mergeCell"):
                c1, r1, c2, r2 = range_boundaries(el.get("ref", ""))
                if None not in (c1, r1, c2, r2):
                    out.append((int(r1), int(c1), int(r2), int(c2)))  # type: ignore[arg-type]
            elif el.tag.endswith("}row"):
                el.clear()
    return out


def _fill_merged(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    for r1, c1, r2, c2 in merged:
        if r1 > len(rows) or (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_ROWS * 10:
            continue
        top = rows[r1 - 1]
        value = top[c1 - 1] if c1 - 1 < len(top) else None
        for r in range(r1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([None] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = value


# -- writing --------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def write_csv(rows: list[list[object]], path: str | Path) -> None:
    """UTF-8 with a BOM, so that Excel opens it with the Chinese intact."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guarded(_cell_text(v)) if isinstance(v, str) else _cell_text(v) for v in row])
    Path(path).write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_xlsx(rows: list[list[object]], path: str | Path, *, title: str = "名册") -> None:
    """Codes (household numbers, rooms, phones) as text, so that leading zeros stay; areas and years as numbers."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for row in rows:
        out = []
        for v in row:
            cell = WriteOnlyCell(ws, value=v if isinstance(v, int | Decimal | str) or v is None else str(v))
            if isinstance(v, str):
                cell.data_type = "s"  # text as it was read, even when it begins with "=" (no formula)
                cell.number_format = "@"
            out.append(cell)
        ws.append(out)
    wb.save(str(path))


def write_file(rows: list[list[object]], path: str | Path) -> None:
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(rows, path)
    elif suffix == ".csv":
        write_csv(rows, path)
    else:
        raise RegisterUnreadable("output_format", suffix=suffix or "-")
