"""The command-line tools that work on a data folder: minutes, meetings, verify.

They read the same SQLite file as a running server (WAL mode, busy timeout), so they can be
used during a meeting. Exit status: 0 when all is well, 1 when verification finds a problem,
2 when the data folder or the meeting does not exist.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from .i18n import N_, gettext
from .zones import known_zone

MSG = {
    "no_data": N_("There is no Yishi data in {path}."),
    "no_meeting": N_("There is no meeting {id} in {path}."),
    "written": N_("Minutes of {id} ({format}, {events} events) written to {path} in {seconds:.2f} s."),
    "no_meetings": N_("No meetings yet."),
    "intact": N_("The record of {id} is intact: {events} events, last hash {hash}."),
    "broken": N_("The record of {id} is NOT intact: event {seq} is the first bad one: {detail}."),
    "good_up_to": N_("Events 1 to {events} check out."),
    "minutes_match": N_("The minutes file {path} matches the record (event {events}, hash {hash})."),
    "minutes_newer": N_("{n} events were recorded after these minutes were generated; newer minutes would show them."),
    "minutes_differ": N_("The minutes file {path} does NOT match the record:"),
    "tampered": N_("Warning: the record of {id} is not intact from event {seq} on ({detail}). These minutes show "
                   "what is stored; run yishi verify {id}."),
}


def _lang(args: argparse.Namespace) -> str:
    if getattr(args, "lang", None):
        return str(args.lang)
    env = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if not env:  # Windows sets no LANG: its locale is named like "Chinese (Simplified)_China"
        import locale

        env = locale.getlocale()[0] or ""
    return "zh-CN" if env.lower().startswith(("zh", "chinese")) else "en"


def say(args: argparse.Namespace, key: str, **params: Any) -> str:
    return gettext(_lang(args), MSG[key], **params)


def _store(args: argparse.Namespace) -> Any:
    """The data folder's store, without creating anything in a folder that has none."""
    from .store import Store

    url = args.database or os.environ.get("YISHI_DATABASE_URL", "")
    if not url:
        db = Path(args.data) / "yishi.db"
        if not db.exists():
            print(say(args, "no_data", path=args.data), file=sys.stderr)
            raise SystemExit(2)
        url = f"sqlite:///{db}"
    from .cli import open_tables

    if not open_tables(url, Path(args.data)):  # an older data folder is backed up and upgraded, and says so
        raise SystemExit(1)
    return Store(url)


def _meeting(args: argparse.Namespace, store: Any) -> Any:
    from .record import fold_records

    if store.meeting(args.meeting) is None:
        print(say(args, "no_meeting", id=args.meeting, path=args.data), file=sys.stderr)
        raise SystemExit(2)
    return fold_records(args.meeting, store.events(args.meeting))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default="./yishi-data", help="data folder (default ./yishi-data)")
    p.add_argument("--database", default="", help="database URL instead of the data folder's SQLite file")
    p.add_argument("--lang", choices=("zh-CN", "en"), help="language of the output (default: the meeting's, or $LANG)")


# -- yishi minutes ------------------------------------------------------------------


def run_minutes(args: argparse.Namespace) -> int:
    from facilitation.minutes import minutes

    from .minutes import render
    from .record import identity_of, verify_chain

    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output not in (None, "-") else "") or "html"
    if fmt not in FORMATS:
        print(f"--format: {fmt}? ({', '.join(FORMATS)})", file=sys.stderr)
        return 2
    if not known_zone(args.timezone):
        print(f"--timezone: {args.timezone}?", file=sys.stderr)
        return 2
    if fmt == "pdf":
        from .errors import message
        from .minutes.pdf import pdf_available

        if not pdf_available():  # before anything is read: say what to install, the other formats still work
            print(f"yishi: {message('pdf_unavailable', _lang(args))}", file=sys.stderr)
            return 1
    store = _store(args)
    try:
        started = time.perf_counter()
        if store.meeting(args.meeting) is not None:
            chain = verify_chain(args.meeting, store.rows(args.meeting))
            if not chain.intact:
                print(say(args, "tampered", id=args.meeting, seq=chain.bad_seq, detail=chain.detail(_lang(args))),
                      file=sys.stderr)
        try:
            m = _meeting(args, store)
        except (ValueError, KeyError, TypeError, IndexError) as exc:  # a record too damaged to replay
            print(f"{args.meeting}: {exc!r}", file=sys.stderr)
            return 1
        model = minutes(m, identity_of(m), public=args.public, timezone=args.timezone)
        data = render(model, fmt, args.lang or m.language, site=args.public_url.rstrip("/"),
                      notice_days=args.notice_days)
    finally:
        store.close()
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    Path(args.output).write_bytes(data)
    print(say(args, "written", id=m.id, format=fmt, events=m.seq, path=args.output,
              seconds=time.perf_counter() - started), file=sys.stderr)
    return 0


