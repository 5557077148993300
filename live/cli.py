"""The `yishi` command: serve, demo (and the tools that work on a data folder)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from .settings import Settings


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default="./yishi-data", help="data folder (default ./yishi-data)")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default all)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--database", default="", help="database URL (default SQLite in the data folder)")
    p.add_argument("--public-url", default="", help="the address phones use, e.g. http://192.168.1.20:8000")
    p.add_argument("--redis", default="", help="Redis URL, to share rooms between several server processes")
    p.add_argument("--fanout", choices=("direct", "stock"), default="",
                   help="how broadcasts go out: direct (default, written once per room) or stock (python-socketio's "
                        "own); default from YISHI_FANOUT")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes on the one port (default 1); more than one needs --database "
                        "postgresql+psycopg://... and --redis redis://..., which they share")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(data=args.data, host=args.host, port=args.port, database_url=args.database,
                    public_url=args.public_url, redis_url=args.redis, fanout=args.fanout)


def banner(settings: Settings, meetings: list[tuple[str, dict[str, str]]], encoding: str = "utf-8") -> str:
    """What `yishi serve` prints, in what the console can show: a console that cannot encode
    Chinese (cp437) gets the English labels alone, one without block characters a plain QR code."""
    from .qr import terminal

    chinese = can_encode("议事组织者投影扫码签到会议纪要公示落实跟踪开栏协商题", encoding)

    def label(en: str, zh: str) -> str:
        return f"{en} / {zh}" if chinese else en

    lines = [
        "Yishi 议事" if chinese else "Yishi",
        f"  {label('phones on this network', '同一网络的手机')}: {settings.public_url}",
        f"  {label('facilitator', '组织者')}: {settings.public_url}/?token={settings.token}",
        f"  {label('follow-up', '落实跟踪')}: {settings.public_url}/office?token={settings.token}",
        f"  {label('public board', '公开栏')}: {settings.public_url}/board",
        f"  {label('topics for consultation', '协商议题')}: {settings.public_url}/topics",
        f"  {label('broadcasts', '广播')}: {settings.fanout} path (YISHI_FANOUT=direct|stock)",
    ]
    for title, links in meetings:
        moderator = links.get("moderator") or label("a new link on the facilitator page", "在组织者页面签发新链接")
        lines += [f"\n  {title}", f"    {label('moderator', '主持人')}: {moderator}"]
        if "recorder" in links:
            lines.append(f"    {label('recorder', '记录人')}:  {links['recorder']}")
        lines += [f"    {label('projector', '投影')}:   {links['projector']}",
                  f"    {label('join', '扫码签到')}:    {links['join']}"]
        if "minutes" in links:
            lines += [f"    {label('minutes', '会议纪要')}: {links['minutes']}", f"    {label('public', '公示')}:      {links['public']}"]
    # The QR code of the first meeting's join link; with no meeting yet, the facilitator's link
    # (for opening the facilitator page on a tablet).
    lines.append(terminal(meetings[0][1]["join"] if meetings else f"{settings.public_url}/?token={settings.token}",
                          encoding))
    # Titles are the organisers' own text: what the console cannot show becomes "?", the links stay.
    return "\n".join(lines).encode(encoding, "replace").decode(encoding)


def can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def console_safe() -> None:
    """Never stop on a character the console cannot show (a Windows console redirected to a file
    writes in the ANSI code page, cp936 or cp437): print "?" for it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def raise_open_files() -> None:
    """Each phone holds a socket: lift the soft limit on open files to the hard one (a hall is thousands).
    Windows has no such limit to lift (nor the `resource` module)."""
    try:
        import resource
    except ImportError:
        return

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):  # not allowed here: keep what we have
            pass


