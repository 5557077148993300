"""PDF laid out by typst: the print page's content, section by section, as data for one template.

The minutes are turned here into a plain document (blocks of headings, paragraphs, tables and
charts, each paragraph a list of text runs) in the print page's order and words (html.py and
templates/minutes.html), from the same presenter. minutes.typ reads that document as JSON and
only ever shows its strings as text: a name such as `#panic()` or `*_$[]` prints as typed, as no
user text is ever part of typst markup. Charts and the verification QR code go in as SVG (the
vectors the HTML page shows, drawn once for both). The record's stamp is also written into the
PDF's keywords, where `yishi verify` reads it back.

typst is a compiled library with no system dependencies (a wheel for Linux, Windows and macOS);
the text is set in a Chinese font of the computer's (FONTS: Windows and macOS have one, Debian's
is fonts-noto-cjk), else in the Noto Sans CJK the charts are drawn with. Without typst every
other format still works: `PdfUnavailable` says so, and what to do.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from .. import qr
from .html import chart, chart_keys
from .present import Presenter, stamp

TEMPLATE = Path(__file__).resolve().parent / "minutes.typ"
# The Chinese fonts the text is set in, the first found: Debian's (fonts-noto-cjk), Adobe's, then
# Windows' and macOS's own; a Latin letter comes from the same font.
FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC",
         "WenQuanYi Micro Hei", "SimHei", "Noto Serif CJK SC", "Songti SC", "SimSun")
# Where Debian and Fedora keep Noto CJK; typst's own search of the system's fonts also runs.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/google-noto-cjk")
INSTALL_FONT = ("no Chinese font found (one of: " + ", ".join(FONTS) + "); on Debian or Ubuntu: "
                "apt install fonts-noto-cjk")


class PdfUnavailable(RuntimeError):
    """typst cannot be loaded here, or finds no Chinese font to set the minutes in."""


class ChartMissing(RuntimeError):
    """A chart the PDF waits for did not come (worker.py): the PDF is then made where it was asked."""


@cache
def _setup() -> tuple[Any, tuple[str, ...]]:
    """typst, and the font folders to pass it besides the system's own (which it always searches):
    Debian's Noto CJK folder where there is one; where the system has none of FONTS, the Noto Sans
    CJK that the charts are drawn with (the noto-cjk-sans-otc package: regular weight only, so bold
    prints regular)."""
    try:
        import typst
    except ImportError as exc:
        raise PdfUnavailable(f"typst: {exc}") from exc
    dirs = tuple(d for d in FONT_DIRS if Path(d).is_dir())
    try:
        families = set(typst.Fonts(include_system_fonts=True, include_embedded_fonts=False,
                                   font_paths=list(dirs)).families())
    except Exception as exc:  # noqa: BLE001 - a font folder it cannot read is a computer without fonts
        raise PdfUnavailable(f"{INSTALL_FONT} ({exc})") from exc
    if families & set(FONTS):
        return typst, dirs
    try:
        import noto_cjk_sans_otc  # type: ignore[import-untyped]
    except ImportError:
        raise PdfUnavailable(INSTALL_FONT) from None
    return typst, (*dirs, str(Path(noto_cjk_sans_otc.FONT_PATH).parent))


_compiler: Any = None
_compiler_lock = threading.Lock()


def _the_compiler() -> Any:
    """One compiler per process, kept: the fonts are found once, and typst keeps what it laid out
    before (the same chart, the same font) for the next file. Call with _compiler_lock held."""
    global _compiler
    if _compiler is None:
        typst, dirs = _setup()
        _compiler = typst.Compiler(font_paths=list(dirs))
    return _compiler


def warm() -> bool:
    """Load typst and find the fonts now, before the first PDF (the PDF process, at its start)."""
    if not pdf_available():
        return False
    with _compiler_lock:
        _the_compiler()
    return True


def _compile(document: dict[str, Any], model: dict[str, Any]) -> bytes:
    """The PDF, dated when the minutes were generated: the same minutes give the same file."""
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    generated = int(datetime.fromisoformat(model["record"]["generated_at"]).timestamp())
    with _compiler_lock:  # one file at a time through the one compiler
        return _the_compiler().compile(input=_template(), sys_inputs={"data": data},  # type: ignore[no-any-return]
                                       timestamp=generated)


@cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def pdf_available() -> bool:
    try:
        _setup()
    except PdfUnavailable:
        return False
    return True


# -- the document ---------------------------------------------------------------------------
# A paragraph is a list of runs: a string, or [style, text] with style one of "b" (bold),
# "entered" (staff entered it), "soft" (plain weight, grey, in a bold line), "tag", "tag-open",
# "br" (a line break). A table cell is a list of runs too.

Runs = list[Any]


def _p(runs: Runs | str, cls: str = "") -> dict[str, Any]:
    return {"k": "p", "cls": cls, "runs": [runs] if isinstance(runs, str) else runs}


def _h(level: int, text: str) -> dict[str, Any]:
    return {"k": f"h{level}", "text": text}


def _cell(value: Any) -> Runs:
    return value if isinstance(value, list) else [str(value)]


def _table(head: list[Any] | None, rows: list[list[Any]], *, widths: list[float] | None = None,
           num: set[int] = frozenset(), cls: str = "", caption: str = "", bold: set[int] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    n = len(head) if head else len(rows[0]) if rows else 1
    rest = 1 - sum(widths or [])
    free = n - len(widths or [])
    cols = list(widths or []) + [rest / free] * free if free else list(widths or [])
    return {"k": "table", "cls": cls, "caption": caption, "cols": cols, "num": [i in num for i in range(n)],
            "head": [_cell(c) for c in head] if head else None,
            "rows": [[_cell([["b", str(c)]] if i in bold else c) for i, c in enumerate(r)] for r in rows]}


# A block kept on one page (a speech, an objection, a poll's question with its result) is let
# break when it is longer than about half a page could hold: else it would run off the page.
KEEP_CHARS = 1000


def _chars(block: Any) -> int:
    if isinstance(block, str):
        return len(block)
    if isinstance(block, list):
        return sum(_chars(x) for x in block)
    if isinstance(block, dict):
        return sum(_chars(v) for k, v in block.items() if k not in ("svg", "k", "cls"))
    return 0


def _kept(block: dict[str, Any]) -> dict[str, Any]:
    return dict(block, keep=_chars(block) <= KEEP_CHARS)


def _entered(text: str) -> Runs:
    return [["entered", text]] if text else []


def _header(p: Presenter) -> list[dict[str, Any]]:
    m, L = p.m, p.L
    rows = p.header_rows()
    pairs = [rows[i:i + 2] for i in range(0, len(rows), 2)]
    table = [[c for label, value in pair for c in ([["b", label]], value)] + (["", ""] if len(pair) == 1 else [])
             for pair in pairs]
    out = [{"k": "h1", "lines": [m["meeting"]["title"], L.minutes]},
           {"k": "version", "public": m["public"], "text": L.public_version if m["public"] else L.internal_version},
           _table(None, table, widths=[0.14, 0.36, 0.14, 0.36], cls="header"),
           _p(p.zone_note(), "muted")]
    if m["open_objections"]:
        out.append(_p(L("open_objections", n=len(m["open_objections"])), "alert"))
    return out


def _labelled(lines: list[str], label: str, colon: str, cls: str = "") -> list[dict[str, Any]]:
    """Lines under one label, which only the first carries (bold)."""
    return [_p([["b", label + colon if n == 0 else ""], line], cls) for n, line in enumerate(lines)]


def _attendance(p: Presenter) -> list[dict[str, Any]]:
    m, L = p.m, p.L
    out = [_h(2, L.attendance), _p(p.attendance_summary())]
    out += _labelled(p.quorum_lines(), L.quorum, p.colon)
    out += _labelled(p.notice_lines(), L.meeting_notice, p.colon)
    out += _labelled(p.proxy_lines(), L.proxies, p.colon)
    out.append(_table([L.category, L.present, L.invited, L.absent, L.walk_ins],
                      [[p.cat(r["category"]), r["present"], r["invited"], r["absent"], r["walk_ins"]]
                       for r in m["attendance"]["by_category"]], widths=[0.4], num={1, 2, 3, 4}))
    if not m["public"]:
        out.append(_h(3, L.names))
        for r in m["attendance"]["by_category"]:
            if r["people"]:
                own, staff, note = p.people(r["people"])
                out.append(_p([["b", p.cat(r["category"]) + p.paren(r["present"]) + p.colon], own + staff,
                               *_entered(p.paren(note) if note else "")], "names"))
    if m["attendance"]["absent_people"]:
        sep = "、" if p.lang == "zh-CN" else ", "
        out.append(_p([["b", L.absent_people + p.colon], sep.join(p.who(a) for a in m["attendance"]["absent_people"])],
                      "names"))
    out.append(_h(2, L.agenda))
    out.append({"k": "ol", "items": [[item["title"] + (f" — {p.word(item['outcome']['outcome'])}" if item["outcome"] else "")]
                                     for item in m["items"]]})
    return out


def _speech(p: Presenter, s: dict[str, Any]) -> dict[str, Any]:
    L = p.L
    line = f" · {p.word(s['stance'])}" + (f" · {p.word(s['kind'])}" if s["kind"] != "speech" else "")
    line += f" · {p.time(s['started_at'])} · " + (p.duration(s["seconds"]) if s["seconds"] is not None else L.speaking_now)
    if p.speech_notes(s):
        line += f" · {p.speech_notes(s)}"
    return _kept(_p([["b", f"{s['number']}. {p.who(s['speaker'])}"], line,
                     *_entered(p.entered(s) if s.get("entered_by") else ""), ["br", ""], s["summary"] or L.no_summary],
                    "speech"))


def _poll(p: Presenter, poll: dict[str, Any], charts: dict[str, str]) -> list[dict[str, Any]]:
    L = p.L
    head: list[dict[str, Any]] = [_h(4, f"{L.question}{p.colon}{poll['question']}"),
                                  _p(f"{p.kind(poll)} · {p.secrecy(poll)} · {p.poll_summary(poll)}", "muted")]
    if poll["open"]:
        head.append(_p(L.poll_still_open, "alert"))
    head += [_p(line) for line in p.binding(poll)] + [_p(line) for line in p.ranking_lines(poll)]
    if poll["kind"] == "evaluation":
        heads = p.evaluation_head()
        head.append(_table(heads, p.evaluation_rows(poll), widths=[0.3], num=set(range(1, len(heads)))))
        head.append(_p(L.satisfaction_formula, "muted"))
    else:
        head.append(_table([L.option, L.phones, L.hands, L.votes, L.share], [list(r) for r in p.poll_rows(poll)],
                           widths=[0.44], num={1, 2, 3, 4}, bold={3}))
    head += [_p(line, "correction") for line in p.corrections(poll)]
    out: list[dict[str, Any]] = [_kept({"k": "group", "cls": "keep", "blocks": head})]  # the question stays with its result
    if poll["by_category"]:
        options = p.options(poll)
        out.append(_table([L.by_category, *options], p.category_rows(poll), widths=[0.3],
                          num=set(range(1, len(options) + 1))))
        if p.category_note(poll):
            out.append(_p(p.category_note(poll), "correction"))
    if poll["id"] in charts:
        out.append({"k": "figure", "svg": charts[poll["id"]], "alt": poll["question"]})
    if roll := p.roll_rows(poll):
        out.append(_table([L.voter, L.ballot], [[who, [ballot, *_entered(entered)]] for who, ballot, entered in roll],
                          widths=[0.4], caption=L.roll))
    if receipts := p.receipt_rows(poll):
        out.append(_table([L.receipt, L.ballot], [list(r) for r in receipts], widths=[0.3], caption=L.receipts,
                          cls="code"))
    return out


def _objection(p: Presenter, x: dict[str, Any]) -> dict[str, Any]:
    L = p.L
    meta: Runs = [["b", p.who(x["objector"]) + " "], ["soft", f"· {L.raised_at} {p.datetime(x['raised_at'])}"], " ",
                  ["tag-open" if x["open"] else "tag", L.objection_open if x["open"] else L.objection_closed],
                  *_entered(p.entered(x) if x.get("entered_by") else "")]
    if p.raised(x):
        meta.append(["soft", f" · {p.raised(x)}"])
    blocks = [_p(meta), _p([["b", L.reason + p.colon], x["reason"]])]
    blocks += [_p([["b", L.explanation], p.paren(L("explained_by", by=e["by"], at=p.datetime(e["at"]))) + p.colon + e["text"]],
                  "explanation") for e in x["explanations"]] or [_p(L.no_explanation, "explanation muted")]
    said: Runs = [["b", L.objector_response + p.colon], p.response(x["response"])]
    for r in x["responses"][-1:]:
        said.append((f" — {r['comment']}" if r["comment"] else "") + p.paren(p.datetime(r["at"])))
        said += _entered(p.entered(r) if r.get("entered_by") else "")
    blocks.append(_p(said, "explanation"))
    return _kept({"k": "group", "cls": "objection-open" if x["open"] else "objection", "blocks": blocks})


def _outcome(p: Presenter, item: dict[str, Any]) -> list[dict[str, Any]]:
    L, o = p.L, item["outcome"]
    if not o:
        return [_p(L.no_outcome, "muted")] + [_p(line) for line in p.reported(item)]
    blocks = [_p([["b", p.word(o["outcome"])]])]
    if o["opinion"]:
        blocks.append(_p([["b", L.consultation_opinion + p.colon], o["opinion"]]))
    blocks += [_p(line) for x in item.get("escalations") or [] for line in p.sent_on(x)]
    blocks += [_p(line) for line in p.reported(item)]
    for c in o.get("corrections") or []:
        blocks.append(_p([["b", p.corrected(c)]], "correction"))
        blocks.append(_p(f"{L.correction_reason}{p.colon}{c['reason']}"))
        if c["opinion"]:
            blocks.append(_p(f"{L.corrected_opinion}{p.colon}{c['opinion']}"))
    if o["actions"]:
        blocks.append(_table([L.action, L.owner, L.due], [[a["what"], a["owner"] or "—", a["due"] or "—"]
                                                          for a in o["actions"]], widths=[0.5, 0.3]))
    return [_kept({"k": "group", "cls": "outcome", "blocks": blocks})]


def _item(p: Presenter, item: dict[str, Any], charts: dict[str, str]) -> list[dict[str, Any]]:
    L = p.L
    out = [_h(2, p.item_title(item))]
    if item["background"]:
        out.append(_p([["b", L.background + p.colon], item["background"]]))
    out.append(_h(3, L.speeches))
    out += [_speech(p, s) for s in item["speeches"]] or [_p(L.no_speeches, "muted")]
    out.append(_h(3, L.opinions))
    out += [_kept(_p([["b", p.who(o["author"]) + p.colon], o["text"],
                      *_entered(p.entered(o) if o.get("entered_by") else "")], "opinion")) for o in item["opinions"]["approved"]] or [_p(L.no_opinions, "muted")]
    if item["opinions"]["hidden"] or item["opinions"]["unmoderated"]:
        out.append(_p(L("opinions_hidden", hidden=item["opinions"]["hidden"],
                         unmoderated=item["opinions"]["unmoderated"]), "muted"))
    if item["polls"]:
        out.append(_h(3, L.polls))
    for poll in item["polls"]:
        out += _poll(p, poll, charts)
    if item["objections"]:
        out.append(_h(3, L.objections))
    out += [_objection(p, x) for x in item["objections"]]
    out.append(_h(3, L.outcome))
    return out + _outcome(p, item)


def _closing(p: Presenter, charts: dict[str, str], qr_svg: str) -> list[dict[str, Any]]:
    m, L = p.m, p.L
    out = []
    if hearing := p.hearing_blocks():
        out.append(_h(2, L.hearing_record))
        for block in hearing:
            if block["title"]:
                out.append(_h(3, block["title"]))
            out += [_p(line) for line in block["lines"]]
    out += [_h(2, L.heard), _p(p.heard_summary())]
    h = m["heard"]
    if h["by_category"]:
        out.append(_table([L.category, L.speeches, L.speakers, L.speaking_time, L.share],
                          [[p.cat(r["category"]), r["speeches"], r["speakers"], p.duration(r["seconds"]),
                            p.share(r["seconds"], h["total_seconds"])] for r in h["by_category"]],
                          widths=[0.36], num={1, 2, 3, 4}))
        if "heard" in charts:
            out.append({"k": "figure", "svg": charts["heard"], "alt": L.heard})
    # the signatures stand with the last lines they sign
    signed = [_p(p.silent())] + [_p(line) for line in p.floor_lines()]
    signed.append({"k": "signatures", "cols": [[f"{L.moderator}{p.colon}{m['meeting']['moderator']}", L.signature],
                                               [f"{L.recorder}{p.colon}{m['meeting']['recorder']}", L.signature]]})
    out.append(_kept({"k": "group", "cls": "keep", "blocks": signed}))
    code = {"k": "qr", "svg": qr_svg, "caption": L.qr_caption} if qr_svg else None
    record = [_h(2, L.record), _p(p.record_intro(), "muted"),
              _table(None, [[label, value] for label, value in p.record_rows()], widths=[0.22], cls="record"),
              _p(p.verify_hint(), "muted")]
    if code and not m["public"]:
        record.append(dict(code, place="record"))
    record.append({"k": "stamp", "text": stamp(m)})
    out.append(_kept({"k": "group", "cls": "keep", "blocks": record}))
    if m["public"]:
        notice = [_h(2, L.notice)]
        if code:
            notice.append(dict(code, place="notice"))
        notice += [_p([["b", p.notice_period()]]), _p(p.feedback()), _p(p.check_line(bool(qr_svg))),
                   {"k": "signoff", "seal": L.seal, "issuer": p.issuer_line(), "date": p.long_date(p.issued_on())}]
        out.append(_kept({"k": "group", "cls": "notice", "blocks": notice}))
    return out


def document(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None,
             charts: dict[str, str] | None = None) -> dict[str, Any]:
    """The minutes as the template reads them. `charts`: each chart's SVG by its key
    (html.chart_keys); None draws them here."""
    p = Presenter(model, lang, site=site, notice_days=notice_days)
    if charts is None:
        charts = {key: chart(p, key, "svg").decode() for key in chart_keys(p)}
    which = p.L.public_notice if model["public"] else p.L.minutes
    blocks = _header(p) + _attendance(p)
    for item in model["items"]:
        blocks += _item(p, item, charts)
    blocks += _closing(p, charts, qr.svg(p.verify_url()).decode() if p.site else "")
    return {
        "lang": "zh" if lang == "zh-CN" else "en", "public": model["public"], "fonts": list(FONTS),
        "title": f"{model['meeting']['title']} · {p.L.minutes}", "stamp": stamp(model),
        "header": f"{model['meeting']['title']} · {which}",
        "footer": [[kind, v] for kind, v in p.page_of()],
        "corner": f"{model['record']['meeting_id']} · #{model['record']['events']}",
        "blocks": blocks,
    }


def render_pdf(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None,
               chart_svg: Callable[[str], bytes] | None = None) -> bytes:
    """`chart_svg`: each chart's SVG by its key (html.chart_keys), asked for once the rest of the
    document is built, so that another process can draw the charts meanwhile (worker.render_all);
    None draws them here."""
    if chart_svg is None:
        return _compile(document(model, lang, site=site, notice_days=notice_days), model)
    # The document with each chart's key in its place, then each chart as it comes.
    keys = chart_keys(Presenter(model, lang))
    doc = document(model, lang, site=site, notice_days=notice_days, charts={key: key for key in keys})
    drawn = {key: chart_svg(key).decode() for key in keys}
    for block in _figures(doc["blocks"]):
        block["svg"] = drawn[block["svg"]]
    return _compile(doc, model)


def _figures(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for b in blocks:
        if b["k"] == "figure":
            out.append(b)
        elif b["k"] == "group":
            out += _figures(b["blocks"])
    return out
