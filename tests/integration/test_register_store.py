"""`yishi register import` and `export`: the office's file into the data folder's register, again
(updated, never duplicated), a faulty one (nothing, or its good rows), and back out as a file."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from facilitation.community import REGISTER, readable
from live.cli import main
from live.record import verify_chain
from live.store import Store

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["register", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_twice_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")  # no folder yet: the first import makes it
    code, out, _ = run(capsys, "import", str(REGISTERS / "building-owners.xlsx"), "--data", data, "--lang", "zh-CN")
    assert code == 0 and out.splitlines()[-1] == (
        f"已导入 {data} 的名册：新增 35 人，更新 0 人，未变 0 人；名册中有而文件中没有的 0 人，予以保留。名册现有 35 人（在册 35 人）。")
    code, out, _ = run(capsys, "import", str(REGISTERS / "building-owners.csv"), "--data", data, "--lang", "en")
    assert code == 0 and "0 added, 0 updated, 35 unchanged" in out
    out_file = tmp_path / "owners.xlsx"
    code, out, _ = run(capsys, "export", "--format", "xlsx", "-o", str(out_file), "--data", data, "--lang", "zh-CN")
    assert code == 0 and "35" in out
    rows = list(openpyxl.load_workbook(out_file).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 36  # a row per flat: 余玉珍 holds two
    assert rows[0][0] == "姓名" and "专有部分面积（㎡）" in rows[0]
    store = Store(f"sqlite:///{tmp_path / 'data' / 'yishi.db'}")
    report = verify_chain(REGISTER, store.rows(REGISTER), readable)
    assert report.intact and report.events == 2


def test_a_community_of_a_street_office_has_its_own_register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    code, out, _ = run(capsys, "import", str(REGISTERS / "building-owners.csv"), "--data", data, "--community", "jinxiu-yuan")
    assert code == 0, out
    out_file = tmp_path / "first.csv"
    code, _, err = run(capsys, "export", "--format", "csv", "-o", str(out_file), "--data", data, "--lang", "en")
    assert code == 2 and not out_file.exists()  # the install's first register is empty: it went to jinxiu-yuan's
    code, out, _ = run(capsys, "export", "--format", "csv", "-o", str(out_file), "--data", data, "--community", "jinxiu-yuan")
    assert code == 0 and out_file.read_text(encoding="utf-8-sig").count("\n") == 1 + 36
    store = Store(f"sqlite:///{tmp_path / 'data' / 'yishi.db'}")
    assert verify_chain("register:jinxiu-yuan", store.rows("register:jinxiu-yuan"), readable).intact
    with pytest.raises(SystemExit):
        run(capsys, "import", str(REGISTERS / "building-owners.csv"), "--data", data, "--community", "../x")
    assert "社区代号" in capsys.readouterr().err


def test_a_faulty_file_is_imported_only_with_good_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faulty = tmp_path / "faulty.csv"
    faulty.write_text("姓名,出生年份,户号,村民小组\n张三,1950,01,一组\n李四,2999,02,一组\n", encoding="utf-8")
    data = str(tmp_path / "data")
    code, out, err = run(capsys, "import", str(faulty), "--data", data, "--lang", "en")
    assert code == 1 and "row 3:" in out and "Nothing imported" in err
    assert not (tmp_path / "data").exists()  # nothing stored, not even an empty folder
    code, out, _ = run(capsys, "import", str(faulty), "--good-rows", "--data", data, "--lang", "en")
    assert code == 0 and "1 bad rows were left out." in out and "1 added" in out
    with pytest.raises(SystemExit) as exited:  # as the other commands on a folder without data
        main(["register", "export", "--data", str(tmp_path / "empty"), "-o", str(tmp_path / "x.csv"), "--lang", "en"])
    assert exited.value.code == 2 and "There is no Yishi data" in capsys.readouterr().err


def test_the_data_folder_and_its_database_are_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, _, _ = run(capsys, "import", str(REGISTERS / "building-owners.csv"), "--data", str(data), "--lang", "en")
    assert code == 0
    assert data.stat().st_mode & 0o777 == 0o700  # it holds phones, birth years, keys
    assert (data / "yishi.db").stat().st_mode & 0o777 == 0o600
