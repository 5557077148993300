"""Accessibility and HTML validity of the pages, checked with two tools run here, offline:

- axe-core (npm), put into a page through DevTools (`page.evaluate`: the pages' strict CSP
  governs the page's own scripts, not DevTools) and run on the document as it stands; a critical
  or serious violation fails.
- the Nu HTML checker (npm `vnu-jar`, run with Java) on the HTML as the server sent it and on
  the DOM after the scripts ran; any error fails. One Java process serves a whole test module
  on loopback (`Nu`): starting Java costs seconds, checking a page then a fraction of one.

Both come from tests/tools (package.json and its lock file; `npm ci --prefix tests/tools`, which
scripts/test runs). A missing tool fails the test that needs it, with the command to install it.

A test opens its pages, drives the meeting, and at each state calls `Checks.page`: axe runs at
once (the DOM changes with the next state) and the documents are kept for the Nu checker;
`Checks.finish` checks them and fails with everything both tools found, each problem once with
the page, the states and the languages it was seen in.
"""
from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page

from support.wire import free_port

TOOLS = Path(__file__).resolve().parents[1] / "tools"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = ("install them with `npm ci --ignore-scripts --prefix tests/tools` (scripts/test does, and as root "
           "installs Node.js, npm and Java first)")
FAILING_IMPACTS = ("critical", "serious")
# Budgets: nothing waits for one to pass; reaching one fails the test and says what never happened.
NU_START_BUDGET_S = 120  # Java listening, on a machine others keep busy
NU_BUDGET_S = 120  # one document checked
NU_AT_ONCE = 3  # documents sent to the checker at a time (it checks them in threads of its own)

# Run in the page once axe is in it: the violations, with what a failure message needs.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(" "), impact: n.impact, html: n.html,
      why: [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean).join("; "),
    })),
  }));
}"""


def axe_source() -> str:
    assert AXE.exists(), f"axe-core is missing ({AXE}): {INSTALL}"
    return AXE.read_text(encoding="utf-8")


def java() -> str:
    found = shutil.which("java")
    assert found, f"java is missing: {INSTALL}"
    assert VNU.exists(), f"the Nu HTML checker is missing ({VNU}): {INSTALL}"
    return found


class Nu:
    """The Nu HTML checker as a service on loopback (vnu.jar's servlet), started here and stopped
    by `stop`; its output goes to `log`."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.url = f"http://127.0.0.1:{free_port()}/"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [java(), "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU),
                 "nu.validator.servlet.Main", self.url.rsplit(":", 1)[1].strip("/")],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        self._ready: asyncio.Future[None] | None = None

    async def _listening(self, http: httpx.AsyncClient) -> None:
        deadline = asyncio.get_running_loop().time() + NU_START_BUDGET_S
        while True:
            if self.process.poll() is not None:
                said = self.log.read_text(errors="replace")
                first = min((i for i in (said.find("Exception"), said.find("Error")) if i >= 0), default=0)
                raise AssertionError(f"the Nu checker stopped (exit {self.process.returncode}): {said[first:][:1500]}")
            try:
                if (await http.get(self.url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() >= deadline:
                raise AssertionError(f"the Nu checker never listened on {self.url} (waited {NU_START_BUDGET_S}s)")
            await asyncio.sleep(0.1)

    async def check(self, documents: list[str]) -> list[list[dict[str, Any]]]:
        """The checker's messages for each document, in order."""
        limit = asyncio.Semaphore(NU_AT_ONCE)
        async with httpx.AsyncClient(timeout=NU_BUDGET_S) as http:
            await self._listening(http)

            async def one(text: str) -> list[dict[str, Any]]:
                async with limit:
                    r = await http.post(self.url, params={"out": "json"}, content=text.encode("utf-8"),
                                        headers={"Content-Type": "text/html; charset=utf-8"})
                assert r.status_code == 200, f"the Nu checker answered {r.status_code}: {r.text[:500]}"
                return list(r.json()["messages"])

            return await asyncio.gather(*(one(d) for d in documents))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def seen(where: dict[str, list[str]]) -> str:
    """Where a problem was seen: each state with its languages."""
    return "; ".join(f"{state} ({', '.join(langs)})" for state, langs in where.items())


@dataclass
class Checks:
    """What both tools found on one test's pages. A problem found on the same page in several
    states or languages is reported once, with where it was seen."""

    nu: Nu
    found: dict[tuple[str, ...], tuple[str, dict[str, list[str]]]] = field(default_factory=dict)  # -> detail, state: langs
    documents: dict[str, tuple[str, list[tuple[str, str, str]]]] = field(default_factory=dict)  # hash -> text, labels
    checked: int = 0

    def __post_init__(self) -> None:
        self._axe = axe_source()

    def problem(self, key: tuple[str, ...], detail: str, state: str, lang: str) -> None:
        langs = self.found.setdefault(key, (detail, {}))[1].setdefault(state, [])
        if lang not in langs:
            langs.append(lang)

    def html(self, name: str, state: str, lang: str, text: str) -> None:
        """A document for the Nu checker: the `name`d page in a state and language; the same text
        under several labels is checked once."""
        digest = hashlib.sha256(text.encode()).hexdigest()
        self.documents.setdefault(digest, (text, []))[1].append((name, state, lang))

    async def axe(self, page: Page, name: str, lang: str, state: str) -> None:
        if not await page.evaluate("typeof window.axe === 'object'"):
            await page.evaluate(self._axe)
        self.checked += 1
        for v in await page.evaluate(RUN_AXE):
            for n in v["nodes"]:
                impact = n["impact"] or v["impact"]
                if impact in FAILING_IMPACTS:
                    self.problem(("axe", name, v["id"], n["target"]),
                                 f"axe {v['id']} ({impact}) on the {name}: {n['target']} — {v['help']}"
                                 f"\n      {n['html'][:160]}\n      {n['why'][:200]}", state, lang)

    async def page(self, page: Page, name: str, lang: str, state: str, served: str | None = None) -> None:
        """The page as it stands: axe now, its DOM kept for the Nu checker, and `served` (the HTML
        the server sent) too when given."""
        await self.axe(page, name, lang, state)
        self.html(name, f"{state}, the DOM after its scripts", lang, await page.content())
        if served is not None:
            self.html(name, f"{state}, as served", lang, served)

    async def validate(self) -> None:
        """Every document kept, through the Nu checker."""
        kept = list(self.documents.values())
        for (_, labels), messages in zip(kept, await self.nu.check([text for text, _ in kept])):
            for m in messages:
                if m["type"] in ("error", "non-document-error"):
                    extract = " ".join(m.get("extract", "").split())
                    for name, state, lang in labels:
                        self.problem(("vnu", name, m["message"]), f"vnu on the {name}: {m['message']}"
                                     f"\n      line {m.get('lastLine', '?')}: {extract}", state, lang)

    async def finish(self) -> None:
        """Fails with everything found, each with the states and languages it was seen in."""
        await self.validate()
        assert self.checked, "no page was checked"
        assert not self.found, f"{len(self.found)} problems:\n" + "\n".join(
            f"- {detail}\n      seen in: {seen(where)}" for detail, where in self.found.values())
