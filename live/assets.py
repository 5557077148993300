"""The files the pages load (static/css, js, i18n, vendor), read once when the server starts and
served under an address that names their version: `/static/v/{VERSION}/js/phone.js`.

VERSION is a hash of every one of these files, so an address always stands for the same bytes and
a phone may keep what it fetched for a year without asking again (`Cache-Control: public,
max-age=31536000, immutable`); a new version of Yishi gives every file a new address. All files
share the one version so that the modules' relative imports (`./client.js`) stay inside it. Each
file is gzipped here once, not for every phone that asks: a hall of phones fetching the pages'
scripts at the start of a meeting costs the server no compression.

An address with another version (a page loaded from a server before it was upgraded) still gets
the file as it is now, with `Cache-Control: no-cache`, so that nothing old is kept under a new name
nor anything new under an old one.

The unversioned `/static/{part}/...` addresses stay for whatever links to them; they are
revalidated on every use (`no-cache`, with their ETag).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

PREFIX = "/static/v"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
TEXT_TYPES = ("text/", "application/json", "image/svg+xml")
# A module's static imports of its siblings: `import … from "./x.js"`, `export * from "./x.js"`, `import "./x.js"`.
IMPORT = re.compile(r"""^\s*(?:import|export)\b(?!\s*\()[^"';]*?["']\./([\w.\-]+\.js)["']""", re.M)
# A module fetched only when needed: `import("./x.js")` (the phone's hearing card, its page after the close).
LAZY = re.compile(r"""\bimport\(\s*["']\./([\w.\-]+\.js)["']\s*\)""")


# The phone's page carries only the words its own files say: any quoted catalogue key in its
# template, script and the modules that imports (a key held in a variable is quoted somewhere), and
# every key under a prefix a script builds from a protocol word (t(`stance.${...}`)).
# tests/integration/test_i18n_pages.py checks that every key the phone's files use is there.
PHONE_PAGES = ("join.html", "base.html")
QUOTED = re.compile(r"""["'`]([\w.\-]+)["'`]""")
BUILT = re.compile(r"""\bt\(\s*`([\w.\-]+)\$\{""")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None  # None when gzip would not make it smaller
    media_type: str
    etag: str


def media_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "text/plain"
    if guessed in ("application/javascript", "text/javascript"):
        guessed = "text/javascript"
    return f"{guessed}; charset=utf-8" if guessed.startswith(TEXT_TYPES) else guessed


class Assets:
    """Every file under `root`'s `parts`, by its path relative to `root` ("js/phone.js")."""

    def __init__(self, root: Path, parts: tuple[str, ...]) -> None:
        self.root = root
        self.files: dict[str, Asset] = {}
        digest = hashlib.sha256()
        for part in parts:
            for path in sorted(p for p in (root / part).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                name = path.relative_to(root).as_posix()
                body = path.read_bytes()
                digest.update(name.encode() + b"\0" + body + b"\0")
                squeezed = gzip.compress(body, compresslevel=9, mtime=0)
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                self.files[name] = Asset(body, squeezed if len(squeezed) < len(body) else None, media_type(name), etag)
        self.version = digest.hexdigest()[:12]
        self._catalogues: dict[str, dict[str, str]] = {}
        self._subsets: dict[tuple[str, str], dict[str, str]] = {}
        self._modules: dict[str, list[str]] = {}

    def url(self, name: str) -> str:
        """The versioned address of a file; a name that is not one of them is an error in the page."""
        if name not in self.files:
            raise KeyError(f"no such static file: {name}")
        return f"{PREFIX}/{self.version}/{name}"

    def text(self, name: str) -> str:
        return self.files[name].body.decode("utf-8")

    def catalogue(self, lang: str) -> dict[str, str]:
        """The pages' messages in one language (static/i18n/{lang}.json)."""
        if lang not in self._catalogues:
            self._catalogues[lang] = json.loads(self.text(f"i18n/{lang}.json"))
        return self._catalogues[lang]

    def catalogue_for(self, page: str, lang: str) -> dict[str, str]:
        """The messages a page carries inline: all of them, but the phone's page only those its files
        say (on a slow network every byte of it is waited for before the first word shows)."""
        every = self.catalogue(lang)
        if page != "join.html":
            return every
        key = (page, lang)
        if key not in self._subsets:
            scripts = ["js/phone.js", *self.modules("js/phone.js")]
            # the words of the parts it fetches later come with the page: they have no catalogue of their own
            for lazy in [f"js/{m}" for name in scripts for m in LAZY.findall(self.text(name))]:
                scripts += [m for m in (lazy, *self.modules(lazy)) if m not in scripts]
            texts = [*(self.text(m) for m in scripts),
                     *((self.root / "pages" / page).read_text("utf-8") for page in PHONE_PAGES)]
            said = {k for text in texts for k in QUOTED.findall(text)}
            built = tuple({prefix for text in texts for prefix in BUILT.findall(text)})
            self._subsets[key] = {k: v for k, v in every.items() if k in said or k.startswith(built)}
        return self._subsets[key]

    def modules(self, entry: str) -> list[str]:
        """Every module `entry` imports, directly or not, in the order first met (not `entry` itself)."""
        if entry not in self._modules:
            self._modules[entry] = self._imported(entry)
        return self._modules[entry]

    def _imported(self, entry: str) -> list[str]:
        folder = entry.rsplit("/", 1)[0]
        seen = [entry]
        for name in seen:  # grows as it is walked
            for imported in IMPORT.findall(self.text(name)):
                found = f"{folder}/{imported}"
                if found not in seen:
                    seen.append(found)
        return seen[1:]

    async def endpoint(self, request: Request) -> Response:
        name = request.path_params["path"]
        asset = self.files.get(name)
        if asset is None:
            raise HTTPException(404)
        current = request.path_params["version"] == self.version
        headers = {"Cache-Control": IMMUTABLE if current else REVALIDATE, "ETag": asset.etag,
                   "Vary": "Accept-Encoding"}
        if asset.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)


def accepts_gzip(header: str) -> bool:
    """`gzip` is among the encodings the client accepts (and not refused with q=0)."""
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False
