#!/usr/bin/env python3
"""How the register feels with a big community: import a register of N people (generated, shaped
like the sample village's) through the facilitator page, then time the page's search and a desk
search on the moderator console of a meeting convened from it, in Debian's Chromium.

    .venv/bin/python scripts/bench_register.py --people 5000

Figures are printed as JSON (milliseconds; each search typed as a person would, one key at a
time, timed from the key to the next painted frame). They describe this machine at this moment:
compare runs made one after the other.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "秀英桂英玉兰建国志强海燕丽华晓东明德金凤春梅国平红梅文华德明淑珍子涵俊杰欣怡浩然雨轩梓萱"


def register_csv(path: Path, people: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["姓名", "性别", "出生年份", "户号", "与户主关系", "村民小组", "户籍", "居民代表", "党员", "联系电话"])
        household, left = 0, 0
        for i in range(people):
            if left == 0:
                household, left = household + 1, rng.randint(1, 6)
                relation = "户主"
            else:
                relation = rng.choice(["配偶", "子女", "父母", "孙子女"])
            left -= 1
            name = rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])
            w.writerow([name, rng.choice("男女"), rng.randint(1930, 2024), f"{household:06d}", relation,
                        f"第{household % 20 + 1}村民小组", "户籍", "是" if i % 60 == 0 else "否", "否",
                        f"1{rng.randint(3000000000, 9999999999)}"])


TIME_KEYS = """async ([selector, text]) => {
  const input = document.querySelector(selector);
  const times = [];
  input.value = "";
  for (const ch of text) {
    const start = performance.now();
    input.value += ch;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    times.push(performance.now() - start);
  }
  return times;
}"""


async def main(people: int) -> dict[str, object]:
    from playwright.async_api import expect

    from support.browser import chromium, new_page, open_page
    from support.wire import start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        register_csv(path, people)
        running, srv, task = await start_server(Path(tmp) / "data")
        try:
            async with chromium() as browser:
                page = await new_page(browser, viewport={"width": 1366, "height": 768})
                await page.goto(f"{running.url}/?token={running.token}&lang=zh-CN")
                started = time.perf_counter()
                await page.locator("#register-file").set_input_files(str(path))
                await page.locator("#register-import button[type=submit]").click()
                await expect(page.locator("#register-summary")).to_contain_text(f"共 {people} 人", timeout=300_000)
                import_s = time.perf_counter() - started
                await page.locator("#register-people summary").click()
                search = []
                for needle in ("王秀", "000123", "第7村民小组"):
                    search += await page.evaluate(TIME_KEYS, ["#register-search", needle])
                async with running.http() as http:
                    made = (await http.post("/api/meetings", headers={"Authorization": f"Bearer {running.token}"}, json={
                        "title": "村民会议", "form": "assembly", "agenda": [{"title": "x"}],
                        "convene": {"who": "adults"}})).json()
                console = await open_page(browser, made["links"]["moderator"], viewport={"width": 1366, "height": 768})
                desk = []
                for needle in ("李建", "000456"):
                    desk += await console.evaluate(TIME_KEYS, ["#desk-search", needle])
                invited = len((await running.yishi.meetings.state(made["id"])).roster)
        finally:
            await stop_server(srv, task)

    def summary(ms: list[float]) -> dict[str, float]:
        return {"median": round(statistics.median(ms), 1), "max": round(max(ms), 1), "keys": len(ms)}

    return {"people": people, "invited_adults": invited, "import_through_page_s": round(import_s, 2),
            "page_search_key_to_frame_ms": summary(search), "desk_search_key_to_frame_ms": summary(desk)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    print(json.dumps(asyncio.run(main(parser.parse_args().people)), ensure_ascii=False, indent=1))
