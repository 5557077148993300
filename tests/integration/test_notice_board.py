"""The public minutes as a community office prints them and pins them to the notice board: the
publicity period with its dates, where to raise a question, the issuing body and the date with a
place for the seal, Beijing time, larger type, the signatures on the page of what they sign, and
the verification link as a QR code that a phone can read off the printed page. Read back the way
their readers read them: pdftotext and the page rendered to pixels for the PDF, python-docx for
Word, a CommonMark parser for Markdown."""
from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import numpy as np
import pytest
import typst
import zxingcpp
from docx.oxml.ns import qn
from markdown_it import MarkdownIt
from PIL import Image

from facilitation.minutes import minutes
from live.minutes import render
from live.minutes.labels import Labels
from live.minutes.present import Presenter
from live.record import identity_of, verify_meeting
from live.store import Store

from support.minutes_meeting import RESIDENTS, stored_realistic_meeting

SITE = "http://192.168.31.20:8000"  # the address phones on the office's network reach the server at
ISSUER = "幸福里社区居委会"  # the demo meets in 幸福里社区居委会二楼会议室
FORMATS = ("html", "pdf", "docx", "md")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    """The realistic meeting, closed, and the database it is stored in."""
    db = tmp_path_factory.mktemp("notice-board") / "yishi.db"
    return stored_realistic_meeting(db), f"sqlite:///{db}"


@pytest.fixture(scope="module")
def meeting(recorded: tuple[Any, str]) -> Any:
    return recorded[0]


@pytest.fixture(scope="module")
def models(meeting: Any) -> dict[bool, dict[str, Any]]:
    identity = identity_of(meeting)
    return {public: minutes(meeting, identity, public=public) for public in (False, True)}


@pytest.fixture(scope="module")
def files(models: dict[bool, dict[str, Any]]) -> dict[tuple[str, bool, str], bytes]:
    """Every printed format, public and internal, in Chinese and English, as the server makes them."""
    return {(fmt, public, lang): render(models[public], fmt, lang, site=SITE)
            for fmt in FORMATS for public in (False, True) for lang in ("zh-CN", "en")}


def verify_url(model: dict[str, Any]) -> str:
    return f"{SITE}/meetings/{model['meeting']['id']}/verify"


def issued(model: dict[str, Any]) -> date:
    return datetime.fromisoformat(model["record"]["generated_at"]).date()


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    path = tmp_path / "minutes.pdf"
    path.write_bytes(data)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                                              check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]


