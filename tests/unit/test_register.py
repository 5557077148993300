"""The register's rules alone: cleaning cells, finding the header, validating rows, owners' flats, re-import."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation.register import (
    Person,
    RegisterUnreadable,
    area,
    clean_name,
    field_of,
    flag,
    fullwidth,
    halfwidth,
    merge,
    phone,
    read_rows,
    registered,
    sex,
    text,
    to_rows,
    year,
)

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
TITLE = ["（本表由社区居委会整理，2026年11月）"]
VILLAGE = ["姓名", "性别", "出生年份", "户号", "与户主关系", "村民小组", "户籍", "居民代表", "党员", "联系电话"]
OWNERS = ["姓名", "楼栋", "单元", "房号", "专有部分面积（㎡）", "联系电话"]


def village(*rows: list[object]) -> list[list[object]]:
    return [TITLE, VILLAGE, *[list(r) for r in rows]]


def person(name: str = "卢晓东", sex_: str = "男", born: object = 1949, household: object = "010001",
           relation: str = "户主", group: str = "第一村民小组", reg: str = "户籍", rep: str = "否",
           party: str = "否", tel: object = "10018609139") -> list[object]:
    return [name, sex_, born, household, relation, group, reg, rep, party, tel]


# -- cells ------------------------------------------------------------------------------------


@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_full_width_ascii_comes_back_half_width(s: str) -> None:
    assert halfwidth(fullwidth(s)) == s


@SETTINGS
@given(st.integers(min_value=1890, max_value=2026))
def test_a_year_typed_in_full_width_digits_is_read(y: int) -> None:
    assert year(fullwidth(str(y))) == y
    assert year(float(y)) == y
    assert year(str(y)) == y


@SETTINGS
@given(st.from_regex(r"0[0-9]{6,11}", fullmatch=True))
def test_a_phone_keeps_its_leading_zeros_in_any_width(digits: str) -> None:
    assert phone(digits) == digits
    assert phone(fullwidth(digits)) == digits


@SETTINGS
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2))
def test_an_area_is_read_exactly_from_text_or_float(d: Decimal) -> None:
    assert area(str(d)) == d
    assert area(fullwidth(str(d))) == d
    assert area(float(d)) == d


def test_cells_are_trimmed_and_floats_lose_their_point_zero() -> None:
    assert text("　张三　") == "张三"
    assert text(" a\u00a0 b ") == "a b"
    assert text(1949.0) == "1949"
    assert text(10018609139.0) == "10018609139"
    assert text(None) == ""
    assert phone(10018609139.0) == "10018609139"
    assert phone("０１０－８８８８ ６６６６") == "01088886666"
    with pytest.raises(ValueError):
        phone("无")


def test_names_padded_with_spaces_between_chinese_characters_are_joined() -> None:
    assert clean_name("张　三") == "张三"
    assert clean_name(" 欧阳  小 红 ") == "欧阳小红"
    assert clean_name("Maria  Garcia") == "Maria Garcia"


@pytest.mark.parametrize("cell,value", [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("yes", True), ("NO", False), ("√", True),
    ("×", False), ("ｙｅｓ", True), (True, True), (1.0, True), (0, False), ("", None), (None, None),
])
def test_yes_and_no_in_the_ways_offices_write_them(cell: object, value: bool | None) -> None:
    assert flag(cell) is value


def test_other_words_are_not_yes_or_no() -> None:
    with pytest.raises(ValueError):
        flag("也许")


def test_registered_sex_and_years_in_their_usual_forms() -> None:
    assert registered("户籍") is True and registered("非户籍") is False and registered("是") is True
    assert sex("男") == "male" and sex("F") == "female" and sex("") is None
    for cell in ("1949", "1949-03", "1949.3", "1949年3月", "1949年3月12日", "1949/03/12", "194903", "19490312", "1949.5",
                 "1949年", 1949, 1949.0, datetime(1949, 3, 12)):
        assert year(cell) == 1949, cell
    for cell in ("49", "一九四九", "1949.13.5.6", 1949.5, "abc"):
        with pytest.raises(ValueError):
            year(cell)
    for cell in ("abc", "12,3,4", "nan", "inf"):
        with pytest.raises(ValueError):
            area(cell)
    assert area("97.11㎡") == Decimal("97.11") and area("1,097.5 平方米") == Decimal("1097.5")


@pytest.mark.parametrize("title,field", [
    ("姓名", "name"), ("Name", "name"), ("姓 名", "name"), ("出生年份", "birth_year"), ("出生年月", "birth_year"),
    ("Birth Year", "birth_year"), ("户号", "household"), ("household", "household"), ("与户主关系", "relation"),
    ("村民小组", "group"), ("户籍", "registered"), ("村民代表", "representative"), ("居民代表", "representative"),
    ("党员", "party_member"), ("手机号码", "phone"), ("联系电话", "phone"), ("专有部分面积（㎡）", "area"),
    ("专有部分面积(m²)", "area"), ("面积", "area"), ("Area (m2)", "area"), ("楼栋", "building"), ("单元", "unit"),
    ("房号", "room"), ("ｎａｍｅ", "name"), ("备注", None), ("", None), (12, None),
])
def test_column_titles_in_chinese_and_english(title: object, field: str | None) -> None:
    assert field_of(title) == field


# -- rows -------------------------------------------------------------------------------------


def test_the_header_below_a_title_row_and_row_numbers_as_in_excel() -> None:
    parsed = read_rows(village(person(), person("孟晓东", "女", "１９４６", relation="配偶", tel=None), [],
                               person("", household="010002")), this_year=2026)
    assert parsed.header_row == 2
    assert [p.name for p in parsed.people] == ["卢晓东", "孟晓东"]
    assert [p.row for p in parsed.people] == [3, 4]
    assert parsed.people[1].birth_year == 1946 and parsed.people[1].phone is None
    assert [(b.row, b.reason) for b in parsed.bad] == [(6, "no_name")]  # the empty row 5 is skipped, still counted


def test_a_person_read_whole() -> None:
    parsed = read_rows(village(person(rep="√", party="Y")), this_year=2026)
    assert parsed.people == [Person(name="卢晓东", sex="male", birth_year=1949, household="010001", relation="户主",
                                    group="第一村民小组", registered=True, representative=True, party_member=True,
                                    phone="10018609139", row=3)]
    assert not parsed.bad and not parsed.notes


def test_english_headers_without_a_title() -> None:
    rows: list[list[object]] = [["Name", "Sex", "Birth year", "Household", "Group", "Phone", "Remarks"],
                                ["Li Lei", "M", "1980", "A-01", "Group 1", "13800000000", "x"]]
    parsed = read_rows(rows)
    assert parsed.header_row == 1 and parsed.people[0].household == "A-01"
    assert parsed.ignored_columns == ["Remarks"]


@pytest.mark.parametrize("row,reason,params", [
    (person(""), "no_name", {}),
    (person(born=2999), "implausible_year", {"year": 2999, "min": 1890, "max": 2026}),
    (person(born=1700), "implausible_year", {"year": 1700, "min": 1890, "max": 2026}),
    (person(born="去年"), "bad_birth_year", {"value": "去年"}),
    (person(sex_="未知"), "bad_sex", {"value": "未知"}),
    (person(reg="外地"), "bad_registered", {"value": "外地"}),
    (person(rep="可能"), "bad_representative", {"value": "可能"}),
    (person(party="?"), "bad_party_member", {"value": "?"}),
    (person(tel="打不通"), "bad_phone", {"value": "打不通"}),
    (person(household="01#02"), "bad_household", {"value": "01#02"}),
    (person(household=10003.0), "short_household", {"value": "10003", "length": 6}),
    (person("名" * 41), "name_too_long", {"length": 41, "max": 40}),
    # Shown on the wall and in the minutes: held to the policy for typed text.
    (person("王\u202e芳"), "bad_characters", {"column": "姓名"}),  # would show as 芳王
    (person("\u200c\u2060"), "invisible_text", {"column": "姓名"}),  # would show blank
    (person("\u200b\u200b"), "no_name", {}),  # zero-width spaces are dropped from every cell
    (person("王芳\x1b[2J"), "bad_characters", {"column": "姓名"}),
    (person(group="第一\u2066村民小组"), "bad_characters", {"column": "村民小组"}),
    (person(relation="\u200d"), "invisible_text", {"column": "与户主关系"}),
])
def test_each_bad_cell_makes_its_row_bad_and_nothing_of_it_is_taken(row: list[object], reason: str,
                                                                   params: dict[str, object]) -> None:
    parsed = read_rows(village(person("甲", household="010002"), row), this_year=2026)
    assert [p.name for p in parsed.people] == ["甲"]
    assert [(b.row, b.reason, b.params) for b in parsed.bad] == [(4, reason, params)]


def test_names_with_a_middle_dot_or_combining_accents_are_taken_as_written() -> None:
    parsed = read_rows(village(person("阿依古丽·买买提"), person("Rene\u0301", household="010002")), this_year=2026)
    assert parsed.bad == []
    assert [p.name for p in parsed.people] == ["阿依古丽·买买提", "René"]  # normalised (NFC): one é
    assert len(parsed.people[1].name) == 4


def test_households_are_checked_across_rows() -> None:
    parsed = read_rows(village(
        person("甲"),
        person("乙", relation="配偶", group="第二村民小组"),  # the household is in group 1
        person("丙", relation="户主"),  # a second head
        person("甲"),  # the same person again
        person("甲", born=1980, relation="子女"),  # the same name, another person
        person("甲", sex_="女", relation="子女"),  # the same name and year, another person
    ), this_year=2026)
    assert [(b.row, b.reason) for b in parsed.bad] == [(4, "household_group"), (5, "second_head"), (6, "duplicate")]
    assert parsed.bad[0].params == {"household": "010001", "group": "第二村民小组", "first_group": "第一村民小组",
                                    "first_row": 3}
    assert parsed.bad[2].params == {"name": "甲", "first_row": 3}
    assert len(parsed.people) == 3 and parsed.households == {"010001"}


def test_no_header_or_a_column_twice_is_unreadable() -> None:
    with pytest.raises(RegisterUnreadable) as exc:
        read_rows([["a", "b"], ["1", "2"]])
    assert exc.value.code == "no_header"
    with pytest.raises(RegisterUnreadable) as exc:
        read_rows([["姓名", "电话", "联系电话"]])
    assert exc.value.code == "duplicate_column" and exc.value.params["row"] == 1
    with pytest.raises(RegisterUnreadable):
        read_rows([])


# -- owners -----------------------------------------------------------------------------------


def owners(*rows: list[object]) -> list[list[object]]:
    return [TITLE, OWNERS, *[list(r) for r in rows]]


def test_an_owner_of_two_flats_is_one_person_with_both() -> None:
    parsed = read_rows(owners(["余玉珍", "3号楼", "1单元", "301", 69.7, "10096850016"],
                              ["胡华", "3号楼", "1单元", "401", "90.19", "10004274723"],
                              ["余玉珍", "3号楼", "1单元", "302", "88.62", "10096850016"]))
    assert [p.name for p in parsed.people] == ["余玉珍", "胡华"]
    yu = parsed.people[0]
    assert [f.room for f in yu.flats] == ["301", "302"] and yu.area == Decimal("158.32")
    assert yu.other_phones == () and not parsed.notes
    assert parsed.area == Decimal("248.51") and parsed.flats == 3 and len(parsed.owners) == 2
    assert yu.group == "3号楼1单元"


def test_an_owner_giving_another_phone_for_the_second_flat_is_noted() -> None:
    parsed = read_rows(owners(["余玉珍", "3号楼", "1单元", "301", 69.7, "10096850016"],
                              ["余玉珍", "3号楼", "1单元", "302", 88.62, "10064839386"]))
    (yu,) = parsed.people
    assert yu.phone == "10096850016" and yu.other_phones == ("10064839386",)
    assert [(n.row, n.reason) for n in parsed.notes] == [(4, "owner_phones")] and not parsed.bad


def test_owners_rows_are_checked() -> None:
    parsed = read_rows(owners(["宋辉", "3号楼", "1单元", "101", 97.11, ""],
                              ["程子涵", "3号楼", "1单元", "102", "abc", ""],
                              ["谢俊", "3号楼", "1单元", "201", -3, ""],
                              ["何敏", "3号楼", "1单元", "202", None, ""],
                              ["郑婷", "3号楼", "1单元", "", 80, ""],
                              ["夏伟", "3号楼", "1单元", "101", 64.57, ""]))
    assert [(b.row, b.reason) for b in parsed.bad] == [(4, "bad_area"), (5, "bad_area"), (6, "no_area"),
                                                       (7, "no_room"), (8, "duplicate_flat")]
    assert parsed.bad[-1].params == {"flat": "3号楼1单元101", "first_row": 3}


# -- re-import and export ---------------------------------------------------------------------


def test_re_importing_updates_rather_than_duplicates() -> None:
    first = read_rows(village(person(), person("孟晓东", "女", 1946, relation="配偶"))).people
    again = read_rows(village(person("孟晓东", "女", 1946, relation="配偶", tel="13900000000"), person(),
                              person("卢小明", "男", 1975, relation="子女"))).people
    people, changes = merge(first, again)
    assert [p.name for p in people] == ["卢晓东", "孟晓东", "卢小明"]
    assert [p.name for p in changes.added] == ["卢小明"]
    assert [(a.phone, b.phone) for a, b in changes.updated] == [("10018609139", "13900000000")]
    assert [p.name for p in changes.unchanged] == ["卢晓东"]  # read from another row: the same person
    assert changes.absent == []
    _, changes = merge(people, again[2:])
    assert [p.name for p in changes.absent] == ["卢晓东", "孟晓东"] and [p.name for p in changes.unchanged] == ["卢小明"]


names = st.sampled_from(["甲", "乙", "丙", "丁", "戊"])
households = st.sampled_from(["010001", "010002", "020001"])
people_st = st.lists(st.builds(lambda n, h, y, t: Person(name=n, household=h, birth_year=y, phone=t),
                               names, households, st.integers(1930, 2020), st.sampled_from([None, "13800000000"])),
                     max_size=12, unique_by=lambda p: p.key)


@SETTINGS
@given(people_st, people_st)
def test_merge_keeps_one_person_per_key_and_a_second_import_changes_nothing(old: list[Person],
                                                                          new: list[Person]) -> None:
    people, changes = merge(old, new)
    assert len({p.key for p in people}) == len(people)
    assert {p.key for p in people} == {p.key for p in old} | {p.key for p in new}
    assert len(changes.added) + len(changes.updated) + len(changes.unchanged) == len(new)
    again, second = merge(people, new)
    assert again == people and not second.added and not second.updated


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_cleaned_register_reads_back_to_the_same_people(lang: str) -> None:
    for rows in (village(person(rep="√"), person("孟晓东", "女", "1946年3月", relation="配偶", tel="　10024628194")),
                 owners(["余玉珍", "3号楼", "1单元", "301", 69.7, "10096850016"],
                        ["余玉珍", "3号楼", "1单元", "302", "88.62", "10064839386"])):
        parsed = read_rows(rows)
        back = read_rows(to_rows(parsed, lang))
        assert len(back.people) == len(parsed.people)
        assert all(a.same_as(b) for a, b in zip(parsed.people, back.people))
        assert not back.bad


def test_rows_below_the_table_that_name_no_one_are_skipped_and_noted() -> None:
    parsed = read_rows(owners(["宋辉", "3号楼", "1单元", "101", 97.11, ""],
                              ["合计", None, None, None, 97.11, None],
                              [None, "总计3302.88", None, None, None, None],
                              ["制表人：王芳", None, None, None, None, "审核：李强"],
                              ["Total", None, None, None, 97.11, None]))
    assert [p.name for p in parsed.people] == ["宋辉"] and parsed.bad == []
    assert [(n.row, n.reason, n.params["text"]) for n in parsed.notes] == [
        (4, "not_a_person", "合计"), (5, "not_a_person", "总计3302.88"), (6, "not_a_person", "制表人:王芳"),
        (7, "not_a_person", "Total")]
    assert read_rows(village(person("合计"))).people == []
    assert [p.name for p in read_rows(village(person("计合"), person("Sumner", household="010002"))).people] == [
        "计合", "Sumner"]
