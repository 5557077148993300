"""What the fuzz tests of the wire share: hypothesis strategies for hostile values, the error codes
and statuses docs/protocol.md documents, and the check that a refusal has the one error shape in
the asker's language."""
from __future__ import annotations

import operator
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from live.errors import MESSAGES, message

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()


def doc_section(title: str) -> str:
    """The text of a `## title` section of docs/protocol.md, up to the next `## `."""
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


# code -> the status column of the error table ("400; 404 on connect and HTTP", "413", "403 (connect)" …)
ERROR_TABLE = {m.group(1): m.group(2)
               for m in re.finditer(r"^\| `(\w+)` \| ([^|]*) \|", doc_section("Error codes"), re.M)}
# codes the HTTP table gives besides the error table's (the register's file checks: `bad_rows`, …)
HTTP_TABLE_CODES = set(re.findall(r"\b\d{3} `(\w+)`", doc_section("HTTP")))
# a socket acknowledgement's status: the first number of the column (404 and 403 are the connect's)
SOCKET_STATUS = {code: int(column[:3]) for code, column in ERROR_TABLE.items()}
# what the server must never answer an arbitrary input with
NEVER = {"internal"}


# -- values -------------------------------------------------------------------------------

def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each chosen in proportion to its weight (st.one_of counts a strategy
    given twice only once, and draws its branches about evenly)."""
    picks = [n for n, (weight, _) in enumerate(choices) for _ in range(weight)]
    return st.sampled_from(picks).flatmap(lambda n: choices[n][1])


def mostly(usual: st.SearchStrategy[Any], *other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` three times in four, so that most examples get past the first check to the next."""
    return weighted((3, usual), (1, st.one_of(*other)))


# Text that has broken programs before: control characters and NUL, text-direction overrides and
# isolates, zero-width and invisible characters, non-characters, combining marks, astral planes,
# markup, format strings, SQL, paths, and names that look like ids or like an invitee's.
NASTY = [
    "", " ", "\u3000", "\x00", "a\x00b", "\x07", "\x1b[31m", "\r\n", "\t", "line\nbreak", "\x7f", "\x85",
    "\u202eevil", "\u202a", "\u2066x\u2069", "\u200b", "\u200f", "\u2028", "\ufeff", "\u00ad", "\u034f",
    "\ufffe", "\uffff", "\U0010ffff", "\U000e0001", "e\u0301", "\u212b", "\U0001f600", "\U00020000",
    "<script>alert(1)</script>", "</title><img src=x onerror=alert(1)>", "'; DROP TABLE events; --",
    "../../etc/passwd", "%2e%2e%2f", "{field}", "{0}", "{}", "%s%n", "${x}", "null", "NaN", "-0", "1e400",
    "p1", "r1", "v1", "o1", "s1", "x1", "张桂英", " 张桂英 ", "ＡＢＣ", "١٢٣",
]
REPEATED = ["长", "a", "\x00", "\U0001f600", "\u202e", " ", "\u200b"]
# around the text policy's limits (names 40, options 80, titles 200, long texts 2,000) and past
# the socket's 64 KiB for one command (kept well under engine.io's 1 MiB frame)
LENGTHS = [39, 40, 41, 80, 81, 200, 201, 2_000, 2_001, 24_000]

TEXT = weighted(
    (3, st.text(max_size=24)),  # any code point hypothesis finds interesting, surrogates aside
    (2, st.sampled_from(NASTY)),
    (1, st.builds(operator.mul, st.sampled_from(REPEATED), st.sampled_from(LENGTHS))),
    (1, st.builds(operator.add, st.sampled_from(NASTY), st.text(max_size=8))),
)
BIG_INTS = [2**31, 2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**99, -(10**99), 10**100, -(10**150), 10**400]
INTS = st.one_of(st.integers(-3, 40), st.integers(), st.sampled_from(BIG_INTS))
FLOATS = st.floats(allow_nan=True, allow_infinity=True)  # NaN and ±Infinity: what Python's json writes
SCALARS = st.one_of(st.none(), st.booleans(), INTS, FLOATS, TEXT)


def nested(depth: int, leaf: Any) -> Any:
    """`leaf` inside `depth` lists and objects, alternating."""
    for n in range(depth):
        leaf = [leaf] if n % 2 else {"a": leaf}
    return leaf


def json_values(keys: st.SearchStrategy[str] = st.text(max_size=10)) -> st.SearchStrategy[Any]:
    """Any JSON value: scalars, lists and objects nested a few levels, and some nested deep."""
    shallow = st.recursive(
        SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
    deep = st.builds(nested, st.integers(10, 200), SCALARS)  # deeper than that, the client cannot write it
    return weighted((4, shallow), (1, deep))


JSON = json_values()


# -- refusals -----------------------------------------------------------------------------

def template_ends(code: str, lang: str) -> tuple[str, str, list[str]]:
    """What a refusal's message starts and ends with in `lang` (the parts around its placeholders),
    and its placeholders."""
    raw = message(code, lang)  # without its parameters: the catalogue's text, placeholders and all
    holes = re.findall(r"\{\w+\}", raw)
    if not holes:
        return raw, raw, []
    return raw.split("{", 1)[0], raw.rsplit("}", 1)[1], holes


def check_refusal(body: Any, lang: str, status: int | None = None, codes: set[str] | None = None) -> str:
    """`body` is the one refusal shape, with a documented code (one of `codes`, if given) and a
    message in `lang` with its placeholders filled in; returns the code."""
    assert isinstance(body, dict), body
    assert set(body) == {"ok", "error", "code", "status"}, body
    code = body["code"]
    assert body["ok"] is False and code in MESSAGES and code in ERROR_TABLE and code not in NEVER, body
    if codes is not None:
        assert code in codes, body
    assert body["status"] == (status if status is not None else SOCKET_STATUS[code]), body
    said = body["error"]
    assert isinstance(said, str) and said.strip(), body
    head, tail, holes = template_ends(code, lang)
    assert said.startswith(head) and said.endswith(tail), (lang, body)
    for hole in holes:
        assert hole not in said, f"{hole} left unfilled: {body}"
    return code
