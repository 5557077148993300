"""The office's register files read from disk (.csv in UTF-8 or GBK, .xlsx), and `yishi register check/convert`."""
from __future__ import annotations

import csv
import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from facilitation.register import RegisterUnreadable, read_rows, to_rows
from live.cli import main
from live.register_files import MAX_CELL, read_file, write_csv

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
SAMPLES = [REGISTERS / f"{name}.{ext}" for name in ("village-register", "building-owners") for ext in ("csv", "xlsx")]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def parsed(path: Path):  # type: ignore[no-untyped-def]
    return read_rows(read_file(path), this_year=2026)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_village_register(ext: str) -> None:
    p = parsed(REGISTERS / f"village-register.{ext}")
    assert (len(p.people), len(p.households), len(p.groups)) == (1121, 324, 10)
    assert p.header_row == (2 if ext == "xlsx" else 1)  # the workbook has a title row above the header
    assert p.bad == [] and p.notes == [] and p.owners == []
    first = p.people[0]
    assert (first.name, first.sex, first.birth_year, first.household, first.relation, first.group, first.registered,
            first.phone) == ("卢晓东", "male", 1949, "010001", "户主", "第一村民小组", True, "10018609139")
    assert sum(1 for x in p.people if x.registered is False) == 69
    assert sum(1 for x in p.people if x.representative) == 36
    assert sum(1 for x in p.people if x.relation == "户主") == 324
    assert all(x.household and len(x.household) == 6 for x in p.people)  # the leading zeros kept


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_building_owners(ext: str) -> None:
    p = parsed(REGISTERS / f"building-owners.{ext}")
    assert (len(p.people), len(p.owners), p.flats) == (35, 35, 36)
    assert p.area == Decimal("3302.88") and p.bad == []
    (two,) = [x for x in p.people if len(x.flats) > 1]
    assert two.name == "余玉珍" and [f.room for f in two.flats] == ["301", "302"]
    assert two.area == Decimal("158.32") and two.phone == "10096850016" and two.other_phones == ("10064839386",)
    assert [(n.row, n.reason) for n in p.notes] == [(8 if ext == "xlsx" else 7, "owner_phones")]
    assert p.groups == {"3号楼1单元", "3号楼2单元", "3号楼3单元"}