def serve(settings: Settings, meetings: list[tuple[str, dict[str, str]]], workers: int = 1) -> None:
    import uvicorn

    from .app import WORKER_SETTINGS, create_app
    from .collector import collector

    raise_open_files()
    # The direct broadcast path writes to uvicorn's websockets-sansio connections: ask for that one by name.
    ws = "websockets-sansio" if settings.fanout == "direct" else "auto"
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_level": "warning", "ws": ws,
                               "ws_per_message_deflate": False}
    if workers > 1:
        # Each process builds its own app from the same settings (live/app.py, worker_app); they share
        # the one listening socket, and the meetings through PostgreSQL and Redis. The pages' sockets
        # are websocket-only, so a phone needs no sticky session: any process serves it.
        os.environ[WORKER_SETTINGS] = json.dumps({
            "data": str(settings.data), "host": settings.host, "port": settings.port, "database_url": settings.database_url,
            "public_url": settings.public_url, "token": settings.token, "redis_url": settings.redis_url,
            "fanout": settings.fanout})
        print(banner(settings, meetings, sys.stdout.encoding or "utf-8"), flush=True)
        uvicorn.run("live.app:worker_app", factory=True, workers=workers, **options)
        return
    app = create_app(settings)
    print(banner(settings, meetings, sys.stdout.encoding or "utf-8"), flush=True)
    collector.tune()  # see live/collector.py
    uvicorn.run(app, **options)


def check_workers(settings: Settings, workers: int) -> str:
    """Why these settings cannot run `workers` processes ("" when they can)."""
    if workers < 1:
        return "--workers 至少为 1 / --workers must be at least 1"
    if workers > 1 and (not settings.redis_url or not settings.database_url.startswith("postgresql")):
        return ("多个服务进程须共用 PostgreSQL 和 Redis：请加上 --database postgresql+psycopg://… 和 --redis redis://… / "
                "several server processes share PostgreSQL and Redis: give --database postgresql+psycopg://… and "
                "--redis redis://…")
    return ""


async def _meetings_in(settings: Settings, *, demo: bool) -> list[tuple[str, dict[str, str]]]:
    """The links to print: the open meetings in the data folder, latest first. With `demo`, the
    sample meetings come first; they are created the first time only."""
    from .app import links
    from .attachments import Attachments
    from .demo import HEARING, LIFT, OWNERS_VOTE, VILLAGE_ASSEMBLY, create_demo, create_finished_demo, \
        create_hearing_demo, create_owners_demo, create_topics_demo, create_village_demo, follow_up_demo
    from .digests import Digests
    from .services import Meetings
    from .store import Store

    live_title, finished_title = LIFT["title"], LIFT["title"] + "（已结束示例）"
    store = Store(settings.database_url)
    meetings = Meetings(store)
    digests = Digests(meetings)  # titles and status as kept: a folder of many meetings is not read again
    try:
        titles = {it.digest["title"] for it in await digests.listed()}
        if demo and live_title not in titles:
            await create_demo(meetings)
        if demo and finished_title not in titles:  # and what became of its decisions since
            finished, _ = await create_finished_demo(meetings)
            await follow_up_demo(meetings, finished, Attachments(settings.data))
        if demo and OWNERS_VOTE["title"] not in titles:  # convened from the sample owners' register
            await create_owners_demo(meetings)
        if demo and VILLAGE_ASSEMBLY["title"] not in titles:  # convened from the sample village register
            await create_village_demo(meetings)
        if demo and HEARING["title"] not in titles:  # a hearing, its parties registered beforehand
            await create_hearing_demo(meetings)
        if demo:  # topics at every stage, on the sample meetings' agendas (made the first time only)
            by_title = {it.digest["title"]: it.id for it in await digests.listed()}
            await create_topics_demo(meetings, live=by_title[live_title], finished=by_title[finished_title],
                                     village=by_title[VILLAGE_ASSEMBLY["title"]], hearing=by_title[HEARING["title"]],
                                     files=Attachments(settings.data, "topic-materials"))
        states = [(it, it.digest) for it in reversed(await digests.listed())]
        if demo:  # the sample meeting to run first, so that the QR code printed is its join link
            states.sort(key=lambda rm: rm[1]["title"] != live_title)
        # The staff's keys are stored hashed, so a meeting's console links cannot be printed again:
        # the facilitator page issues new ones. The samples' keys are issued anew at each demo start.
        samples = {live_title, finished_title, OWNERS_VOTE["title"], VILLAGE_ASSEMBLY["title"], HEARING["title"]} \
            if demo else set()
        keys: dict[str, tuple[str, str]] = {}
        for row, m in states:
            if m["title"] in samples:
                keys[row.id] = (await meetings.reissue_key(row.id, "moderator"),
                                await meetings.reissue_key(row.id, "recorder"))
        out = [(m["title"], links(settings, row.id, *keys.get(row.id, (None, None))))
               for row, m in states if m["status"] == "open"]
        if demo:
            for title, label in ((finished_title, "已结束示例 / finished sample"),
                                 (OWNERS_VOTE["title"], "业主共同决定示例 / owners' decision sample")):
                row = next(row for row, m in states if m["title"] == title)
                done = links(settings, row.id, *keys[row.id])
                done["minutes"] = f"{settings.public_url}/meetings/{row.id}/minutes.html?key={keys[row.id][0]}"
                done["public"] = f"{settings.public_url}/meetings/{row.id}/public"
                out.append((label, done))
        return out
    finally:
        await meetings.close()
        store.close()


