"""`yishi register check FILE` and `yishi register convert FILE -o OUT`: the office's register files.

check reads and validates a register (.csv or .xlsx) and prints a summary and every bad row, by
its row number in Excel; convert writes the cleaned register as .csv or .xlsx, and only from a
file without bad rows; import stores it in the data folder's register (all of it, or with
--good-rows its good rows), export writes the stored register (docs/register.md). Exit status: 0
when the file is clean (or imported, or written), 1 when it has bad rows (and nothing was
imported), 2 when it cannot be read (or the output cannot be written).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from facilitation.register import BadRow, Parsed, RegisterUnreadable, read_rows, to_rows

from .i18n import N_, gettext
from .records_cli import _lang

REASONS = {
    "no_name": N_("the name is missing"),
    "bad_characters": N_("{column}: control or text-direction characters (such as U+202E), which could make "
                         "it show as something else"),
    "invisible_text": N_("{column}: nothing visible (only spaces or invisible characters)"),
    "name_too_long": N_("the name is {length} characters long (at most {max})"),
    "bad_sex": N_("sex “{value}” is neither 男/女 nor male/female"),
    "bad_birth_year": N_("birth year “{value}” is not a year (such as 1949, 1949-03 or 1949年3月)"),
    "implausible_year": N_("birth year {year} is not plausible (from {min} to {max})"),
    "bad_registered": N_("“{value}” is neither 户籍/非户籍 nor yes/no"),
    "bad_representative": N_("representative: “{value}” is not yes or no (是/否, Y/N, √)"),
    "bad_party_member": N_("party member: “{value}” is not yes or no (是/否, Y/N, √)"),
    "bad_phone": N_("phone “{value}” is not a phone number"),
    "bad_area": N_("area “{value}” is not a positive number"),
    "no_area": N_("the area is missing"),
    "no_room": N_("the room number is missing"),
    "bad_household": N_("household code “{value}” has characters other than letters, digits and dashes"),
    "short_household": N_("household code {value} is shorter than the others ({length} digits): Excel drops "
                          "leading zeros from numbers, store the column as text"),
    "household_group": N_("household {household} is in {first_group} in row {first_row}, here in {group}"),
    "second_head": N_("household {household} already has a head (户主) in row {first_row}"),
    "duplicate": N_("{name} is already in row {first_row}"),
    "duplicate_flat": N_("flat {flat} is already in row {first_row}"),
    "not_a_person": N_("“{text}” names no one (a total or a signature line): not read"),
    "owner_phones": N_("{name} is taken as the owner of row {first_row} (same name), whose phone is {phone}: "
                       "this row's phone is kept as a second one"),
}

UNREADABLE = {
    "no_header": N_("No header row in the first {rows} rows: one of them must name the columns, among them "
                    "the name (姓名 / name)."),
    "duplicate_column": N_("Row {row} names the same column twice: “{first}” and “{second}”."),
    "too_big": N_("The file is {size} bytes; at most {max} are read."),
    "not_a_file": N_("{path} is a folder, not a file."),
    "no_file": N_("There is no file {path}."),
    "cannot_open": N_("{path} cannot be opened: {detail}."),
    "old_xls": N_("This is the old Excel format (.xls): save it as .xlsx or .csv (File > Save As)."),
    "not_spreadsheet": N_("This is not a spreadsheet: save the register as .xlsx or .csv."),
    "encoding": N_("The text is neither UTF-8 nor GB18030/GBK: save the file as CSV UTF-8."),
    "bad_csv": N_("The CSV cannot be read at row {row} (a line far too long, or a quote left open)."),
    "too_many_rows": N_("The file has more than {max} rows."),
    "too_many_columns": N_("Row {row} has more than {max} columns."),
    "cell_too_big": N_("Row {row} has a cell longer than {max} characters."),
    "too_many_parts": N_("The workbook has more than {max} parts, as no spreadsheet has: it is not read."),
    "packed_too_tight": N_("A part of the workbook would unpack to more than {ratio} times its size, as no "
                           "spreadsheet does: it is not read. Save the register again as .xlsx or .csv."),
    "part_too_big": N_("The workbook's {part} would unpack to more than {max} MB, far more than a register's: it "
                       "is not read. Save the register as .csv."),
    "unpacks_too_big": N_("The workbook would unpack to more than {max} MB: it is not read. Save the register "
                          "as .csv, or split it."),
    "empty": N_("The workbook has no sheet."),
    "output_format": N_("The output must be a .csv or .xlsx file, not {suffix}."),
    "same_file": N_("The output would overwrite the file being read: give it another name."),
}

MSG = {
    "summary": N_("{path}: people {people}, households {households}, groups {groups} (header in row {header})."),
    "owners": N_("Owners {owners}, flats {flats}, total area {area} m²."),
    "ignored": N_("Columns not read: {columns}."),
    "row": N_("row {row}: {reason}"),
    "note": N_("row {row} (note): {reason}"),
    "clean": N_("No bad rows."),
    "bad": N_("Bad rows: {n}. Fix them in the file and check it again."),
    "written": N_("{people} people written to {path}."),
    "not_written": N_("Nothing written: fix the bad rows first."),
    "cannot_write": N_("{path} cannot be written: {detail}."),
    "not_imported": N_("Nothing imported: fix the bad rows first, or import only the good rows (--good-rows)."),
    "imported": N_("Imported into the register of {data}: {added} added, {updated} updated, {unchanged} unchanged; "
                   "{absent} in the register but not in the file, kept. The register now has {people} people "
                   "({active} active)."),
    "skipped": N_("{n} bad rows were left out."),
    "exported": N_("{people} people of the register written to {path}."),
    "empty_register": N_("The register of {data} is empty: import the office's file first (yishi register import)."),
}


def _say(lang: str, table: dict[str, str], key: str, params: dict[str, Any]) -> str:
    return gettext(lang, table[key], **params)


def reason(lang: str, bad: BadRow) -> str:
    return _say(lang, REASONS, bad.reason, bad.params)


def parse(path: str) -> Parsed:
    from .register_files import read_file

    return read_rows(read_file(path), this_year=date.today().year)


def report(lang: str, path: str, parsed: Parsed) -> list[str]:
    lines = [_say(lang, MSG, "summary", {"path": path, "people": len(parsed.people),
                                         "households": len(parsed.households), "groups": len(parsed.groups),
                                         "header": parsed.header_row})]
    if parsed.owners:
        lines.append(_say(lang, MSG, "owners", {"owners": len(parsed.owners), "flats": parsed.flats,
                                                "area": f"{parsed.area:.2f}"}))
    if parsed.ignored_columns:
        sep = "、" if lang == "zh-CN" else ", "
        lines.append(_say(lang, MSG, "ignored", {"columns": sep.join(parsed.ignored_columns)}))
    lines += [_say(lang, MSG, "row", {"row": b.row, "reason": reason(lang, b)}) for b in parsed.bad]
    lines += [_say(lang, MSG, "note", {"row": b.row, "reason": reason(lang, b)}) for b in parsed.notes]
    lines.append(_say(lang, MSG, "bad", {"n": len(parsed.bad)}) if parsed.bad else _say(lang, MSG, "clean", {}))
    return lines


def _unreadable(lang: str, path: str, exc: RegisterUnreadable) -> int:
    print(f"yishi: {path}: {_say(lang, UNREADABLE, exc.code, exc.params)}", file=sys.stderr)
    return 2


def run_check(args: argparse.Namespace) -> int:
    lang = _lang(args)
    try:
        parsed = parse(args.file)
    except RegisterUnreadable as exc:
        return _unreadable(lang, args.file, exc)
    print("\n".join(report(lang, args.file, parsed)))
    return 1 if parsed.bad else 0


def _bad_output(lang: str, out: Path) -> int | None:
    """2 (said why) when `out` is not a .csv or .xlsx file; None when it is."""
    if out.suffix.lower() in (".csv", ".xlsx"):
        return None
    return _unreadable(lang, str(out), RegisterUnreadable("output_format", suffix=out.suffix or "-"))


def _write(lang: str, parsed: Parsed, out: Path) -> bool:
    """Write `parsed` to `out` in its titles of `lang`; False (said why) when the file cannot be written."""
    from .register_files import write_file

    try:
        write_file(to_rows(parsed, lang), out)
    except OSError as exc:
        print(f"yishi: {_say(lang, MSG, 'cannot_write', {'path': str(out), 'detail': exc.strerror or exc})}",
              file=sys.stderr)
        return False
    return True


def run_convert(args: argparse.Namespace) -> int:
    lang = _lang(args)
    out = Path(args.output)
    if (refused := _bad_output(lang, out)) is not None:
        return refused
    try:
        if out.exists() and out.resolve() == Path(args.file).resolve():
            raise RegisterUnreadable("same_file")
        parsed = parse(args.file)
    except RegisterUnreadable as exc:
        return _unreadable(lang, args.file, exc)
    if parsed.bad:
        print("\n".join(report(lang, args.file, parsed)))
        print(_say(lang, MSG, "not_written", {}), file=sys.stderr)
        return 1
    if not _write(lang, parsed, out):
        return 2
    print(_say(lang, MSG, "written", {"people": len(parsed.people), "path": args.output}))
    return 0


def _registry(args: argparse.Namespace, *, create: bool) -> Any:
    """The data folder's register; `create` makes the folder and its database when there is none."""
    import os

    from .registry import Registry

    if create and not (args.database or os.environ.get("YISHI_DATABASE_URL")):
        from .settings import private_folder

        private_folder(Path(args.data))
        from .cli import open_tables

        if not open_tables(f"sqlite:///{Path(args.data) / 'yishi.db'}", Path(args.data)):
            raise SystemExit(1)
    from .records_cli import _store

    return Registry(_store(args), community=getattr(args, "community", ""))