def test_both_formats_give_the_same_people() -> None:
    for name in ("village-register", "building-owners"):
        a, b = parsed(REGISTERS / f"{name}.csv").people, parsed(REGISTERS / f"{name}.xlsx").people
        assert len(a) == len(b) and all(x.same_as(y) for x, y in zip(a, b))


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_a_csv_saved_in_gbk_or_without_bom(tmp_path: Path, encoding: str) -> None:
    text = (REGISTERS / "village-register.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "名册.csv"
    path.write_bytes(text.encode(encoding))
    p = parsed(path)
    assert (len(p.people), len(p.households), p.bad) == (1121, 324, [])


def faulty_workbook(path: Path) -> None:
    """An owners' list as an office might send it, with a bad row of each kind."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["3号楼业主名册（2026年11月）"])
    ws.merge_cells("A1:H1")
    ws.append(["姓名", "出生年份", "楼栋", "单元", "房号", "专有部分面积（㎡）", "联系电话", "备注"])
    ws.append(["宋辉", 1960, "3号楼", "1单元", "101", 97.11, 10075609206, ""])  # row 3: good, the phone a number
    ws.append([None, 1970, "3号楼", "1单元", "102", 94.21, "10057937764", ""])  # row 4: no name
    ws.append(["谢俊", 2999, "3号楼", "1单元", "201", 107.4, "10024558675", ""])  # row 5: born in 2999
    ws.append(["何敏", "１９７５", "3号楼", "1单元", "202", "abc", "10007774763", ""])  # row 6: area abc
    ws.append(["宋辉", 1960, "3号楼", "1单元", "101", 97.11, 10075609206, ""])  # row 7: row 3 again
    ws.append([])  # row 8: empty
    ws.append(["余　玉珍", "1958年3月", "３号楼", "1单元", "３０１", "６９．７", "０１０－６４８３９３８６", "两套"])  # row 9: good
    ws.append(["余玉珍", 1958.0, "3号楼", "1单元", 302, "88.62㎡", "01064839386", ""])  # row 10: her second flat
    wb.save(path)


def test_a_faulty_file_reports_each_bad_row_by_its_excel_row_number_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "faulty.xlsx"
    faulty_workbook(path)
    p = parsed(path)
    assert p.header_row == 2
    assert [(b.row, b.reason) for b in p.bad] == [(4, "no_name"), (5, "implausible_year"), (6, "bad_area"),
                                                  (7, "duplicate")]
    assert p.bad[2].params == {"value": "abc"} and p.bad[3].params == {"name": "宋辉", "first_row": 3}
    assert p.notes == [] and p.ignored_columns == ["备注"]
    assert [x.name for x in p.people] == ["宋辉", "余玉珍"]
    song, yu = p.people
    assert song.phone == "10075609206" and song.birth_year == 1960
    assert [f.room for f in yu.flats] == ["301", "302"] and yu.area == Decimal("158.32")
    assert yu.phone == "01064839386" and yu.birth_year == 1958 and yu.flats[0].building == "3号楼"


def test_a_faulty_village_register(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["（本表由村委会整理）"])
    ws.append(["姓名", "性别", "出生年份", "户号", "与户主关系", "村民小组", "户籍", "村民代表", "党员", "联系电话"])
    ws.append(["卢晓东", "男", 1949, "010001", "户主", "第一村民小组", "户籍", "否", "否", "10018609139"])  # 3
    ws.append(["　", "女", 1946, "010001", "配偶", "第一村民小组", "户籍", "否", "否", None])  # 4: no name
    ws.append(["卢小东", "男", "2999", "010001", "子女", "第一村民小组", "户籍", "否", "否", None])  # 5: 2999
    ws.append(["卢晓东", "男", 1949.0, 10001, "户主", "第一村民小组", "户籍", "否", "否", None])  # 6: 010001 as a number
    ws.append(["卢晓东", "男", "1949", "010001", "户主", "第一村民小组", "户籍", "否", "否", None])  # 7: row 3 again
    ws.append(["龚玉珍", "男", "１９７５", "010002", "户主", "第一村民小组", "户籍", "是", "√", 10057975432.0])  # 8
    wb.save(tmp_path / "village.xlsx")
    p = parsed(tmp_path / "village.xlsx")
    assert [(b.row, b.reason) for b in p.bad] == [(4, "no_name"), (5, "implausible_year"), (6, "short_household"),
                                                  (7, "duplicate")]
    assert [(x.name, x.row) for x in p.people] == [("卢晓东", 3), ("龚玉珍", 8)]
    gong = p.people[1]
    assert (gong.birth_year, gong.representative, gong.party_member, gong.phone) == (1975, True, True, "10057975432")


def test_merged_cells_give_their_value_to_every_row_they_cover(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["村民名册"])
    ws.merge_cells("A1:D1")
    ws.append(["村民小组", "户号", "姓名", "与户主关系"])
    ws.append(["第一村民小组", "010001", "卢晓东", "户主"])
    ws.append([None, None, "孟晓东", "配偶"])
    ws.append([None, "010002", "龚玉珍", "户主"])
    ws.merge_cells("A3:A5")
    ws.merge_cells("B3:B4")
    wb.save(tmp_path / "merged.xlsx")
    p = parsed(tmp_path / "merged.xlsx")
    assert [(x.name, x.group, x.household) for x in p.people] == [
        ("卢晓东", "第一村民小组", "010001"), ("孟晓东", "第一村民小组", "010001"), ("龚玉珍", "第一村民小组", "010002")]
    assert p.bad == []


@pytest.mark.parametrize("name,content,code", [
    ("picture.png", PNG, "not_spreadsheet"),
    ("picture.csv", PNG, "not_spreadsheet"),
    ("noise.csv", bytes(range(256)) * 40, "not_spreadsheet"),
    ("fake.xlsx", "姓名,电话\n张三,1\n".encode(), "not_spreadsheet"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old_xls"),
    ("huge-line.csv", "姓名,电话\n".encode() + b"x" * 200_000 + b"\n", "bad_csv"),
    ("huge-cell.csv", "姓名,电话\n\"".encode() + b"y" * (MAX_CELL + 1) + b"\",1\n", "cell_too_big"),
    ("latin1.csv", "姓名\n".encode() + b"\x81\x20\xff\xfe\n", "encoding"),
])
def test_a_file_that_is_not_a_register_is_refused_cleanly(tmp_path: Path, name: str, content: bytes,
                                                          code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegisterUnreadable) as exc:
        read_file(path)
    assert exc.value.code == code


def test_a_zip_that_is_no_workbook_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as z:
        z.writestr("readme.txt", "hello")
    for path, code in ((tmp_path / "a.xlsx", "not_spreadsheet"), (tmp_path / "none.csv", "no_file"),
                       (tmp_path, "not_a_file")):
        with pytest.raises(RegisterUnreadable) as exc:
            read_file(path)
        assert exc.value.code == code


# -- the commands -----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["register", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_a_clean_file_in_english_and_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(REGISTERS / "building-owners.xlsx")
    code, out, _ = run(capsys, "check", path, "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        f"{path}: people 35, households 0, groups 3 (header in row 2).",
        "Owners 35, flats 36, total area 3302.88 m².",
        "row 8 (note): 余玉珍 is taken as the owner of row 7 (same name), whose phone is 10096850016: this row's "
        "phone is kept as a second one",
        "No bad rows.",
    ]
    code, out, _ = run(capsys, "check", path, "--lang", "zh-CN")
    assert code == 0
    assert out.splitlines()[1] == "业主 35 人，房屋 36 套，专有部分总面积 3302.88 ㎡。"
    assert out.splitlines()[-1] == "没有问题行。"
    code, out, _ = run(capsys, "check", str(REGISTERS / "village-register.csv"), "--lang", "zh-CN")
    assert code == 0 and "共 1121 人，324 户，10 个小组（表头在第 1 行）。" in out


def test_check_a_faulty_file_lists_each_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "faulty.xlsx"
    faulty_workbook(path)
    code, out, _ = run(capsys, "check", str(path), "--lang", "en")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("row ")] == [
        "row 4: the name is missing",
        f"row 5: birth year 2999 is not plausible (from 1890 to {__import__('datetime').date.today().year})",
        "row 6: area “abc” is not a positive number",
        "row 7: 宋辉 is already in row 3",
    ]
    assert out.splitlines()[-1] == "Bad rows: 4. Fix them in the file and check it again."
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    code, out, _ = run(capsys, "check", str(path))  # the language from LANG
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("第 ")][:1] == ["第 4 行：缺少姓名"]
    assert "第 6 行：面积“abc”不是正数" in out.splitlines()
    assert "未读取的列：备注。" in out.splitlines()
    assert out.splitlines()[-1] == "问题行共 4 行。请在文件中改正后重新检查。"


def test_check_an_unreadable_file_exits_2_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(PNG)
    code, out, err = run(capsys, "check", str(png), "--lang", "en")
    assert (code, out) == (2, "")
    assert err == f"yishi: {png}: This is not a spreadsheet: save the register as .xlsx or .csv.\n"
    code, out, err = run(capsys, "check", str(png), "--lang", "zh-CN")
    assert code == 2 and "这不是表格文件：请把名册保存为 .xlsx 或 .csv。" in err
    notes = tmp_path / "notes.csv"
    notes.write_text("会议记录\n今天开会\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(notes), "--lang", "zh-CN")
    assert code == 2 and "前 2 行中没有表头" in err


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_convert_writes_the_cleaned_register_that_reads_back_the_same(tmp_path: Path, ext: str, lang: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("village-register", "building-owners"):
        source = REGISTERS / f"{name}.xlsx"
        out = tmp_path / f"{name}-clean.{ext}"
        code, said, _ = run(capsys, "convert", str(source), "-o", str(out), "--lang", lang)
        assert code == 0 and str(out) in said
        a, b = parsed(source), parsed(out)
        assert b.header_row == 1 and b.bad == [] and len(a.people) == len(b.people)
        assert all(x.same_as(y) for x, y in zip(a.people, b.people))
    if ext == "csv":
        header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert header == (["name", "building", "unit", "room", "area (m2)", "phone"] if lang == "en"
                          else ["姓名", "楼栋", "单元", "房号", "专有部分面积（㎡）", "联系电话"])
    else:
        ws = openpyxl.load_workbook(tmp_path / f"village-register-clean.{ext}").active
        assert ws["D2"].value == "010001" and ws["C2"].value == 1949  # the code as text, the year a number


def test_convert_writes_nothing_from_a_faulty_file_or_to_an_unknown_format(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "faulty.xlsx"
    faulty_workbook(path)
    out = tmp_path / "clean.csv"
    code, said, err = run(capsys, "convert", str(path), "-o", str(out), "--lang", "en")
    assert code == 1 and not out.exists()
    assert "row 4: the name is missing" in said and "Nothing written: fix the bad rows first." in err
    code, _, err = run(capsys, "convert", str(REGISTERS / "building-owners.csv"), "-o", str(tmp_path / "a.txt"),
                       "--lang", "en")
    assert code == 2 and "The output must be a .csv or .xlsx file, not .txt." in err
    assert not (tmp_path / "a.txt").exists()
    copy = tmp_path / "owners.csv"
    copy.write_bytes((REGISTERS / "building-owners.csv").read_bytes())
    code, _, err = run(capsys, "convert", str(copy), "-o", str(copy), "--lang", "zh-CN")
    assert code == 2 and "输出会覆盖正在读取的文件" in err
    assert copy.read_bytes() == (REGISTERS / "building-owners.csv").read_bytes()


def test_the_register_command_is_listed() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["register", "--help"])
    assert exc.value.code == 0
    assert os.path.exists(REGISTERS / "village-register.xlsx")


def test_text_that_begins_like_a_formula_stays_text_in_the_xlsx_written(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "names.csv"
    source.write_text("姓名,联系电话\n=1+2,+8613800000000\n@张三,\n", encoding="utf-8")
    out = tmp_path / "names.xlsx"
    code, _, _ = run(capsys, "convert", str(source), "-o", str(out), "--lang", "zh-CN")
    assert code == 0
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws["A"]] == ["姓名", "=1+2", "@张三"] and ws["A2"].data_type == "s"
    assert ws["B2"].value == "+8613800000000"
    assert [p.name for p in parsed(out).people] == ["=1+2", "@张三"]


def test_a_csv_export_never_hands_excel_a_formula_and_reads_back_as_it_was(tmp_path):
    rows = [["姓名", "性别", "出生年份", "户号", "与户主关系", "村民小组", "户籍", "居民代表", "党员", "联系电话"],
            ['=HYPERLINK("http://evil.example","点我")', "男", "1950", "010001", "户主", "@第一组", "户籍", "否", "否",
             "+8613800000000"]]
    parsed = read_rows(rows)
    out = tmp_path / "export.csv"
    write_csv(to_rows(parsed), out)
    written = out.read_text(encoding="utf-8-sig")
    cells = [c for line in written.splitlines()[1:] for c in next(csv.reader([line]))]
    assert not [c for c in cells if c[:1] in ("=", "@")], cells  # Excel would run these
    assert "+8613800000000" in cells  # a number stays a number
    again = read_rows(read_file(out))
    assert again.people[0].name == parsed.people[0].name and again.people[0].group == "@第一组"