def qr_codes_on_pages(data: bytes, tmp_path: Path) -> list[str]:
    """Every QR code a phone would read off the printed pages (rendered at 150 dpi)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    found = []
    for png in sorted(tmp_path.glob("page-*.png")):
        found += [b.text for b in zxingcpp.read_barcodes(np.array(Image.open(png).convert("L")))]
    return found


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])


def md_text(data: bytes) -> str:
    return re.sub(r"\\(.)", r"\1", data.decode())


def text_of(fmt: str, data: bytes, tmp_path: Path) -> str:
    if fmt == "pdf":
        return "\n".join(pdf_pages(data, tmp_path))
    if fmt == "docx":
        return docx_text(data)
    if fmt == "md":
        return md_text(data)
    return re.sub(r"<[^>]+>", "", data.decode())


# -- what the notice board says ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_public_minutes_state_the_publicity_period_where_to_object_and_who_issued_them(files, models, fmt,
                                                                                           tmp_path):
    model = models[True]
    start = issued(model)
    text = flat(text_of(fmt, files[fmt, True, "zh-CN"], tmp_path))
    period = f"公示期：{zh_date(start)}至{zh_date(start + timedelta(days=6))}（共7天）。"
    assert period in text, fmt
    assert flat(f"对本纪要内容有疑问或异议的，请于公示期内以书面或当面方式向{ISSUER}提出。") in text, fmt
    assert flat(verify_url(model)) in text, fmt  # the link in full, to type in
    # the issuer and the date at the end, with the seal's place: the last words of the page
    end = text.rsplit("记录信息", 1)[1] if fmt != "pdf" else text
    assert re.search(rf"(盖章处.*{ISSUER}|{ISSUER}（盖章）){zh_date(start)}", end), fmt
    internal = flat(text_of(fmt, files[fmt, False, "zh-CN"], tmp_path))
    assert "公示期" not in internal and "盖章" not in internal, fmt


def test_the_notice_reads_in_english_too(files, models, tmp_path):
    start = issued(models[True])
    long = f"{start.day} {start.strftime('%B')} {start.year}"
    end = start + timedelta(days=6)
    for fmt in FORMATS:
        text = flat(text_of(fmt, files[fmt, True, "en"], tmp_path))  # the PDF breaks lines where the page does
        assert flat(f"Publicity period: {long} to {end.day} {end.strftime('%B')} {end.year} (7 days).") in text, fmt
        assert flat(f"please raise them with the {ISSUER} within the publicity period") in text, fmt
        assert flat("Times are Beijing time.") in text and "Asia/Shanghai" not in text, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_times_are_beijing_time_and_other_zones_keep_their_name(files, meeting, fmt, tmp_path):
    for public in (False, True):
        text = flat(text_of(fmt, files[fmt, public, "zh-CN"], tmp_path))
        assert "本纪要中的时间均为北京时间。" in text and "（北京时间）" in text, (fmt, public)
        assert "Asia/Shanghai" not in text, (fmt, public)
    berlin = minutes(meeting, identity_of(meeting), public=True, timezone="Europe/Berlin")
    text = flat(text_of(fmt, render(berlin, fmt, "zh-CN", site=SITE), tmp_path))
    assert "本纪要中的时间均为Europe/Berlin时区时间。" in text and "北京时间" not in text, fmt


def test_a_phone_reads_the_verification_link_off_the_printed_pdf(files, models, tmp_path):
    for public in (False, True):
        assert qr_codes_on_pages(files["pdf", public, "zh-CN"], tmp_path / str(public)) == [verify_url(models[public])]


def test_the_html_page_draws_the_qr_code_as_vector_and_a_phone_reads_it(files, models, tmp_path):
    html = files["html", True, "zh-CN"].decode()
    assert html.count('<figure class="qr"><img alt="扫码核对记录: ') == 1
    assert re.search(r'<figure class="qr"><img alt="[^"]+" src="data:image/svg\+xml;base64,', html)
    (uri,) = re.findall(r'<figure class="qr"><img alt="[^"]+" src="data:image/svg\+xml;base64,([^"]+)"', html)
    # The SVG drawn on a page 4 cm wide at 150 dpi, as a printer would.
    drawn = typst.compile(b"#set page(width: 4cm, height: 4cm, margin: 0pt)\n#image(bytes(sys.inputs.svg), width: 100%)",
                          sys_inputs={"svg": base64.b64decode(uri).decode()}, format="png", ppi=150)
    read = [b.text for b in zxingcpp.read_barcodes(np.array(Image.open(io.BytesIO(drawn)).convert("L")))]
    assert read == [verify_url(models[True])]


def test_the_word_file_carries_the_qr_code_as_a_picture_a_phone_reads(files, models):
    for public in (False, True):
        d = docx.Document(io.BytesIO(files["docx", public, "zh-CN"]))
        read = []
        for shape in d.inline_shapes:
            blob = d.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
            read += [b.text for b in zxingcpp.read_barcodes(np.array(Image.open(io.BytesIO(blob)).convert("L")))]
        assert read == [verify_url(models[public])], public


def test_without_the_servers_address_the_link_is_a_path_and_no_code_is_drawn(models, tmp_path):
    model = models[True]
    path = f"/meetings/{model['meeting']['id']}/verify"
    html = render(model, "html", "zh-CN").decode()
    assert 'class="qr"' not in html and f"访问 {path}，可核对本纪要与会议记录是否一致。" in html
    d = docx.Document(io.BytesIO(render(model, "docx", "zh-CN")))
    assert len(d.inline_shapes) == sum(len(i["polls"]) for i in model["items"]) + 1  # the charts only
    assert qr_codes_on_pages(render(model, "pdf", "zh-CN"), tmp_path) == []


def test_the_publicity_period_can_be_longer(models, tmp_path):
    model = models[True]
    start = issued(model)
    text = flat(text_of("md", render(model, "md", "zh-CN", notice_days=15), tmp_path))
    assert f"公示期：{zh_date(start)}至{zh_date(start + timedelta(days=14))}（共15天）。" in text


def test_the_issuer_is_the_body_the_place_names_else_the_committee(models):
    model = models[True]

    def issuer(place: str, title: str = "加装电梯协商会", lang: str = "zh-CN") -> str:
        changed = {**model, "meeting": {**model["meeting"], "place": place, "title": title}}
        return Presenter(changed, lang).issuer_line()

    assert issuer("幸福里社区居委会二楼会议室") == "幸福里社区居委会"
    assert issuer("幸福村村民委员会大礼堂") == "幸福村村民委员会"
    assert issuer("阳光小区业主委员会办公室") == "阳光小区业主委员会"
    assert issuer("小区活动中心") == "社区居民委员会"
    assert issuer("", title="幸福村村民会议") == "村民委员会"
    assert issuer("Community hall", lang="en") == "Residents' committee"
    assert issuer("Village hall", title="幸福村村民会议", lang="en") == "Villagers' committee"


# -- print: type size, pages, running heads ----------------------------------------------------------------


def _size_of(word: str, data: bytes, tmp_path: Path) -> float:
    """The font size (pt) a CJK word is printed at on page 1: its width over its characters."""
    path = tmp_path / "size.pdf"
    path.write_bytes(data)
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    found = re.search(rf'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">{word}</word>', boxes)
    assert found, word
    return (float(found.group(2)) - float(found.group(1))) / len(word)


def test_the_notice_board_version_is_printed_larger(files, tmp_path):
    public, internal = (_size_of("地点", files["pdf", p, "zh-CN"], tmp_path) for p in (True, False))
    assert 11.95 <= public <= 14.05 and 10.45 <= internal <= 11.05, (public, internal)
    html = files["html", True, "zh-CN"].decode()
    assert '<html lang="zh-CN" class="public">' in html and "html.public { font-size: 12pt; }" in html
    assert '<html lang="zh-CN">' in files["html", False, "zh-CN"].decode()
    for public, size in ((True, 12), (False, 10.5)):
        d = docx.Document(io.BytesIO(files["docx", public, "zh-CN"]))
        assert d.styles["Normal"].font.size.pt == size


def test_the_signatures_stand_on_the_page_of_what_they_sign(files, models, tmp_path):
    """Not alone at the top of a page: the last lines of who was heard are printed with them."""
    last_line = Labels("zh-CN")("replies_count", n=models[True]["heard"]["replies"])  # 直接回应：1 次。
    for public in (False, True):
        pages = [flat(p) for p in pdf_pages(files["pdf", public, "zh-CN"], tmp_path)]
        signed = [n for n, text in enumerate(pages) if "主持人：王秀兰" in text and "签字" in text and "记录人：" in text]
        assert len(signed) == 1, public
        assert flat(last_line) in pages[signed[0]], public
    html = files["html", True, "zh-CN"].decode()
    closing = html.split('<div class="closing">', 1)[1].split('<div class="record-section">', 1)[0]
    assert flat(last_line) in flat(re.sub(r"<[^>]+>", "", closing)) and '<div class="signatures">' in closing
    assert ".closing { break-inside: avoid; }" in html and ".signatures { break-before: avoid; }" in html
    d = docx.Document(io.BytesIO(files["docx", True, "zh-CN"]))
    texts = [p.text for p in d.paragraphs]
    heading = texts.index("签字")
    assert texts[heading - 1] == last_line
    assert all(p.paragraph_format.keep_with_next for p in d.paragraphs[heading - 2:heading + 1])
    signatures = next(t for t in d.tables if t.rows[0].cells[0].text == "主持人")
    assert all(p.paragraph_format.keep_with_next for c in signatures.rows[0].cells for p in c.paragraphs)


def test_every_pdf_page_is_headed_by_the_title_and_numbered_of_the_whole(files, tmp_path):
    for public, which in ((True, "公示"), (False, "会议纪要")):
        pages = pdf_pages(files["pdf", public, "zh-CN"], tmp_path)
        for n, text in enumerate(pages, 1):
            assert flat(f"幸福里小区3号楼加装电梯居民协商会（已结束示例）·{which}") in flat(text), (public, n)
            assert f"第 {n} 页，共 {len(pages)} 页" in text, (public, n)


def _footer_fields(section: Any) -> tuple[str, list[str]]:
    """The footer's words, with each field shown as {CODE}, and the field codes."""
    words, codes = [], []
    for run in section.footer.paragraphs[0].runs:
        instr = run._r.find(qn("w:instrText"))
        if instr is not None:
            codes.append(instr.text.strip())
            words.append("{" + instr.text.strip() + "}")
        elif run._r.find(qn("w:fldChar")) is None and not (words and words[-1].startswith("{") and run.text == "1"):
            words.append(run.text)
    return "".join(words), codes