def _community(text: str) -> str:
    """--community: a community's id on an install that keeps one register per community."""
    from facilitation.community import COMMUNITY

    if text and not COMMUNITY.fullmatch(text):  # "": the install's first register
        raise argparse.ArgumentTypeError(f"社区代号只能用小写字母、数字、- 和 _（至多40个）/ "
                                         f"a community id is lowercase letters, digits, - and _ (at most 40): {text[:40]!r}")
    return text


def run_import(args: argparse.Namespace) -> int:
    """Read the office's file and, when it is clean (or with --good-rows, its good rows), store it."""
    from facilitation.community import import_people
    from facilitation.events import By, FACILITATOR

    lang = _lang(args)
    try:
        parsed = parse(args.file)
    except RegisterUnreadable as exc:
        return _unreadable(lang, args.file, exc)
    print("\n".join(report(lang, args.file, parsed)))
    if parsed.bad and not args.good_rows:
        print(_say(lang, MSG, "not_imported", {}), file=sys.stderr)
        return 1
    registry = _registry(args, create=True)
    event, changes = import_people(registry.state(), parsed, file=Path(args.file).name, actor=By(FACILITATOR))
    registry.append(event)
    c = registry.state()
    if parsed.bad:
        print(_say(lang, MSG, "skipped", {"n": len(parsed.bad)}))
    print(_say(lang, MSG, "imported", {"data": args.data, "added": len(changes.added), "updated": len(changes.updated),
                                       "unchanged": len(changes.unchanged), "absent": len(changes.absent),
                                       "people": len(c.entries), "active": len(c.active())}))
    return 0


