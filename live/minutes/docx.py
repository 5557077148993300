"""Word (.docx): real headings (Heading 1-3 styles), tables and the charts as PNG pictures,
so that an office can edit the minutes and file them. Chinese text uses an East Asian font
(宋体 in Word, any CJK font elsewhere); the record's stamp is also in the document's keywords.
Every page has the meeting's title (and 公示 on the public version) at its head and
"第 X 页 共 Y 页" at its foot (Word's PAGE and NUMPAGES fields). The public version, printed for
the notice board, is set larger and ends with the publicity period, where to raise a question,
the verification QR code, and the issuer and date with room for the seal.
"""
from __future__ import annotations

import io
import re
from typing import Any, Iterable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from .. import qr
from .present import Presenter, stamp

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
CHART_WIDTH = Cm(15)
QR_WIDTH = Cm(3.2)
# Body text: the internal minutes are read at a desk, the public version on a notice board.
BODY_SIZE = {False: Pt(10.5), True: Pt(12)}


def _fonts(doc: Any, public: bool = False) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title", "Table Grid"):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            rfonts.set(qn(attr), EAST_ASIAN_FONT if attr == "w:eastAsia" else LATIN_FONT)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme_attr), None)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = BODY_SIZE[public]


def _field(para: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on every page."""
    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        para.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    para.add_run()._r.append(instr)
    char("separate")
    para.add_run("1")  # shown until the field is first updated
    char("end")


def _running(doc: Any, p: Presenter) -> None:
    """The head of every page: the title and the version; its foot: page X of Y."""
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    which = p.L.public_notice if p.m["public"] else p.L.minutes
    run = head.add_run(f"{p.m['meeting']['title']} · {which}")
    run.font.size = Pt(9)
    run.font.color.rgb = NOTE_GREY
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, value in p.page_of():
        if kind == "field":
            _field(foot, value)
        else:
            foot.add_run(value)
    for run in foot.runs:
        run.font.size = Pt(9)


def _table(doc: Any, head: list[str], rows: Iterable[Iterable[object]], numeric: set[int] = frozenset(),  # type: ignore[assignment]
           widths: list[float] | None = None) -> Table:
    rows = [list(r) for r in rows]
    t = doc.add_table(rows=1 + len(rows), cols=len(head))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r_index, values in enumerate([head, *rows]):
        cells = t.rows[r_index].cells
        for c_index, value in enumerate(values):
            para = cells[c_index].paragraphs[0]
            run = para.add_run("" if value is None else str(value))
            if r_index == 0:
                run.bold = True
            if c_index in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = t.rows[0]._tr.get_or_add_trPr()  # repeat the header row on every page
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for row in t.rows:  # a row is never cut across two pages
        row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    return t


def _para(doc: Any, *parts: tuple[str, bool], style: str | None = None, indent: float = 0) -> Any:
    para = doc.add_paragraph(style=style)
    for text, bold in parts:
        para.add_run(text).bold = bold
    if indent:
        para.paragraph_format.left_indent = Cm(indent)
    return para


NOTE_GREY = RGBColor(0x66, 0x66, 0x66)


def _note(para: Any, text: str) -> Any:
    """A small grey note at the end of a paragraph (what staff entered for the person); "" adds nothing."""
    if text:
        run = para.add_run(text)
        run.bold = False
        run.font.size = Pt(8.5)
        run.font.color.rgb = NOTE_GREY
    return para


def _picture(doc: Any, png: bytes) -> None:
    doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


# XML 1.0, inside every Word file, cannot hold most control characters, lone surrogates or
# U+FFFE/U+FFFF. Text typed today cannot contain them (facilitation/texts.py); a record written by
# an older version may: they are left out here, so its Word minutes can still be made.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    return value


def render_docx(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> bytes:
    model = _xml_safe(model)
    p = Presenter(model, lang, site=site, notice_days=notice_days)
    L, m = p.L, model
    doc = Document()
    _fonts(doc, m["public"])
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    props = doc.core_properties
    props.title = f"{m['meeting']['title']} {L.minutes}"
    props.subject = L.minutes
    props.keywords = stamp(m)
    props.author = "Yishi"
    sep = p.sep
    _running(doc, p)

    title = doc.add_heading(f"{m['meeting']['title']}\n{L.minutes}", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, (L.public_version if m["public"] else L.internal_version, False)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _table(doc, [L.meeting, m["meeting"]["title"]], p.header_rows()[1:], widths=[3.5, 13])
    _para(doc, (p.zone_note(), False))
    if m["open_objections"]:
        _para(doc, (L("open_objections", n=len(m["open_objections"])), True))

    a = m["attendance"]
    doc.add_heading(L.attendance, level=1)
    _para(doc, (p.attendance_summary(), False))
    for n, line in enumerate(p.quorum_lines()):
        _para(doc, (f"{L.quorum}{p.colon}" if n == 0 else "", True), (line, False))
    for n, line in enumerate(p.notice_lines()):
        _para(doc, (f"{L.meeting_notice}{p.colon}" if n == 0 else "", True), (line, False))
    for n, line in enumerate(p.proxy_lines()):
        _para(doc, (f"{L.proxies}{p.colon}" if n == 0 else "", True), (line, False))
    _table(doc, [L.category, L.present, L.invited, L.absent, L.walk_ins],
           [[p.cat(r["category"]), r["present"], r["invited"], r["absent"], r["walk_ins"]] for r in a["by_category"]],
           {1, 2, 3, 4})
    if not m["public"]:
        doc.add_heading(L.names, level=2)
        for r in a["by_category"]:
            if r["people"]:
                own, staff, note = p.people(r["people"])
                _note(_para(doc, (f"{p.cat(r['category'])}{p.paren(str(r['present']))}{p.colon}", True),
                            (own + staff, False)), p.paren(note) if note else "")
    if a["absent_people"]:
        _para(doc, (f"{L.absent_people}{p.colon}", True), (sep.join(p.who(x) for x in a["absent_people"]), False))

    doc.add_heading(L.agenda, level=1)
    for item in m["items"]:
        outcome = f" — {p.word(item['outcome']['outcome'])}" if item["outcome"] else ""
        doc.add_paragraph(item["title"] + outcome, style="List Number")
    for item in m["items"]:
        _item(doc, p, item)

    if hearing := p.hearing_blocks():  # a hearing's record (听证笔录)
        doc.add_heading(L.hearing_record, level=1)
        for block in hearing:
            if block["title"]:
                doc.add_heading(block["title"], level=2)
            for line in block["lines"]:
                _para(doc, (line, False))
    h = m["heard"]
    doc.add_heading(L.heard, level=1)
    _para(doc, (p.heard_summary(), False))
    if h["by_category"]:
        _table(doc, [L.category, L.speeches, L.speakers, L.speaking_time, L.share],
               [[p.cat(r["category"]), r["speeches"], r["speakers"], p.duration(r["seconds"]),
                 p.share(r["seconds"], h["total_seconds"])] for r in h["by_category"]], {1, 2, 3, 4})
        chart = p.heard_chart("png")
        if chart:
            _picture(doc, chart)
    # The signatures stand with the last lines they sign: each of those keeps with the next.
    closing = [_para(doc, (p.silent(), False))] + [_para(doc, (line, False)) for line in p.floor_lines()]
    closing.append(doc.add_heading(L.signatures, level=1))
    signatures = _table(doc, [L.moderator, L.recorder], [[m["meeting"]["moderator"], m["meeting"]["recorder"]],
                                                          [f"{L.signature}{p.colon}\n\n\n", f"{L.signature}{p.colon}\n\n\n"]],
                        widths=[8.3, 8.3])
    closing += [para for row in signatures.rows[:-1] for cell in row.cells for para in cell.paragraphs]
    for para in closing:
        para.paragraph_format.keep_with_next = True

    code = qr.png(p.verify_url()) if p.site else b""
    doc.add_heading(L.record, level=1)
    _para(doc, (p.record_intro(), False))
    _table(doc, ["", ""], p.record_rows(), widths=[4, 12.5])
    _para(doc, (p.verify_hint(), False))
    if code and not m["public"]:
        _qr(doc, p, code, WD_ALIGN_PARAGRAPH.LEFT)
    small = _para(doc, (stamp(m), False))
    small.runs[0].font.size = Pt(7)
    if m["public"]:  # the notice board's ending: the issuer and the date come last
        _notice(doc, p, code)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _qr(doc: Any, p: Presenter, png: bytes, align: Any) -> list[Any]:
    """The verification QR code and its caption; returns their paragraphs."""
    doc.add_picture(io.BytesIO(png), width=QR_WIDTH)
    picture = doc.paragraphs[-1]
    picture.alignment = align
    caption = _para(doc, (p.L.qr_caption, False))
    caption.alignment = align
    caption.runs[0].font.size = Pt(9)
    return [picture, caption]


def _notice(doc: Any, p: Presenter, code: bytes) -> None:
    """The notice board's ending: the publicity period, where to raise a question, the QR code,
    and the issuer and date with room for the seal, kept on one page."""
    L = p.L
    block = [doc.add_heading(L.notice, level=1), _para(doc, (p.notice_period(), True)),
             _para(doc, (p.feedback(), False)), _para(doc, (p.check_line(bool(code)), False))]
    if code:
        block += _qr(doc, p, code, WD_ALIGN_PARAGRAPH.LEFT)
    seal = _para(doc, (f"（{L.seal}）" if p.lang == "zh-CN" else f"({L.seal})", False))
    seal.runs[0].font.color.rgb = NOTE_GREY
    seal.paragraph_format.space_before = Cm(1.2)
    seal.paragraph_format.space_after = Cm(1.2)
    issuer = _para(doc, (p.issuer_line(), True))
    issued = _para(doc, (p.long_date(p.issued_on()), False))
    block += [seal, issuer]
    for para in (seal, issuer, issued):
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Cm(1)
    for para in block:
        para.paragraph_format.keep_with_next = True


def _item(doc: Any, p: Presenter, item: dict[str, Any]) -> None:
    L = p.L
    doc.add_heading(p.item_title(item), level=1)
    if item["background"]:
        _para(doc, (f"{L.background}{p.colon}", True), (item["background"], False))
    doc.add_heading(L.speeches, level=2)
    for s in item["speeches"]:
        kind = f" · {p.word(s['kind'])}" if s["kind"] != "speech" else ""
        took = p.duration(s["seconds"]) if s["seconds"] is not None else L.speaking_now
        notes = f" · {p.speech_notes(s)}" if p.speech_notes(s) else ""
        para = _para(doc, (f"{s['number']}. {p.who(s['speaker'])}", True),
                     (f" · {p.word(s['stance'])}{kind} · {p.time(s['started_at'])} · {took}{notes}", False))
        _note(para, p.entered(s))
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_after = Pt(0)
        _para(doc, (s["summary"] or L.no_summary, False), indent=0.6)
    if not item["speeches"]:
        _para(doc, (L.no_speeches, False))
    doc.add_heading(L.opinions, level=2)
    for o in item["opinions"]["approved"]:
        _note(_para(doc, (f"{p.who(o['author'])}{p.colon}", True), (o["text"], False)), p.entered(o))
    if not item["opinions"]["approved"]:
        _para(doc, (L.no_opinions, False))
    op = item["opinions"]
    if op["hidden"] or op["unmoderated"]:
        _para(doc, (L("opinions_hidden", hidden=op["hidden"], unmoderated=op["unmoderated"]), False))
    if item["polls"]:
        doc.add_heading(L.polls, level=2)
    for poll in item["polls"]:
        doc.add_heading(f"{L.question}{p.colon}{poll['question']}", level=3)
        _para(doc, (f"{p.kind(poll)} · {p.secrecy(poll)} · {p.poll_summary(poll)}", False))
        if poll["open"]:
            _para(doc, (L.poll_still_open, True))
        for line in p.binding(poll) + p.ranking_lines(poll):
            _para(doc, (line, False))
        if poll["kind"] == "evaluation":
            _table(doc, p.evaluation_head(), p.evaluation_rows(poll), {1, 2, 3, 4, 5})
            _para(doc, (L.satisfaction_formula, False))
        else:
            _table(doc, [L.option, L.phones, L.hands, L.votes, L.share], p.poll_rows(poll), {1, 2, 3, 4})
        for line in p.corrections(poll):
            _para(doc, (line, False))
        if poll["by_category"]:
            _table(doc, [L.by_category, *p.options(poll)], p.category_rows(poll),
                   set(range(1, len(poll["options"]) + 1)))
            if hidden := p.category_note(poll):
                _para(doc, (hidden, False))
        _picture(doc, p.poll_chart(poll, "png"))
        if rows := p.roll_rows(poll):
            _para(doc, (L.roll, True))
            _table(doc, [L.voter, L.ballot], [(who, f"{ballot}{p.paren(entered)}" if entered else ballot) for who, ballot, entered in rows], set())
        if receipts := p.receipt_rows(poll):
            _para(doc, (L.receipts, True))
            _table(doc, [L.receipt, L.ballot], receipts, set())
    if item["objections"]:
        doc.add_heading(L.objections, level=2)
    for x in item["objections"]:
        state = L.objection_open if x["open"] else L.objection_closed
        para = _para(doc, (p.who(x["objector"]), True), (f" · {L.raised_at} {p.datetime(x['raised_at'])} · ", False),
                     (state, True))
        _note(para, p.entered(x))
        if raised := p.raised(x):
            para.add_run(f" · {raised}")
        para.paragraph_format.keep_with_next = True
        _para(doc, (f"{L.reason}{p.colon}", True), (x["reason"], False), indent=0.6)
        for e in x["explanations"]:
            _para(doc, (f"{L.explanation}{p.paren(L('explained_by', by=e['by'], at=p.datetime(e['at'])))}{p.colon}", True),
                  (e["text"], False), indent=0.6)
        if not x["explanations"]:
            _para(doc, (L.no_explanation, False), indent=0.6)
        last = x["responses"][-1] if x["responses"] else None
        comment = f" — {last['comment']}{p.paren(p.datetime(last['at']))}" if last and last["comment"] else ""
        _note(_para(doc, (f"{L.objector_response}{p.colon}", True), (p.response(x["response"]) + comment, False),
                    indent=0.6), p.entered(last))
    doc.add_heading(L.outcome, level=2)
    oc = item["outcome"]
    if not oc:  # where the item came from, all the same (the topic, its petition and opinions gathered)
        _para(doc, (L.no_outcome, False))
        for line in p.reported(item):
            _para(doc, (line, False))
        return
    _para(doc, (p.word(oc["outcome"]), True))
    if oc["opinion"]:
        _para(doc, (f"{L.consultation_opinion}{p.colon}", True), (oc["opinion"], False))
    if oc["actions"]:
        _table(doc, [L.action, L.owner, L.due], [[a["what"], a["owner"] or "—", a["due"] or "—"] for a in oc["actions"]])
    for x in item.get("escalations", []):
        for line in p.sent_on(x):
            _para(doc, (line, False))
    for line in p.reported(item):
        _para(doc, (line, False))
    for c in oc.get("corrections", []):
        _para(doc, (p.corrected(c), True))
        _para(doc, (f"{L.correction_reason}{p.colon}", True), (c["reason"], False))
        if c["opinion"]:
            _para(doc, (f"{L.corrected_opinion}{p.colon}", True), (c["opinion"], False))
