"""What a PDF draws, read back from its content streams: is a vector chart on its pages?"""
from __future__ import annotations

import re
import zlib

import typst


def pdf_drawings(pdf: bytes) -> list[bytes]:
    """What a PDF draws, one piece per graphics state it saves and sets (`q … cm … Q`): the path's
    points as drawn inside it, so a picture reads the same wherever on a page and at whatever size
    it is placed (resource names, which each file numbers its own way, left out)."""
    out = []
    for m in re.finditer(rb"(?<!end)stream\r?\n", pdf):
        raw = pdf[m.end():pdf.find(b"endstream", m.end())]
        try:
            content = zlib.decompress(raw)
        except zlib.error:
            continue
        out += [re.sub(rb"/[A-Za-z]+\d+", b"/_", piece) for piece in re.findall(rb" cm(.*?)\nQ", content, re.S)]
    return out


def draws(pdf: bytes, svg: bytes) -> bool:
    """Does the PDF draw this SVG, every piece in order, as a page that shows only it does?"""
    alone = pdf_drawings(typst.compile(b"#set page(width: auto, height: auto)\n#image(bytes(sys.inputs.svg))",
                                       sys_inputs={"svg": svg.decode()}))
    drawn = pdf_drawings(pdf)
    return bool(alone) and any(drawn[i:i + len(alone)] == alone for i in range(len(drawn) - len(alone) + 1))