def run_export(args: argparse.Namespace) -> int:
    lang = _lang(args)
    out = Path(args.output or f"register.{args.format}")
    if (refused := _bad_output(lang, out)) is not None:
        return refused
    c = _registry(args, create=False).state()
    if not c.entries:
        print(f"yishi: {_say(lang, MSG, 'empty_register', {'data': args.data})}", file=sys.stderr)
        return 2
    parsed = c.as_parsed(everyone=args.all)
    if not _write(lang, parsed, out):
        return 2
    print(_say(lang, MSG, "exported", {"people": len(parsed.people), "path": str(out)}))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("register", help="the community register (名册): check or convert the office's file")
    commands = p.add_subparsers(dest="register_command", required=True)
    lang_help = "language of the output (default: $LANG)"
    community_help = ("the community whose register it is, on an install serving several "
                      "(lowercase letters, digits, - and _; default: the install's first)")
    c = commands.add_parser("check", help="read a register (.csv or .xlsx) and list its bad rows")
    c.add_argument("file")
    c.add_argument("--lang", choices=("zh-CN", "en"), help=lang_help)
    c.set_defaults(run=run_check)
    c = commands.add_parser("convert", help="write the cleaned register as .csv or .xlsx")
    c.add_argument("file")
    c.add_argument("-o", "--output", required=True, help="the file to write (.csv or .xlsx)")
    c.add_argument("--lang", choices=("zh-CN", "en"), help="language of the output and of its column titles")
    c.set_defaults(run=run_convert)
    data_help = "data folder (default ./yishi-data)"
    c = commands.add_parser("import", help="store the office's register in the data folder (re-importing updates people)")
    c.add_argument("file")
    c.add_argument("--good-rows", action="store_true", help="import the good rows of a file that has bad ones")
    c.add_argument("--community", type=_community, default="", help=community_help)
    c.add_argument("--data", default="./yishi-data", help=data_help)
    c.add_argument("--database", default="", help="database URL instead of the data folder's SQLite file")
    c.add_argument("--lang", choices=("zh-CN", "en"), help=lang_help)
    c.set_defaults(run=run_import)
    c = commands.add_parser("export", help="write the stored register as .xlsx or .csv")
    c.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    c.add_argument("-o", "--output", default="", help="the file to write (default register.FORMAT)")
    c.add_argument("--all", action="store_true", help="also those who moved away or died")
    c.add_argument("--community", type=_community, default="", help=community_help)
    c.add_argument("--data", default="./yishi-data", help=data_help)
    c.add_argument("--database", default="", help="database URL instead of the data folder's SQLite file")
    c.add_argument("--lang", choices=("zh-CN", "en"), help="language of the output and of its column titles")
    c.set_defaults(run=run_export)
