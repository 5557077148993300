"""The `yishi` command: serve, demo (and the tools that work on a data folder)."""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from .settings import Settings


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default="./yishi-data", help="data folder (default ./yishi-data)")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default all)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--database", default="", help="database URL (default SQLite in the data folder)")
    p.add_argument("--public-url", default="", help="the address phones use, e.g. http://192.168.1.20:8000")
    p.add_argument("--redis", default="", help="Redis URL, to share rooms between several server processes")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(data=args.data, host=args.host, port=args.port, database_url=args.database,
                    public_url=args.public_url, redis_url=args.redis)


def banner(settings: Settings, meetings: list[tuple[str, dict[str, str]]]) -> str:
    from .qr import terminal

    lines = [
        "Yishi 议事",
        f"  phones on this network / 同一网络的手机: {settings.public_url}",
        f"  facilitator / 组织者: {settings.public_url}/?token={settings.token}",
    ]
    for title, links in meetings:
        lines += [f"\n  {title}", f"    moderator / 主持人: {links['moderator']}",
                  f"    projector / 投影:   {links['projector']}", f"    join / 扫码签到:    {links['join']}"]
    if meetings:
        lines.append(terminal(meetings[0][1]["join"]))
    return "\n".join(lines)


def serve(settings: Settings, meetings: list[tuple[str, dict[str, str]]]) -> None:
    import uvicorn

    from .app import create_app

    print(banner(settings, meetings), flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                ws_per_message_deflate=False)


async def _demo(settings: Settings) -> list[tuple[str, dict[str, str]]]:
    from .app import links
    from .demo import create_demo, create_finished_demo
    from .services import Meetings
    from .store import Store

    store = Store(settings.database_url)
    meetings = Meetings(store)
    live_id, live_key = await create_demo(meetings)
    done_id, done_key = await create_finished_demo(meetings)
    live_title = (await meetings.state(live_id)).title
    await meetings.close()
    store.close()
    return [(live_title, links(settings, live_id, live_key)),
            ("已结束示例 / finished sample", links(settings, done_id, done_key))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yishi", description="Yishi 议事: live deliberation meetings and their minutes")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_args(sub.add_parser("serve", help="run the server"))
    _serve_args(sub.add_parser("demo", help="run the server with a sample meeting set up"))
    from . import bench, records_cli

    records_cli.register(sub)
    bench.register(sub)
    args = parser.parse_args(argv)
    if hasattr(args, "run"):  # commands registered by other modules carry their own function
        return int(args.run(args) or 0)
    settings = settings_from(args)
    handlers: dict[str, Any] = {
        "serve": lambda: serve(settings, []),
        "demo": lambda: serve(settings, asyncio.run(_demo(settings))),
    }
    handlers[args.command]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