def test_word_pages_have_a_running_head_and_page_x_of_y(files):
    for (public, lang), (head, foot) in {
        (True, "zh-CN"): ("幸福里小区3号楼加装电梯居民协商会（已结束示例） · 公示", "第 {PAGE} 页，共 {NUMPAGES} 页"),
        (False, "zh-CN"): ("幸福里小区3号楼加装电梯居民协商会（已结束示例） · 会议纪要", "第 {PAGE} 页，共 {NUMPAGES} 页"),
        (True, "en"): ("幸福里小区3号楼加装电梯居民协商会（已结束示例） · Public notice", "Page {PAGE} of {NUMPAGES}"),
    }.items():
        section = docx.Document(io.BytesIO(files["docx", public, lang])).sections[0]
        assert section.header.paragraphs[0].text == head
        assert _footer_fields(section) == (foot, ["PAGE", "NUMPAGES"])


def test_the_word_notice_ends_with_the_issuer_and_date_right_aligned_on_one_page(files, models):
    d = docx.Document(io.BytesIO(files["docx", True, "zh-CN"]))
    paras = d.paragraphs
    texts = [p.text for p in paras]
    start = texts.index("公示与意见反馈")
    assert texts[-3:] == ["（盖章处）", ISSUER, zh_date(issued(models[True]))]
    assert all(p.alignment == 2 for p in paras[-3:])  # right
    assert all(p.paragraph_format.keep_with_next for p in paras[start:-1])
    assert paras[start].style.name == "Heading 1"