# -- yishi meetings -----------------------------------------------------------------


def run_meetings(args: argparse.Namespace) -> int:
    from .record import fold_records

    store = _store(args)
    try:
        rows = []
        for row in store.meetings():
            m = fold_records(row.id, store.events(row.id))
            rows.append({"id": row.id, "title": m.title, "form": m.form, "status": m.status, "starts_at": m.starts_at,
                         "events": m.seq})
    finally:
        store.close()
    if args.json:
        print(json.dumps({"meetings": rows}, ensure_ascii=False, indent=2))
    elif not rows:
        print(say(args, "no_meetings"))
    else:
        for r in rows:
            print(f"{r['id']}  {r['status']:<6}  {r['form']:<15}  {r['starts_at'] or '-':<16}  {r['title']}")
    return 0


# -- yishi verify -------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    from .record import verify_meeting

    store = _store(args)
    try:
        if store.meeting(args.meeting) is None:
            print(say(args, "no_meeting", id=args.meeting, path=args.data), file=sys.stderr)
            return 2
        data = Path(args.minutes).read_bytes() if args.minutes else b""
        result = verify_meeting(store, args.meeting, data, _lang(args))
    finally:
        store.close()
    record, checked = result["record"], result.get("minutes")
    good = record["intact"] and (checked is None or checked["matches"])
    if args.json:
        print(json.dumps({"ok": good, **result}, ensure_ascii=False, indent=2))
        return 0 if good else 1
    if record["intact"]:
        print(say(args, "intact", id=args.meeting, events=record["events"], hash=record["last_hash"]))
    else:
        bad = record["first_bad"]
        print(say(args, "broken", id=args.meeting, seq=bad["seq"], detail=bad["detail"]))
        print(say(args, "good_up_to", events=record["events"]))
    if checked is not None:
        if checked["matches"]:
            stated = checked["stated"]
            print(say(args, "minutes_match", path=args.minutes, events=stated["events"], hash=stated["last_hash"]))
            if checked["newer_events"]:
                print(say(args, "minutes_newer", n=checked["newer_events"]))
        else:
            print(say(args, "minutes_differ", path=args.minutes))
            for problem in checked["problems"]:
                print(f"  - {problem}")
    return 0 if good else 1


FORMATS = ("html", "pdf", "docx", "md", "json")


def _days(text: str) -> int:
    days = int(text)
    if not 1 <= days <= 365:
        raise argparse.ArgumentTypeError("1 to 365")
    return days


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds the record commands to the `yishi` command line."""
    p = sub.add_parser("minutes", help="write a meeting's minutes (html, pdf, docx, md, json)")
    p.add_argument("meeting", help="meeting id (see `yishi meetings`)")
    p.add_argument("--format", "-f", choices=FORMATS, help="default: from the file name, else html")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--public", action="store_true", help="the public version (公示): residents' names masked")
    p.add_argument("--timezone", default="Asia/Shanghai", help="time zone of the times shown (default Asia/Shanghai)")
    p.add_argument("--public-url", default="", metavar="URL",
                   help="the server's address as phones reach it (as for yishi serve): the verification link is "
                        "printed in full and as a QR code")
    p.add_argument("--notice-days", type=_days, default=None, metavar="N",
                   help="the public version's publicity period in days, from today (default: as the meeting "
                        "set it, else 7)")
    _common(p)
    p.set_defaults(run=run_minutes)

    p = sub.add_parser("meetings", help="list the meetings in a data folder")
    p.add_argument("--json", action="store_true", help="as JSON")
    _common(p)
    p.set_defaults(run=run_meetings)

    p = sub.add_parser("verify", help="check a meeting's record (and a minutes file) for tampering")
    p.add_argument("meeting", help="meeting id")
    p.add_argument("--minutes", help="a minutes file (json, html, pdf, docx or md) to check against the record")
    p.add_argument("--json", action="store_true", help="the result as JSON (same as GET /meetings/{id}/verify)")
    _common(p)
    p.set_defaults(run=run_verify)
