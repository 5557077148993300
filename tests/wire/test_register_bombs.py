"""Workbooks that unpack to far more than they weigh, imported over HTTP: a sheet whose one cell
becomes 200 MB, shared strings that do, a workbook of many small parts that add up; and, within
those limits, a row of a million cells and shared texts of 9 MB (openpyxl holds both whole). Each
is refused before openpyxl reads it, with the register's error in the office's language, in
bounded memory, and the register is unchanged."""
from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from typing import Any

import openpyxl

from live.i18n import gettext
from live.register_cli import UNREADABLE
from live.register_files import EXCEL_COLUMNS, MAX_UNPACKED, MAX_WHOLE_PART
from live.zips import FREE_PART, MAX_RATIO

BLOCK = 1 << 20
INFLATES_TO = 200 * BLOCK
BOUND = 64 * 1024 * 1024  # what the server may allocate while refusing one
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook() -> bytes:
    """A register of one person; its strings are shared (姓名, 性别, 王芳, 女)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别"])
    ws.append(["王芳", "女"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_SHEET = (f'<worksheet xmlns="{MAIN}"><sheetData>'
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
                '</sheetData></worksheet>').encode()


def replaced(name: str, head: bytes, filler: bytes, tail: bytes, shared: bool = False, filled: bool = True) -> bytes:
    """The workbook with part `name` as `head`, INFLATES_TO bytes of `filler`, `tail`. `shared`: its
    sheet refers to shared strings (0 to 3), and `name` is the shared strings' part."""
    src = zipfile.ZipFile(io.BytesIO(workbook()))
    parts = {n: src.read(n) for n in src.namelist()}
    if shared:
        parts[SHEET] = SHARED_SHEET
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", f'<Relationship Id="rIdS" Type="{RELS}" Target="sharedStrings.xml"/>'
                                 '</Relationships>'.encode())
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{STRINGS_TYPE}"/></Types>'.encode())
    parts[name] = b""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            if n != name:
                z.writestr(n, data)
                continue
            with z.open(name, "w", force_zip64=True) as part:
                part.write(head)
                block = filler * (BLOCK // len(filler))
                for _ in range(INFLATES_TO // len(block) if filled else 0):
                    part.write(block)
                part.write(tail)
    return buf.getvalue()


def sheet_bomb() -> bytes:
    return replaced(SHEET, f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
                           f'<c r="B1" t="inlineStr"><is><t>性别</t></is></c></row>'
                           f'<row r="2"><c r="A2" t="inlineStr"><is><t>'.encode(),
                    b"x", b"</t></is></c></row></sheetData></worksheet>")


def shared_strings_bomb() -> bytes:
    return replaced("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>姓名</t></si><si><t>性别</t></si><si><t>'.encode(),
                    b"x", "</t></si><si><t>女</t></si></sst>".encode(), shared=True)


def wide_row() -> bytes:
    """A row of a million cells of random digits: 15 MB of XML packed 19 to 1, within every limit
    on unpacking, but openpyxl holds a row whole (it took 420 MiB)."""
    digits = random.Random(1)
    cells = "".join(f"<c><v>{digits.randint(0, 9)}</v></c>" for _ in range(1_000_000))
    src = zipfile.ZipFile(io.BytesIO(workbook()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename) if info.filename != SHEET else
                       (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is>'
                        f'</c><c r="B1" t="inlineStr"><is><t>性别</t></is></c></row><row r="2">{cells}</row>'
                        '</sheetData></worksheet>').encode())
    return buf.getvalue()


def many_texts() -> bytes:
    """Shared texts just past MAX_WHOLE_PART, each a different number: packed 5 to 1, not a bomb by
    its ratio, but openpyxl holds every text as an object (55 MB of them took 350 MiB)."""
    numbers = random.Random(2)
    texts = "".join(f"<si><t>{numbers.randrange(10**7):07d}</t></si>"
                    for _ in range(MAX_WHOLE_PART // len("<si><t>0000000</t></si>") + 1))
    return replaced("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>姓名</t></si><si><t>性别</t></si>'
                                            f'<si><t>王芳</t></si><si><t>女</t></si>{texts}</sst>'.encode(),
                    b"x", b"", shared=True, filled=False)


def many_parts() -> bytes:
    """No part past the ratio (each is small), but together past MAX_UNPACKED."""
    src = zipfile.ZipFile(io.BytesIO(workbook()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        for i in range(MAX_UNPACKED // (FREE_PART - 1) + 1):
            z.writestr(f"xl/media/pad{i}.bin", b"\0" * (FREE_PART - 1))
    return buf.getvalue()


async def test_workbooks_that_unpack_to_too_much_are_refused_in_bounded_memory(server: Any) -> None:
    auth = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as http:
        fine = await http.post("/api/register/import", params={"name": "register.xlsx"}, headers=auth,
                               content=workbook())
        assert fine.status_code == 200, fine.text
        for what, bomb, code, params in (
                ("sheet", sheet_bomb(), "packed_too_tight", {"ratio": MAX_RATIO}),
                ("shared strings", shared_strings_bomb(), "packed_too_tight", {"ratio": MAX_RATIO}),
                ("many parts", many_parts(), "unpacks_too_big", {"max": MAX_UNPACKED // 2**20}),
                ("a wide row", wide_row(), "too_many_columns", {"row": 2, "max": EXCEL_COLUMNS}),
                ("many texts", many_texts(), "part_too_big", {"part": "xl/sharedStrings.xml",
                                                              "max": MAX_WHOLE_PART // 2**20})):
            assert len(bomb) < 4 * 1024 * 1024, what  # small on the wire
            for lang in ("zh-CN", "en"):
                tracemalloc.start()
                try:
                    r = await http.post("/api/register/import", params={"name": "bomb.xlsx", "lang": lang},
                                        headers=auth, content=bomb)
                    peak = tracemalloc.get_traced_memory()[1]
                finally:
                    tracemalloc.stop()
                assert r.status_code == 400, (what, r.text)
                assert r.json()["code"] == "unreadable"
                assert r.json()["error"] == gettext(lang, UNREADABLE[code], **params), (what, r.json())
                assert peak < BOUND, f"{what}: {peak / 2**20:.0f} MiB allocated"
        assert gettext("zh-CN", UNREADABLE["packed_too_tight"], ratio=100) != \
            gettext("en", UNREADABLE["packed_too_tight"], ratio=100)
        shown = (await http.get("/api/register", headers=auth)).json()
        assert [p["name"] for p in shown["people"]] == ["王芳"] and len(shown["imports"]) == 1


def damaged(how: str) -> bytes:
    data = bytearray(workbook())
    name = SHEET.encode()
    local = next(i for i in range(len(data)) if data.startswith(b"PK\x03\x04", i)
                 and data[i + 30:i + 30 + len(name)] == name)
    central = next(i for i in range(len(data)) if data.startswith(b"PK\x01\x02", i)
                   and data[i + 46:i + 46 + len(name)] == name)
    if how == "stream":  # the sheet's deflated bytes garbled
        start = local + 30 + len(name) + 4
        data[start:start + 24] = bytes(b ^ 0xFF for b in data[start:start + 24])
    elif how == "encrypted":
        data[local + 6] |= 1
        data[central + 8] |= 1
    elif how == "method":  # Deflate64, which Python cannot read
        data[local + 8] = data[central + 10] = 9
    return bytes(data)


async def test_a_damaged_workbook_is_not_a_spreadsheet(server: Any) -> None:
    auth = {"Authorization": f"Bearer {server.token}"}
    async with server.http() as http:
        for how in ("stream", "encrypted", "method"):
            r = await http.post("/api/register/import", params={"name": "damaged.xlsx", "lang": "en"}, headers=auth,
                                content=damaged(how))
            assert r.status_code == 400, (how, r.text)
            assert r.json()["code"] == "unreadable"
            assert r.json()["error"] == gettext("en", UNREADABLE["not_spreadsheet"]), how