def test_the_markdown_notice_reads_as_plain_text(files, models):
    md = files["md", True, "zh-CN"].decode()
    html = MarkdownIt("commonmark").render(md)
    start = issued(models[True])
    assert "<h2>公示与意见反馈</h2>" in html
    assert f"<p>{ISSUER}（盖章）<br />\n{zh_date(start)}</p>" in html
    assert html.rstrip().endswith(f"{zh_date(start)}</p>")  # the issuer and the date come last


# -- what does not change --------------------------------------------------------------------------------


def test_the_notice_board_names_no_resident(files, tmp_path):
    for fmt in FORMATS:
        for lang in ("zh-CN", "en"):
            text = text_of(fmt, files[fmt, True, lang], tmp_path)
            assert [n for n in RESIDENTS if n in text] == [], (fmt, lang)


def test_the_printed_files_still_verify_against_the_record(recorded, files):
    meeting, url = recorded
    store = Store(url)
    try:
        for fmt in FORMATS:
            for public in (False, True):
                checked = verify_meeting(store, meeting.id, files[fmt, public, "zh-CN"], "zh-CN")["minutes"]
                assert checked["matches"] and checked["format"] == fmt, (fmt, public, checked)
    finally:
        store.close()


def test_yishi_minutes_prints_the_notice_board_version_with_the_servers_address(recorded, models, tmp_path):
    meeting, url = recorded
    out = tmp_path / "公示.md"
    done = subprocess.run([sys.executable, "-m", "live.cli", "minutes", meeting.id, "--database", url, "--data",
                           str(tmp_path), "--public", "--public-url", SITE + "/", "--notice-days", "10", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = md_text(out.read_bytes())
    start = date.fromisoformat(re.search(r"\| 生成时间 \| (\d{4}-\d\d-\d\d) ", text).group(1))  # today, in Beijing
    assert f"公示期：{zh_date(start)}至{zh_date(start + timedelta(days=9))}（共 10 天）。" in text
    assert f"访问 {verify_url(models[True])}，可核对本纪要与会议记录是否一致。" in text
    refused = subprocess.run([sys.executable, "-m", "live.cli", "minutes", meeting.id, "--database", url,
                              "--notice-days", "0"], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--notice-days" in refused.stderr


@pytest.mark.parametrize("fmt", ("md", "docx", "html"))
def test_the_issuer_and_the_period_the_meeting_set_are_printed_and_the_command_line_can_override(models, fmt, tmp_path):
    """A street office issuing for a community, posting for ten days: said in the period line, the
    feedback line and the sign-off; `yishi minutes --notice-days` still wins."""
    model = models[True]
    model = {**model, "meeting": {**model["meeting"], "issuer": "幸福街道办事处", "notice_days": 10}}
    start = issued(model)
    text = flat(text_of(fmt, render(model, fmt, "zh-CN", site=SITE), tmp_path))
    assert f"公示期：{zh_date(start)}至{zh_date(start + timedelta(days=9))}（共10天）。" in text
    assert "幸福街道办事处" in text and ISSUER not in text.replace("幸福里社区居委会二楼会议室", "")
    override = flat(text_of(fmt, render(model, fmt, "zh-CN", site=SITE, notice_days=20), tmp_path))
    assert "（共20天）" in override