def open_tables(url: str, data: Path, *, make_backup: bool = True, quiet: bool = True) -> bool:
    """Back up and upgrade an older database (saying so), create an empty one; False if it cannot be used."""
    from . import schema

    try:
        result = schema.prepare(url, data, make_backup=make_backup)
    except schema.TablesTooNew as exc:
        print(f"yishi: 数据由更新版本的议事写入 / the database was written by a newer version of Yishi "
              f"(revision {exc}); this version cannot open it", file=sys.stderr)
        return False
    except FileNotFoundError:
        print("yishi: 升级前需要 pg_dump 备份 PostgreSQL / pg_dump is needed to back up PostgreSQL before the "
              "upgrade: install postgresql-client, or run yishi upgrade --no-backup after your own backup",
              file=sys.stderr)
        return False
    if result.changed or not quiet:
        print(f"yishi: {schema.said(result)}", file=sys.stderr, flush=True)
    from .settings import private_file

    if url.startswith("sqlite:///"):
        private_file(Path(url.removeprefix("sqlite:///")))
    if result.backup is not None:  # a copy of everything the database holds: as private as it
        private_file(result.backup)
    return True


def run_upgrade(args: argparse.Namespace) -> int:
    data = Path(args.data)
    url = args.database or os.environ.get("YISHI_DATABASE_URL", "")
    if not url:
        if not (data / "yishi.db").exists():
            print(f"yishi: {data} 中没有议事数据 / there is no Yishi data in {data}", file=sys.stderr)
            return 2
        url = f"sqlite:///{data / 'yishi.db'}"
    return 0 if open_tables(url, data, make_backup=not args.no_backup, quiet=False) else 1


def main(argv: list[str] | None = None) -> int:
    console_safe()
    parser = argparse.ArgumentParser(prog="yishi", description="Yishi 议事: live deliberation meetings and their minutes")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_args(sub.add_parser("serve", help="run the server"))
    _serve_args(sub.add_parser("demo", help="run the server with a sample meeting set up"))
    from . import bench, records_cli, register_cli

    records_cli.register(sub)
    register_cli.register(sub)
    bench.register(sub)
    p = sub.add_parser("upgrade", help="back up a data folder's database and bring its tables up to this version")
    p.add_argument("--data", default="yishi-data", help="data folder (default ./yishi-data)")
    p.add_argument("--database", default="", help="database URL (default SQLite in the data folder)")
    p.add_argument("--no-backup", action="store_true", help="do not copy the database first")
    p.set_defaults(run=run_upgrade)
    args = parser.parse_args(argv)
    if hasattr(args, "run"):  # commands registered by other modules carry their own function
        return int(args.run(args) or 0)
    from .fanout import DIRECT, FanoutUnavailable, check_direct

    try:
        settings = settings_from(args)
    except ValueError as exc:  # e.g. YISHI_FANOUT set to something else
        print(f"yishi: {exc}", file=sys.stderr)
        return 2
    if why := check_workers(settings, args.workers):
        print(f"yishi: {why}", file=sys.stderr)
        return 2
    try:
        if settings.fanout == DIRECT:
            check_direct()  # before anything is written to the data folder
    except FanoutUnavailable as exc:
        print(f"yishi: {exc}", file=sys.stderr)
        return 1
    if not open_tables(settings.database_url, Path(settings.data)):
        return 1
    handlers: dict[str, Any] = {
        "serve": lambda: serve(settings, asyncio.run(_meetings_in(settings, demo=False)), args.workers),
        "demo": lambda: serve(settings, asyncio.run(_meetings_in(settings, demo=True)), args.workers),
    }
    try:
        handlers[args.command]()
    except FanoutUnavailable as exc:  # the installed libraries lack what the direct path needs
        print(f"yishi: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
